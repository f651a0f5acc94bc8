"""Limits behind a proxy, shared by every worker, before any password is hashed
(issue 14, finding 5)."""

import pytest
from django.core.cache import caches
from django.test import RequestFactory

from gongkai.core import net

VALID_ID = "11010519491231002X"


def _request(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_client_ip_without_a_proxy_ignores_the_header(settings):
    settings.GONGKAI_TRUSTED_PROXIES = ""
    assert net.client_ip(_request("203.0.113.5", "1.2.3.4")) == "203.0.113.5"


def test_client_ip_behind_a_counted_proxy(settings):
    settings.GONGKAI_TRUSTED_PROXIES = "1"
    # nginx appends the address it saw; whatever the client wrote before it is not believed.
    assert net.client_ip(_request("10.0.0.1", "1.2.3.4, 198.51.100.7")) == "198.51.100.7"
    assert net.client_ip(_request("10.0.0.1", "198.51.100.7")) == "198.51.100.7"
    assert net.client_ip(_request("10.0.0.1")) == "10.0.0.1"
    assert net.client_ip(_request("10.0.0.1", "not-an-address")) == "10.0.0.1"


def test_client_ip_behind_listed_proxies(settings):
    settings.GONGKAI_TRUSTED_PROXIES = "10.0.0.0/8, 127.0.0.1"
    assert net.client_ip(_request("10.0.0.1", "1.2.3.4, 198.51.100.7, 10.0.0.9")) == (
        "198.51.100.7"
    )
    # Not from a listed proxy: the header is the client's own claim.
    assert net.client_ip(_request("203.0.113.5", "198.51.100.7")) == "203.0.113.5"


def test_axes_reads_the_same_address(settings):
    from axes.helpers import get_client_ip_address

    settings.GONGKAI_TRUSTED_PROXIES = "1"
    assert get_client_ip_address(_request("10.0.0.1", "198.51.100.7")) == "198.51.100.7"


def _payload(org_code, i):
    return {
        "org": org_code,
        "applicant_kind": "natural_person",
        "name": "张三",
        "id_number": VALID_ID,
        "phone": "13800138000",
        "description": f"代理后限流测试所需的信息第{i}项",
        "form": "electronic",
    }


@pytest.mark.django_db
def test_citizens_behind_one_proxy_do_not_share_a_limit(client, org, settings):
    settings.GONGKAI_TRUSTED_PROXIES = "1"
    settings.GONGKAI_FOI_SUBMISSIONS_PER_HOUR = 2
    code = org("示范市教育局").code

    def submit(citizen, i):
        return client.post(
            "/api/v1/foi/requests",
            _payload(code, i),
            content_type="application/json",
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=citizen,
        ).status_code

    assert [submit("198.51.100.1", i) for i in range(3)] == [201, 201, 429]
    assert submit("198.51.100.2", 10) == 201  # another citizen, the same proxy


@pytest.mark.django_db
def test_tracking_attempts_are_counted_in_the_shared_cache(client, settings):
    settings.GONGKAI_FOI_TRACK_ATTEMPTS_PER_HOUR = 3
    statuses = []
    for i in range(4):
        response = client.post("/foi/track/", {"number": f"YSQ-2026-{i:05d}", "password": "x"})
        statuses.append(response.status_code)
        # Another worker: a fresh cache connection sees the same counts (nothing per process).
        caches["default"].close()
    assert statuses[-1] == 429
    from gongkai.core.ratelimit import _key

    fresh = caches.create_connection("default")
    assert fresh.get(_key("foi-track-address", "127.0.0.1")) == 4


@pytest.mark.django_db
def test_the_tracking_api_is_limited_before_any_hash(client, settings, monkeypatch):
    settings.GONGKAI_FOI_TRACK_ATTEMPTS_PER_HOUR = 5
    from gongkai.core import tracking

    hashed = []
    monkeypatch.setattr(tracking, "verify", lambda *a: hashed.append(a) or (False, False))
    statuses = [
        client.get(
            "/api/v1/foi/requests/YSQ-2026-00001", HTTP_X_QUERY_PASSWORD=f"guess{i}"
        ).status_code
        for i in range(8)
    ]
    assert statuses[:5] == [404] * 5 and statuses[5:] == [429] * 3
    assert len(hashed) <= 5  # refused attempts never reach the password hash


@pytest.mark.django_db
def test_one_number_guessed_from_many_addresses_is_limited(client, settings):
    settings.GONGKAI_FOI_TRACK_ATTEMPTS_PER_HOUR = 3
    statuses = [
        client.get(
            "/api/v1/foi/requests/YSQ-2026-00077",
            HTTP_X_QUERY_PASSWORD="guess",
            REMOTE_ADDR=f"198.51.100.{i}",
        ).status_code
        for i in range(5)
    ]
    assert statuses[-1] == 429


def test_limits_work_on_redis(settings):
    """CI machines run Redis: with GONGKAI_REDIS_URL the same limit counts there."""
    import redis

    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    from django.core.cache import cache

    from gongkai.core import ratelimit

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    }
    try:
        cache.clear()
        assert [ratelimit.hit("t", "a", limit=2) for _ in range(3)] == [False, False, True]
        assert not ratelimit.hit("t", "b", limit=2)
    finally:
        cache.clear()


@pytest.mark.django_db
def test_an_idempotent_retry_gets_the_original_receipt(client, org):
    """Issue 14, finding 7: a retry with the same Idempotency-Key answered 409."""
    payload = _payload(org("示范市教育局").code, 1)
    headers = {"HTTP_IDEMPOTENCY_KEY": "retry-7"}
    first = client.post("/api/v1/foi/requests", payload, content_type="application/json", **headers)
    again = client.post("/api/v1/foi/requests", payload, content_type="application/json", **headers)
    assert first.status_code == again.status_code == 201
    assert again.json()["number"] == first.json()["number"]
    assert first.json()["password"] and again.json()["password"] is None
    assert "原申请" in again.json()["note"]
