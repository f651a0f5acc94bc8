"""Public pages come from the cache for anonymous visitors and change as soon as what they show
changes; staff, sessions, forms and tracking pages never touch it (gongkai.portal.cache).

These tests commit for real: the cache serves nothing to a request inside an open
transaction, and the generation is bumped only when a transaction commits.
"""

import datetime as dt
import socket
import uuid

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from gongkai.core import audit
from gongkai.orgs.models import Membership
from gongkai.portal import cache

pytestmark = [pytest.mark.transactional, pytest.mark.usefixtures("demo_data")]
EDU = "示范市教育局"
HEADER = cache.HEADER


def how(response) -> str | None:
    return response.get(HEADER)


def api_titles(client) -> list[str]:
    return [d["title"] for d in client.get("/api/v1/documents").json()["items"]]


def test_second_request_is_served_from_the_cache(client, django_assert_max_num_queries):
    """The first visit renders (a miss), the next ones are read back with at most the one query
    that reads the generation from the database cache; HEAD uses the same entry."""
    first = client.get("/")
    assert first.status_code == 200 and how(first) == "miss"
    with django_assert_max_num_queries(1):
        second = client.get("/")
    assert how(second) == "hit" and second.content == first.content
    assert second["Cache-Control"] == "public, max-age=60"
    assert "Cookie" in second["Vary"] and second["ETag"] and second["Last-Modified"]
    assert not second.cookies  # a public page sets no cookie (no CSRF token in it)
    head = client.head("/")
    assert head.status_code == 200 and how(head) == "hit"
    for url in ("/normative/", "/orgs/", "/sitemap.xml", "/api/v1/documents"):
        client.get(url)
        assert how(client.get(url)) == "hit", url


def test_the_api_lists_are_cached_on_the_server_only(client):
    """/api/ stays no-store for browsers and proxies; the server still keeps the list."""
    client.get("/api/v1/documents")
    response = client.get("/api/v1/documents")
    assert how(response) == "hit" and "no-store" in response["Cache-Control"]
    assert "ETag" not in response and "public" not in response["Cache-Control"]
    assert how(client.get("/api/v1/documents?x=1")) is None  # not a public filter: uncached


def test_a_publication_shows_at_once_and_a_withdrawal_removes_it(client, publish):
    """Home and the API list are cached; publishing bumps the generation on commit, so the
    next request shows the new document; withdrawing it takes it off again."""
    client.get("/"), client.get("/api/v1/documents")
    assert how(client.get("/")) == "hit"
    doc = publish(EDU, "关于缓存失效测试的通知")
    home = client.get("/")
    assert how(home) == "miss" and "关于缓存失效测试的通知" in home.content.decode()
    assert "关于缓存失效测试的通知" in api_titles(client)
    assert how(client.get("/")) == "hit"

    from gongkai.documents import services

    services.document_transition(
        actor=publish.staff[EDU][0], document=doc, action="withdraw", reason="内容已更新"
    )
    assert "关于缓存失效测试的通知" not in client.get("/").content.decode()
    assert "关于缓存失效测试的通知" not in api_titles(client)


def test_a_validity_change_of_a_normative_document_shows(client, publish, make_staff):
    """The normative list (current documents) drops a rule as soon as another replaces it."""
    from gongkai.normative import services

    legal = make_staff(EDU, Membership.Role.LEGAL_REVIEWER)
    today = timezone.localdate()

    def rule(title, effective):
        doc = publish(EDU, title, doc_type="notice", body=f"<p>{title}</p>")
        return services.normative_register(actor=legal, document=doc, effective_date=effective)

    old = rule("示范市缓存旧办法", today - dt.timedelta(days=900))
    assert "示范市缓存旧办法" in client.get("/normative/").content.decode()
    assert how(client.get("/normative/")) == "hit"
    new = rule("示范市缓存新办法", today - dt.timedelta(days=10))
    services.relation_add(actor=legal, source=new, target=old, kind="replaces")
    listed = client.get("/normative/")
    assert how(listed) == "miss"
    assert "示范市缓存旧办法" not in listed.content.decode()
    assert "示范市缓存新办法" in listed.content.decode()


def test_staff_and_session_cookies_never_read_nor_fill_the_cache(client, make_staff):
    """A signed-in user (a session cookie) is never served the anonymous copy and never stores
    one; a leftover session cookie of an anonymous visitor counts the same."""
    staff = Client()
    staff.force_login(make_staff(EDU, Membership.Role.PUBLISHER))
    assert how(staff.get("/")) is None
    assert how(client.get("/")) == "miss"  # the staff visit stored nothing
    assert how(client.get("/")) == "hit"
    page = staff.get("/")
    assert how(page) is None and "ETag" not in page
    stranger = Client()
    stranger.cookies["sessionid"] = "x" * 32
    assert how(stranger.get("/")) is None


