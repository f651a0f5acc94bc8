"""Workbench pages of consultations: the list (feedback overdue flagged), a new consultation,
one consultation with its comments, grouping, decisions and feedback, and the yearly list of
decisions open to public participation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.core import crypto
from gongkai.core.exceptions import ApplicationError
from gongkai.documents.models import Document
from gongkai.orgs.selectors import orgs_for_user
from gongkai.participation.models import (
    CommentAttachment,
    CommentGroup,
    Decision,
    DecisionItem,
    Method,
)
from gongkai.participation.selectors import consultations as selectors
from gongkai.participation.services import consultations as services
from gongkai.participation.workflow import CONSULTATION, ConsultationStatus

from . import http


@login_required
def consultations(request):
    http.require_somewhere(request.user, "manage_consultation")
    today = services.today()
    rows = list(selectors.staff_list(request.user, today=today)[:200])
    overdue = [c for c in rows if c.status == ConsultationStatus.CLOSED and c.feedback_due_on
               and c.feedback_due_on < today]  # fmt: skip
    return render(
        request,
        "workbench/consultations.html",
        {"rows": rows, "overdue": overdue, "today": today},
    )


def _input(p, org) -> services.ConsultationInput:
    item_id = http.integer(p.get("decision_item"), required=False)
    item = None
    if item_id:
        item = DecisionItem.objects.select_related("org").filter(pk=item_id).first()
        if not item:
            raise ApplicationError(_("公众参与事项不存在。"), code="invalid_item")
    draft = None
    number = (p.get("draft_index") or "").strip()
    if number:
        draft = Document.objects.filter(index_number=number[:64], org=org).first()
        if draft is None:
            raise ApplicationError(
                _("本机关没有索引号为“%(n)s”的文件。") % {"n": number[:64]}, code="no_document"
            )
    return services.ConsultationInput(
        title=p.get("title", ""),
        opens_on=http.required_date(p.get("opens_on"), _("开始日期")),
        closes_on=http.required_date(p.get("closes_on"), _("截止日期")),
        draft_text=p.get("draft_text", ""),
        explanation=p.get("explanation", ""),
        basis=p.get("basis", ""),
        methods=p.getlist("methods"),
        short_period_reason=p.get("short_period_reason", ""),
        contact=p.get("contact", ""),
        decision_item=item,
        draft=draft,
    )


@login_required
def consultation_new(request):
    http.require_somewhere(request.user, "manage_consultation")
    orgs = orgs_for_user(user=request.user, action="manage_consultation")
    status, error = 200, None
    if request.method == "POST":
        p = request.POST
        org = orgs.filter(code=(p.get("org") or "")[:32]).first()
        try:
            if org is None:
                raise ApplicationError(_("请选择征集机关。"), code="org_required")
            created = services.consultation_create(actor=request.user, org=org, data=_input(p, org))
        except ApplicationError as exc:
            status, error = exc.status_code, exc.message
        else:
            messages.success(request, _("已保存意见征集草稿。"))
            return redirect("workbench:consultation_detail", pk=created.pk)
    return render(
        request,
        "workbench/consultation_form.html",
        {
            "orgs": orgs,
            "methods": Method.choices,
            "error": error,
            "p": request.POST if request.method == "POST" else None,
            "items": selectors.staff_items(request.user).filter(consultations__isnull=True)[:100],
        },
        status=status,
    )


@login_required
def consultation_detail(request, pk: int):
    c = selectors.staff_get(request.user, pk)
    comments = list(
        c.comments.select_related("group").prefetch_related("attachments").order_by("id")[:1000]
    )
    for m in comments:  # staff follow up with the commenter; never shown publicly
        m.contact = crypto.decrypt(m.contact_encrypted)
    groups = list(c.groups.all())
    decidable = c.status in (ConsultationStatus.OPEN, ConsultationStatus.CLOSED)
    suggestions = []
    if decidable:
        by_id = {m.pk: m for m in comments}
        suggestions = [
            [by_id[i] for i in cluster if i in by_id] for cluster in services.suggest_groups(c)
        ]
    return render(
        request,
        "workbench/consultation_detail.html",
        {
            "c": c,
            "actions": [t.name for t in CONSULTATION.allowed_actions(c, request.user)],
            "comments": comments,
            "groups": groups,
            "suggestions": suggestions,
            "decidable": decidable,
            "decisions": [d for d in Decision.choices if d[0] != Decision.PENDING],
            "offline_methods": [m for m in Method.choices if m[0] != Method.ONLINE],
            "activities": c.activities.all(),
            "pending": sum(1 for m in comments if m.decision == Decision.PENDING),
            "feedback": selectors.feedback(c) if comments else None,
            "methods": Method.choices,
            "today": services.today(),
        },
    )


@login_required
@require_POST
def consultation_action(request, pk: int):
    c = selectors.staff_get(request.user, pk)
    p, user = request.POST, request.user
    action = p.get("action", "")
    to = reverse("workbench:consultation_detail", args=[c.pk])

    def group():
        found = CommentGroup.objects.filter(
            pk=http.integer(p.get("group"), required=False, default=0), consultation=c
        ).first()
        if found is None:
            raise ApplicationError(_("意见分组不存在。"), code="no_group")
        return found

    def ids():
        return [http.integer(v) for v in p.getlist("comments")]

    def decision_document():
        number = (p.get("index_number") or "").strip()[:64]
        if not number:
            return None
        doc = Document.objects.filter(index_number=number, org=c.org, status="published").first()
        if doc is None:
            raise ApplicationError(
                _("本机关没有已发布的索引号为“%(n)s”的文件。") % {"n": number}, code="no_document"
            )
        return doc

    calls = {
        "open": lambda: services.consultation_open(actor=user, consultation=c),
        "close": lambda: services.consultation_close(
            actor=user, consultation=c, reason=p.get("reason", "")
        ),
        "withdraw": lambda: services.consultation_withdraw(
            actor=user, consultation=c, reason=p.get("reason", "")
        ),
        "update": lambda: services.consultation_update(
            actor=user, consultation=c, data=_input(p, c.org)
        ),
        "activity": lambda: services.activity_record(
            actor=user,
            consultation=c,
            method=p.get("method", ""),
            held_on=http.required_date(p.get("held_on"), _("日期")),
            participants=http.integer(p.get("participants"), required=False, default=0),
            participants_text=p.get("participants_text", ""),
            summary=p.get("summary", ""),
        ),
        "group": lambda: services.comment_group(
            actor=user, consultation=c, comment_ids=ids(), title=p.get("title", "")
        ),
        "decide": lambda: services.comment_decide(
            actor=user,
            consultation=c,
            decision=p.get("decision", ""),
            reason=p.get("reason", ""),
            comment_ids=ids(),
        ),
        "decide_group": lambda: services.comment_decide(
            actor=user,
            consultation=c,
            decision=p.get("decision", ""),
            reason=p.get("reason", ""),
            group=group(),
        ),
        "publish_feedback": lambda: services.consultation_publish_feedback(
            actor=user, consultation=c, feedback=p.get("feedback", "")
        ),
        "link": lambda: services.consultation_link_decision(
            actor=user, consultation=c, document=decision_document()
        ),
    }
    if action not in calls:
        return http.act(request, _unknown, "", to)
    labels = {
        "update": _("已保存修改。"),
        "activity": _("已登记线下征求。"),
        "group": _("已归类意见。"),
        "decide": _("已处理所选意见。"),
        "decide_group": _("已处理该组意见。"),
        "link": _("已关联决策文件。"),
    }
    label = labels.get(action) or _("已完成：%(a)s") % {"a": CONSULTATION[action].label}
    return http.act(request, calls[action], label, to)


@login_required
def comment_attachment(request, pk: int, attachment_pk: int):
    """A file a commenter sent, for the staff of the consultation's organisation only."""
    c = selectors.staff_get(request.user, pk)
    found = CommentAttachment.objects.filter(pk=attachment_pk, comment__consultation=c).first()
    if found is None:
        raise Http404
    return FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=found.original_name or f"attachment-{found.pk}",
        content_type=found.content_type or "application/octet-stream",
    )


