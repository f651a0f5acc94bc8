"""Choosing the PostgreSQL index of the vectors (GIN or rum): the command, the start-up check,
and the same answers from either index."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings

from gongkai.core.exceptions import ApplicationError
from gongkai.search.checks import search_index
from gongkai.search.selectors import search_documents, search_index_status
from gongkai.search.services import search_index_use

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the index choice is PostgreSQL's"
)

QUERIES = [
    "政务公开",
    "公开",
    "作取得",
    "权责清单 办法",
    "补贴 OR 清单",
    "郑政办〔2026〕7号",
    "工作",
]
TITLES = [
    "关于进一步做好2026年政务公开工作的通知",
    "示范市人民政府办公室关于印发《权责清单管理办法（试行）》的通知",
    "关于发放2026年耕地地力保护补贴的公告",
]


def answers():
    return {q: [h.document.pk for h in search_documents(q, page_size=50).hits] for q in QUERIES}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")
@pytest.mark.django_db
def test_sqlite_has_no_index_to_choose():
    with pytest.raises(CommandError) as err:
        call_command("search_index", "--use", "rum")
    assert err.value.returncode == 2
    assert "PostgreSQL" in str(err.value)
    out = io.StringIO()
    call_command("search_index", "--status", stdout=out)
    assert "FTS5" in out.getvalue()


@postgres_only
@pytest.mark.django_db
def test_an_unknown_method_or_an_open_transaction_is_refused_and_nothing_changes():
    with pytest.raises(ApplicationError) as err:
        search_index_use("btree")
    assert err.value.code == "search_index_unknown"
    with pytest.raises(ApplicationError) as err:  # a test runs inside a transaction
        search_index_use("gin")
    assert err.value.code == "search_index_in_transaction"
    assert search_index_status()["indexes"] == {"gin": True}


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_rum_and_gin_give_the_same_answers_and_the_check_says_which_is_in_use(demo_data, publish):
    status = search_index_status()
    assert status["indexes"] == {"gin": True}
    assert search_index(databases=["default"]) == []
    with override_settings(GONGKAI_SEARCH_INDEX="rum"):
        [warning] = search_index(databases=["default"])
        assert warning.id == "search.W001" and "in use is gin" in warning.msg
    if not status["rum_available"]:
        pytest.skip("the rum extension is not installed (scripts/system-deps.sh installs it)")

    for title in TITLES:
        publish(title=title, body="<p>各单位工作取得新进展，推动更多事项网上办。</p>")
    publish(title="郑政办〔2026〕7号 关于清单的补充通知", document_number="郑政办〔2026〕7号")
    before = answers()
    assert all(before.values()), before
    try:
        out = io.StringIO()
        call_command("search_index", "--use", "rum", stdout=out, stderr=io.StringIO())
        assert "index: rum;" in out.getvalue()
        assert search_index_status()["indexes"] == {"rum": True}
        with override_settings(GONGKAI_SEARCH_INDEX="rum"):
            assert search_index(databases=["default"]) == []
        [warning] = search_index(databases=["default"])  # configured gin, rum in use
        assert warning.id == "search.W001"
        assert answers() == before
        # Publishing writes to the rum index in the publishing transaction, as to GIN.
        doc = publish(title="关于森林防火期间野外用火管理的通告")
        assert [h.document.pk for h in search_documents("野外用火").hits] == [doc.pk]
        # Running it again changes nothing.
        call_command("search_index", "--use", "rum", stdout=io.StringIO(), stderr=io.StringIO())
        assert search_index_status()["indexes"] == {"rum": True}
    finally:
        call_command("search_index", "--use", "gin", stdout=io.StringIO(), stderr=io.StringIO())
    assert search_index_status()["indexes"] == {"gin": True}
    assert answers() == before
    assert [h.document.pk for h in search_documents("野外用火").hits] == [doc.pk]
