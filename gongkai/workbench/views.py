from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from gongkai.core import audit
from gongkai.core.exceptions import ApplicationError
from gongkai.orgs import selectors, services

from . import nav
from .forms import GuideForm, OrgProfileForm
from .selectors import audit_events_for


class LoginView(auth_views.LoginView):
    template_name = "workbench/login.html"
    redirect_authenticated_user = True


@login_required
def home(request):
    memberships = list(selectors.memberships_of(user=request.user))
    editable = selectors.orgs_for_user(user=request.user, action="change_profile")
    return render(
        request,
        "workbench/home.html",
        {
            "memberships": memberships,
            "editable_orgs": editable[:50],
            "editable_count": editable.count(),
            "cards": nav.home_cards(request.user),
        },
    )


def _edit(request, *, code, action, form_class, instance_for, service, template, title):
    org = selectors.org_get_for_action(user=request.user, code=code, action=action)
    instance = instance_for(org)
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            service(
                actor=request.user,
                org=org,
                data={f: form.cleaned_data[f] for f in form.changed_data},
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已保存。"))
            return redirect(request.path)
    status = 400 if request.method == "POST" else 200
    return render(request, template, {"org": org, "form": form, "title": title}, status=status)


@login_required
def org_profile_edit(request, code):
    return _edit(
        request,
        code=code,
        action="change_profile",
        form_class=OrgProfileForm,
        # A fresh copy: the form mutates its instance while validating.
        instance_for=lambda org: type(org).objects.get(pk=org.pk),
        service=services.org_update_profile,
        template="workbench/edit.html",
        title=_("编辑机构信息"),
    )


@login_required
def org_guide_edit(request, code):
    return _edit(
        request,
        code=code,
        action="change_guide",
        form_class=GuideForm,
        instance_for=lambda org: selectors.guide_for(org=org),
        service=services.guide_update,
        template="workbench/edit.html",
        title=_("编辑政府信息公开指南"),
    )


@login_required
def audit_log(request):
    events = audit_events_for(user=request.user).select_related("actor")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(
        request, "workbench/audit_log.html", {"page": page, "events": audit.describe(page)}
    )


@login_required
def jobs(request):
    """The scheduled jobs with their last run and result and next run (administrators)."""
    from gongkai.core.schedule import job_rows

    if not nav.may(request.user, "view_jobs"):
        raise PermissionDenied
    return render(request, "workbench/jobs.html", {"rows": job_rows()})
