"""Workbench pages for work-plan supervision (工作要点督办): import and review a plan, follow up
its tasks, report and consolidate progress, accept or return reports, bulletins, look-back.

Views parse and dispatch only: writes are `supervision.services` calls (which check the role and
leave the audit event), reads are `supervision.selectors` scoped to the user.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.core import workdays
from gongkai.core.exceptions import ApplicationError, NotFoundError, PermissionDeniedError
from gongkai.orgs import permissions
from gongkai.orgs import selectors as org_selectors
from gongkai.supervision import exports, selectors, services
from gongkai.supervision.models import Confidence
from gongkai.supervision.recurrence import quarter_of
from gongkai.supervision.workflow import PlanStatus, Progress, Review

from . import http

MAX_PLAN_BYTES = 20 * 1024 * 1024
MAX_EVIDENCE_FILES = 10
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _download(content: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


def _files(request, field: str = "files") -> list[tuple[str, bytes]]:
    uploads = request.FILES.getlist(field)
    if len(uploads) > MAX_EVIDENCE_FILES:
        raise ApplicationError(
            _("一次最多上传 %(n)s 个文件。") % {"n": MAX_EVIDENCE_FILES}, code="too_many_files"
        )
    limit = settings.GONGKAI_WORKPLAN_MAX_EVIDENCE_BYTES
    for upload in uploads:
        if upload.size > limit:
            # Refuse before reading the file into memory.
            raise ApplicationError(
                _("文件“%(n)s”超过 %(mb)s MB。") % {"n": upload.name, "mb": limit // (1024 * 1024)},
                code="file_too_large",
            )
    return [(u.name, u.read()) for u in uploads]


# --- plans ----------------------------------------------------------------------------------


@login_required
def plans(request):
    on = timezone.localdate()
    supervises = permissions.org_ids_for(request.user, "supervise_plans")
    can_import = supervises is None or bool(supervises)
    return render(
        request,
        "workbench/plans.html",
        {
            "plans": list(
                selectors.plans_with_counts(user=request.user).order_by("-year", "-id")[:100]
            ),
            "can_import": can_import,
            "pending": list(selectors.pending_reviews(user=request.user)[:100])
            if can_import
            else [],
            "my_tasks": list(selectors.my_open_tasks(user=request.user)[:100]),
            "overdue": selectors.overdue_by_org(user=request.user, on=on) if can_import else [],
            "today": on,
        },
    )


@login_required
def plan_import(request):
    orgs = org_selectors.orgs_for_user(user=request.user, action="supervise_plans")
    if not orgs.exists():
        raise PermissionDeniedError()
    error = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise ApplicationError(_("请选择工作要点文件。"), code="file_required")
            if upload.size > MAX_PLAN_BYTES:
                raise ApplicationError(_("文件超过 20 MB。"), code="file_too_large")
            org = orgs.filter(code=request.POST.get("org", "")).first()
            if org is None:
                raise ApplicationError(_("请选择督办机构。"), code="org_required")
            year = http.integer(request.POST.get("year"), _("年度"))
            plan = services.plan_import(
                actor=request.user,
                org=org,
                year=year,
                file_name=upload.name,
                data=upload.read(),
                is_public=request.POST.get("is_public") == "on",
            )
        except ApplicationError as exc:
            error = exc.message
        else:
            messages.success(
                request,
                _("已识别 %(n)s 项任务，请逐项核对后确认交办。") % {"n": plan.tasks.count()},
            )
            return redirect("workbench:plan_review", pk=plan.pk)
    return render(
        request,
        "workbench/plan_import.html",
        {"orgs": orgs[:200], "error": error, "year": timezone.localdate().year},
        status=400 if error else 200,
    )


@login_required
def plan_review(request, pk):
    plan = selectors.plan_get_to_supervise(user=request.user, pk=pk)
    review = selectors.plan_review(plan=plan, confidence=request.GET.get("confidence", ""))
    return render(
        request,
        "workbench/plan_review.html",
        {
            "plan": plan,
            "review": review,
            "is_draft": plan.status == PlanStatus.DRAFT,
            # In the order the tasks are listed: the least trusted first.
            "levels": [("", _("全部")), *reversed(Confidence.choices)],
        },
    )


@login_required
@require_POST
def plan_internal_unit(request, pk):
    """Create an unresolved name as an internal unit of the plan's organisation."""
    plan = selectors.plan_get_to_supervise(user=request.user, pk=pk)
    name = request.POST.get("name", "")
    return http.act(
        request,
        lambda: services.plan_create_internal_unit(actor=request.user, plan=plan, name=name),
        _("已新建内设机构，任务中的该名称已对应到它。"),
        reverse("workbench:plan_review", args=[pk]),
    )


