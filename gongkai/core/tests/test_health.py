"""/healthz tells a load balancer whether this instance can serve: database, shared cache and
scheduler, as JSON, 200 or 503, never cached and without secrets."""

import datetime as dt

import pytest
from django.utils import timezone

from gongkai.core.models import JobRun

pytestmark = pytest.mark.django_db


def _ran(minutes_ago: int) -> None:
    started = timezone.now() - dt.timedelta(minutes=minutes_ago)
    JobRun.objects.create(job="concern-alerts", started_at=started, finished_at=started, ok=True,
                          trigger="schedule", output="secret output")  # fmt: skip


def test_all_checks_pass_with_a_recent_job(client):
    """Database, cache and a job started 5 minutes ago: 200, `ok`, and nothing but statuses."""
    _ran(5)
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert {k: v["ok"] for k, v in body["checks"].items()} == {
        "database": True,
        "cache": True,
        "scheduler": True,
    }
    assert 290 <= body["checks"]["scheduler"]["last_run_age_s"] <= 310
    assert "no-store" in response["Cache-Control"]
    assert b"secret output" not in response.content and b"concern-alerts" not in response.content


def test_a_silent_scheduler_fails_the_check(client, settings):
    """No run yet, or the last one older than the limit: 503; a limit of 0 leaves it out."""
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["scheduler"] == {"ok": False, "last_run_age_s": None,
                                                       "ms": response.json()["checks"]["scheduler"]["ms"]}  # fmt: skip
    _ran(120)
    assert client.get("/healthz").status_code == 503
    settings.GONGKAI_HEALTH_SCHEDULER_MINUTES = 0
    assert client.get("/healthz").status_code == 200


def test_an_unreachable_cache_fails_the_check(client, settings):
    """A shared cache that cannot be reached (Redis on a closed port): 503, the error's kind only."""
    _ran(1)
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        },
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    cache_check = response.json()["checks"]["cache"]
    assert cache_check["ok"] is False and cache_check["error"]
    assert "127.0.0.1" not in response.content.decode()


def test_only_get_and_head(client):
    _ran(1)
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405