def _unknown():
    raise ApplicationError(_("未知操作。"), code="unknown_action")


@login_required
def decision_items(request):
    http.require_somewhere(request.user, "manage_consultation")
    orgs = orgs_for_user(user=request.user, action="manage_consultation")
    year = http.year(request.GET.get("year")) or services.today().year
    to = reverse("workbench:decision_items") + f"?year={year}"
    if request.method == "POST":
        p = request.POST
        org = orgs.filter(code=(p.get("org") or "")[:32]).first()
        if p.get("action") == "publish":
            return http.act(
                request,
                lambda: services.decision_list_publish(
                    actor=request.user, org=_org(org), year=year
                ),
                _("已公布本年度公众参与事项目录。"),
                to,
            )
        return http.act(
            request,
            lambda: services.decision_item_save(
                actor=request.user,
                org=_org(org),
                year=year,
                title=p.get("title", ""),
                scope=p.get("scope", ""),
                methods=p.getlist("methods"),
                channel=p.get("channel", ""),
                planned_time=p.get("planned_time", ""),
                lead_unit=p.get("lead_unit", ""),
            ),
            _("已添加公众参与事项。"),
            to,
        )
    return render(
        request,
        "workbench/decision_items.html",
        {
            "items": selectors.staff_items(request.user, year=year).prefetch_related(
                "consultations"
            )[:500],
            "year": year,
            "orgs": orgs,
            "methods": Method.choices,
        },
    )


def _org(org):
    if org is None:
        raise ApplicationError(_("请选择决策机关。"), code="org_required")
    return org
