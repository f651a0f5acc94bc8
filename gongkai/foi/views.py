"""Public pages of disclosure requests: apply, and track with number and password."""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from gongkai.core.exceptions import ApplicationError, NotFoundError
from gongkai.core.net import client_ip
from gongkai.core.textextract import CONTENT_TYPES
from gongkai.core.workflow import APPLICANT

from . import selectors, services
from .forms import (
    ApplicationForm,
    TrackForm,
    application_input,
    new_submission_token,
    submission_key,
)

log = logging.getLogger(__name__)
_TRACKED = "foi_tracked"
_RECEIPT = "foi_receipt"


def _client_address(request) -> str:
    return client_ip(request)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def apply(request):
    status = 200
    if request.method == "POST":
        form = ApplicationForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            upload = data.get("attachment")
            limit = settings.GONGKAI_FOI_MAX_ATTACHMENT_BYTES
            key = submission_key(data["token"])
            if key is None:
                form.add_error(None, _("表单已过期，请刷新页面后重新提交。"))
            elif upload is not None and upload.size > limit:
                # Refused before reading it: a 50 MB file is never loaded into memory.
                form.add_error(
                    "attachment",
                    _("附件超过大小上限（%(mb)s MB）。") % {"mb": limit // (1024 * 1024)},
                )
            else:
                application = application_input(data)
                try:
                    receipt = services.request_submit(
                        data=application,
                        source_address=_client_address(request),
                        submission_key=key,
                        track_url=request.build_absolute_uri(reverse("foi:track")),
                    )
                except ApplicationError as exc:
                    log.info("foi application refused: %s", exc.code)
                    for name, message in exc.extra.get("fields", {}).items():
                        name = _SERVICE_FIELDS.get(name, name)
                        form.add_error(name if name in form.fields else None, message)
                    if not exc.extra.get("fields"):
                        form.add_error(None, exc.message)
                    status = exc.status_code
                else:
                    request.session[_RECEIPT] = {
                        "number": receipt.request.number,
                        "password": receipt.password,
                    }
                    _remember(request, receipt.request.number)
                    return redirect("foi:apply_done")
        if status == 200:
            status = 400
        # A fresh token: the one just refused may have been used by a replay.
        form.data = form.data.copy()
        form.data["token"] = new_submission_token()
    else:
        initial = {"token": new_submission_token()}
        if request.GET.get("org"):
            initial["org"] = request.GET["org"]
        form = ApplicationForm(initial=initial)
    context = {"form": form} | _contact(request.POST.get("org") or request.GET.get("org"))
    return render(request, "foi/apply.html", context, status=status)


# The service names a few problems by what they concern, not by a form field.
_SERVICE_FIELDS = {"attachments": "attachment"}


def _contact(code) -> dict:
    """The chosen office's offline channels (Art.29: by letter, fax or in person), for people
    who cannot use the CAPTCHA or the form."""
    from gongkai.orgs import selectors as org_selectors

    code = str(code or "").strip()[:64]
    if not code:
        return {}
    try:
        org = org_selectors.org_get_public(code=code)
    except NotFoundError:
        return {}
    org = org_selectors.org_for_requests(org)
    guide = org_selectors.guide_for(org=org)
    return {
        "contact_org": org,
        "contact_office": guide.office_name,
        "contact_phone": guide.office_phone or org.phone,
        "contact_address": guide.office_address or org.address,
        "contact_hours": guide.office_hours or org.office_hours,
    }


@never_cache
def apply_done(request):
    receipt = request.session.pop(_RECEIPT, None)  # shown once
    if receipt is None:
        return redirect("foi:track")
    tracked = selectors.request_get_public(number=receipt["number"])
    deadline = services.deadline_of(tracked) if tracked else None
    return render(
        request,
        "foi/apply_done.html",
        {"receipt": receipt, "req": tracked, "deadline": deadline},
    )


def _track_limited(request, number: str = "") -> bool:
    return services.track_attempt(address=_client_address(request), number=number)


def _remember(request, number: str) -> None:
    """This browser may see this request (the last ten it applied for or unlocked)."""
    request.session[_TRACKED] = [*request.session.get(_TRACKED, [])[-9:], number]


def _tracked(request, number: str):
    if number and number in request.session.get(_TRACKED, []):
        return selectors.request_get_public(number=number)
    return None


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def track(request):
    status = 200
    if request.method == "POST":
        form = TrackForm(request.POST)
        if _track_limited(request, request.POST.get("number", "")[:64]):
            form.is_valid()
            form.add_error(None, _("查询过于频繁，请一小时后再试。"))
            status = 429
        elif form.is_valid():
            number = form.cleaned_data["number"].strip().upper()
            found = selectors.request_get_public(number=number)
            if services.request_check_password(found, form.cleaned_data["password"]):
                request.session.cycle_key()
                _remember(request, number)
                return redirect(f"{request.path}?number={number}")
            # Same words whether the number exists or not.
            form.add_error(None, _("申请编号或查询密码不正确。"))
            status = 400
        else:
            status = 400
        return render(request, "foi/track.html", {"form": form}, status=status)
    found = _tracked(request, request.GET.get("number", "").strip().upper())
    if found is None:
        return render(request, "foi/track.html", {"form": TrackForm()})
    return _detail(request, found)


def _detail(request, found, *, template="foi/track_detail.html", status=200, **extra):
    """The tracking page: the request as sent, its deadline and its history (only what the
    applicant may see), the letters, the disclosed files once the reply is sent."""
    return render(
        request,
        template,
        {
            "req": found,
            "deadline": services.deadline_of(found),
            "letters": selectors.letters_for_applicant(found),
            "history": selectors.request_history_public(found),
            "files": services.disclosed_files_for_applicant(found),
            **extra,
        },
        status=status,
    )


@never_cache
@require_POST
def track_withdraw(request):
    """Withdrawing ends the request for good, so it takes two steps: the first POST shows what
    will happen and asks again (no JavaScript needed); only a POST with `confirm` withdraws."""
    found = _tracked(request, request.POST.get("number", "").strip().upper())
    if found is None:
        raise Http404
    reason = request.POST.get("reason", "")[:500]
    if not found.is_open:
        return _detail(request, found, error=_("该申请已办结，不能撤回。"), status=409)
    if request.POST.get("confirm") != "yes":
        return render(request, "foi/track_withdraw.html", {"req": found, "reason": reason})
    try:
        services.request_withdraw(actor=APPLICANT, request=found, reason=reason)
    except ApplicationError as exc:
        return _detail(request, found, error=exc.message, status=exc.status_code)
    response = redirect(f"{reverse('foi:track')}?number={found.number}")
    response.status_code = 303
    return response


@never_cache
def track_letter(request, pk: int, fmt: str):
    from .models import Letter

    letter = Letter.objects.select_related("request").filter(pk=pk, to_applicant=True).first()
    if (
        letter is None
        or fmt not in ("docx", "pdf")
        or _tracked(request, letter.request.number) is None
    ):
        raise Http404
    file = letter.docx if fmt == "docx" else letter.pdf
    return FileResponse(file.open("rb"), as_attachment=True, filename=f"{letter.number}.{fmt}")


@never_cache
def track_receipt(request, fmt: str):
    """The receipt (受理回执) as PDF or DOCX, for the browser that applied or unlocked the
    request; it carries the number, never the password."""
    from . import letters as rendering

    found = _tracked(request, request.GET.get("number", "").strip().upper())
    if found is None or fmt not in ("pdf", "docx"):
        raise Http404
    document = services.receipt_document(found)
    if fmt == "pdf":
        body, content_type = rendering.to_pdf(document), "application/pdf"
    else:
        body = rendering.to_docx(document)
        content_type = CONTENT_TYPES["docx"]
    response = HttpResponse(body, content_type=content_type)
    disposition = "inline" if fmt == "pdf" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{found.number}-receipt.{fmt}"'
    return response


@never_cache
def track_file(request, pk: int):
    """A disclosed file, for the applicant, once the reply has been sent."""
    from .models import DisclosedFile

    stored = DisclosedFile.objects.select_related("request").filter(pk=pk).first()
    found = _tracked(request, stored.request.number) if stored else None
    if found is None or not services.disclosed_files_for_applicant(found).filter(pk=pk).exists():
        raise Http404
    return FileResponse(
        stored.file.open("rb"),
        as_attachment=True,
        filename=stored.original_name,
        content_type=stored.content_type or "application/octet-stream",
    )
