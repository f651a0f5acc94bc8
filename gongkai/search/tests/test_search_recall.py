"""Bodies are bigrams: every substring of their Chinese text finds them; counts stop at a cap.

These run on the database the suite runs on (SQLite FTS5 or PostgreSQL), so both engines are
covered when the suite runs on both."""

import datetime as dt

import pytest
from django.db import connection

from gongkai.search import tokens
from gongkai.search.backends import COUNT_CAP, IndexedDocument, database
from gongkai.search.models import SearchEntry
from gongkai.search.selectors import resolve_filters, search_documents, search_entries
from gongkai.search.services import entries_indexed

pytestmark = pytest.mark.django_db

BODY = "<p>今年以来，全区政务公开工作取得实效；2026年度报告已于3月发布，详见PDF附件。</p>"


def found(q, **filters) -> list[int]:
    f = resolve_filters(**filters) if filters else None
    return [h.document.pk for h in search_documents(q, filters=f, page_size=100).hits]


def test_every_substring_of_the_chinese_text_of_a_body_finds_it(publish):
    """Any two or more characters in a row of a body's Chinese text, across word boundaries
    and punctuation ("作取得" in 工作取得, "实效2026" is not Chinese text), find the document."""
    doc = publish(title="年度工作总结", body=BODY)
    other = publish(title="无关的通知", body="<p>工作安排另行通知。</p>")
    text = "今年以来全区政务公开工作取得实效"
    for i in range(len(text)):
        for j in range(i + 2, len(text) + 1):
            assert doc.pk in found(text[i:j]), text[i:j]
    assert found("作取得") == [doc.pk]
    assert found("来，全区") == [doc.pk]  # across punctuation, as typed
    assert other.pk not in found("作取得") and doc.pk not in found("作安排")


def test_latin_letters_and_digits_in_bodies_are_words(publish):
    """A run of letters or digits matches whole; a Chinese part next to it is a phrase."""
    doc = publish(title="年度工作总结", body=BODY)
    for q in ["pdf", "2026", "2026年度", "2026年", "度报告", "于3月", "3月发布", "详见pdf附件"]:
        assert doc.pk in found(q), q
    for q in ["pd", "026", "2026月", "见pdf附录"]:
        assert doc.pk not in found(q), q


def test_or_and_several_terms_across_word_boundaries(publish):
    doc = publish(title="年度工作总结", body=BODY)
    other = publish(title="防汛通知", body="<p>做好汛期值班值守工作。</p>")
    assert found("作取得 实效") == [doc.pk]
    assert found("作取得 值守") == []
    assert set(found("作取得 OR 期值班")) == {doc.pk, other.pk}
    assert set(found("作取得 | 期值班")) == {doc.pk, other.pk}
    assert found("作取得 报告 OR 期值班 值守") == [other.pk, doc.pk]  # newest first in a tier
    hit = search_documents("作取得").hits[0]
    assert "工<mark>作取得</mark>实效" in hit.snippet


def test_newest_first_sort(publish):
    older = publish(title="年度工作总结", body=BODY)
    newer = publish(title="公开工作取得实效的报告")
    assert found("作取得") == [newer.pk, older.pk]  # the title match first
    by_date = [h.document.pk for h in search_documents("作取得", sort="date").hits]
    assert by_date == [newer.pk, older.pk]
    older_title = publish(title="作取得之二")  # newest, title match
    by_date = [h.document.pk for h in search_documents("作取得", sort="date").hits]
    assert by_date == [older_title.pk, newer.pk, older.pk]


def _entries(org, n, start=0) -> list[IndexedDocument]:
    return _bodies(org, ["计数上限测试"] * n, start=start, title="测试条目")


def test_counts_are_exact_up_to_the_cap_and_flagged_beyond(org):
    """Counting stops at COUNT_CAP + 1 in the engine: 10,000 matches are counted exactly,
    10,001 are "more than 10,000"."""
    city = org("示范市教育局")
    entries_indexed(_entries(city, COUNT_CAP))
    _, page = search_entries("上限测试", kind="captest", limit=5)
    assert page.count == COUNT_CAP and not page.capped and len(page.ids) == 5
    entries_indexed(_entries(city, 1, start=COUNT_CAP))
    _, page = search_entries("上限测试", kind="captest", limit=5)
    assert page.count == COUNT_CAP and page.capped
    assert page.ids[0] == COUNT_CAP  # newest first
    _, page = search_entries("上限测试", kind="captest", limit=5, sort="date")
    assert page.count == COUNT_CAP and page.capped
    _, page = search_entries("测试条目9999", kind="captest")  # a title match: exact
    assert page.count == 1 and not page.capped


