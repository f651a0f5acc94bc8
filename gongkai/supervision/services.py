"""Every write of work-plan supervision: import, review, confirmation, reports, review of
reports, reminders, look-back and bulletins. Each checks the actor's role through
`orgs.permissions`, runs in one transaction and leaves an audit event (DESIGN §Conventions)."""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import re
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gongkai.core import audit, textextract, workdays
from gongkai.core.exceptions import ApplicationError, PermissionDeniedError
from gongkai.core.files import store as store_file
from gongkai.orgs import permissions
from gongkai.orgs.models import Membership, Org

from . import selectors
from .extract import NotAWorkPlan, compact, extract_plan, unit_confidence
from .models import Assignment, Evidence, ProgressReport, Task, TaskReminder, WorkPlan
from .recurrence import periods
from .resolve import Match, Resolver, in_scope, is_internal_unit_name, key
from .structure import plan_text
from .workflow import (
    OPEN,
    PLAN_WORKFLOW,
    TASK_WORKFLOW,
    PlanStatus,
    Progress,
    Review,
    Role,
    TaskStatus,
)

# Kinds of file a work plan can come as; images and spreadsheets carry no readable plan.
PLAN_KINDS = frozenset({"txt", "html", "docx", "pdf"})
MAX_UNIT_NAMES = 200
MAX_FIELD = {"number": 64, "heading": 255, "deadline_text": 64, "recurring": 64}


def today() -> dt.date:
    return timezone.localdate()


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _require(actor, action: str, org: Org) -> None:
    if not permissions.can(actor, action, org):
        raise PermissionDeniedError()


def _check_year(year: int) -> None:
    if not settings.GONGKAI_CALENDAR_MIN_YEAR <= year <= settings.GONGKAI_CALENDAR_MAX_YEAR:
        raise ApplicationError(
            _("年度应在 %(a)s 至 %(b)s 之间（您填写的是 %(y)s）。")
            % {
                "a": settings.GONGKAI_CALENDAR_MIN_YEAR,
                "b": settings.GONGKAI_CALENDAR_MAX_YEAR,
                "y": year,
            },
            code="invalid_year",
        )


# --- import ---------------------------------------------------------------------------------


def read_plan_text(data: bytes, file_name: str) -> str:
    """The text of a work-plan file (TXT, HTML, DOCX or PDF), or a clear refusal."""
    if not data or not data.strip():
        raise NotAWorkPlan(_("文件内容为空。"), code="empty_work_plan")
    found = textextract.identify(data, file_name)
    if found.kind not in PLAN_KINDS:
        raise ApplicationError(
            _(
                "“%(name)s”是 %(kind)s 文件，不是工作要点：请上传 TXT、DOCX、PDF 或 HTML 格式的文本。"
            )
            % {"name": file_name, "kind": found.kind.upper()},
            code="not_a_work_plan_file",
        )
    if not compact(found.text):
        raise NotAWorkPlan(_("文件中没有可读取的文字（扫描件请先转换为文字）。"), code="no_text")
    # Word and HTML tables as rows (merged cells once), not flattened; else the text.
    return plan_text(data, found.kind) or found.text


def _title(text: str, file_name: str) -> str:
    for line in text.splitlines()[:40]:
        line = compact(line)
        if re.search(r"(工作要点|实施方案|任务分工|工作方案|责任分工)", line) and len(line) <= 120:
            return line[:255]
    return PurePath(file_name).stem[:255] or _("工作要点")


def plan_import(
    *, actor, org: Org, year: int, file_name: str, data: bytes, is_public: bool = True
) -> WorkPlan:
    """Read a plan file into a draft plan whose tasks wait for a supervisor's review.

    The file is read and its tasks extracted before the transaction opens: nothing slow holds
    the write lock."""
    _require(actor, "supervise_plans", org)
    _check_year(year)
    sha256 = hashlib.sha256(data).hexdigest()
    _check_not_imported(org, sha256, file_name)
    text = read_plan_text(data, file_name)
    extracted = extract_plan(text, year=year, source=file_name)
    with transaction.atomic():
        _check_not_imported(org, sha256, file_name)  # again, under the write lock
        return _plan_store(
            actor=actor, org=org, year=year, file_name=file_name, sha256=sha256, text=text,
            extracted=extracted, is_public=is_public,
        )  # fmt: skip


