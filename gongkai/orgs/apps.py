from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "gongkai.orgs"
    label = "orgs"
    verbose_name = _("机构与人员")

    def ready(self):
        from . import permissions  # noqa: F401  (registers the object permissions)
