from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NormativeConfig(AppConfig):
    name = "gongkai.normative"
    verbose_name = _("规范性文件")

    def ready(self):
        from gongkai.search.services import register_kind

        from .selectors import registered_among

        # Registered documents are searchable as "normative" entries (facet k:normative).
        register_kind("normative", registered_among)