def _check_not_imported(org: Org, sha256: str, file_name: str) -> None:
    if WorkPlan.objects.filter(org=org, sha256=sha256).exists():
        raise ApplicationError(
            _("该文件已导入过（内容相同）：%(name)s") % {"name": file_name}, code="duplicate"
        )


def _plan_store(*, actor, org, year, file_name, sha256, text, extracted, is_public) -> WorkPlan:
    plan = WorkPlan.objects.create(
        org=org,
        year=year,
        title=_title(text, file_name),
        issuer=(extracted.issuer or "")[:128],
        source_name=file_name[:255],
        source_text=text,
        sha256=sha256,
        is_public=is_public,
        created_by=_user(actor),
    )
    Task.objects.bulk_create(
        Task(
            plan=plan,
            number=t.number[:64],
            heading=t.heading[:255],
            text=t.text,
            source_text=t.source_text,
            lead_names=t.lead_units or [],
            responsible_names=t.responsible_units or [],
            deadline_text=(t.deadline_text or "")[:64],
            deadline=t.deadline,
            recurring=(t.recurring or "")[:64],
            sort_order=i,
            found_by=t.task_how,
            unit_found_by=t.unit_how,
            confidence=t.confidence,
        )
        for i, t in enumerate(extracted.tasks)
    )
    audit.record(
        actor=actor,
        verb="workplan.import",
        target=plan,
        org=org,
        data={"file": file_name, "sha256": sha256, "year": year, "tasks": len(extracted.tasks)},
    )
    return plan


def _draft_plan(plan: WorkPlan) -> None:
    if plan.status != PlanStatus.DRAFT:
        raise ApplicationError(_("工作要点已确认交办，任务内容不能再修改。"), code="plan_not_draft")


def split_names(value) -> list[str]:
    """Unit names from a form field: separated by 、，,；; or new lines, brackets respected."""
    if isinstance(value, list):
        names = value
    else:
        names = re.split(r"[、，,；;\n]+(?![^（(〔]*[）)〕])", value or "")
    names = [" ".join(str(n).split()) for n in names]
    names = [n for n in names if n]
    if len(names) > MAX_UNIT_NAMES or any(len(n) > 128 for n in names):
        raise ApplicationError(_("单位名称过多或过长。"), code="too_many_units")
    return names


@transaction.atomic
def task_update(*, actor, task: Task, data: dict) -> Task:
    """Correct a task of a plan under review; any field the extractor read can be changed."""
    plan = WorkPlan.objects.select_for_update().select_related("org").get(pk=task.plan_id)
    _require(actor, "supervise_plans", plan.org)
    _draft_plan(plan)
    changes = {}
    for name in ("number", "heading", "text", "deadline_text", "recurring"):
        if name not in data:
            continue
        value = " ".join(str(data[name] or "").split()) if name != "text" else str(data[name] or "")
        value = value.strip()
        if name in MAX_FIELD and len(value) > MAX_FIELD[name]:
            raise ApplicationError(
                _("“%(f)s”不能超过 %(n)s 个字。")
                % {"f": Task._meta.get_field(name).verbose_name, "n": MAX_FIELD[name]},
                code="too_long",
            )
        if name in ("number", "text") and not value:
            raise ApplicationError(
                _("请填写“%(f)s”。") % {"f": Task._meta.get_field(name).verbose_name},
                code="required",
            )
        if getattr(task, name) != value:
            changes[name] = [getattr(task, name), value]
            setattr(task, name, value)
    for name in ("lead_names", "responsible_names"):
        if name in data:
            value = split_names(data[name])
            if getattr(task, name) != value:
                changes[name] = [getattr(task, name), value]
                setattr(task, name, value)
    if "lead_names" in changes or "responsible_names" in changes:
        # Names the reviewer typed are the reviewer's, not the extractor's.
        names = [*task.lead_names, *task.responsible_names]
        task.unit_found_by = {n: task.unit_found_by.get(n, "manual") for n in names}
    if "deadline" in data:
        value = data["deadline"]
        if value and not plan.year - 1 <= value.year <= plan.year + 1:
            raise ApplicationError(
                _("完成时限应在 %(y)s 年度前后（您填写的是 %(d)s）。")
                % {"y": plan.year, "d": value},
                code="deadline_out_of_year",
            )
        if task.deadline != value:
            changes["deadline"] = [str(task.deadline or ""), str(value or "")]
            task.deadline = value
    if changes:
        task.checked = True  # corrected by the reviewer: checked
        task.save()
        audit.record(
            actor=actor, verb="workplan.task_update", target=task, org=plan.org, data=changes
        )
    return task


