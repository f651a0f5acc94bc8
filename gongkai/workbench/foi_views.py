"""Workbench pages for disclosure requests: queues, registration, the request page, actions.

Views only parse and dispatch: every change is a `gongkai.foi.services` call, which checks the
role and leaves the audit event.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.core.exceptions import ApplicationError
from gongkai.foi import letters, selectors, services
from gongkai.foi.fees import FeeMethod
from gongkai.foi.forms import application_input
from gongkai.foi.models import Channel, Letter, Review
from gongkai.foi.outcomes import LAPSE_OUTCOMES, ApplicantKind, Outcome
from gongkai.foi.workflow import WORKFLOW, WORKING, Status
from gongkai.orgs import permissions
from gongkai.orgs.selectors import orgs_for_user

from . import http
from .forms import StaffRegisterForm


@login_required
def request_queues(request):
    today = services.today()
    user = request.user
    return render(
        request,
        "workbench/requests.html",
        {
            "today": today,
            "mine": selectors.handler_queue(user=user, today=today),
            "approvals": selectors.approvals_queue(user=user, today=today),
            "legal": selectors.legal_queue(user=user, today=today),
            "overdue": list(selectors.overdue(user=user, today=today)[:200]),
            "can_register": bool(orgs_for_user(user=user, action="register_request").exists()),
        },
    )


@login_required
def request_register(request):
    orgs = orgs_for_user(user=request.user, action="register_request")
    form = StaffRegisterForm(request.POST or None, request.FILES or None, orgs=orgs)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            receipt = services.request_register(
                actor=request.user,
                data=application_input(data),
                channel=data["channel"],
                submitted_on=data["submitted_on"],
                confirmed_on=data["confirmed_on"],
            )
        except ApplicationError as exc:
            for name, message in exc.extra.get("fields", {}).items():
                form.add_error(name if name in form.fields else None, message)
            if not exc.extra.get("fields"):
                form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("已登记，申请编号 %(n)s，查询密码 %(p)s（请告知申请人，只显示这一次）。")
                % {"n": receipt.request.number, "p": receipt.password},
            )
            return redirect("workbench:request_detail", number=receipt.request.number)
    status = 400 if request.method == "POST" else 200
    return render(request, "workbench/request_register.html", {"form": form}, status=status)


def _actions_for(user, req) -> list[str]:
    """The transitions this user may take now (the page shows only these forms)."""
    return [t.name for t in WORKFLOW.allowed_actions(req, user)]


@login_required
def request_detail(request, number):
    req = selectors.request_get_for_user(user=request.user, number=number)
    if "file" in request.GET:
        return _disclosed_file(req, request.GET["file"])
    deadline = services.deadline_of(req)
    preview = None
    if req.status in (Status.REPLY_DRAFTED, Status.HEAD_APPROVED, Status.LEGAL_APPROVED):
        preview = letters.compose(
            kind=letters.LetterKind.REPLY,
            template_text=services.template_text(req.org, letters.LetterKind.REPLY, req.outcome),
            context=services.letter_context(req, on=services.today()),
            number=_("（发送时编号）"),
            recipient=f"{req.name}：",
            signature=req.org.name,
            date=services.today(),
        )
    handlers = selectors.handlers_for(req.org)
    return render(
        request,
        "workbench/request_detail.html",
        {
            "req": req,
            "deadline": deadline,
            "events": req.clock_events.select_related("actor"),
            "letters": req.letters.all(),
            "reviews": req.reviews.all(),
            "attachments": req.attachments.all(),
            "disclosed_files": req.disclosed_files.all(),
            "can_change_files": req.status in WORKING
            and permissions.can(request.user, "handle_request", req.org),
            "max_disclosed_mb": settings.GONGKAI_FOI_MAX_DISCLOSED_BYTES // (1024 * 1024),
            "actions": _actions_for(request.user, req),
            "handlers": handlers,
            "outcomes": [(v, label) for v, label in Outcome.choices if v not in LAPSE_OUTCOMES],
            "fee_methods": FeeMethod.choices,
            "review_kinds": Review.Kind.choices,
            "review_results": [c for c in Review.Result.choices if c[0] != "pending"],
            "can_review": permissions.can(request.user, "record_review", req.org),
            "can_convert": permissions.can(request.user, "draft_document", req.org),
            "can_correct": permissions.can(request.user, "correct_request", req.org),
            "applicant_kinds": ApplicantKind.choices,
            "same_subject": selectors.same_subject_count(req),
            "preview": preview,
            "channels": Channel,
        },
    )


@login_required
@require_POST
def request_action(request, number):
    req = selectors.request_get_for_user(user=request.user, number=number)
    p, user = request.POST, request.user
    action = p.get("action", "")
    dispatch = {
        "assign": lambda: services.request_assign(
            actor=user,
            request=req,
            handler=selectors.handler_choice(request=req, value=p.get("handler"), actor=user),
        ),
        "ask_clarification": lambda: services.request_ask_clarification(
            actor=user,
            request=req,
            items=p.get("items", ""),
            answer_days=http.integer(p.get("days"), required=False),
            on=http.optional_date(p.get("on")),
        ),
        "clarification_received": lambda: services.request_clarification_received(
            actor=user, request=req, on=http.optional_date(p.get("on")), note=p.get("note", "")
        ),
        "clarification_lapsed": lambda: services.request_clarification_lapsed(
            actor=user, request=req, on=http.optional_date(p.get("on"))
        ),
        "consult": lambda: services.request_consult(
            actor=user,
            request=req,
            party=p.get("party", ""),
            third_party=p.get("kind", "third_party") == "third_party",
            days=http.integer(p.get("days"), required=False),
            on=http.optional_date(p.get("on")),
        ),
        "consultation_done": lambda: services.request_consultation_done(
            actor=user, request=req, on=http.optional_date(p.get("on")), note=p.get("note", "")
        ),
        "extend": lambda: services.request_extend(
            actor=user,
            request=req,
            days=http.integer(p.get("days"), required=False, default=0),
            reason=p.get("reason", ""),
            on=http.optional_date(p.get("on")),
        ),
        "fee_notice": lambda: services.request_fee_notice(
            actor=user,
            request=req,
            method=p.get("method", ""),
            items=http.integer(p.get("items"), required=False, default=0),
            pages=http.integer(p.get("pages"), required=False, default=0),
            on=http.optional_date(p.get("on")),
        ),
        "fee_paid": lambda: services.request_fee_paid(
            actor=user, request=req, on=http.optional_date(p.get("on"))
        ),
        "fee_lapsed": lambda: services.request_fee_lapsed(
            actor=user, request=req, on=http.optional_date(p.get("on"))
        ),
        "draft_reply": lambda: services.request_draft_reply(
            actor=user,
            request=req,
            outcome=p.get("outcome", ""),
            reason=p.get("reason", ""),
            provision=p.get("provision", ""),
            transfer_org_name=p.get("transfer_org_name", ""),
            transfer_org_contact=p.get("transfer_org_contact", ""),
        ),
        "head_approve": lambda: services.request_head_approve(
            actor=user, request=req, comment=p.get("comment", "")
        ),
        "legal_approve": lambda: services.request_legal_approve(
            actor=user, request=req, comment=p.get("comment", "")
        ),
        "return_head": lambda: services.request_return(
            actor=user, request=req, comment=p.get("comment", "")
        ),
        "return_legal": lambda: services.request_return(
            actor=user, request=req, comment=p.get("comment", "")
        ),
        "send": lambda: services.request_send(
            actor=user, request=req, on=http.optional_date(p.get("on"))
        ),
        "deliver": lambda: services.request_deliver(
            actor=user, request=req, on=http.optional_date(p.get("on"))
        ),
        "archive": lambda: services.request_archive(actor=user, request=req),
        "withdraw": lambda: services.request_withdraw(
            actor=user, request=req, reason=p.get("reason", ""), on=http.optional_date(p.get("on"))
        ),
        "review_record": lambda: services.review_record(
            actor=user,
            request=req,
            kind=p.get("kind", ""),
            filed_on=http.optional_date(p.get("on")),
            body=p.get("body", ""),
            note=p.get("note", ""),
        ),
        "review_decide": lambda: services.review_decide(
            actor=user,
            review=req.reviews.get(pk=http.integer(p.get("review"), required=False, default=0)),
            result=p.get("result", ""),
            decided_on=http.optional_date(p.get("on")) or services.today(),
        ),
        "correct_kind": lambda: services.request_correct_applicant_kind(
            actor=user, request=req, kind=p.get("kind", ""), reason=p.get("reason", "")
        ),
        "convert": lambda: services.request_convert_to_proactive(
            actor=user, request=req, title=p.get("title", "")
        ),
        "disclosed_add": lambda: _add_files(user, req, request.FILES.getlist("files")),
        "disclosed_remove": lambda: services.request_disclosed_file_remove(
            actor=user, request=req, file_id=http.integer(p.get("file"), required=True)
        ),
    }
    if action not in dispatch:
        messages.error(request, _("未知操作。"))
        return redirect("workbench:request_detail", number=req.number)
    try:
        result = dispatch[action]()
    except Review.DoesNotExist:
        raise Http404 from None
    except ApplicationError as exc:
        # As http.act: the message on the request page, a 303 so reloading does not post again.
        messages.error(request, exc.message)
        response = redirect("workbench:request_detail", number=req.number)
        response.status_code = 303
        return response
    if action == "convert":
        messages.success(request, _("已生成主动公开草稿。"))
        return redirect("workbench:document_detail", pk=result.pk)
    messages.success(request, _("已完成：%(a)s") % {"a": _label(action)})
    return redirect("workbench:request_detail", number=req.number)


def _label(action: str) -> str:
    t = WORKFLOW.table.get(action)
    return str(t.label) if t else {
        "review_record": _("登记复议诉讼"), "review_decide": _("登记审结结果"),
        "correct_kind": _("更正申请人类别"), "disclosed_add": _("上传公开信息文件"),
        "disclosed_remove": _("删除公开信息文件"),
    }.get(action, action)  # fmt: skip


def _add_files(user, req, uploads) -> None:
    """Sizes are checked before any file is read; the service checks the bytes and stores all
    of the files or none."""
    from gongkai.foi.services.disclosure import MAX_FILES

    if len(uploads) > MAX_FILES:
        raise ApplicationError(
            _("每件申请最多附 %(n)s 个公开信息文件。") % {"n": MAX_FILES}, code="too_many_files"
        )
    limit = settings.GONGKAI_FOI_MAX_DISCLOSED_BYTES
    for upload in uploads:
        if upload.size > limit:
            raise ApplicationError(
                _("文件“%(n)s”超过大小上限（%(mb)s MB）。")
                % {"n": upload.name, "mb": limit // (1024 * 1024)},
                code="file_too_large",
            )
    services.request_disclosed_file_add(
        actor=user, request=req, files=[(u.name, u.read()) for u in uploads]
    )


def _disclosed_file(req, value: str):
    """A disclosed file of a request the user may view (the head and legal reviewer check
    what the applicant will receive)."""
    # ASCII digits only: str.isdigit() also takes "²", which int() refuses (a 500).
    if not re.fullmatch(r"[0-9]{1,9}", value or ""):
        raise Http404
    stored = req.disclosed_files.filter(pk=int(value)).first()
    if stored is None:
        raise Http404
    return FileResponse(
        stored.file.open("rb"),
        as_attachment=True,
        filename=stored.original_name,
        content_type=stored.content_type or "application/octet-stream",
    )


@login_required
def request_letter(request, pk: int, fmt: str):
    letter = Letter.objects.select_related("request").filter(pk=pk).first()
    if letter is None or fmt not in ("docx", "pdf"):
        raise Http404
    selectors.request_get_for_user(user=request.user, number=letter.request.number)
    file = letter.docx if fmt == "docx" else letter.pdf
    return FileResponse(file.open("rb"), as_attachment=True, filename=f"{letter.number}.{fmt}")
