"""Writes of the reports app: the figures section 二 needs that gongkai holds no records of."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.core import audit
from gongkai.core.exceptions import ApplicationError, PermissionDeniedError
from gongkai.orgs import permissions

from .models import Figure


def _value(kind: str, raw) -> Decimal:
    try:
        value = Decimal(str(raw).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise ApplicationError(_("请填写数字。"), code="invalid_number") from None
    if not value.is_finite() or value < 0 or value >= Decimal("1e10"):
        raise ApplicationError(_("数值应为不小于 0 的数字。"), code="invalid_number")
    if kind != Figure.Kind.FEES and value != value.to_integral_value():
        raise ApplicationError(_("处理决定数量应为整数。"), code="invalid_number")
    return value.quantize(Decimal("0.0001"))


@transaction.atomic
def figure_set(*, actor, org, year: int, kind: str, value, source: str) -> Figure:
    """Enter (or correct) one figure of section 二, with where it comes from."""
    if not permissions.can(actor, "prepare_report", org):
        raise PermissionDeniedError()
    if kind not in Figure.Kind.values:
        raise ApplicationError(_("未知的填报项目。"), code="invalid_kind")
    if not settings.GONGKAI_CALENDAR_MIN_YEAR <= year <= settings.GONGKAI_CALENDAR_MAX_YEAR:
        raise ApplicationError(_("年度超出范围。"), code="invalid_year")
    source = " ".join((source or "").split())[:300]
    if not source:
        raise ApplicationError(_("请填写数据来源。"), code="source_required")
    amount = _value(kind, value)
    figure = Figure.objects.select_for_update().filter(org=org, year=year, kind=kind).first()
    old = None if figure is None else str(figure.value)
    if figure is None:
        figure = Figure(org=org, year=year, kind=kind)
    figure.value, figure.source = amount, source
    figure.entered_by = actor if getattr(actor, "is_authenticated", False) else None
    figure.save()
    audit.record(
        actor=actor,
        verb="reports.figure_set",
        target=figure,
        org=org,
        data={"year": year, "kind": kind, "from": old, "to": str(amount), "source": source},
    )
    return figure


# --- the annual report ------------------------------------------------------------------------

TEXT_LIMIT = 20_000
ANNUAL_COLUMN = "annual-reports"  # the portal column published reports are filed in


def _clean_text(value) -> str:
    text = str(value or "").replace("\r\n", "\n").strip()
    if len(text) > TEXT_LIMIT:
        raise ApplicationError(_("每部分不超过 %(n)s 字。") % {"n": TEXT_LIMIT}, code="too_long")
    return text


def draft_overview(report) -> str:
    """A first 一、总体情况 for the office to rewrite. Its figures are tokens (compute.
    TEXT_FIGURES) that show the current numbers until the report is published."""
    return (
        f"{report.year}年，{report.org.name}深入贯彻《中华人民共和国政府信息公开条例》。"
        "全年新收政府信息公开申请［新收申请数］件，上年结转［上年结转数］件，"
        "办结［办结数］件，结转下年度继续办理［结转下年数］件。"
        "本年制发行政规范性文件［制发规范性文件数］件，现行有效［现行有效规范性文件数］件。"
        "公开征求意见［意见征集数］次，收到意见［收到意见数］条，按时反馈采纳情况［按时反馈数］次；"
        "收到网上留言［收到留言数］件，按时答复［按时答复留言数］件。"
        "对重大舆情关切［舆情回应数］件，5小时内发布权威信息［5小时内发布数］件，"
        "24小时内召开新闻发布会［24小时内发布会数］件，兑现回应承诺［承诺兑现数］项。"
    )


def rendered_texts(report, computed):
    """Sections 一, 五, 六 with their figure tokens replaced by `computed`'s numbers."""
    from types import SimpleNamespace

    from .compute import render_text

    return SimpleNamespace(
        overview=render_text(report.overview, computed),
        problems=render_text(report.problems, computed),
        other=render_text(report.other, computed),
    )