@transaction.atomic
def task_check(*, actor, task: Task, checked: bool = True) -> Task:
    """The reviewer confirms a task as read (or takes the confirmation back)."""
    plan = WorkPlan.objects.select_for_update().select_related("org").get(pk=task.plan_id)
    _require(actor, "supervise_plans", plan.org)
    _draft_plan(plan)
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.checked != checked:
        task.checked = checked
        task.save(update_fields=["checked", "updated_at"])
        audit.record(
            actor=actor,
            verb="workplan.task_check",
            target=task,
            org=plan.org,
            data={"checked": checked, "confidence": task.confidence, "found_by": task.found_by},
        )
    return task


def _internal_unit_code(name: str) -> str:
    """An organisation code for an internal unit, which has none of its own: "NB" and six
    hex digits of its name, then the GB 11714 check character; unique among organisations."""
    from gongkai.orgs.validators import org_code_check_char

    digest = hashlib.sha256(name.encode()).hexdigest().upper()
    for i in range(0, len(digest) - 6):
        body = "NB" + digest[i : i + 6]
        code = body + org_code_check_char(body)
        if not Org.objects.filter(code=code).exists():
            return code
    raise ApplicationError(_("无法为该内设机构生成机构代码。"), code="no_code")


@transaction.atomic
def plan_create_internal_unit(*, actor, plan: WorkPlan, name: str) -> Org:
    """Create an unresolved unit name of the plan as an internal unit (内设机构) of the plan's
    organisation, with the reviewer's consent: "政务公开股" → "<organisation>政务公开股".

    Supervising the plan's organisation is enough: an internal unit gives nobody new rights
    (the organisation's staff act for it already). The organisation is created by the orgs
    service (its `org.create` event) and this service records who asked for it and why."""
    from gongkai.orgs import services as org_services

    _require(actor, "supervise_plans", plan.org)
    plan = WorkPlan.objects.select_for_update().select_related("org").get(pk=plan.pk)
    _draft_plan(plan)
    name = " ".join((name or "").split())
    resolver = Resolver(plan.org, plan.unit_map)
    match = resolver.resolve(name)
    if not name or match.resolved or not is_internal_unit_name(name):
        raise ApplicationError(
            _("“%(n)s”不是尚未对应的内设机构名称。") % {"n": name}, code="not_internal_unit"
        )
    full = f"{plan.org.name}{key(name)}"[:128]
    if Org.objects.filter(name=full).exists():
        raise ApplicationError(
            _("机构“%(n)s”已存在（可能已停用），请在单位对应中选择。") % {"n": full},
            code="org_exists",
        )
    order = plan.org.children.count()
    unit = org_services.org_create(
        actor=None,  # permission checked above (supervise_plans); the actor is recorded below
        name=full,
        kind=Org.Kind.INTERNAL_UNIT,
        parent=plan.org,
        code=_internal_unit_code(full),
        sort_order=order,
    )
    audit.record(
        actor=actor,
        verb="workplan.internal_unit_create",
        target=unit,
        org=plan.org,
        data={"plan": plan.pk, "name": name, "org": unit.name},
    )
    return unit