def _bodies(org, texts, start=0, title="条目") -> list[IndexedDocument]:
    return [
        IndexedDocument(
            document_id=None,
            kind="captest",
            object_id=start + i,
            title=tokens.title_terms(f"{title}{i}"),
            number=[],
            body=tokens.body_terms(text),
            facets=[],
            org_id=org.pk,
            category_id=None,
            doc_type="",
            validity="",
            date_signed=dt.date(2026, 1, 1),
        )
        for i, text in enumerate(texts)
    ]


def test_a_phrase_is_counted_exactly_when_its_bigrams_are_common_apart(org, monkeypatch):
    """Entries holding every bigram of 工作的通知 but not the phrase are candidates, not
    matches: with more candidates than the cap (lowered to 20) but fewer matches, the count
    is exact; PostgreSQL's sample of the candidates must not call it "more than the cap"."""
    monkeypatch.setattr(database, "COUNT_CAP", 20)
    city = org("示范市教育局")
    decoy, match = "工作的安排的通知。", "关于工作的通知。"
    entries_indexed(_bodies(city, [decoy] * 40 + [match] * 15))
    _, page = search_entries("工作的通知", kind="captest", limit=5)
    assert page.count == 15 and not page.capped
    entries_indexed(_bodies(city, [match] * 6, start=100))
    _, page = search_entries("工作的通知", kind="captest", limit=5)
    assert page.count == 20 and page.capped
    _, page = search_entries("工作的通知", kind="captest", limit=5, sort="date")
    assert page.count == 20 and page.capped
    assert page.ids[0] == 105  # newest first