@transaction.atomic
def report_draft(*, actor, org, year: int):
    """The report being prepared for `org` and `year`: the open version, or a new draft."""
    from .models import AnnualReport
    from .workflow import Status

    if not permissions.can(actor, "prepare_report", org):
        raise PermissionDeniedError()
    if not settings.GONGKAI_CALENDAR_MIN_YEAR <= year <= settings.GONGKAI_CALENDAR_MAX_YEAR:
        raise ApplicationError(_("年度超出范围。"), code="invalid_year")
    latest = AnnualReport.objects.filter(org=org, year=year).order_by("-version").first()
    if latest is not None and latest.status != Status.SUPERSEDED:
        if latest.status == Status.PUBLISHED:
            raise ApplicationError(
                _("该年度报告已发布；如需更正，请发布更正版本。"), code="already_published"
            )
        return latest
    report = AnnualReport(org=org, year=year, version=1)
    report.overview = draft_overview(report)
    report.save()
    audit.record(actor=actor, verb="reports.annual_create", target=report, org=org,
                 data={"year": year, "version": 1})  # fmt: skip
    return report


@transaction.atomic
def report_update(*, actor, report, overview=None, problems=None, other=None):
    """The office's own text (sections 一, 五, 六), while the report is a draft or returned."""
    from .models import AnnualReport
    from .workflow import Status

    report = AnnualReport.objects.select_for_update().select_related("org").get(pk=report.pk)
    if not permissions.can(actor, "prepare_report", report.org):
        raise PermissionDeniedError()
    if report.status not in (Status.DRAFT, Status.RETURNED):
        raise ApplicationError(_("报告已报送，不能修改。"), code="not_editable")
    changed = {}
    for name, value in (("overview", overview), ("problems", problems), ("other", other)):
        if value is not None:
            setattr(report, name, _clean_text(value))
            changed[name] = len(getattr(report, name))
    report.save()
    audit.record(actor=actor, verb="reports.annual_update", target=report, org=report.org,
                 data={"lengths": changed})  # fmt: skip
    return report


def report_submit(*, actor, report, today=None):
    """Send the report to the openness office; refused while any check fails."""
    from .compute import annual_report
    from .workflow import WORKFLOW

    computed = annual_report(org=report.org, year=report.year, today=today)
    if not computed.final:
        raise ApplicationError(_("年度尚未结束，不能报送。"), code="year_not_over")
    failed = [c.message for c in computed.checks if not c.ok]
    if failed:
        raise ApplicationError(
            _("校验未通过，不能报送：%(m)s") % {"m": "；".join(failed)}, code="checks_failed"
        )
    return WORKFLOW.run(report, "submit", actor=actor, data={"version": report.version})


def report_return(*, actor, report, comment: str):
    from .workflow import WORKFLOW

    comment = _clean_text(comment)
    if not comment:
        raise ApplicationError(_("退回时请填写审核意见。"), code="comment_required")
    with WORKFLOW.transition(report, "return", actor=actor, data={"comment": comment}) as move:
        move.obj.review_comment = comment
        move.update_fields = ["review_comment"]
    return move.obj


def report_accept(*, actor, report):
    from .workflow import WORKFLOW

    return WORKFLOW.run(report, "accept", actor=actor)


def report_publish(*, actor, report):
    """Freeze the tables, file the report as a published document, supersede the version it
    corrects. The document goes through the documents services (index number, PII scan)."""
    import hashlib

    from django.utils import timezone

    from gongkai.core import textextract
    from gongkai.documents import services as document_services
    from gongkai.documents.models import Column, Document

    from . import exports
    from .compute import annual_report
    from .workflow import WORKFLOW

    with WORKFLOW.transition(report, "publish", actor=actor) as move:
        current = move.obj
        computed = annual_report(org=current.org, year=current.year)
        texts = rendered_texts(current, computed)  # the figures as they stand at publication
        content = exports.to_docx(computed, texts=texts)
        title = f"{current.org.name}{current.year}年政府信息公开工作年度报告"
        if current.version > 1:
            title += f"（更正版{current.version}）"
        file_name = f"{title}.docx"
        document = document_services.document_import(
            actor=actor,
            org=current.org,
            data={
                "title": title,
                "date_signed": timezone.localdate(),
                "doc_type": Document.DocType.REPORT,
                "attribute": Document.Attribute.PROACTIVE,
                "summary": texts.overview[:500],
                "body": "",
                # Filed in the portal's 年报 column (created by a migration).
                "columns": list(Column.objects.filter(slug=ANNUAL_COLUMN, is_active=True)),
            },
            file_name=file_name,
            file_data=content,
            identified=textextract.identify(content, file_name),
            sha256=hashlib.sha256(content).hexdigest(),
            publish=True,
            required_actions=("prepare_report",),
        )
        current.snapshot = computed.as_dict() | {"texts": vars(texts)}
        current.document = document
        current.published_at = timezone.now()
        move.update_fields = ["snapshot", "document", "published_at"]
        move.data.update(document=document.pk, version=current.version, ok=computed.ok)
        if current.supersedes_id:
            WORKFLOW.run(current.supersedes, "supersede", actor=actor,
                         data={"by_version": current.version})  # fmt: skip
    return move.obj


