import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from gongkai.documents import services
from gongkai.documents.models import Category, Column
from gongkai.search import tokens
from gongkai.search.backends import get_backend
from gongkai.search.models import SearchEntry
from gongkai.search.selectors import highlight, resolve_filters, search_documents, search_facets
from gongkai.search.services import reindex

pytestmark = pytest.mark.django_db

TITLES = [
    "关于进一步做好2026年政务公开工作的通知",
    "示范市人民政府办公室关于印发《权责清单管理办法（试行）》的通知",
    "ＡＢＣ联合公告：关于暂停受理部分事项",
]


def found(q, **filters) -> list[int]:
    f = resolve_filters(**filters) if filters else None
    return [h.document.pk for h in search_documents(q, filters=f, page_size=100).hits]


def test_every_substring_of_two_or_more_characters_of_a_title_finds_it(publish):
    docs = [publish(title=t) for t in TITLES]
    for doc in docs:
        chars = tokens.normalise(doc.title)
        # Every substring of the title as stored (punctuation included), and of its letters.
        for text in (doc.title, chars):
            for i in range(len(text)):
                for j in range(i + 2, len(text) + 1):
                    sub = text[i:j]
                    if len(tokens.normalise(sub)) < 2:
                        continue
                    assert doc.pk in found(sub), sub


def test_document_number_in_any_spelling_ranks_first(publish):
    others = [
        publish(title=f"郑政办关于2020年第{n}批工作的通知", document_number=f"郑政办〔2020〕{n}3号")
        for n in range(1, 5)
    ]
    target = publish(title="关于做好防汛工作的通知", document_number="郑政办〔2020〕43号")
    reading = publish(
        title="郑政办 2020 43 号文件的解读", body="<p>郑政办〔2020〕43号 的解读。</p>"
    )
    cited = publish(title="年度工作要点", body="<p>依据郑政办〔2020〕43号文件执行。</p>")
    for q in ["郑政办〔2020〕43号", "郑政办[2020]43号", "郑政办 2020 43", "郑政办（2020）43号"]:
        hits = search_documents(q).hits
        assert hits[0].document == target, q
        assert hits[0].tier == "number"
        # After the named document, its title matches, then the documents citing it.
        assert [(h.document, h.tier) for h in hits if h.document in (reading, cited)] == [
            (reading, "title"),
            (cited, "body"),
        ], q
    assert others[0].pk not in found("郑政办〔2020〕43号")  # 13号 is another document
    for q in ["郑政办 2020 43", "郑政办（2020）第043号"]:
        ids = found(q)
        assert search_documents(q).count == len(ids) == len(set(ids))
        assert [h.document.pk for h in search_documents(q, page=2, page_size=1).hits] == ids[1:2]


def test_title_matches_rank_above_body_matches_and_newest_first_within(publish):
    body_only = publish(title="年度工作要点", body="<p>做好权责清单的动态调整。</p>")
    title_old = publish(title="权责清单目录（第一批）")
    title_new = publish(title="权责清单目录（第二批）")
    assert found("权责清单") == [title_new.pk, title_old.pk, body_only.pk]
    by_date = [h.document.pk for h in search_documents("权责清单", sort="date").hits]
    assert by_date == [title_new.pk, title_old.pk, body_only.pk]


def test_paging_across_tiers(publish):
    docs = [publish(title=f"安全生产检查通报第{i}期") for i in range(3)]
    docs += [publish(title=f"第{i}期简报", summary="开展安全生产检查") for i in range(3)]
    all_ids = found("安全生产")
    assert len(all_ids) == 6
    pages = [
        [h.document.pk for h in search_documents("安全生产", page=p, page_size=4).hits]
        for p in (1, 2)
    ]
    assert pages[0] + pages[1] == all_ids
    assert search_documents("安全生产", page=2, page_size=4).count == 6


def test_body_and_attachment_text_are_searched_with_highlighted_snippets(publish):
    doc = publish(
        title="年度报告",
        body="<p>本机关在工作日内办结全部申请，<b>依申请公开</b>办理情况良好。</p>",
    )
    hit = search_documents("依申请公开").hits[0]
    assert hit.document == doc and hit.tier == "body"
    assert "<mark>依申请公开</mark>" in hit.snippet and "<b>" not in hit.snippet
    assert doc.pk in found("工作日")


