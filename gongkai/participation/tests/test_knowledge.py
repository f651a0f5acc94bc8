"""The knowledge base (一号答) in the documents' full-text index: published Q&A are entries of
their own kind, found by the same search, counted as a facet beside documents, and never mixed
into document results."""

from __future__ import annotations

import pytest

from gongkai.participation import knowledge
from gongkai.participation.selectors import questions as selectors
from gongkai.participation.services import questions as services
from gongkai.search import selectors as search
from gongkai.search import services as index
from gongkai.search.backends import get_backend
from gongkai.search.models import SearchEntry

from .test_questions import CIVIL, EDU, _published

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def edu_head(make_staff):
    return make_staff(EDU, "office_head")


def test_publishing_indexes_and_unpublishing_drops_the_entry(org, edu_head):
    """Publication writes the Q&A's public texts to the index in its transaction; withdrawal
    takes the entry out; the masked name never reaches the index."""
    edu = org(EDU)
    q = _published(edu, edu_head, "校车接送时间", "请问王小明所在学校校车几点发车？")
    entry = SearchEntry.objects.get(kind=knowledge.KIND, object_id=q.pk)
    assert entry.document_id is None and entry.org_id == edu.pk
    hits, n = knowledge.find("校车")
    assert n == 1 and hits[0].question.pk == q.pk and "<mark>" in hits[0].title
    assert knowledge.find("王小明") == ([], 0)  # the name is masked before publication

    services.question_unpublish(actor=edu_head, question=q, reason="误公开")
    assert not SearchEntry.objects.filter(kind=knowledge.KIND).exists()
    assert knowledge.find("校车") == ([], 0)


def test_documents_and_questions_never_mix(org, edu_head, publish):
    """A word in both a document and a Q&A: the document search returns the document only, the
    Q&A search the Q&A only, and the facet count says how many Q&A match."""
    edu = org(EDU)
    doc = publish(EDU, "关于校车安全管理的通知", body="<p>校车安全</p>")
    q = _published(edu, edu_head, "校车安全谁来管", "校车安全由哪个部门负责？")
    found = search.search_documents("校车")
    assert [h.document.pk for h in found.hits] == [doc.pk] and found.count == 1
    assert [h.question.pk for h in knowledge.find("校车")[0]] == [q.pk]
    assert knowledge.count("校车") == 1
    # Filters on documents (organisation, year) leave the Q&A out too.
    org_only = search.resolve_filters(org_code=edu.code)
    assert search.search_documents("校车", filters=org_only).count == 1
    facets = search.search_facets("校车")
    assert sum(v.count for v in facets.orgs) == 1


def test_organisation_filter_takes_sub_units_and_unknown_code_finds_nothing(org, make_staff):
    edu, civil = org(EDU), org(CIVIL)
    edu_head, civil_head = make_staff(EDU, "office_head"), make_staff(CIVIL, "office_head")
    _published(edu, edu_head, "学位申请", "学位申请要什么材料？")
    mine = _published(civil, civil_head, "低保申请", "低保申请要什么材料？")
    hits, n = knowledge.find("申请", org_code=civil.code)
    assert n == 1 and hits[0].question.pk == mine.pk
    assert knowledge.find("申请", org_code="NOPE") == ([], 0)
    assert selectors.published_questions(q="申请", org_code="NOPE").count() == 0


def test_reindex_rebuilds_the_questions_too(org, edu_head):
    """`gongkai reindex` clears the index and writes documents and every registered source."""
    edu = org(EDU)
    q = _published(edu, edu_head, "课后服务收费", "课后服务怎么收费？")
    index.reindex()
    assert [h.question.pk for h in knowledge.find("课后服务")[0]] == [q.pk]


def test_searched_pages_like_a_queryset(org, edu_head):
    """The paginator's last, short page asks the index for the right offset."""
    edu = org(EDU)
    made = [_published(edu, edu_head, f"食堂问题{i}", "食堂饭菜怎么样？") for i in range(5)]
    searched = selectors.published_questions(q="食堂")
    assert searched.count() == 5
    first, last = searched[0:2], searched[4:6]
    assert len(first) == 2 and len(last) == 1
    assert {x.pk for x in [*first, *searched[2:4], *last]} == {m.pk for m in made}
    assert all(x.hit.title for x in first)


def test_interaction_search_page_highlights_and_has_constant_queries(
    client, org, edu_head, django_assert_max_num_queries
):
    edu = org(EDU)
    for i in range(6):
        _published(edu, edu_head, f"入学政策{i}", "入学政策咨询")
    with django_assert_max_num_queries(8 + 2 * get_backend().planner_queries):
        response = client.get("/interaction/?q=入学")
    body = response.content.decode()
    assert response.status_code == 200 and body.count('data-testid="qa-item"') == 6
    assert "<mark>入学</mark>" in body


def test_portal_search_shows_the_question_facet(client, org, edu_head, publish):
    edu = org(EDU)
    publish(EDU, "招生入学工作通知", body="<p>招生入学</p>")
    for i in range(4):
        _published(edu, edu_head, f"招生入学问题{i}", "招生入学怎么报名？")
    body = client.get("/search/?q=招生入学").content.decode()
    assert 'data-testid="answers-count">(4)' in body
    assert body.count("/interaction/LY") >= 3


def test_question_counts_stop_at_the_cap_like_document_totals(
    client, org, edu_head, publish, monkeypatch
):
    """The Q&A count beside documents and the interaction page's total are capped as document
    totals are (the cap lowered to 3 here): "超过 1 万条", not a count of every match."""
    from gongkai.search.backends import database

    edu = org(EDU)
    publish(EDU, "招生入学工作通知", body="<p>招生入学</p>")
    for i in range(4):
        _published(edu, edu_head, f"招生入学问题{i}", "招生入学怎么报名？")
    monkeypatch.setattr(database, "COUNT_CAP", 3)
    n = knowledge.count("招生入学")
    assert n == 3 and n.capped
    body = client.get("/search/?q=招生入学").content.decode()
    assert 'data-testid="answers-count">(超过 1 万条)' in body and "查看全部问答" in body
    body = client.get("/interaction/?q=招生入学").content.decode()
    assert "超过 1 万条" in body and body.count('data-testid="qa-item"') == 3
    monkeypatch.setattr(database, "COUNT_CAP", 10)
    n = knowledge.count("招生入学")
    assert n == 4 and not n.capped
