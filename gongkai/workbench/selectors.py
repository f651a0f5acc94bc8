from django.db.models import QuerySet

from gongkai.core.models import AuditEvent
from gongkai.orgs import permissions


def audit_events_for(*, user) -> QuerySet[AuditEvent]:
    """Events of the organisations whose trail `user` may read, newest first."""
    ids = permissions.org_ids_for(user, "view_audit")
    qs = AuditEvent.objects.select_related("org").order_by("-seq")
    return qs if ids is None else qs.filter(org_id__in=ids)