def test_drafts_are_not_indexed_and_withdrawn_documents_disappear_at_once(publish, make_staff, org):
    doc = publish(title="关于城市更新试点的公示")
    pub = publish.staff["示范市教育局"][0]
    services.document_create(
        actor=pub,
        org=org("示范市教育局"),
        data={
            "title": "城市更新试点草稿",
            "date_signed": dt.date(2026, 3, 2),
            "attribute": "proactive",
        },
    )
    assert found("城市更新") == [doc.pk]
    services.document_transition(actor=pub, document=doc, action="withdraw", reason="内容有误")
    assert found("城市更新") == []
    assert not SearchEntry.objects.filter(document=doc).exists()


def test_a_rolled_back_publication_leaves_the_index_untouched(publish, make_staff, org):
    publish(title="已发布的通知")
    pub, rev = publish.staff["示范市教育局"]
    doc = services.document_create(
        actor=pub,
        org=org("示范市教育局"),
        data={
            "title": "回滚测试通知",
            "date_signed": dt.date(2026, 3, 2),
            "attribute": "proactive",
        },
    )
    doc = services.document_transition(actor=pub, document=doc, action="submit")
    doc = services.document_transition(actor=rev, document=doc, action="approve")
    with pytest.raises(RuntimeError), transaction.atomic():
        services.document_transition(actor=pub, document=doc, action="publish")
        assert found("回滚测试")
        raise RuntimeError("crash after publishing")
    assert found("回滚测试") == []


def test_filters_org_with_sub_units_category_column_type_year_dates(publish, org):
    livelihood = Category.objects.get(code="livelihood")
    column = Column.objects.create(name="测试专栏", slug="test-column")
    edu = publish("示范市教育局", "教育系统安全检查通知", category=livelihood, columns=[column])
    unit = publish(
        "示范市教育局政策法规科", "教育执法安全检查公示", doc_type="announcement",
        date_signed=dt.date(2025, 6, 1),
    )  # fmt: skip
    civil = publish("示范市民政局", "民政安全检查通知")
    edu_code = org("示范市教育局").code
    assert set(found("安全检查")) == {edu.pk, unit.pk, civil.pk}
    assert set(found("安全检查", org_code=edu_code)) == {edu.pk, unit.pk}
    assert found("安全检查", category="livelihood") == [edu.pk]
    assert found("安全检查", column="test-column") == [edu.pk]
    assert found("安全检查", doc_type="announcement") == [unit.pk]
    assert found("安全检查", year=2025) == [unit.pk]
    assert set(found("安全检查", date_from=dt.date(2026, 1, 1))) == {edu.pk, civil.pk}
    assert found("安全检查", date_to=dt.date(2025, 12, 31)) == [unit.pk]
    facets = search_facets("安全检查")
    assert sorted(f.count for f in facets.orgs) == [1, 1, 1]
    assert {f.key for f in facets.orgs} == {edu_code, civil.org.code, unit.org.code}
    assert {f.key: f.count for f in facets.years} == {"2026": 2, "2025": 1}
    assert not facets.sampled


def test_facets_count_the_newest_matches_when_there_are_more(publish, monkeypatch):
    """Over the facet sample (lowered to 2), facets count the newest matches and say so."""
    from gongkai.search.backends import database

    for year in (2023, 2024, 2025):
        publish(title=f"{year}年防汛检查通知", date_signed=dt.date(year, 5, 1))
    monkeypatch.setattr(database, "FACET_SAMPLE", 2)
    facets = search_facets("防汛检查")
    assert facets.sampled
    assert {f.key: f.count for f in facets.years} == {"2025": 1, "2024": 1}
    monkeypatch.setattr(database, "FACET_SAMPLE", 3)
    facets = search_facets("防汛检查")
    assert not facets.sampled and len(facets.years) == 3


