from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "gongkai.core"
    label = "core"
    verbose_name = _("基础")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .middleware import mark_session_fresh

        user_logged_in.connect(mark_session_fresh, dispatch_uid="core.mark_session_fresh")
