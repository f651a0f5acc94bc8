from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "gongkai.portal"
    label = "portal"
    verbose_name = _("门户")

    def ready(self):
        # The public pages' cache is invalidated by every process that changes public data
        # (web workers, the scheduler, commands): connected here, not by the middleware.
        from django.db.models.signals import post_migrate

        from gongkai.core.audit import recorded

        from . import cache

        recorded.connect(cache.on_audit_event, dispatch_uid="portal.cache.audit")
        post_migrate.connect(
            cache.on_post_migrate, sender=self, dispatch_uid="portal.cache.migrate"
        )
