"""`/healthz` for a load balancer: the database answers, the caches store and return a value,
and the scheduler has started a job recently. JSON; 200 when every check passes, else 503.

Never cached, and says nothing a visitor should not read: no addresses, no error texts (only
the kind of error), no job output.
"""

import datetime as dt
import secrets
import time

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


def _timed(check):
    started = time.perf_counter()
    try:
        result = check()
    except Exception as exc:  # any failure is a failed check, reported by its kind only
        result = {"ok": False, "error": type(exc).__name__}
    result["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return result


def check_database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True}


def check_cache() -> dict:
    """The shared cache (Redis or the database's): rate limits, the public pages' generation."""
    store = caches["default"]
    key, value = f"gongkai:healthz:{secrets.token_hex(4)}", secrets.token_hex(8)
    store.set(key, value, timeout=30)
    ok = store.get(key) == value
    store.delete(key)
    return {"ok": ok}


def check_scheduler(now: dt.datetime | None = None) -> dict:
    """A job started within GONGKAI_HEALTH_SCHEDULER_MINUTES (the scheduler catches up every
    job at start, and the most frequent one runs every 10 minutes)."""
    from .models import JobRun

    limit = settings.GONGKAI_HEALTH_SCHEDULER_MINUTES
    if limit <= 0:
        return {"ok": True, "checked": False}
    now = now or timezone.now()
    last = JobRun.objects.order_by("-started_at").values_list("started_at", flat=True).first()
    if last is None:
        return {"ok": False, "last_run_age_s": None}
    age = (now - last).total_seconds()
    return {"ok": age <= limit * 60, "last_run_age_s": int(age)}


@never_cache
@require_safe
def healthz(request):
    checks = {
        "database": _timed(check_database),
        "cache": _timed(check_cache),
        "scheduler": _timed(check_scheduler),
    }
    ok = all(c["ok"] for c in checks.values())
    return JsonResponse(
        {"status": "ok" if ok else "fail", "checks": checks}, status=200 if ok else 503
    )