@transaction.atomic
def report_correct(*, actor, report, reason: str):
    """Start a correction of a published report: a new draft version that, once published,
    supersedes it."""
    from .models import AnnualReport
    from .workflow import Status

    if not permissions.can(actor, "prepare_report", report.org):
        raise PermissionDeniedError()
    reason = _clean_text(reason)
    if not reason:
        raise ApplicationError(_("请填写更正原因。"), code="reason_required")
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    if report.status != Status.PUBLISHED or hasattr(report, "superseded_by"):
        raise ApplicationError(_("只能更正已发布的最新版本。"), code="not_published")
    correction = AnnualReport.objects.create(
        org=report.org, year=report.year, version=report.version + 1, supersedes=report,
        overview=report.overview, problems=report.problems, other=report.other,
        correction_reason=reason,
    )  # fmt: skip
    audit.record(actor=actor, verb="reports.annual_create", target=correction, org=report.org,
                 data={"year": report.year, "version": correction.version, "reason": reason})  # fmt: skip
    return correction


# --- figures for a whole region, as one spreadsheet ------------------------------------------

FIGURE_COLUMNS = [
    ("licensing", "行政许可（件）"),
    ("penalty", "行政处罚（件）"),
    ("coercion", "行政强制（件）"),
    ("fees", "行政事业性收费（万元）"),
]
SHEET_HEADER = ["机构代码", "机构名称", *[label for _, label in FIGURE_COLUMNS], "数据来源"]


def figures_template(*, org, year: int) -> bytes:
    """The spreadsheet an openness office sends round: one row per reporting organisation of
    its region, the figures already entered filled in."""
    import io

    from openpyxl import Workbook

    from gongkai.core.office import xlsx_cells

    from .selectors import region_orgs

    book = Workbook(write_only=True)
    sheet = book.create_sheet(f"{year}年度")
    sheet.append(xlsx_cells(sheet, SHEET_HEADER))
    orgs = region_orgs(org)
    entered: dict[tuple[int, str], Figure] = {
        (f.org_id, f.kind): f for f in Figure.objects.filter(org__in=orgs, year=year)
    }
    for item in orgs:
        values = [entered.get((item.pk, kind)) for kind, _ in FIGURE_COLUMNS]
        source = next((f.source for f in values if f is not None), "")
        sheet.append(xlsx_cells(sheet, [item.code, item.name,
                                        *[None if f is None else float(f.value) for f in values],
                                        source]))  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def figures_import(*, actor, year: int, file_name: str, data: bytes) -> int:
    """Enter the figures of a filled-in spreadsheet (the template's layout); every row is
    checked first, and nothing is stored unless all are right. Returns how many were set."""
    import io

    import openpyxl

    from gongkai.core import textextract
    from gongkai.orgs.models import Org

    if len(data) > settings.GONGKAI_MAX_ATTACHMENT_BYTES:
        raise ApplicationError(_("文件超过大小上限。"), code="too_large")
    if textextract.identify(data, file_name).kind != "xlsx":  # bombs are refused here
        raise ApplicationError(_("请上传 XLSX 表格（按模板填写）。"), code="not_xlsx")
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True, max_row=5000))
    book.close()
    if not rows or [str(c or "").strip() for c in rows[0][: len(SHEET_HEADER)]] != SHEET_HEADER:
        raise ApplicationError(_("表头与模板不一致，请下载模板后填写。"), code="bad_header")
    planned, errors = [], []
    for number, row in enumerate(rows[1:], start=2):
        row = list(row) + [None] * len(SHEET_HEADER)
        code = str(row[0] or "").strip()
        if not code:
            continue
        item = Org.objects.filter(code=code).first()
        if item is None or not permissions.can(actor, "prepare_report", item):
            errors.append(
                _("第 %(n)s 行：机构代码“%(c)s”不在您的范围内。") % {"n": number, "c": code}
            )
            continue
        source = str(row[len(SHEET_HEADER) - 1] or "").strip()
        for (kind, label), value in zip(
            FIGURE_COLUMNS, row[2 : 2 + len(FIGURE_COLUMNS)], strict=True
        ):
            if value is None or str(value).strip() == "":
                continue
            if not source:
                errors.append(_("第 %(n)s 行：请填写数据来源。") % {"n": number})
                break
            try:
                _value(kind, value)
            except ApplicationError as error:
                errors.append(_("第 %(n)s 行“%(l)s”：%(e)s") % {"n": number, "l": label,
                                                            "e": error.message})  # fmt: skip
                continue
            planned.append((item, kind, value, source))
    if errors:
        raise ApplicationError("；".join(errors[:20]), code="invalid_rows")
    with transaction.atomic():
        for item, kind, value, source in planned:
            figure_set(actor=actor, org=item, year=year, kind=kind, value=value, source=source)
    return len(planned)