@transaction.atomic
def plan_map_unit(*, actor, plan: WorkPlan, name: str, org_ids: list[int] | None) -> WorkPlan:
    """Settle what a unit name of the plan means: these organisations, none (keep it as text),
    or (None) back to automatic resolution. Applies to every task that names it."""
    _require(actor, "supervise_plans", plan.org)
    plan = WorkPlan.objects.select_for_update().select_related("org").get(pk=plan.pk)
    _draft_plan(plan)
    name = " ".join((name or "").split())
    if not name:
        raise ApplicationError(_("请填写单位名称。"), code="name_required")
    resolver = Resolver(plan.org)
    unknown = [i for i in org_ids or [] if i not in resolver.by_id]
    if unknown:
        raise ApplicationError(_("所选机构不在本地区内。"), code="org_out_of_region")
    mapping = {k: v for k, v in plan.unit_map.items() if key(k) != key(name)}
    if org_ids is not None:
        mapping[name] = sorted(set(org_ids))
    plan.unit_map = mapping
    plan.save(update_fields=["unit_map", "updated_at"])
    audit.record(
        actor=actor,
        verb="workplan.unit_map",
        target=plan,
        org=plan.org,
        data={"name": name, "orgs": [resolver.by_id[i].name for i in org_ids or []]}
        | ({"automatic": True} if org_ids is None else {}),
    )
    return plan


def unresolved_names(plan: WorkPlan, tasks, resolver: Resolver) -> list[Match]:
    seen: dict[str, Match] = {}
    for task in tasks:
        for name in [*task.lead_names, *task.responsible_names]:
            match = resolver.resolve(name)
            if not match.resolved:
                seen.setdefault(key(name), match)
    return list(seen.values())


def _check_scope(plan: WorkPlan, orgs) -> None:
    """No task of a plan goes to an organisation outside the supervising one's subtree
    (the resolver keeps to it; this is the last check before anything is assigned)."""
    outside = sorted({o.name for o in orgs if not in_scope(plan.org, o)})
    if outside:
        raise ApplicationError(
            _("以下单位不在%(org)s的督办范围内，不能交办：%(names)s")
            % {"org": plan.org.name, "names": "、".join(outside[:20])},
            code="org_out_of_region",
        )


def _assign(task: Task, resolver: Resolver, plan: WorkPlan) -> list[Assignment]:
    rows: dict[int, Assignment] = {}
    for role, names in ((Role.LEAD, task.lead_names), (Role.RESPONSIBLE, task.responsible_names)):
        for name in names:
            match = resolver.resolve(name)
            for org in match.orgs:
                # A unit named as lead and again as responsible (or through a group) leads.
                if org.pk not in rows:
                    how = task.unit_found_by.get(name, "")
                    rows[org.pk] = Assignment(
                        task=task,
                        org=org,
                        role=role,
                        name=name[:128],
                        method=match.method,
                        score=match.score,
                        found_by=how[:16],
                        confidence=unit_confidence(how, match.method, match.score),
                    )
    if not rows:
        # A plan without units is carried out by the office that supervises it.
        rows[plan.org_id] = Assignment(
            task=task,
            org=plan.org,
            role=Role.LEAD,
            method="plan",
            confidence=unit_confidence("", "plan", 100),
        )
    return list(rows.values())


