from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "gongkai.participation"
    label = "participation"
    verbose_name = _("公众参与")

    def ready(self):
        from gongkai.search import services as search

        from . import knowledge

        # Published Q&A live in the documents' full-text index as entries of their own kind.
        search.register_source(knowledge.KIND, knowledge.rebuild)