@login_required
@require_POST
def task_check(request, pk):
    """The reviewer confirms a task as read (or takes it back)."""
    task = selectors.task_get_to_supervise(user=request.user, pk=pk)
    checked = request.POST.get("checked", "1") != "0"
    url = reverse("workbench:plan_review", args=[task.plan_id])
    if request.POST.get("confidence", "") in Confidence.values:
        url += "?confidence=" + request.POST["confidence"]
    return http.act(
        request,
        lambda: services.task_check(actor=request.user, task=task, checked=checked),
        _("已标记为核对无误。") if checked else _("已取消核对标记。"),
        url + f"#task-{task.pk}",
    )


@login_required
@require_POST
def plan_map_unit(request, pk):
    plan = selectors.plan_get_to_supervise(user=request.user, pk=pk)
    choice = request.POST.get("choice", "")

    def call():
        if choice == "auto":
            org_ids = None
        elif choice == "ignore":
            org_ids = []
        else:
            org_ids = [
                http.integer(v, _("机构")) for v in request.POST.getlist("orgs") if v.strip()
            ]
            if not org_ids:
                raise ApplicationError(_("请选择对应的机构。"), code="org_required")
        return services.plan_map_unit(
            actor=request.user, plan=plan, name=request.POST.get("name", ""), org_ids=org_ids
        )

    return http.act(
        request, call, _("已保存单位对应。"), reverse("workbench:plan_review", args=[pk])
    )


@login_required
@require_POST
def plan_confirm(request, pk):
    plan = selectors.plan_get_to_supervise(user=request.user, pk=pk)
    return http.act(
        request,
        lambda: services.plan_confirm(actor=request.user, plan=plan),
        _("已确认，任务已交办到各单位。"),
        lambda result: reverse(
            "workbench:plan_detail" if result else "workbench:plan_review", args=[pk]
        ),
    )


@login_required
def task_edit(request, pk):
    task = selectors.task_get_to_supervise(user=request.user, pk=pk)
    error = None
    if request.method == "POST":
        try:
            deadline = request.POST.get("deadline", "").strip()
            services.task_update(
                actor=request.user,
                task=task,
                data={
                    "number": request.POST.get("number", ""),
                    "heading": request.POST.get("heading", ""),
                    "text": request.POST.get("text", ""),
                    "lead_names": request.POST.get("lead_names", ""),
                    "responsible_names": request.POST.get("responsible_names", ""),
                    "deadline_text": request.POST.get("deadline_text", ""),
                    "deadline": workdays.parse_date(deadline) if deadline else None,
                    "recurring": request.POST.get("recurring", ""),
                },
            )
        except ApplicationError as exc:
            error = exc.message
        else:
            messages.success(request, _("任务 %(n)s 已修改。") % {"n": task.number})
            return redirect(reverse("workbench:plan_review", args=[task.plan_id]) + f"#task-{pk}")
    return render(
        request,
        "workbench/task_edit.html",
        {"task": task, "error": error, "post": request.POST if error else None},
        status=400 if error else 200,
    )


def _quarter(request) -> tuple[int, int]:
    on = timezone.localdate()
    year = http.integer(request.GET.get("year") or str(on.year), _("年度"))
    quarter = http.integer(request.GET.get("quarter") or str(quarter_of(on)), _("季度"))
    return year, quarter


@login_required
def plan_detail(request, pk):
    plan = selectors.plan_get_for_user(user=request.user, pk=pk)
    on = timezone.localdate()
    supervises = selectors.can_supervise(request.user, plan)
    return render(
        request,
        "workbench/plan_detail.html",
        {
            "plan": plan,
            "rows": selectors.ledger(plan=plan, on=on),
            "summary": selectors.plan_summary(plan=plan, on=on),
            "supervises": supervises,
            "is_draft": plan.status == PlanStatus.DRAFT,
            "year": on.year,
            "quarter": quarter_of(on),
            "quarters": [
                (1, _("第一季度")),
                (2, _("第二季度")),
                (3, _("第三季度")),
                (4, _("第四季度")),
            ],
        },
    )


@login_required
def plan_ledger_xlsx(request, pk):
    plan = selectors.plan_get_for_user(user=request.user, pk=pk)
    rows = selectors.ledger(plan=plan)
    content = exports.ledger_xlsx(title=_("%(t)s 工作台账") % {"t": plan.title}, rows=rows)
    return _download(content, f"{plan.year}-{plan.pk}-ledger.xlsx", XLSX)


