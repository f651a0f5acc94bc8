"""Pages show validity as of today from the dates, whether or not the daily command ran; the
demo register tells one consistent story."""

import datetime as dt

import pytest
from django.utils import timezone

from gongkai.documents.models import Document
from gongkai.normative import selectors, services
from gongkai.normative.models import Campaign, NormativeDocument, Relation
from gongkai.orgs.models import Membership

pytestmark = pytest.mark.django_db
EDU = "示范市教育局"


@pytest.fixture
def rule(publish, make_staff):
    legal = make_staff(EDU, Membership.Role.LEGAL_REVIEWER)

    def make(title, effective, expiry=None):
        doc = publish(EDU, title, doc_type="notice", body=f"<p>{title}</p>")
        entry = services.normative_register(
            actor=legal, document=doc, effective_date=effective, expiry_date=expiry
        )
        entry.legal = legal
        return entry

    return make


def test_an_expired_period_shows_expired_before_the_daily_command(client, rule):
    today = timezone.localdate()
    lapsed = rule("示范市过期管理办法", today - dt.timedelta(days=800), today - dt.timedelta(1))
    assert Document.objects.get(pk=lapsed.document_id).validity == "valid"  # nothing ran
    page = client.get(lapsed.document.get_absolute_url()).content.decode()
    assert 'data-testid="validity">失效<' in page
    listed = client.get("/normative/").content.decode()
    assert "示范市过期管理办法" not in listed  # "现行有效" by default


def test_a_repeal_in_effect_shows_before_the_daily_command(client, rule):
    today = timezone.localdate()
    old = rule("示范市旧管理办法", today - dt.timedelta(days=900))
    new = rule("示范市新管理办法", today - dt.timedelta(days=10))
    # Recorded as if before its date: not applied, as when the daily command has not run.
    services.relation_add(
        actor=old.legal, source=new, target=old, kind="replaces",
        today=today - dt.timedelta(days=20),
    )  # fmt: skip
    assert Relation.objects.get().applied_at is None
    page = client.get(old.document.get_absolute_url()).content.decode()
    assert 'data-testid="validity">废止<' in page and "本文件已于" in page
    everything = client.get("/normative/", {"validity": "all"}).content.decode()
    when = (today - dt.timedelta(days=10)).isoformat()
    assert f"替代（自 {when} 起）" in everything and "已被《" in everything
    assert "替代于" not in everything
    assert "示范市旧管理办法" not in client.get("/normative/").content.decode()
    assert old.document_id in selectors.lapsed_not_applied()
    services.apply_effects(actor=old.legal)
    assert selectors.lapsed_not_applied() == []


def test_search_filter_in_force_leaves_out_lapsed_documents(client, rule):
    today = timezone.localdate()
    rule("示范市过期收费办法", today - dt.timedelta(days=800), today - dt.timedelta(1))
    current = client.get("/search/", {"q": "过期收费", "validity": "valid"}).content.decode()
    assert "找到 0 条结果" in current


def test_demo_register_is_consistent_today(client):
    from gongkai.normative.demo import load_demo_normative

    today = timezone.localdate()
    assert load_demo_normative(today=today)
    for entry in NormativeDocument.objects.select_related("document"):
        shown = selectors.validity_as_of(
            entry.document.validity, entry, list(entry.relations_in.all()), today
        )
        # What the database holds is what the dates give: nothing left for the daily command.
        assert shown == entry.document.validity, entry.document.title
        if entry.document.validity in ("valid", "amended") and entry.expiry_date:
            assert entry.expiry_date >= today, entry.document.title
    campaign = Campaign.objects.get()
    held = timezone.localtime(campaign.published_at).date()
    assert held < today
    for item in campaign.items.select_related("normative"):
        # Every rule kept in force by the clean-up was in force on the day it was published.
        assert item.decision == "continue"
        assert item.normative.effective_date <= held
        assert not item.normative.relations_in.filter(effective_date__lte=held).exists()
        assert item.normative.expiry_date is None or item.normative.expiry_date >= held
    page = client.get("/normative/", {"validity": "all"}).content.decode()
    assert "替代于" not in page and "废止于" not in page


def test_database_query_count_does_not_grow_with_documents(client, rule):
    """Validity as of today comes from the prefetched relations: no query per document."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    today = timezone.localdate()

    def add(n, start):
        for i in range(n):
            old = rule(f"示范市旧办法{start + i}", today - dt.timedelta(days=900))
            new = rule(f"示范市新办法{start + i}", today - dt.timedelta(days=10))
            services.relation_add(
                actor=old.legal, source=new, target=old, kind="repeals",
                today=today - dt.timedelta(days=20),
            )  # fmt: skip

    add(1, 0)
    with CaptureQueriesContext(connection) as first:
        assert client.get("/normative/", {"validity": "all"}).status_code == 200
    add(4, 1)
    with CaptureQueriesContext(connection) as second:
        page = client.get("/normative/", {"validity": "all"}).content.decode()
    assert page.count("已被《") == 5
    assert len(second) <= len(first)