def test_reindex_rebuilds_the_same_results(publish):
    docs = [publish(title=f"第{i}号公告：关于供水管网改造") for i in range(5)]
    before = found("供水管网")
    with connection.cursor() as cursor:
        get_backend().clear()
        cursor.execute("SELECT 1")
    assert found("供水管网") == []
    assert reindex(batch_size=2) >= 5
    assert found("供水管网") == before == [d.pk for d in reversed(docs)]


def test_highlight_escapes_markup():
    pattern = search_documents.__globals__["_pattern"](tokens.parse("script"))
    html = highlight('<script>alert("x")</script>', pattern, window=False)
    assert "<script>" not in html and "<mark>script</mark>" in html


@pytest.mark.parametrize("q", ["", "   ", "（）《》", '"* OR NOT', "AND", "NEAR(a b)", "'--"])
def test_odd_queries_do_not_break_the_engine(publish, q):
    publish(title="关于 AND OR NOT 的说明")
    search_documents(q)  # no exception: operators never reach the engine as syntax


def test_api_q_searches(client, publish):
    doc = publish(title="关于开展垃圾分类示范片区建设的通知")
    body = client.get("/api/v1/documents", {"q": "分类"}).json()
    assert body["count"] == 1 and body["items"][0]["index_number"] == doc.index_number
    assert client.get("/api/v1/documents", {"q": "分类", "org": "NOPE"}).status_code == 404
    assert client.get("/api/v1/documents", {"q": "x" * 300}).status_code == 422


def test_seed_and_reindex_commands(run_cli):
    from gongkai.documents.models import Document

    code, out, _ = run_cli("seed", "--documents", "30", "--batch-size", "7")
    assert code == 0 and "created and indexed 30 documents" in out
    docs = list(Document.objects.filter(status="published"))
    assert len(docs) == 30 and len({d.index_number for d in docs}) == 30
    assert all(d.document_number.endswith("号") for d in docs)
    title = docs[0].title
    assert docs[0].pk in found(title[3:7])
    code, out, _ = run_cli("reindex", "--quiet")
    assert code == 0 and "indexed 30 published documents" in out
    assert docs[0].pk in found(title[3:7])
    # A later real publication continues the sequences: no index number is reused.
    from gongkai.core.models import Sequence

    assert Sequence.objects.filter(name__startswith="index:").exists()
    code, _, err = run_cli("seed", "--documents", "0")
    assert code == 2 and "正整数" in err


def test_queries_never_match_facet_terms(publish, org):
    publish(title="关于印发工作要点的通知")
    code = org("示范市教育局").pk
    for q in ["all", f"org{code}", "y2026", "typenotice", "vvalid", "\ue000all"]:
        assert found(q) == [], q


def test_one_character_finds_a_title_by_its_last_character_too(publish):
    doc = publish(title="关于加强档案管理")
    assert doc.pk in found("理") and doc.pk in found("关")


def test_punctuation_only_is_no_query(client, publish):
    """Only symbols or emoji: the page asks for words instead of listing everything."""
    publish(title="普通通知")
    assert search_documents("。。").count == 0
    for q in ("。。", "%", "😀", "😀 %", "OR"):
        page = client.get("/search/", {"q": q})
        html = page.content.decode()
        assert page.status_code == 200 and "请输入检索词" in html and "普通通知" not in html, q
    assert "普通通知" in client.get("/search/").content.decode()  # no query: the plain list
    assert client.get("/api/v1/documents", {"q": "？！"}).json()["count"] >= 1


def test_long_runs_of_letters_do_not_break_publication(publish):
    blob = "QUJD" * 1000  # a base64 dump in the text: one 4000-character "word"
    doc = publish(title="附件编码说明", body=f"<p>{blob}</p><p>正文说明文字。</p>")
    assert doc.pk in found("说明文字")


def test_moving_an_organisation_moves_its_documents_in_search(publish, org, django_user_model):
    from gongkai.orgs.services import org_update

    doc = publish("示范市教育局政策法规科", "法规科的安全检查通知")
    edu, civil = org("示范市教育局"), org("示范市民政局")
    assert found("安全检查", org_code=edu.code) == [doc.pk]
    root = django_user_model.objects.create_superuser("root-move", password="x")
    org_update(actor=root, org=org("示范市教育局政策法规科"), data={"parent": civil})
    assert found("安全检查", org_code=edu.code) == []
    assert found("安全检查", org_code=civil.code) == [doc.pk]