@login_required
def plan_bulletin(request, pk, fmt):
    plan = selectors.plan_get_to_supervise(user=request.user, pk=pk)
    if fmt not in ("docx", "xlsx"):
        raise NotFoundError()
    try:
        year, quarter = _quarter(request)
        data = selectors.bulletin(plan=plan, year=year, quarter=quarter)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("workbench:plan_detail", pk=pk)
    # The bulletin is an official document: in the official language, like the published one.
    with translation.override(settings.LANGUAGE_CODE):
        if fmt == "docx":
            return _download(exports.bulletin_docx(data), f"{data.title}.docx", DOCX)
        return _download(exports.bulletin_xlsx(data), f"{data.title}.xlsx", XLSX)


@login_required
@require_POST
def plan_bulletin_publish(request, pk):
    plan = selectors.plan_get_to_supervise(user=request.user, pk=pk)

    def call():
        year = http.integer(request.POST.get("year"), _("年度"))
        quarter = http.integer(request.POST.get("quarter"), _("季度"))
        return services.bulletin_publish(actor=request.user, plan=plan, year=year, quarter=quarter)

    return http.act(
        request,
        call,
        _("通报已作为政府信息发布（含个人信息的将先送保密审查）。"),
        reverse("workbench:plan_detail", args=[pk]),
    )


@login_required
def plan_lookback(request, pk):
    plan = selectors.plan_get_to_supervise(user=request.user, pk=pk)
    candidates = list(selectors.lookback_candidates(user=request.user, into=plan))
    if request.method == "POST":
        chosen = {v for v in request.POST.getlist("tasks") if v.isdigit()}
        tasks = [t for t in candidates if str(t.pk) in chosen]
        return http.act(
            request,
            lambda: services.tasks_carry_forward(actor=request.user, tasks=tasks, into=plan),
            _("已将所选任务结转到本年度。"),
            reverse("workbench:plan_lookback", args=[pk]),
        )
    return render(
        request,
        "workbench/plan_lookback.html",
        {"plan": plan, "candidates": candidates, "today": timezone.localdate()},
    )


# --- tasks and reports ----------------------------------------------------------------------


@login_required
def task_detail(request, pk):
    task = selectors.task_get_for_user(user=request.user, pk=pk)
    assignments = list(task.assignments.select_related("org"))
    choices = selectors.report_choices(user=request.user, task=task)
    on = timezone.localdate()
    return render(
        request,
        "workbench/task_detail.html",
        {
            "task": task,
            "assignments": assignments,
            "reports": selectors.task_reports(task=task),
            "report_orgs": choices.report_orgs,
            "lead_orgs": choices.lead_orgs,
            "supervises": selectors.can_supervise(request.user, task.plan),
            "progress_choices": Progress.choices,
            "pending": Review.PENDING,
            "deadline": selectors.deadline_label(task),
            "public_status": task.public_status(on),
            "overdue": task.is_overdue(on),
        },
    )


def _report_org(request, task):
    code = request.POST.get("org", "")
    for org in selectors.orgs_user_reports_for(user=request.user, task=task):
        if org.code == code:
            return org
    raise ApplicationError(_("请选择报送单位。"), code="org_required")


@login_required
@require_POST
def task_report(request, pk):
    task = selectors.task_get_for_user(user=request.user, pk=pk)

    def call():
        reported_on = request.POST.get("reported_on", "").strip()
        return services.progress_report(
            actor=request.user,
            task=task,
            org=_report_org(request, task),
            status=request.POST.get("status", ""),
            text=request.POST.get("text", ""),
            reported_on=workdays.parse_date(reported_on) if reported_on else None,
            files=_files(request),
        )

    return http.act(request, call, _("进展已报送。"), reverse("workbench:task_detail", args=[pk]))


@login_required
@require_POST
def task_consolidate(request, pk):
    task = selectors.task_get_for_user(user=request.user, pk=pk)

    def call():
        return services.progress_consolidate(
            actor=request.user,
            task=task,
            org=_report_org(request, task),
            status=request.POST.get("status", ""),
            text=request.POST.get("text", ""),
            files=_files(request),
        )

    return http.act(
        request,
        call,
        _("已汇总报送，等待督办机构审核。"),
        reverse("workbench:task_detail", args=[pk]),
    )


@login_required
@require_POST
def report_review(request, pk):
    report = selectors.report_get_for_user(user=request.user, pk=pk)
    task = report.task
    accept = request.POST.get("decision") == "accept"
    return http.act(
        request,
        lambda: services.report_review(
            actor=request.user,
            report=report,
            accept=accept,
            comment=request.POST.get("comment", ""),
        ),
        _("已审核通过。") if accept else _("已退回。"),
        reverse("workbench:task_detail", args=[task.pk]),
    )


@login_required
def evidence_download(request, pk):
    evidence = selectors.evidence_get_for_user(user=request.user, pk=pk)
    return FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