def test_over_the_cap_title_matches_first_then_the_rest_newest_first(org, monkeypatch):
    """More than the cap match (lowered to 6) and few in titles: the title tier, then the rest
    walked newest first without a probe, page after page, each match once."""
    monkeypatch.setattr(database, "COUNT_CAP", 6)
    city = org("示范市教育局")
    bodies = _bodies(city, ["关于工作的通知。"] * 12)
    for i in (3, 7):
        bodies[i].title = tokens.title_terms("工作的通知（第二批）")
    entries_indexed(bodies)
    _, first = search_entries("工作的通知", kind="captest", limit=5)
    assert first.capped and first.count == 6
    assert first.ids == [7, 3, 11, 10, 9]
    assert [first.tiers[i] for i in first.ids] == ["title", "title", "body", "body", "body"]
    _, second = search_entries("工作的通知", kind="captest", offset=5, limit=5)
    assert second.ids == [8, 6, 5, 4, 2]
    _, third = search_entries("工作的通知", kind="captest", offset=10, limit=5)
    assert third.ids == [1, 0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's sampled count")
def test_postgres_says_more_than_the_cap_from_a_sample_of_candidates(org, monkeypatch):
    """Many more matches than the cap: one statement counts the candidates from the index and
    rechecks a spread sample of them, instead of rechecking matches one by one up to the cap;
    a precision too low to be sure at first looks at more candidates, then counts exactly."""
    from django.test.utils import CaptureQueriesContext

    from gongkai.search.backends import get_backend, postgres

    monkeypatch.setattr(database, "COUNT_CAP", 20)
    city = org("示范市教育局")
    entries_indexed(_bodies(city, ["关于工作的通知。"] * 300))
    backend = get_backend()
    query = backend._prepared(tokens.parse("工作的通知", tokens.Filters(entry="captest")))
    expression = backend.expression(query)
    with CaptureQueriesContext(connection) as sql:
        assert backend._count(expression, query, cap=20) == 21
    assert len(sql.captured_queries) == 1 and "WITH c AS" in sql[0]["sql"]

    # One candidate in four matches (cap 100): the first 200 candidates say nothing sure, the
    # 800 that the sample's precision asks for do; 400 in all do not, and are counted exactly.
    monkeypatch.setattr(postgres, "SAMPLE_CANDIDATES", 200)
    mixed = ["工作的安排的通知。"] * 3 + ["关于工作的通知。"]
    for n, count, statements in ((300, 101, 2), (100, 100, 3), (20, 20, 1)):
        SearchEntry.objects.filter(kind="captest").delete()
        entries_indexed(_bodies(city, mixed * n))
        with CaptureQueriesContext(connection) as sql:
            assert backend._count(expression, query, cap=100) == count
        assert len(sql.captured_queries) == statements
    assert postgres.lower_bound(0, 0) == 0.0
    assert 0.9 < postgres.lower_bound(500, 500) < postgres.lower_bound(5000, 5000) < 1


def test_the_page_and_the_api_say_more_than_the_cap(client, publish, monkeypatch):
    """Beyond the cap the page says 超过 1 万条 and the API flags the count (the cap lowered
    here so that three documents exceed it)."""
    for i in range(3):
        publish(title=f"关于防汛检查的通知（第{i}批）")
    html = client.get("/search/", {"q": "防汛检查"}).content.decode()
    assert "找到 3 条结果" in html
    body = client.get("/api/v1/documents", {"q": "防汛检查"}).json()
    assert body["count"] == 3 and body["count_capped"] is False
    monkeypatch.setattr(database, "COUNT_CAP", 2)
    html = client.get("/search/", {"q": "防汛检查"}).content.decode()
    assert "找到超过 1 万条结果" in html
    body = client.get("/api/v1/documents", {"q": "防汛检查"}).json()
    assert body["count"] == 2 and body["count_capped"] is True and len(body["items"]) == 3
    assert client.get("/api/v1/documents").json()["count_capped"] is False  # the plain list


def test_an_index_of_words_keeps_working_until_rebuilt(publish):
    """Entries written before bigram bodies (analysis 1: rjieba words in bodies; on PostgreSQL
    no marked title lexemes either) are still found by a query of whole words, title matches
    first; a rebuild makes every substring findable."""
    from gongkai.search.services import reindex

    doc = publish(title="年度工作总结", body="<p>依申请公开工作取得实效。</p>")
    entry = SearchEntry.objects.get(document=doc)
    words = tokens.words("依申请公开工作取得实效。")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE search_fts SET body = %s WHERE rowid = %s", [" ".join(words), entry.pk]
            )
    else:
        from gongkai.search.backends.postgres import TITLE_MARK, vector

        old = vector(tokens.title_terms(doc.title), [], words, [tokens.ALL]).split(" ")
        old = " ".join(lexeme for lexeme in old if not lexeme.startswith("'" + TITLE_MARK))
        SearchEntry.objects.filter(pk=entry.pk).update(vector=old)
    SearchEntry.objects.filter(pk=entry.pk).update(analysis=tokens.LEGACY_ANALYSIS)
    database._legacy.clear()
    try:
        assert found("依申请公开") == [doc.pk]
        assert found("工作 实效") == [doc.pk]
        assert [h.tier for h in search_documents("工作总结").hits] == ["title"]
        reindex()
        assert not SearchEntry.objects.filter(analysis__lt=tokens.ANALYSIS).exists()
        assert found("作取得") == [doc.pk]
        assert [h.tier for h in search_documents("工作总结").hits] == ["title"]
    finally:
        database._legacy.clear()


def test_entries_without_marked_titles_keep_their_title_tier_until_rebuilt(publish):
    """Analysis 2 (before SQLite's marked title terms): the title tier also looks for the
    plain phrase in the title columns while such entries remain; a rebuild writes the marks."""
    from gongkai.search.services import reindex

    doc = publish(title="森林防火期间野外用火管理通告", body="<p>严禁野外用火。</p>")
    body_only = publish(title="年度工作要点", body="<p>加强野外用火管理。</p>")
    entry = SearchEntry.objects.get(document=doc)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT facets FROM search_fts WHERE rowid = %s", [entry.pk])
            facets = cursor.fetchone()[0].split(" ")
            assert tokens.TITLE_MARK + "野外" in facets
            plain = " ".join(t for t in facets if not t.startswith(tokens.TITLE_MARK))
            cursor.execute("UPDATE search_fts SET facets = %s WHERE rowid = %s", [plain, entry.pk])
    SearchEntry.objects.filter(pk=entry.pk).update(analysis=tokens.UNMARKED_ANALYSIS)
    database._legacy.clear()
    try:
        hits = search_documents("野外用火").hits
        assert [(h.document.pk, h.tier) for h in hits] == [
            (doc.pk, "title"),
            (body_only.pk, "body"),
        ]
        assert [h.tier for h in search_documents("森").hits] == ["title"]
        reindex()
        assert not SearchEntry.objects.filter(analysis__lt=tokens.ANALYSIS).exists()
        hits = search_documents("野外用火").hits
        assert [(h.document.pk, h.tier) for h in hits] == [
            (doc.pk, "title"),
            (body_only.pk, "body"),
        ]
    finally:
        database._legacy.clear()
