"""Public pages of consultations: the lists, one consultation with its comment form and
feedback, and the yearly lists of decisions open to participation."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from gongkai.core import submission
from gongkai.core.exceptions import ApplicationError
from gongkai.core.net import client_ip
from gongkai.orgs.models import Org

from .consultation_forms import TOKEN_SALT, CommentForm
from .selectors import consultations as selectors
from .services import consultations as services
from .workflow import ConsultationStatus

log = logging.getLogger(__name__)


def _int(value, default=None):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if 0 < number < 10**9 else default


def index(request):
    tab = request.GET.get("tab", "open")
    if tab not in selectors.TABS:
        tab = "open"
    org = None
    code = request.GET.get("org", "")
    if code:
        org = Org.objects.filter(code=code[:32], is_active=True).first()
    page = Paginator(selectors.public_list(tab, org=org), 20).get_page(
        _int(request.GET.get("page"), 1)
    )
    return render(
        request,
        "participation/consultations.html",
        {
            "tab": tab,
            "page": page,
            "counts": selectors.tab_counts(org=org),
            "org": org,
            "today": services.today(),
            "query_string": f"tab={tab}" + (f"&org={org.code}" if org else ""),
        },
    )


def decisions(request):
    year = _int(request.GET.get("year"))
    if year is not None and not 2000 <= year <= 2100:
        year = None
    items = selectors.decision_lists(year=year)
    page = Paginator(items, 50).get_page(_int(request.GET.get("page"), 1))
    return render(
        request,
        "participation/decisions.html",
        {"page": page, "year": year, "query_string": f"year={year}" if year else ""},
    )


def _form(data=None, files=None) -> CommentForm:
    form = CommentForm(data, files)
    if data is None:
        form.initial["token"] = submission.new_token(TOKEN_SALT)
    return form


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def detail(request, pk: int):
    consultation = selectors.public_get(pk)
    today = services.today()
    status = 200
    form = None
    if services.accepting(consultation, today):
        form = _form()
    if request.method == "POST":
        form = _form(request.POST, request.FILES)
        status = _comment(request, consultation, form)
        if status is None:
            messages.success(request, _("您的意见已提交，感谢参与。"))
            response = redirect("consultations:detail", pk=consultation.pk)
            response.status_code = 303
            return response
        form.data = form.data.copy()
        form.data["token"] = submission.new_token(TOKEN_SALT)
    fb = (
        selectors.feedback(consultation)
        if consultation.status == ConsultationStatus.FEEDBACK_PUBLISHED
        else None
    )
    return render(
        request,
        "participation/consultation_detail.html",
        {
            "c": consultation,
            "form": form,
            "today": today,
            "accepting": services.accepting(consultation, today),
            "min_days": settings.GONGKAI_CONSULTATION_MIN_DAYS,
            "activities": consultation.activities.all(),
            "comments": selectors.published_comments(consultation)[:200],
            "feedback": fb,
        },
        status=status,
    )


def _comment(request, consultation, form) -> int | None:
    """Take the posted comment; None when it was accepted, else the HTTP status to show."""
    if not form.is_valid():
        return 400
    data = form.cleaned_data
    key = submission.key_of(data["token"], TOKEN_SALT)
    if key is None:
        form.add_error(None, _("表单已过期，请刷新页面后重新提交。"))
        return 400
    upload = data.get("attachment")
    limit = settings.GONGKAI_PARTICIPATION_MAX_ATTACHMENT_BYTES
    if upload is not None and upload.size > limit:
        form.add_error(
            "attachment", _("附件超过大小上限（%(mb)s MB）。") % {"mb": limit // (1024 * 1024)}
        )
        return 400
    try:
        services.comment_submit(
            consultation=consultation,
            data=services.CommentInput(
                name=data["name"],
                contact=data["contact"],
                text=data["text"],
                publish_consent=data["publish_consent"],
                attachments=[(upload.name, upload.read())] if upload else [],
            ),
            source_address=client_ip(request),
            submission_key=key,
        )
    except ApplicationError as exc:
        log.info("comment refused: %s", exc.code)
        fields = exc.extra.get("fields", {})
        for name, message in fields.items():
            form.add_error(name if name in form.fields else None, message)
        if not fields:
            form.add_error(None, exc.message)
        return exc.status_code
    return None
