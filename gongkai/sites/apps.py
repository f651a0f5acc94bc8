from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SitesConfig(AppConfig):
    name = "gongkai.sites"
    label = "sites"
    verbose_name = _("网站与政务新媒体")