def check_report_deadlines(*, on=None) -> list[tuple[str, str]]:
    """Remind every reporting organisation whose report for last year is not published yet,
    GONGKAI_REPORT_REMINDER_DAYS working days before it is due, and record it as overdue the
    day after. Idempotent (one ReportReminder per organisation, year and kind)."""
    from django.utils import timezone

    from gongkai.core import workdays
    from gongkai.orgs.models import Org

    from .models import AnnualReport, ReportReminder
    from .selectors import PUBLIC, REPORTING_KINDS, due_date

    on = on or timezone.localdate()
    year = on.year - 1 if on.month <= 6 else on.year  # reports are due in the first months
    published = set(
        AnnualReport.objects.filter(year=year, status__in=PUBLIC).values_list("org_id", flat=True)
    )
    notices = []
    for org in Org.objects.filter(is_active=True, kind__in=REPORTING_KINDS).order_by("path"):
        if org.pk in published:
            continue
        due = due_date(org, year)
        if on > due:
            kind = "overdue"
        elif workdays.working_days_between(on, due).days <= settings.GONGKAI_REPORT_REMINDER_DAYS:
            kind = "due_soon"
        else:
            continue
        with transaction.atomic():
            _reminder, created = ReportReminder.objects.get_or_create(org=org, year=year, kind=kind)
            if not created:
                continue
            audit.record(actor=None, verb=f"reports.reminder_{kind}", target=org, org=org,
                         data={"year": year, "due": due})  # fmt: skip
        notices.append((org.name, kind))
    return notices


@transaction.atomic
def weights_set(*, actor, org, weights: dict) -> dict:
    """The supervising office's assessment weights for its region (0–100 each, not all 0)."""
    from .models import Weights
    from .statistics import INDICATORS

    if not permissions.can(actor, "review_report", org):
        raise PermissionDeniedError()
    clean = {}
    for name in INDICATORS:
        raw = str(weights.get(name, "0")).strip() or "0"
        try:
            value = float(raw)
        except ValueError:
            raise ApplicationError(
                _("权重应为 0 至 100 之间的数字。"), code="invalid_weight"
            ) from None
        if not 0 <= value <= 100:
            raise ApplicationError(_("权重应为 0 至 100 之间的数字。"), code="invalid_weight")
        clean[name] = value
    if not any(clean.values()):
        raise ApplicationError(_("至少有一项权重大于 0。"), code="invalid_weight")
    row, _created = Weights.objects.update_or_create(org=org, defaults={"weights": clean})
    audit.record(actor=actor, verb="reports.weights_set", target=row, org=org, data=clean)
    return clean
