from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SitecheckConfig(AppConfig):
    name = "gongkai.sitecheck"
    label = "sitecheck"
    verbose_name = _("网站自查")