def test_conditional_requests_get_304_until_the_page_changes(client, publish):
    """If-None-Match with the current ETag, or If-Modified-Since the last bump: 304; after a
    publication the same validators get the new page."""
    first = client.get("/")
    etag, modified = first["ETag"], first["Last-Modified"]
    assert client.get("/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get("/", HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    publish(EDU, "关于条件请求测试的通知")
    fresh = client.get("/", HTTP_IF_NONE_MATCH=etag)
    assert fresh.status_code == 200 and fresh["ETag"] != etag


def test_english_and_chinese_are_cached_apart(client):
    """The language is part of the key: the Chinese copy is never served to an English
    visitor, nor the large-text copy to a visitor with normal text."""
    chinese = client.get("/")
    english_client = Client()
    english_client.cookies["django_language"] = "en"
    english = english_client.get("/")
    assert how(english) == "miss" and english.content != chinese.content
    assert 'lang="en"' in english.content.decode() and 'lang="zh-hans"' in chinese.content.decode()
    assert how(english_client.get("/")) == "hit"
    assert 'lang="zh-hans"' in client.get("/").content.decode()
    large = Client()
    large.cookies["gk_text"] = "large"
    page = large.get("/")
    assert how(page) == "miss" and "text-large" in page.content.decode()


def test_tracking_forms_and_unbounded_queries_are_never_cached(client):
    """Tracking pages, pages with a form (a CSRF token) and queries outside the public filters
    render every time; `page=N` for a small N is kept at once."""
    for url in ("/foi/track/", "/interaction/track/", "/foi/apply/", "/interaction/ask/"):
        client.get(url)
        response = client.get(url)
        assert how(response) is None, url
        assert "public" not in response.get("Cache-Control", ""), url
    long_query = "/search/?q=" + "教" * 101
    for url in ("/normative/?page=999", "/normative/?page=02", "/?x=1", "/search/?q=a&q=b",
                "/search/?q=教育&utm_source=x", long_query):  # fmt: skip
        client.get(url)
        assert how(client.get(url)) is None, url
    client.get("/normative/?page=2")
    assert how(client.get("/normative/?page=2")) == "hit"
    client.get("/healthz")
    assert how(client.get("/healthz")) is None


def test_a_search_asked_for_again_is_kept_and_a_one_off_is_not(client, publish):
    """A free query (a search, a filtered list) is stored on its second request only, so a
    stream of random searches leaves nothing but small markers; the order of the parameters
    does not matter, and a publication shows in the cached search at once."""
    first = client.get("/search/?q=缓存检索&sort=date")
    assert how(first) == "miss"
    assert how(client.get("/search/?sort=date&q=缓存检索")) == "miss"  # now stored
    assert how(client.get("/search/?q=缓存检索&sort=date")) == "hit"
    api = "/api/v1/documents?q=缓存检索&page_size=5"
    client.get(api), client.get(api)
    assert how(client.get(api)) == "hit" and client.get(api).json()["count"] == 0
    publish(EDU, "关于缓存检索测试的通知")
    page = client.get("/search/?q=缓存检索&sort=date")
    assert how(page) == "miss" and "测试的通知" in page.content.decode()  # the title, marked up
    assert client.get(api).json()["count"] == 1
    # One-off queries: each rendered, none stored, only a marker each.
    for i in range(5):
        assert how(client.get(f"/search/?q=一次性{i}")) == "miss"
    assert how(client.get("/search/?q=一次性0")) == "miss"  # the second time: stored now
    assert how(client.get("/search/?q=一次性0")) == "hit"


def test_only_a_commit_bumps_and_quiet_verbs_do_not(make_staff):
    """A rolled-back change leaves the generation alone; one transaction with many events bumps
    once; account changes do not touch public pages."""
    before = cache.generation()
    with pytest.raises(RuntimeError), transaction.atomic():
        audit.record(actor=None, verb="document.update")
        raise RuntimeError
    assert cache.generation() == before
    make_staff(EDU, Membership.Role.PUBLISHER)  # user.create + membership.grant
    assert cache.generation() == before
    with transaction.atomic():
        for _ in range(3):
            audit.record(actor=None, verb="document.update")
        pending = transaction.get_connection().run_on_commit
        assert sum(f is cache._bump_after_commit for _ids, f, _r in pending) == 1
    assert cache.generation() != before


def _redis_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _redis_reachable(), reason="no Redis on 127.0.0.1:6379")
def test_with_redis_a_hit_costs_no_query(settings, django_assert_num_queries, publish):
    """GONGKAI_REDIS_URL's layout: the generation and the pages in Redis, no database query
    for a cached page, and a publication still shows at once."""
    prefix = f"gk-test-{uuid.uuid4().hex[:8]}"
    redis = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/0",
        "KEY_PREFIX": prefix,
    }
    settings.CACHES = {"default": redis, "public_pages": redis | {"KEY_PREFIX": prefix + "p"}}
    try:
        client = Client()
        assert how(client.get("/")) == "miss"
        with django_assert_num_queries(0):
            assert how(client.get("/")) == "hit"
        publish(EDU, "关于Redis缓存测试的通知")
        assert "关于Redis缓存测试的通知" in client.get("/").content.decode()
    finally:
        from django.core.cache import caches

        caches["default"].delete(cache.GENERATION_KEY)
