from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from gongkai.core.health import healthz
from gongkai.reports import views as reports_views

from .api import api

admin.site.site_header = _("政务公开平台系统管理")
admin.site.site_title = _("政务公开平台系统管理")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    # No CSRF token on the language switch, so that public pages carry none and can be cached
    # (gongkai.portal.cache); a forged switch only changes the language.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("healthz", healthz, name="healthz"),
    path("workbench/", include("gongkai.workbench.urls")),
    path("foi/", include("gongkai.foi.urls")),
    path("normative/", include("gongkai.normative.urls")),
    path("captcha/", include("captcha.urls")),
    path("reports/", include("gongkai.reports.urls")),
    path("consultations/", include("gongkai.participation.urls.consultations")),
    path("interaction/", include("gongkai.participation.urls.questions")),
    path("catalogs/", include("gongkai.catalogs.urls")),
    path("sites/", include("gongkai.sites.urls")),
    path("statistics/", reports_views.public_statistics, name="statistics"),
    path("", include("gongkai.portal.urls")),
]

handler400 = "gongkai.portal.views.bad_request"
handler403 = "gongkai.portal.views.permission_denied"
handler404 = "gongkai.portal.views.page_not_found"
handler500 = "gongkai.portal.views.server_error"
