"""The stored-file migrations keep every row and every byte (issue 13: one StoredFile model).

Rows are written with the models as they were before the change (the migration state), the
migrations are applied, and every row and file is read back through today's models."""

import datetime as dt
import hashlib

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("documents", "0005_created_by_blank"), ("foi", "0002_open_due_index"),
          ("supervision", "0001_initial")]  # fmt: skip
AFTER = [("documents", "0006_stored_file"), ("foi", "0003_stored_file"),
         ("supervision", "0002_stored_file")]  # fmt: skip


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.transactional
@pytest.mark.django_db(transaction=True)
def test_stored_files_survive_the_migration(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    old = _migrate(BEFORE)
    try:
        Org = old.get_model("orgs", "Org")
        org = Org.objects.create(name="迁移测试局", code="MIGRATE1", path="/x/", kind="department")
        org.path = f"/{org.pk}/"
        org.save()
        day = dt.date(2026, 3, 2)
        pdf = b"%PDF-1.4 migration test\n%%EOF"
        png = b"\x89PNG\r\n\x1a\n" + b"0" * 40
        sha_pdf, sha_png = (hashlib.sha256(b).hexdigest() for b in (pdf, png))

        Document = old.get_model("documents", "Document")
        doc = Document.objects.create(
            org=org, title="迁移", date_signed=day, attribute="proactive", publication_due=day
        )
        Attachment = old.get_model("documents", "Attachment")
        a = Attachment(document=doc, original_name="原件.pdf", kind="pdf",
                       content_type="application/pdf", size=len(pdf), sha256=sha_pdf,
                       extracted_text="正文")  # fmt: skip
        a.file.save("a.pdf", ContentFile(pdf), save=True)

        Request = old.get_model("foi", "Request")
        req = Request.objects.create(org=org, number="MIG-1", submitted_on=day,
                                     received_date=day, name="张三", description="迁移")  # fmt: skip
        RequestAttachment = old.get_model("foi", "RequestAttachment")
        r = RequestAttachment(request=req, original_name="身份证.png", kind="png",
                              size=len(png), sha256=sha_png)  # fmt: skip
        r.file.save("r.png", ContentFile(png), save=True)

        WorkPlan = old.get_model("supervision", "WorkPlan")
        Task = old.get_model("supervision", "Task")
        ProgressReport = old.get_model("supervision", "ProgressReport")
        plan = WorkPlan.objects.create(org=org, year=2026, title="要点", sha256="0" * 64)
        task = Task.objects.create(plan=plan, number="1", text="任务")
        report = ProgressReport.objects.create(task=task, org=org, status="done",
                                               reported_on=day)  # fmt: skip
        Evidence = old.get_model("supervision", "Evidence")
        e = Evidence(report=report, original_name="佐证.pdf", kind="pdf",
                     content_type="application/pdf", size=len(pdf), sha256=sha_pdf)  # fmt: skip
        e.file.save("e.pdf", ContentFile(pdf), save=True)

        _migrate(AFTER)

        from gongkai.documents.models import Attachment as NewAttachment
        from gongkai.foi.models import RequestAttachment as NewRequestAttachment
        from gongkai.supervision.models import Evidence as NewEvidence

        rows = [
            (NewAttachment.objects.get(pk=a.pk), pdf, "原件.pdf", "application/pdf"),
            (NewRequestAttachment.objects.get(pk=r.pk), png, "身份证.png", "image/png"),
            (NewEvidence.objects.get(pk=e.pk), pdf, "佐证.pdf", "application/pdf"),
        ]
        for row, data, name, content_type in rows:
            assert row.original_name == name and row.size == len(data)
            assert row.sha256 == hashlib.sha256(data).hexdigest()
            assert row.content_type == content_type  # filled for request attachments
            with row.file.open("rb") as f:
                assert f.read() == data
        assert rows[0][0].extracted_text == "正文"
    finally:
        _migrate(_latest())


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()
