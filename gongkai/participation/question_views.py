"""Public pages of questions and answers (互动交流): the published Q&A of the region, asking
(with similar answered questions shown first), and tracking with number and password."""

from __future__ import annotations

import logging

from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongkai.core.exceptions import ApplicationError, NotFoundError
from gongkai.core.net import client_ip

from .forms import AskForm, RateForm, TrackForm, new_submission_token, submission_key
from .selectors import questions as selectors
from .services import questions as services

log = logging.getLogger(__name__)
_RECEIPT = "question_receipt"
_TRACKED = "question_tracked"
PAGE_SIZE = 20


@require_GET
def index(request):
    q = request.GET.get("q", "")[:200].strip()
    org_code = request.GET.get("org", "")[:18].strip()
    paginator = Paginator(selectors.published_questions(q=q, org_code=org_code), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    params = {k: v for k, v in (("q", q), ("org", org_code)) if v}
    return render(
        request,
        "participation/interaction_index.html",
        {
            "page_obj": page,
            "q": q,
            "org_code": org_code,
            "orgs": selectors.orgs_with_published(),
            "query_string": urlencode(params),
        },
    )


@require_GET
def detail(request, number: str):
    try:
        item = selectors.published_get(number=number)
    except NotFoundError:
        raise Http404 from None
    interpretations = []
    if item.policy_id:
        # The policy's published interpretations (政策解读), shown with the answer about it.
        interpretations = list(
            item.policy.interpretations.filter(document__status="published")
            .select_related("document")
            .only("document__title", "document__index_number", "form")[:5]
        )
    return render(
        request,
        "participation/interaction_detail.html",
        {"item": item, "interpretations": interpretations},
    )


@require_GET
def similar(request):
    """JSON for the ask form's script: published Q&A like what the citizen is typing."""
    text = request.GET.get("q", "")[:500]
    if services.similar_attempt(address=client_ip(request)):
        return JsonResponse({"items": [], "detail": _("查询过于频繁，请稍后再试。")}, status=429)
    found = services.similar_questions(text) if len(text.strip()) >= 2 else []
    return JsonResponse(
        {
            "items": [
                {
                    "number": x.number,
                    "subject": x.public_subject,
                    "org": x.org.name,
                    "url": reverse("interaction:detail", args=[x.number]),
                    "score": x.score,
                }
                for x in found
            ]
        }
    )


def _input(form: AskForm) -> services.QuestionInput:
    data = form.cleaned_data
    return services.QuestionInput(
        org=data["org"],
        kind=data["kind"],
        subject=data["subject"],
        text=data["text"],
        name=data["name"],
        contact=data["contact"],
        publish_consent=data["publish_consent"],
    )


def _fresh_token(form: AskForm) -> None:
    form.data = form.data.copy()
    form.data["token"] = new_submission_token()


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def ask(request):
    status = 200
    similar_found = []
    if request.method == "POST":
        form = AskForm(request.POST)
        confirmed = request.POST.get("confirm") == "1"
        typed = f"{request.POST.get('subject', '')[:200]} {request.POST.get('text', '')[:1000]}"
        if not confirmed and not services.similar_attempt(address=client_ip(request)):
            similar_found = services.similar_questions(typed)
        if similar_found:
            # The no-script path: the first submit shows what was answered before; the citizen
            # solves a new CAPTCHA and presses "仍要提交" to ask anyway.
            # Unbound (a bound form validates when rendered, which would spend the CAPTCHA).
            form = AskForm(
                initial={
                    name: request.POST.get(name, "")[:5000]
                    for name in ("org", "kind", "subject", "text", "name", "contact", "token")
                }
                | {"publish_consent": bool(request.POST.get("publish_consent"))}
            )
            return render(
                request,
                "participation/question_ask.html",
                {"form": form, "similar": similar_found, "confirm": True},
            )
        if form.is_valid():
            key = submission_key(form.cleaned_data["token"])
            if key is None:
                form.add_error(None, _("表单已过期，请刷新页面后重新提交。"))
            else:
                try:
                    receipt = services.question_submit(
                        data=_input(form), source_address=client_ip(request), submission_key=key
                    )
                except ApplicationError as exc:
                    log.info("question refused: %s", exc.code)
                    for name, message in exc.extra.get("fields", {}).items():
                        form.add_error(name if name in form.fields else None, message)
                    if not exc.extra.get("fields"):
                        form.add_error(None, exc.message)
                    status = exc.status_code
                else:
                    request.session[_RECEIPT] = {
                        "number": receipt.question.number,
                        "password": receipt.password,
                    }
                    _remember(request, receipt.question.number)
                    return redirect("interaction:ask_done")
        if status == 200:
            status = 400
        _fresh_token(form)
        return render(
            request,
            "participation/question_ask.html",
            {"form": form, "confirm": confirmed},
            status=status,
        )
    initial = {"token": new_submission_token()}
    if request.GET.get("org"):
        initial["org"] = request.GET["org"][:18]
    form = AskForm(initial=initial)
    return render(request, "participation/question_ask.html", {"form": form})


@never_cache
def ask_done(request):
    receipt = request.session.pop(_RECEIPT, None)  # shown once
    if receipt is None:
        return redirect("interaction:track")
    found = selectors.question_get_public(number=receipt["number"])
    return render(request, "participation/question_done.html", {"receipt": receipt, "item": found})


def _remember(request, number: str) -> None:
    request.session[_TRACKED] = [*request.session.get(_TRACKED, [])[-9:], number]


def _tracked(request, number: str):
    number = (number or "").strip().upper()[:32]
    if number and number in request.session.get(_TRACKED, []):
        return selectors.question_get_public(number=number)
    return None


def _track_page(request, item, *, error: str = "", status: int = 200, rate_form=None):
    return render(
        request,
        "participation/question_track_detail.html",
        {
            "item": item,
            "transfers": selectors.transfers_of(item),
            "rate_form": rate_form or RateForm(),
            "can_rate": item.status == "answered" and not item.rating,
            "can_reopen": item.status == "answered"
            and item.rating == "unsatisfied"
            and not item.reopened,
            "error": error,
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def track(request):
    if request.method == "POST":
        form = TrackForm(request.POST)
        status = 400
        if services.track_attempt(
            address=client_ip(request), number=request.POST.get("number", "").strip()[:64]
        ):
            form.is_valid()
            form.add_error(None, _("查询过于频繁，请一小时后再试。"))
            status = 429
        elif form.is_valid():
            number = form.cleaned_data["number"].strip().upper()
            found = selectors.question_get_public(number=number)
            if services.question_check_password(found, form.cleaned_data["password"]):
                request.session.cycle_key()
                _remember(request, number)
                return redirect(f"{request.path}?{urlencode({'number': number})}")
            form.add_error(None, _("留言编号或查询密码不正确。"))
        return render(request, "participation/question_track.html", {"form": form}, status=status)
    found = _tracked(request, request.GET.get("number", ""))
    if found is None:
        return render(request, "participation/question_track.html", {"form": TrackForm()})
    return _track_page(request, found)


@require_POST
def track_rate(request):
    found = _tracked(request, request.POST.get("number", ""))
    if found is None:
        raise Http404
    form = RateForm(request.POST)
    if not form.is_valid():
        return _track_page(request, found, error=_("请选择评价。"), status=400, rate_form=form)
    try:
        services.question_rate(
            question=found,
            rating=form.cleaned_data["rating"],
            comment=form.cleaned_data["comment"],
        )
    except ApplicationError as exc:
        return _track_page(request, found, error=exc.message, status=exc.status_code)
    return redirect(f"{reverse('interaction:track')}?{urlencode({'number': found.number})}")


@require_POST
def track_reopen(request):
    found = _tracked(request, request.POST.get("number", ""))
    if found is None:
        raise Http404
    try:
        services.question_reopen(question=found)
    except ApplicationError as exc:
        return _track_page(request, found, error=exc.message, status=exc.status_code)
    return redirect(f"{reverse('interaction:track')}?{urlencode({'number': found.number})}")