@transaction.atomic
def plan_confirm(*, actor, plan: WorkPlan) -> WorkPlan:
    """Confirm a reviewed plan: assign every task, generate recurring instances, start it.

    Refused while any unit name is unresolved: the reviewer maps it to organisations or keeps
    it as text, but nothing is assigned by guess."""
    caller = plan
    with PLAN_WORKFLOW.transition(plan, "confirm", actor=actor) as move:
        plan = move.obj
        tasks = list(plan.tasks.filter(series__isnull=True, status=TaskStatus.PENDING))
        if not tasks:
            raise ApplicationError(_("工作要点中没有任务。"), code="no_tasks")
        resolver = Resolver(plan.org, plan.unit_map)
        pending = unresolved_names(plan, tasks, resolver)
        if pending:
            raise ApplicationError(
                _("以下单位名称尚未对应到机构，请先在审核页面处理：%(names)s")
                % {"names": "、".join(m.name for m in pending[:20])},
                code="unresolved_units",
            )
        TASK_WORKFLOW.transition_many(tasks, "confirm", actor=actor, org=plan.org)
        assignments: list[Assignment] = []
        instances = 0
        series = []
        for task in tasks:
            slots = periods(task.recurring, plan.year) if task.recurring else []
            if not slots:
                assignments += _assign(task, resolver, plan)
                continue
            series.append(task.pk)
            for i, (label, deadline) in enumerate(slots, start=1):
                instance = Task.objects.create(
                    plan=plan,
                    number=f"{task.number}#{i}"[:64],
                    heading=task.heading,
                    text=task.text,
                    source_text=task.source_text,
                    lead_names=task.lead_names,
                    responsible_names=task.responsible_names,
                    deadline_text=task.recurring,
                    deadline=deadline,
                    recurring=task.recurring,
                    found_by=task.found_by,
                    unit_found_by=task.unit_found_by,
                    confidence=task.confidence,
                    checked=task.checked,
                    series=task,
                    period=label,
                    status=TaskStatus.ASSIGNED,
                    sort_order=task.sort_order,
                )
                assignments += _assign(instance, resolver, plan)
                instances += 1
        # A recurring task is the parent of its instances; they, not it, are reported on.
        Task.objects.filter(pk__in=series).update(is_series=True)
        _check_scope(plan, [a.org for a in assignments])
        Assignment.objects.bulk_create(assignments)
        plan.confirmed_by = _user(actor)
        plan.confirmed_at = timezone.now()
        move.update_fields = ["confirmed_by", "confirmed_at"]
        move.data.update(
            tasks=len(tasks),
            instances=instances,
            assignments=len(assignments),
            fuzzy=sorted({a.name for a in assignments if a.method == "fuzzy"}),
        )
    caller.refresh_from_db()
    return caller


def plan_close(*, actor, plan: WorkPlan) -> WorkPlan:
    PLAN_WORKFLOW.run(plan, "close", actor=actor)
    plan.refresh_from_db()
    return plan


# --- progress -------------------------------------------------------------------------------


def _assignment(task: Task, org: Org) -> Assignment:
    found = task.assignments.filter(org=org).first()
    if found is None:
        raise ApplicationError(
            _("%(org)s不是该任务的牵头或责任单位。") % {"org": org.name}, code="not_assigned"
        )
    return found


def _progress(value: str) -> str:
    if value not in Progress.values:
        raise ApplicationError(_("请选择进展状态。"), code="invalid_progress")
    return value


def _report_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ApplicationError(_("请填写进展情况。"), code="text_required")
    if len(text) > 5000:
        raise ApplicationError(_("进展情况不能超过 5000 字。"), code="too_long")
    return text


def _reported_on(day: dt.date | None, task: Task) -> dt.date:
    on = today()
    if day is None:
        return on
    earliest = dt.date(task.plan.year - 1, 1, 1)
    if not earliest <= day <= on:
        raise ApplicationError(
            _("报送日期应在 %(a)s 至今天（%(b)s）之间。") % {"a": earliest, "b": on},
            code="invalid_report_date",
        )
    return day


