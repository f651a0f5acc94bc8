"""Public pages of disclosure requests: apply, and track with number and password."""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from gongkai.core.exceptions import ApplicationError
from gongkai.core.net import client_ip
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
                    )
                except ApplicationError as exc:
                    log.info("foi application refused: %s", exc.code)
                    for name, message in exc.extra.get("fields", {}).items():
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
    return render(request, "foi/apply.html", {"form": form}, status=status)


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
    return render(
        request,
        "foi/track_detail.html",
        {
            "req": found,
            "deadline": services.deadline_of(found),
            "letters": selectors.letters_for_applicant(found),
        },
    )


@require_POST
def track_withdraw(request):
    found = _tracked(request, request.POST.get("number", "").strip().upper())
    if found is None:
        raise Http404
    try:
        services.request_withdraw(
            actor=APPLICANT, request=found, reason=request.POST.get("reason", "")
        )
    except ApplicationError as exc:
        return render(
            request,
            "foi/track_detail.html",
            {
                "req": found,
                "deadline": services.deadline_of(found),
                "letters": selectors.letters_for_applicant(found),
                "error": exc.message,
            },
            status=exc.status_code,
        )
    return redirect(f"/foi/track/?number={found.number}")


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
