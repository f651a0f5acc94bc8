"""Workbench pages of questions and answers (互动交流): queues, the question page and its
steps, publication, and the hotline API tokens. Every change is a service call."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.core.exceptions import ApplicationError, NotFoundError
from gongkai.documents.models import Document
from gongkai.orgs import permissions
from gongkai.orgs.models import Org
from gongkai.orgs.selectors import orgs_for_user
from gongkai.participation.selectors import questions as selectors
from gongkai.participation.services import questions as services
from gongkai.participation.workflow import QUESTION

from . import http


@login_required
def question_list(request):
    http.require_somewhere(request.user, "view_questions")
    on = services.today()
    return render(
        request,
        "workbench/questions.html",
        {
            "today": on,
            "queues": selectors.queues(user=request.user, on=on),
            # The 2019 site indicators fail a site with a valid message unanswered > 3 months.
            "stale": services.unanswered_over(
                90, org_ids=permissions.org_ids_for(request.user, "view_questions")
            ),
            "can_tokens": orgs_for_user(user=request.user, action="manage_api_tokens").exists(),
        },
    )


@login_required
def question_detail(request, number):
    q = selectors.question_get_for_user(user=request.user, number=number)
    actions = [t.name for t in QUESTION.allowed_actions(q, request.user)]
    return render(
        request,
        "workbench/question_detail.html",
        {
            "q": q,
            "contact": services.contact_of(q),
            "actions": actions,
            "targets": services.transfer_targets(q) if "transfer" in actions else [],
            "transfers": selectors.transfers_of(q),
            "explain": services.deadline_explain(q),
            "restarts": settings.GONGKAI_QUESTION_TRANSFER_RESTARTS_CLOCK,
            "can_publish": q.status == "answered"
            and q.publish_consent
            and permissions.can(request.user, "publish_question", q.org),
            "overdue": q.status in ("submitted", "accepted", "answer_drafted")
            and q.due_on < services.today(),
        },
    )


@login_required
@require_POST
def question_action(request, number):
    q = selectors.question_get_for_user(user=request.user, number=number)
    p, user = request.POST, request.user
    action = p.get("action", "")

    def transfer():
        code = p.get("to_org", "")[:18]
        target = Org.objects.filter(code=code).first() if code else None
        return services.question_transfer(
            actor=user, question=q, to_org=target, reason=p.get("reason", "")
        )

    dispatch = {
        "accept": lambda: services.question_accept(actor=user, question=q),
        "reject": lambda: services.question_reject(
            actor=user, question=q, reason=p.get("reason", "")
        ),
        "transfer": transfer,
        "draft_answer": lambda: services.question_draft_answer(
            actor=user, question=q, answer=p.get("answer", "")
        ),
        "return_answer": lambda: services.question_return_answer(
            actor=user, question=q, reason=p.get("reason", "")
        ),
        "approve_answer": lambda: services.question_approve_answer(
            actor=user, question=q, answer=p.get("answer")
        ),
    }
    call = dispatch.get(action)
    here = reverse("workbench:question_detail", args=[q.number])
    if call is None:
        messages.error(request, _("未知操作。"))
        response = redirect(here)
        response.status_code = 303
        return response
    label = QUESTION[action].label

    def after(result):
        # After a transfer the question may have left the user's reach.
        if (
            result is not None
            and action == "transfer"
            and not selectors.questions_for_user(user=user).filter(pk=q.pk).exists()
        ):
            return reverse("workbench:questions")
        return here

    return http.act(request, call, _("已完成：%(a)s") % {"a": label}, after)


def _policy(value: str):
    value = (value or "").strip()[:64]
    if not value:
        return None
    found = Document.objects.filter(index_number=value).first()
    if found is None:
        raise ApplicationError(_("找不到索引号为“%(v)s”的文件。") % {"v": value}, code="no_policy")
    return found


@login_required
def question_publish(request, number):
    q = selectors.question_get_for_user(user=request.user, number=number)
    if not permissions.can(request.user, "publish_question", q.org):
        raise NotFoundError()
    here = reverse("workbench:question_detail", args=[q.number])
    if request.method == "POST":
        p = request.POST
        if p.get("action") == "unpublish":
            return http.act(
                request,
                lambda: services.question_unpublish(
                    actor=request.user, question=q, reason=p.get("reason", "")
                ),
                _("已撤下公开的问答。"),
                here,
            )
        return http.act(
            request,
            lambda: services.question_publish(
                actor=request.user,
                question=q,
                public_subject=p.get("public_subject", ""),
                public_text=p.get("public_text", ""),
                public_answer=p.get("public_answer", ""),
                policy=_policy(p.get("policy", "")),
            ),
            _("已公开问答（个人信息已遮盖）。"),
            lambda result: here if result is not None else request.path,
        )
    return render(
        request,
        "workbench/question_publish.html",
        {"q": q, "prefill": services.publish_prefill(q)},
    )


@login_required
def question_tokens(request):
    http.require_somewhere(request.user, "manage_api_tokens")
    orgs = orgs_for_user(user=request.user, action="manage_api_tokens")
    clear = None
    if request.method == "POST":
        code = request.POST.get("org", "")[:18]
        org = orgs.filter(code=code).first()
        try:
            if org is None:
                raise ApplicationError(_("请选择机构。"), code="org_required")
            _token, clear = services.token_create(
                actor=request.user, org=org, name=request.POST.get("name", "")
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
            response = redirect("workbench:question_tokens")
            response.status_code = 303
            return response
    return render(
        request,
        "workbench/question_tokens.html",
        {
            "tokens": selectors.tokens_for_user(user=request.user)[:200],
            "orgs": orgs,
            "clear": clear,
        },
    )


@login_required
@require_POST
def question_token_revoke(request, pk: int):
    token = selectors.tokens_for_user(user=request.user).filter(pk=pk).first()
    if token is None:
        raise NotFoundError()
    return http.act(
        request,
        lambda: services.token_revoke(actor=request.user, token=token),
        _("已撤销令牌。"),
        reverse("workbench:question_tokens"),
    )