def _identify_evidence(files) -> list[tuple[str, bytes, textextract.Identified]]:
    """Check and identify evidence files before the transaction opens (nothing slow holds
    the write lock; a refused file leaves no report behind)."""
    limit = settings.GONGKAI_WORKPLAN_MAX_EVIDENCE_BYTES
    found = []
    for name, data in files:
        name = PurePath(name or "file").name[:255]
        if not data:
            raise ApplicationError(_("文件“%(n)s”是空的。") % {"n": name}, code="empty_file")
        if len(data) > limit:
            raise ApplicationError(
                _("文件“%(n)s”超过 %(mb)s MB。") % {"n": name, "mb": limit // (1024 * 1024)},
                code="file_too_large",
            )
        found.append((name, data, textextract.identify(data, name)))
    return found


def _evidence(report: ProgressReport, files) -> list[Evidence]:
    return [
        store_file(Evidence(report=report), name, data, identified=identified)
        for name, data, identified in files
    ]


def progress_report(
    *,
    actor,
    task: Task,
    org: Org,
    status: str,
    text: str,
    reported_on: dt.date | None = None,
    files: list[tuple[str, bytes]] = (),
) -> ProgressReport:
    """An assigned organisation reports its progress (for the lead unit to consolidate)."""
    _require(actor, "report_progress", org)
    files = _identify_evidence(files)
    with transaction.atomic():
        return _progress_report(
            actor=actor, task=task, org=org, status=status, text=text,
            reported_on=reported_on, files=files,
        )  # fmt: skip


def _progress_report(*, actor, task, org, status, text, reported_on, files) -> ProgressReport:
    task = Task.objects.select_for_update().select_related("plan").get(pk=task.pk)
    if task.status not in OPEN:
        raise ApplicationError(
            _("任务当前状态为“%(s)s”，不能报送进展。") % {"s": task.get_status_display()},
            code="task_closed",
        )
    _assignment(task, org)
    report = ProgressReport.objects.create(
        task=task,
        org=org,
        author=_user(actor),
        status=_progress(status),
        text=_report_text(text),
        reported_on=_reported_on(reported_on, task),
    )
    stored = _evidence(report, files)
    audit.record(
        actor=actor,
        verb="workplan.progress_report",
        target=task,
        org=org,
        data={"status": report.status, "evidence": [e.sha256 for e in stored]},
    )
    return report


def progress_consolidate(
    *,
    actor,
    task: Task,
    org: Org,
    status: str,
    text: str,
    files: list[tuple[str, bytes]] = (),
) -> ProgressReport:
    """The lead unit submits one report for the task, drawing on the units' reports."""
    _require(actor, "report_progress", org)
    files = _identify_evidence(files)
    with transaction.atomic():
        return _progress_consolidate(
            actor=actor, task=task, org=org, status=status, text=text, files=files
        )


def _progress_consolidate(*, actor, task, org, status, text, files) -> ProgressReport:
    task = Task.objects.select_for_update().get(pk=task.pk)
    if org not in selectors.consolidating_orgs(task):
        raise ApplicationError(
            _("只有牵头单位可以汇总报送（%(org)s不是该任务的牵头单位）。") % {"org": org.name},
            code="not_lead",
        )
    move = TASK_WORKFLOW.begin(
        task, "consolidate", actor=actor, org=org, locked=True, verb="workplan.progress_consolidate"
    )
    report = ProgressReport.objects.create(
        task=task,
        org=org,
        author=_user(actor),
        status=_progress(status),
        text=_report_text(text),
        reported_on=today(),
        consolidated=True,
        review=Review.PENDING,
    )
    stored = _evidence(report, files)
    move.update_fields = []
    move.data.update(status=report.status, report=report.pk, evidence=len(stored))
    TASK_WORKFLOW.finish(move)
    return report


@transaction.atomic
def report_review(*, actor, report: ProgressReport, accept: bool, comment: str = "") -> Task:
    """The supervising office accepts a consolidated report or returns it with a comment."""
    task = TASK_WORKFLOW.lock(Task(pk=report.task_id))
    _require(actor, "supervise_plans", task.plan.org)
    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    if not report.consolidated or report.review != Review.PENDING:
        raise ApplicationError(_("该报告不在待审核状态。"), code="not_pending")
    comment = (comment or "").strip()
    if report.author_id is not None and report.author_id == getattr(actor, "pk", None):
        raise ApplicationError(_("不能审核自己报送的报告。"), code="own_report")
    if not accept and not comment:
        raise ApplicationError(_("退回时请填写审核意见。"), code="comment_required")
    if len(comment) > 2000:
        raise ApplicationError(_("审核意见不能超过 2000 字。"), code="too_long")
    if accept:
        name = "accept_done" if report.status == Progress.DONE else "accept_progress"
    else:
        name = "return"
    move = TASK_WORKFLOW.begin(
        task,
        name,
        actor=actor,
        locked=True,
        verb="workplan.report_accept" if accept else "workplan.report_return",
        data={"report": report.pk, "comment": comment},
    )
    if accept:
        task.progress = report.status
        task.progress_text = report.text
    report.review = Review.ACCEPTED if accept else Review.RETURNED
    report.review_comment = comment
    report.reviewed_by = _user(actor)
    report.reviewed_at = timezone.now()
    report.save(update_fields=["review", "review_comment", "reviewed_by", "reviewed_at"])
    move.update_fields = ["progress", "progress_text"]
    move.data["status"] = move.transition.target
    return TASK_WORKFLOW.finish(move)


# --- reminders ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReminderRun:
    checked: int
    reminders: int
    overdue: int
    notices: tuple[tuple[str, str, str], ...]  # (plan/task number, kind, organisation) new


def _emails(org_id: int, cache: dict[int, list[str]]) -> list[str]:
    """Addresses of the organisation's staff, looked up once per organisation and run."""
    if org_id not in cache:
        cache[org_id] = list(
            Membership.objects.filter(org_id=org_id)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
            .distinct()
        )
    return cache[org_id]


def check_reminders(*, on: dt.date | None = None) -> ReminderRun:
    """Remind each assigned organisation N working days before a task's deadline (a setting,
    5), and record overdue tasks. Idempotent: one `TaskReminder` per (task, organisation,
    kind, deadline), so running it hourly sends each once, and a new deadline reminds again."""
    from django.core.mail import send_mail

    on = on or today()
    lead = settings.GONGKAI_WORKPLAN_REMINDER_DAYS
    tasks = (
        Task.objects.filter(status__in=OPEN, is_series=False, deadline__isnull=False)
        .select_related("plan")
        .prefetch_related("assignments__org")
        .order_by("id")
    )
    calendars: dict[int, workdays.Calendar] = {}
    emails_by_org: dict[int, list[str]] = {}
    notices: list[tuple[str, str, str]] = []
    checked = overdue = 0
    for task in tasks.iterator(chunk_size=500):
        checked += 1
        if on > task.deadline:
            kind = "overdue"
            overdue += 1
        else:
            cal = calendars.setdefault(task.plan.org_id, workdays.calendar(region=task.plan.org))
            if cal.working_days_between(on, task.deadline).days > lead:
                continue
            kind = "due_soon"
        for assignment in task.assignments.all():
            with transaction.atomic():
                _, created = TaskReminder.objects.get_or_create(
                    task=task, org=assignment.org, kind=kind, deadline=task.deadline
                )
                if not created:
                    continue
                audit.record(
                    actor=None,
                    verb=f"workplan.reminder_{kind}",
                    target=task,
                    org=assignment.org,
                    data={"deadline": task.deadline, "plan": task.plan_id},
                )
                emails = _emails(assignment.org_id, emails_by_org)
                if emails:
                    subject = _("工作要点任务 %(n)s 的完成时限：%(d)s") % {
                        "n": task.number,
                        "d": task.deadline,
                    }
                    transaction.on_commit(
                        lambda s=subject, e=emails: send_mail(s, s, None, e, fail_silently=True)
                    )
            notices.append((f"{task.plan_id}:{task.number}", kind, assignment.org.name))
    return ReminderRun(
        checked, sum(1 for n in notices if n[1] != "overdue"), overdue, tuple(notices)
    )


# --- look-back ------------------------------------------------------------------------------


@transaction.atomic
def tasks_carry_forward(*, actor, tasks: list[Task], into: WorkPlan) -> list[Task]:
    """回头看: carry unfinished tasks of last year's plan into this year's, with their history.

    The old task is closed as carried; the new one points back to it, keeps its units (and,
    in a confirmed plan, its assignments) and has no deadline until the reviewer gives one."""
    _require(actor, "supervise_plans", into.org)
    if into.status == PlanStatus.CLOSED:
        raise ApplicationError(_("目标工作要点已结束。"), code="plan_closed")
    if not tasks:
        raise ApplicationError(_("请选择要结转的任务。"), code="nothing_selected")
    start = into.tasks.order_by("-sort_order").values_list("sort_order", flat=True).first() or 0
    carried = []
    for i, old in enumerate(tasks, start=1):
        old = TASK_WORKFLOW.lock(old)
        _require(actor, "supervise_plans", old.plan.org)
        if old.plan.year >= into.year:
            raise ApplicationError(
                _("只能结转到以后年度的工作要点（%(y)s 年任务不能结转到 %(z)s 年）。")
                % {"y": old.plan.year, "z": into.year},
                code="carry_backwards",
            )
        move = TASK_WORKFLOW.begin(
            old, "carry", actor=actor, locked=True, verb="workplan.task_carry"
        )
        new = Task.objects.create(
            plan=into,
            number=f"{old.plan.year}/{old.number}"[:64],
            heading="上年度结转任务",  # stored with the plan's Chinese text, not translated
            text=old.text,
            source_text=old.source_text,
            lead_names=old.lead_names,
            responsible_names=old.responsible_names,
            recurring="",
            carried_from=old,
            progress=old.progress,
            progress_text=old.progress_text,
            status=TaskStatus.ASSIGNED if into.status == PlanStatus.ACTIVE else TaskStatus.PENDING,
            sort_order=start + i,
        )
        if into.status == PlanStatus.ACTIVE:
            _check_scope(into, [a.org for a in old.assignments.select_related("org")])
            Assignment.objects.bulk_create(
                Assignment(
                    task=new,
                    org=a.org,
                    role=a.role,
                    name=a.name,
                    method=a.method,
                    score=a.score,
                    found_by=a.found_by,
                    confidence=a.confidence,
                )
                for a in old.assignments.all()
            )
        move.update_fields = []
        move.data.update(to_task=new.pk, from_plan=old.plan_id, into_plan=into.pk)
        TASK_WORKFLOW.finish(move)
        carried.append(new)
    return carried


# --- bulletins ------------------------------------------------------------------------------


@transaction.atomic
def bulletin_publish(*, actor, plan: WorkPlan, year: int, quarter: int):
    """Publish the quarter's bulletin (季度通报) as a document of the supervising organisation.

    It goes through the same import service as any document: the personal-information scan
    runs, and a bulletin with findings waits for a reviewer instead of being published."""
    from gongkai.documents import services as document_services
    from gongkai.documents.models import Document
    from gongkai.documents.workflow import Status

    from . import exports, selectors

    _require(actor, "supervise_plans", plan.org)
    # A published bulletin is an official document: in the official language, whatever the
    # language of the page it was published from.
    with translation.override(settings.LANGUAGE_CODE):
        data = selectors.bulletin(plan=plan, year=year, quarter=quarter)
        title = data.title
        content = exports.bulletin_docx(data)
        lines = data.lines()
        summary = data.summary
    if Document.objects.filter(org=plan.org, title=title).exclude(status=Status.WITHDRAWN).exists():
        raise ApplicationError(_("“%(t)s”已经发布过。") % {"t": title}, code="bulletin_exists")
    file_name = f"{title}.docx"
    found = textextract.identify(content, file_name)
    body = "".join(f"<p>{html.escape(line)}</p>" for line in lines)
    document = document_services.document_import(
        actor=actor,
        org=plan.org,
        data={
            "title": title,
            "date_signed": today(),
            "doc_type": Document.DocType.BULLETIN,
            "attribute": Document.Attribute.PROACTIVE,
            "summary": summary,
            "body": body,
        },
        file_name=file_name,
        file_data=content,
        identified=found,
        sha256=hashlib.sha256(content).hexdigest(),
        publish=True,
        required_actions=("supervise_plans",),
    )
    audit.record(
        actor=actor,
        verb="workplan.bulletin_publish",
        target=plan,
        org=plan.org,
        data={"year": year, "quarter": quarter, "document": document.pk},
    )
    return document