def test_inactive_columns_are_not_public(client, publish):
    column = Column.objects.create(name="旧专栏", slug="old", is_active=False)
    publish(title="旧专栏的通知", columns=[column])
    page = client.get("/search/", {"q": "通知", "column": "old"})
    assert page.status_code == 400 and "找不到“old”" in page.content.decode()
    assert client.get("/api/v1/documents", {"column": "old"}).status_code == 404


@pytest.mark.django_db
def test_a_stale_full_text_row_under_a_reused_id_is_replaced(publish):
    """SQLite: an entry removed behind the index's back (a cascade, a flush) leaves its FTS5
    row; when its id comes round again, indexing replaces that row instead of failing."""
    from django.db import connection

    from gongkai.search.models import SearchEntry
    from gongkai.search.selectors import search_documents

    if connection.vendor != "sqlite":
        pytest.skip("the FTS5 table is SQLite's")
    first = publish(title="关于旧资料的通知")
    entry_id = SearchEntry.objects.get(document=first).pk
    SearchEntry.objects.filter(pk=entry_id).delete()  # the FTS5 row stays
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE sqlite_sequence SET seq = %s WHERE name = 'search_searchentry'", [entry_id - 1]
        )
    second = publish(title="关于新资料的通知")
    assert SearchEntry.objects.get(document=second).pk == entry_id
    assert [h.document.pk for h in search_documents("新资料").hits] == [second.pk]
    assert search_documents("旧资料").hits == []


def test_a_word_found_only_in_titles_costs_no_query_for_the_rest(publish):
    docs = [publish(title=f"防汛抗旱工作通知第{i}号") for i in range(3)]
    other = publish(title="年度要点", body="<p>做好森林防火和防汛准备。</p>")
    with CaptureQueriesContext(connection) as ctx:
        assert found("抗旱") == [d.pk for d in reversed(docs)]
    # Every match is a title match and the total is exact: the body tier is known to be
    # empty, and no query (title matches excluded) looks for it.
    rest = [q["sql"] for q in ctx.captured_queries if ") NOT (" in q["sql"] or "& !(" in q["sql"]]
    assert rest == []
    assert found("防汛") == [*(d.pk for d in reversed(docs)), other.pk]


@pytest.mark.parametrize("sparse", [0, 1, 3, 2000])
def test_tiers_and_pages_are_the_same_whichever_way_a_page_is_collected(
    publish, monkeypatch, sparse
):
    """A page is walked newest first, or collected and sorted when few match (and, on
    PostgreSQL, probed when a tier's size is unknown): the answer must not depend on which."""
    from gongkai.search.backends import database

    monkeypatch.setattr(database, "SPARSE_MATCHES", sparse)
    if connection.vendor == "postgresql":
        from gongkai.search.backends import postgres

        monkeypatch.setattr(postgres, "SPARSE_MATCHES", sparse)
    titled = [publish(title=f"安全生产检查通报第{i}期") for i in range(3)]
    body = [publish(title=f"第{i}期简报", summary="开展安全生产检查") for i in range(4)]
    expected = [d.pk for d in reversed(titled)] + [d.pk for d in reversed(body)]
    assert found("安全生产") == expected
    for size in (2, 3, 4):
        pages = [
            [h.document.pk for h in search_documents("安全生产", page=p, page_size=size).hits]
            for p in range(1, 5)
        ]
        assert [pk for page in pages for pk in page] == expected, size
    by_date = [h.document.pk for h in search_documents("安全生产", sort="date").hits]
    assert by_date == sorted(expected, reverse=True)


def test_the_planner_settings_of_a_search_do_not_outlive_it(publish):
    publish(title="关于做好防汛工作的通知")
    assert found("防汛")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW enable_seqscan")
            assert cursor.fetchone()[0] == "on"
