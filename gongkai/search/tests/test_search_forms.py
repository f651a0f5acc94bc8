"""高级筛选 as people use it: organisations, categories and columns by name, dates as typed,
OR between alternatives, and every mistake answered on the search page."""

import datetime as dt

import pytest

from gongkai.documents.models import Category, Column
from gongkai.search import tokens
from gongkai.search.forms import DocumentFilterForm
from gongkai.search.selectors import search_documents

pytestmark = pytest.mark.django_db


def cleaned(**data):
    form = DocumentFilterForm(data)
    assert form.is_valid(), form.errors
    return form.cleaned_data


@pytest.mark.parametrize(
    "typed",
    ["2026-1-1", "2026-01-01", "2026年1月1日", "2026/01/01", "20260101", "２０２６年１月１日"],
)
def test_dates_in_the_forms_people_type(typed):
    assert cleaned(date_from=typed)["date_from"] == dt.date(2026, 1, 1)


@pytest.mark.parametrize("typed", ["昨天", "2026-13-01", "2026年2月30日", "1/1/2026"])
def test_a_date_not_understood_names_the_forms_that_are(typed):
    form = DocumentFilterForm({"date_to": typed})
    assert not form.is_valid()
    assert "2026年1月1日" in form.error_text() and "成文日期至" in form.error_text()


def test_dates_in_the_wrong_order_are_refused():
    form = DocumentFilterForm({"date_from": "2026-2-1", "date_to": "2026-1-1"})
    assert not form.is_valid() and "结束日期不能早于开始日期" in form.error_text()


def test_organisation_by_name_short_name_part_or_code(org):
    edu = org("示范市教育局")
    for typed in ("示范市教育局", edu.code, "市教育局"):
        assert cleaned(org=typed)["org"] == edu.code, typed
    form = DocumentFilterForm({"org": "教育"})  # 示范市教育局 and its 科室, at least
    assert not form.is_valid() and "有多个机构" in form.error_text()
    form = DocumentFilterForm({"org": "火星局"})
    assert not form.is_valid() and "找不到“火星局”" in form.error_text()


def test_category_and_column_by_name_or_code():
    category = Category.objects.get(code="livelihood")
    column = Column.objects.create(name="减税降费", slug="tax-cuts")
    assert cleaned(category=category.name)["category"] == "livelihood"
    assert cleaned(category="livelihood")["category"] == "livelihood"
    assert cleaned(column="减税降费")["column"] == column.slug
    assert not DocumentFilterForm({"column": "没有这个专栏"}).is_valid()


def test_search_page_filters_by_names_and_shows_them_again(client, publish, org):
    doc = publish("示范市教育局", "关于学生资助工作的通知", date_signed=dt.date(2026, 3, 2))
    publish("示范市民政局", "关于学生资助对象认定的通知")
    page = client.get("/search/", {"q": "学生资助", "org": "市教育局", "date_from": "2026年1月1日"})
    html = page.content.decode()
    assert page.status_code == 200
    assert doc.get_absolute_url() in html and "对象认定" not in html
    assert 'value="示范市教育局"' in html  # the name, not the code, stays in the box
    assert '<datalist id="org-names">' in html


def test_a_name_typed_as_organisation_is_a_message_on_the_page(client):
    page = client.get("/search/", {"q": "通知", "org": "火星局", "date_from": "明天"})
    html = page.content.decode()
    assert page.status_code == 400
    assert "找不到“火星局”" in html and "无法识别" in html
    assert 'aria-invalid="true"' in html and 'id="id_org-error"' in html
    assert 'class="filter-grid"' in html and 'name="q"' in html


def test_or_finds_either_word(client, publish):
    edu = publish(title="关于教育经费管理的通知")
    aid = publish(title="关于发放生活补贴的通知")
    publish(title="关于道路养护的通知")
    assert {h.document.pk for h in search_documents("教育 OR 补贴").hits} == {edu.pk, aid.pk}
    assert {h.document.pk for h in search_documents("教育 or 补贴").hits} == {edu.pk, aid.pk}
    assert {h.document.pk for h in search_documents("教育|补贴").hits} == {edu.pk, aid.pk}
    # Within an alternative, every word still counts.
    assert [h.document.pk for h in search_documents("教育 经费 OR 道路 补贴").hits] == [edu.pk]
    assert search_documents("教育 补贴").count == 0
    page = client.get("/search/", {"q": "教育 OR 补贴"}).content.decode()
    assert "找到 2 条结果" in page and "OR" in page  # the help line explains the syntax


def test_or_is_parsed_into_alternatives():
    query = tokens.parse("教育 经费 OR 补贴 OR")
    assert [[t.text for t in g] for g in query.alternatives] == [["教育", "经费"], ["补贴"]]
    assert [t.text for t in query.terms] == ["教育", "经费", "补贴"]
    assert tokens.parse("OR or |").is_empty
    assert len(tokens.parse("教育 经费").alternatives) == 1
