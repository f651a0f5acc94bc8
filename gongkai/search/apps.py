from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "gongkai.search"
    label = "search"
    verbose_name = _("全文检索")

    def ready(self):
        from gongkai.documents import signals
        from gongkai.orgs.services import org_moved

        from . import checks, services  # noqa: F401 - checks registers itself

        org_moved.connect(services.on_org_moved, dispatch_uid="search.on_org_moved")
        signals.document_changed.connect(
            services.on_document_changed, dispatch_uid="search.on_document_changed"
        )
        signals.documents_changed.connect(
            services.on_documents_changed, dispatch_uid="search.on_documents_changed"
        )
        signals.documents_loaded.connect(
            services.on_documents_loaded, dispatch_uid="search.on_documents_loaded"
        )
