from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "gongkai.search"
    label = "search"
    verbose_name = _("全文检索")

    def ready(self):
        from gongkai.orgs.services import org_moved

        from .services import on_org_moved

        org_moved.connect(on_org_moved, dispatch_uid="search.on_org_moved")
