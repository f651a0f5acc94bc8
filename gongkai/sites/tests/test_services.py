"""The register's services and workflow: opening, changing and closing only through the
supervising office's approval, permission refusals across organisations and regions, hostile
input, freshness and flags, and the selectors the dashboard uses."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gongkai.core.exceptions import ApplicationError, PermissionDeniedError
from gongkai.core.models import AuditEvent
from gongkai.sites import selectors, services
from gongkai.sites.models import ChangeRequest, Entry, UpdateSource
from gongkai.sites.workflow import EntryStatus, RequestStatus

from .conftest import CITY, CIVIL, DISTRICT, EDU, Role

pytestmark = pytest.mark.django_db


def test_opening_creates_the_entry_only_on_approval(publisher, supervisor, org, account_data):
    """A proposal is a request, not an entry; approval creates the entry with the proposed
    fields, in the same transaction, audited."""
    proposal = services.request_open(
        actor=publisher, org=org(EDU), kind="new_media", data=account_data(), reason="新开账号"
    )
    assert proposal.status == RequestStatus.SUBMITTED and proposal.entry is None
    assert not Entry.objects.filter(name="示范教育").exists()
    done = services.request_approve(actor=supervisor, request=proposal, note="同意")
    entry = done.entry
    assert done.status == RequestStatus.APPROVED and done.decided_by == supervisor
    assert entry.status == EntryStatus.ACTIVE and entry.org == org(EDU)
    assert entry.platform == "weibo" and entry.account_id == "5123456789"
    assert entry.person_phone == "0755-88001234" and entry.opened_at is not None
    verbs = set(AuditEvent.objects.filter(org=org(EDU)).values_list("verb", flat=True))
    assert {"sites.request_submit", "sites.request.approve", "sites.entry_open"} <= verbs
    event = AuditEvent.objects.filter(verb="sites.entry_open").latest("seq")
    assert event.data["fields"]["person_phone"] == "075****34"  # masked in the trail


def test_a_returned_opening_creates_nothing_and_needs_a_reason(
    publisher, supervisor, org, account_data
):
    proposal = services.request_open(
        actor=publisher, org=org(EDU), kind="new_media", data=account_data(), reason="新开"
    )
    with pytest.raises(ApplicationError) as error:
        services.request_return(actor=supervisor, request=proposal, reason="  ")
    assert error.value.code == "required"
    proposal.refresh_from_db()
    assert proposal.status == RequestStatus.SUBMITTED
    services.request_return(actor=supervisor, request=proposal, reason="同一平台已有账号")
    proposal.refresh_from_db()
    assert proposal.status == RequestStatus.RETURNED
    assert proposal.decision_note == "同一平台已有账号"
    assert not Entry.objects.filter(name="示范教育").exists()


def test_changing_applies_only_the_proposed_fields_on_approval(opened, publisher, supervisor):
    entry = opened()
    proposal = services.request_change(
        actor=publisher,
        entry=entry,
        data={"name": "示范教育发布", "operator_unit": "示范市教育宣传中心"},
        reason="更名",
    )
    assert proposal.data == {"name": "示范教育发布", "operator_unit": "示范市教育宣传中心"}
    assert proposal.before == {"name": "示范教育", "operator_unit": "示范市教育局办公室"}
    entry.refresh_from_db()
    assert entry.name == "示范教育"  # nothing applied before approval
    with pytest.raises(ApplicationError) as error:
        services.request_close(actor=publisher, entry=entry, reason="重复")
    assert error.value.code == "pending_request"
    services.request_approve(actor=supervisor, request=proposal)
    entry.refresh_from_db()
    assert entry.name == "示范教育发布" and entry.operator_unit == "示范市教育宣传中心"
    assert entry.account_id == "5123456789"
    event = AuditEvent.objects.filter(verb="sites.entry_change").latest("seq")
    assert event.data["before"]["name"] == "示范教育"
    with pytest.raises(ApplicationError) as error:
        services.request_change(actor=publisher, entry=entry, data={}, reason="无")
    assert error.value.code == "no_changes"


def test_closing_an_account_through_approval_takes_it_out_of_the_active_inventory(
    opened, publisher, supervisor
):
    """Done when: a test closes a new-media account through approval and sees it leave the
    active inventory (the workbench register, the public page, the dashboard counts)."""
    entry = opened()
    active = selectors.register(user=supervisor)
    assert entry in active
    assert entry.pk in [row["id"] for row in selectors.public_register()]
    proposal = services.request_close(actor=publisher, entry=entry, reason="整合至市政府账号")
    entry.refresh_from_db()
    assert entry.status == EntryStatus.ACTIVE  # waiting: still in the inventory
    services.request_approve(actor=supervisor, request=proposal)
    entry.refresh_from_db()
    assert entry.status == EntryStatus.CLOSED and entry.closed_at is not None
    assert entry not in selectors.register(user=supervisor)
    assert entry.pk not in [row["id"] for row in selectors.public_register()]
    assert entry.org_id not in selectors.flag_counts_by_org([entry.org_id])
    closed = selectors.register(user=supervisor, filters=selectors.RegisterFilter(status=""))
    assert entry in closed
    assert AuditEvent.objects.filter(verb="sites.entry.close", target_id=str(entry.pk)).exists()
    with pytest.raises(ApplicationError) as error:
        services.request_change(actor=publisher, entry=entry, data={"name": "x"}, reason="x")
    assert error.value.code == "entry_closed"
    # Once closed, the account id may be registered again.
    again = opened()
    assert again.account_id == entry.account_id


def test_the_proposer_may_withdraw_and_never_decide(opened, publisher, make_staff, org):
    entry = opened()
    proposal = services.request_close(actor=publisher, entry=entry, reason="整合")
    with pytest.raises(PermissionDeniedError):
        services.request_approve(actor=publisher, request=proposal)
    # Someone holding both roles (a superuser) still cannot approve their own request.
    from django.contrib.auth import get_user_model

    boss = get_user_model().objects.create_superuser("boss-sites", password="x")
    mine = services.request_change(actor=boss, entry=opened(
        data={"name": "示范教育二", "platform": "douyin", "account_id": "jy2",
              "person_name": "甲", "person_phone": "13800000000"}), data={"name": "改"},
        reason="改")  # fmt: skip
    with pytest.raises(ApplicationError) as error:
        services.request_approve(actor=boss, request=mine)
    assert error.value.code == "own_request"
    services.request_withdraw(actor=publisher, request=proposal)
    proposal.refresh_from_db()
    assert proposal.status == RequestStatus.WITHDRAWN
    entry.refresh_from_db()
    assert entry.status == EntryStatus.ACTIVE
    with pytest.raises(ApplicationError) as error:
        services.request_withdraw(actor=publisher, request=proposal)
    assert error.value.code == "invalid_transition"


def test_permissions_across_organisations_and_regions(
    opened, publisher, supervisor, make_staff, org, account_data
):
    """Only the owner's publisher / office head / administrator propose; only a supervisor of
    a region containing the owner decides."""
    entry = opened()
    civil_publisher = make_staff(CIVIL, Role.PUBLISHER)
    reviewer = make_staff(EDU, Role.REVIEWER)
    district_supervisor = make_staff(DISTRICT, Role.SUPERVISOR)
    for outsider in (civil_publisher, reviewer, supervisor):
        with pytest.raises(PermissionDeniedError):
            services.request_close(actor=outsider, entry=entry, reason="x")
        with pytest.raises(PermissionDeniedError):
            services.request_open(
                actor=outsider, org=org(EDU), kind="new_media", data=account_data(), reason="x"
            )
    proposal = services.request_close(actor=publisher, entry=entry, reason="整合")
    for outsider in (district_supervisor, civil_publisher, reviewer, None):
        with pytest.raises(PermissionDeniedError):
            services.request_approve(actor=outsider, request=proposal)
        with pytest.raises(PermissionDeniedError):
            services.request_return(actor=outsider, request=proposal, reason="不同意")
    with pytest.raises(PermissionDeniedError):
        services.request_withdraw(actor=civil_publisher, request=proposal)
    with pytest.raises(PermissionDeniedError):
        services.entry_record_update(actor=civil_publisher, entry=entry, unanswered_messages=1)
    # The district's supervisor decides for the district's own organisations.
    district_publisher = make_staff(DISTRICT, Role.PUBLISHER)
    district = services.request_open(
        actor=district_publisher,
        org=org(DISTRICT),
        kind="new_media",
        data=account_data(account_id="dongcheng"),
        reason="区政府账号",
    )
    services.request_approve(actor=district_supervisor, request=district)
    # Scoping: the district supervisor sees the district's entry, not the city department's.
    seen = set(selectors.register(user=district_supervisor).values_list("name", flat=True))
    assert seen == {"示范教育"} and selectors.register(user=district_supervisor).count() == 1
    assert entry not in selectors.register(user=district_supervisor)
    assert entry not in selectors.register(user=civil_publisher)
    assert selectors.register(user=supervisor).count() >= 2
    assert proposal not in selectors.queue(user=district_supervisor)
    assert proposal in selectors.queue(user=supervisor)


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"name": ""}, "required"),
        ({"name": "x" * 101}, "too_long"),
        ({"name": "坏\x00名"}, "invalid_text"),
        ({"platform": "myspace"}, "invalid_platform"),
        ({"platform": ""}, "invalid_platform"),
        ({"account_id": ""}, "account_id_required"),
        ({"address": "javascript:alert(1)"}, "invalid_url"),
        ({"address": "ftp://x.gov.cn/"}, "invalid_url"),
        ({"person_phone": "call me"}, "invalid_phone"),
        ({"person_name": ""}, "required"),
        ({"name": ["列表"]}, "invalid_text"),
        ({"evil": "1"}, "unknown_field"),
        ({"served_by_gongkai": "yes"}, "invalid_flag"),
    ],
)
def test_hostile_proposals_are_refused_and_nothing_is_saved(
    publisher, org, account_data, fields, code
):
    before = (ChangeRequest.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ApplicationError) as error:
        services.request_open(
            actor=publisher, org=org(EDU), kind="new_media", data=account_data(**fields),
            reason="x",
        )  # fmt: skip
    assert error.value.code == code
    assert (ChangeRequest.objects.count(), AuditEvent.objects.count()) == before


def test_website_fields_are_checked(publisher, org, website_data):
    for fields, code in (
        ({"site_code": "12345"}, "invalid_site_code"),
        ({"icp_number": "备案号123"}, "invalid_icp"),
        ({"address": ""}, "required"),
        ({"sponsor_unit": ""}, "required"),
    ):
        with pytest.raises(ApplicationError) as error:
            services.request_open(
                actor=publisher, org=org(EDU), kind="website", data=website_data(**fields),
                reason="x",
            )  # fmt: skip
        assert error.value.code == code
    with pytest.raises(ApplicationError):
        services.request_open(
            actor=publisher, org=org(EDU), kind="blog", data=website_data(), reason="x"
        )
    ok = services.request_open(
        actor=publisher, org=org(EDU), kind="website",
        data=website_data(platform="wechat", account_id="ignored"), reason="门户",
    )  # fmt: skip
    # Fields of the other kind are blanked, not stored.
    assert ok.data["platform"] == "" and ok.data["account_id"] == ""


def test_a_duplicate_active_account_is_refused(opened, publisher, org, account_data):
    opened()
    with pytest.raises(ApplicationError) as error:
        services.request_open(
            actor=publisher, org=org(EDU), kind="new_media", data=account_data(), reason="x"
        )
    assert error.value.code == "duplicate_account"


# --- freshness ------------------------------------------------------------------------------


def test_entered_updates_flag_stale_accounts_and_unanswered_messages(
    opened, publisher, supervisor, org, settings
):
    entry = opened()
    today = timezone.localdate()
    fresh = selectors.freshness_of(selectors.entry_get_for_user(user=supervisor, pk=entry.pk))
    assert fresh.state == selectors.UNKNOWN and not fresh.flagged
    services.entry_record_update(
        actor=publisher, entry=entry, updated_on=today - dt.timedelta(days=20)
    )
    got = selectors.entry_get_for_user(user=supervisor, pk=entry.pk)
    fresh = selectors.freshness_of(got)
    assert fresh.state == selectors.STALE and fresh.flagged and fresh.days == 20
    assert fresh.source == UpdateSource.ENTERED
    assert entry in selectors.flagged(user=supervisor)
    assert selectors.flag_counts_by_org([org(EDU).pk])[org(EDU).pk] == {
        "active": 1, "stale": 1, "unanswered": 0, "flagged": 1,
    }  # fmt: skip
    settings.GONGKAI_SITES_STALE_DAYS = 30
    assert entry not in selectors.flagged(user=supervisor)
    settings.GONGKAI_SITES_STALE_DAYS = 14
    services.entry_record_update(actor=supervisor, entry=entry, updated_on=today)
    assert entry not in selectors.flagged(user=supervisor)
    services.entry_record_update(actor=publisher, entry=entry, unanswered_messages=2)
    assert entry in selectors.flagged(user=supervisor)
    counts = selectors.flag_counts_by_org(None)[org(EDU).pk]
    assert counts == {"active": 1, "stale": 0, "unanswered": 1, "flagged": 1}
    for bad, code in (
        ({"updated_on": today + dt.timedelta(days=1)}, "in_future"),
        ({"updated_on": dt.date(1999, 1, 1)}, "too_old"),
        ({"unanswered_messages": -1}, "invalid_count"),
        ({"unanswered_messages": True}, "invalid_count"),
        ({"feed_url": "file:///etc/passwd"}, "invalid_url"),
        ({}, "nothing_to_record"),
    ):
        with pytest.raises(ApplicationError) as error:
            services.entry_record_update(actor=publisher, entry=entry, **bad)
        assert error.value.code == code


def test_a_site_served_by_gongkai_takes_its_last_update_from_published_documents(
    opened, publisher, supervisor, org, website_data, publish
):
    """Computed for the whole list in the list's own query: no query per row."""
    site = opened(kind="website", data=website_data(served_by_gongkai=True))
    with pytest.raises(ApplicationError) as error:
        services.entry_record_update(actor=publisher, entry=site, updated_on=timezone.localdate())
    assert error.value.code == "computed_update"
    doc = publish(EDU, "关于做好2026年义务教育招生工作的通知")
    got = selectors.entry_get_for_user(user=supervisor, pk=site.pk)
    fresh = selectors.freshness_of(got)
    assert got.fresh_at == doc.published_at
    assert fresh.state == selectors.FRESH and fresh.source == UpdateSource.COMPUTED
    from gongkai.documents.models import Document

    Document.objects.filter(pk=doc.pk).update(published_at=timezone.now() - dt.timedelta(days=30))
    assert site in selectors.flagged(user=supervisor)


def test_flag_counts_by_org_is_one_query(opened, org, account_data):
    for i in range(3):
        opened(data=account_data(account_id=f"id{i}", name=f"账号{i}"))
    ids = [org(EDU).pk, org(CITY).pk]
    with CaptureQueriesContext(connection) as queries:
        counts = selectors.flag_counts_by_org(ids)
    assert len(queries.captured_queries) == 1
    assert counts[ids[0]]["active"] == 3 and ids[1] not in counts


def test_home_counts(opened, publisher, supervisor, make_staff):
    entry = opened()
    services.request_close(actor=publisher, entry=entry, reason="整合")
    services.entry_record_update(actor=publisher, entry=entry, unanswered_messages=1)
    assert selectors.home_counts(user=supervisor) == {"to_decide": 1, "proposed": 0, "flagged": 1}
    assert selectors.home_counts(user=publisher) == {"to_decide": 0, "proposed": 1, "flagged": 1}
    outsider = make_staff(CIVIL, Role.PUBLISHER)
    assert selectors.home_counts(user=outsider) == {"to_decide": 0, "proposed": 0, "flagged": 0}
