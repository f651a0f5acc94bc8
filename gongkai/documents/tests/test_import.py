"""`gongkai import-documents`: real files of every format, a CSV report, all-or-nothing per
file, idempotent re-runs, and the same checks as hand-made documents."""

import csv
from pathlib import Path

import pytest

from gongkai.core.models import AuditEvent
from gongkai.documents.models import Attachment, Document, ImportRecord
from gongkai.documents.tests.files import docx_bytes as make_docx
from gongkai.documents.tests.files import pdf_bytes as make_pdf
from gongkai.search.selectors import search_documents

SAMPLES = Path(__file__).resolve().parents[4] / "shared" / "samples"


def gbt9704_text(n: int, *, org="示范市教育局", extra="") -> str:
    return (
        f"{org}文件\n\n示教〔2025〕{n}号\n\n{org}\n关于做好第{n}批校园安全\n检查工作的通知\n\n"
        f"各区县（市）教育局，市直各学校：\n\n为做好校园安全工作，现将有关事项通知如下。{extra}\n"
        f"一、高度重视。\n二、抓好落实。\n\n附件：1.检查表\n2.联系人名单\n\n{org}\n2025年3月{n % 28 + 1}日\n"
    )


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "a.txt").write_bytes(gbt9704_text(1).encode("gb18030"))
    (tmp_path / "b.docx").write_bytes(make_docx(gbt9704_text(2)))
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.html").write_text(
        "<html><body>"
        + "".join(f"<p>{line}</p>" for line in gbt9704_text(3).splitlines())
        + "</body></html>",
        encoding="utf-8",
    )
    (tmp_path / "d.pdf").write_bytes(make_pdf(gbt9704_text(4)))
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 this is not really a zip")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "virus.pdf").write_bytes(b"MZ\x90\x00 program")
    (tmp_path / "nodate.txt").write_text(
        "关于某事的说明\n\n没有日期的一段文字。\n", encoding="utf-8"
    )
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 50)
    (tmp_path / ".hidden.txt").write_text("ignored", encoding="utf-8")
    return tmp_path


def _report(path):
    with open(path, encoding="utf-8-sig") as fh:
        return {row["file"]: row for row in csv.DictReader(fh)}


def test_import_folder_reports_every_file_and_skips_broken_ones(
    folder, tmp_path_factory, run_cli, org
):
    out = tmp_path_factory.mktemp("r") / "report.csv"
    code, stdout, _ = run_cli(
        "import-documents",
        str(folder),
        "--org",
        org("示范市教育局").code,
        "--report",
        str(out),
        "--no-progress",
    )
    assert code == 1  # some files failed: said in the exit code too
    rows = _report(out)
    assert {f for f, r in rows.items() if r["status"] == "imported"} == {
        "a.txt",
        "b.docx",
        "sub/c.html",
        "d.pdf",
    }
    assert rows["b.docx"]["document_number"] == "示教〔2025〕2号"
    assert rows["a.txt"]["title"] == "示范市教育局关于做好第1批校园安全检查工作的通知"
    assert rows["d.pdf"]["date_signed"] == "2025-03-05"
    assert rows["a.txt"]["main_recipients"] == "各区县（市）教育局、市直各学校"
    assert "检查表" in rows["a.txt"]["attachments_note"]
    for name, words in {
        "broken.docx": "无法打开", "empty.txt": "空文件", "virus.pdf": "可执行程序",
        "nodate.txt": "成文日期", "photo.png": "不是可导入的格式",
    }.items():  # fmt: skip
        assert (
            rows[name]["status"] in ("failed", "unsupported") and words in rows[name]["reason"]
        ), rows[name]
    assert ".hidden.txt" not in rows
    assert "imported 4" in stdout and "failed 4" in stdout

    docs = Document.objects.filter(title__contains="批校园安全检查工作")
    assert docs.count() == 4 and set(docs.values_list("status", flat=True)) == {"draft"}
    assert Attachment.objects.filter(document__in=docs).count() == 4
    assert ImportRecord.objects.count() == 4
    assert AuditEvent.objects.filter(verb="document.import").count() == 4
    # Broken files left nothing behind.
    assert not Attachment.objects.filter(
        original_name__in=["broken.docx", "virus.pdf", "nodate.txt"]
    ).exists()

    # Idempotent: the second run imports nothing new.
    code, stdout, _ = run_cli(
        "import-documents",
        str(folder),
        "--org",
        org("示范市教育局").code,
        "--report",
        str(out),
        "--no-progress",
    )
    assert Document.objects.filter(title__contains="批校园安全检查工作").count() == 4
    assert {r["status"] for f, r in _report(out).items() if f in ("a.txt", "d.pdf")} == {
        "duplicate"
    }


def test_publish_runs_the_same_checks_and_indexes(tmp_path, run_cli, org):
    (tmp_path / "ok.txt").write_text(gbt9704_text(5), encoding="utf-8")
    (tmp_path / "pii.txt").write_text(
        gbt9704_text(6, extra="联系人张三，身份证号110101199003074258。"), encoding="utf-8"
    )
    code, _out, _ = run_cli(
        "import-documents",
        str(tmp_path),
        "--org",
        org("示范市教育局").code,
        "--publish",
        "--no-progress",
        "--report",
        str(tmp_path / "r.csv"),
    )
    assert code == 0
    ok = Document.objects.get(document_number="示教〔2025〕5号")
    held = Document.objects.get(document_number="示教〔2025〕6号")
    assert ok.status == "published" and ok.index_number and ok.is_late is None
    assert held.status == "submitted" and held.pii_findings  # stopped at review
    assert "个人信息" in _report(tmp_path / "r.csv")["pii.txt"]["reason"]
    assert [h.document.pk for h in search_documents("第5批校园安全").hits] == [ok.pk]


def test_bad_arguments_exit_2(tmp_path, run_cli, org):
    code, _out, err = run_cli(
        "import-documents", str(tmp_path / "nope"), "--org", org("示范市教育局").code
    )
    assert code == 2 and "找不到文件夹" in err
    code, _out, err = run_cli("import-documents", str(tmp_path), "--org", "123")
    assert code == 2


@pytest.mark.skipif(not SAMPLES.is_dir(), reason="../shared/samples is not checked out here")
def test_dry_run_on_the_samples_prints_title_number_issuer_and_date(run_cli, org, tmp_path):
    code, stdout, _ = run_cli(
        "import-documents",
        str(SAMPLES),
        "--org",
        org("示范市人民政府").code,
        "--dry-run",
        "--report",
        str(tmp_path / "r.csv"),
    )
    assert code == 0
    line = next(line for line in stdout.splitlines() if line.startswith("zhengzhou-2020-plan.txt"))
    assert line.split("\t")[1:6] == [
        "would_import", "郑州市人民政府办公厅关于印发2020年政务公开工作要点实施方案的通知",
        "郑政办〔2020〕43号", "郑州市人民政府办公厅", "2020-09-02",
    ]  # fmt: skip
    assert "张政办函〔2020〕100号" in stdout and "2020-08-21" in stdout
    assert (
        not ImportRecord.objects.exists()
        and not Document.objects.filter(title__contains="郑州").exists()
    )
