"""The register's workbench pages and the public page: scoping (404 out of reach), hostile
form input (4xx, nothing half-saved), query counts independent of rows, the XLSX export
opened again, and no personal data on the public page."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from gongkai.core.models import AuditEvent
from gongkai.sites import services
from gongkai.sites.models import ChangeRequest, Entry
from gongkai.sites.workflow import EntryStatus, RequestStatus

from .conftest import CIVIL, EDU, Role

pytestmark = pytest.mark.django_db

OPEN_POST = {
    "kind": "new_media",
    "name": "示范教育",
    "platform": "weibo",
    "account_id": "5123456789",
    "person_name": "王五",
    "person_phone": "0755-88001234",
    "reason": "新开账号",
}


def test_the_register_lists_in_a_fixed_number_of_queries(
    client, opened, supervisor, account_data, django_assert_max_num_queries
):
    first = opened()
    services.entry_record_update(
        actor=supervisor, entry=first, updated_on=timezone.localdate() - dt.timedelta(days=30)
    )
    client.force_login(supervisor)
    html = client.get("/workbench/sites/").content.decode()
    assert "示范教育" in html and "30 天未更新" in html
    with CaptureQueriesContext(connection) as few:
        client.get("/workbench/sites/")
    for i in range(8):
        entry = opened(data=account_data(name=f"账号{i}", account_id=f"a{i}"))
        services.request_close(actor=entry_owner(entry), entry=entry, reason="整合")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/workbench/sites/")
    assert page.content.decode().count('data-testid="site-row"') == 9
    assert "关停待审核" in page.content.decode()
    flagged = client.get("/workbench/sites/", {"flagged": "1"}).content.decode()
    assert flagged.count('data-testid="site-row"') == 1
    for ok in ({"kind": "new_media", "platform": "weibo", "status": "all", "org": first.org.code},):
        assert client.get("/workbench/sites/", ok).status_code == 200
    for junk in ({"kind": "x"}, {"platform": "<b>"}, {"status": "gone"}, {"org": "nope"},
                 {"org": "a\x00b"}):  # fmt: skip
        assert client.get("/workbench/sites/", junk).status_code in (400, 404)


def entry_owner(entry):
    """The publisher who opened `entry` (its opening request's proposer)."""
    return entry.requests.get(action="open").proposed_by


def test_the_requests_queue_lists_in_a_fixed_number_of_queries(
    client, opened, supervisor, publisher, account_data, django_assert_max_num_queries
):
    services.request_close(actor=publisher, entry=opened(), reason="整合")
    client.force_login(supervisor)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/workbench/sites/requests/").status_code == 200
    for i in range(6):
        entry = opened(data=account_data(name=f"账号{i}", account_id=f"q{i}"))
        services.request_close(actor=publisher, entry=entry, reason="整合")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/workbench/sites/requests/")
    assert page.content.decode().count('data-testid="site-request-row"') == 7
    assert client.get("/workbench/sites/requests/", {"status": "bad"}).status_code == 400


def test_someone_without_a_ledger_role_is_refused(client, make_staff):
    client.force_login(make_staff(EDU, Role.REQUEST_HANDLER))
    assert client.get("/workbench/sites/").status_code == 403
    assert client.get("/workbench/sites/new/").status_code == 403


def test_entries_and_requests_out_of_reach_are_not_found(client, opened, make_staff, publisher):
    entry = opened()
    proposal = services.request_close(actor=publisher, entry=entry, reason="整合")
    client.force_login(make_staff(CIVIL, Role.PUBLISHER))
    for url in (
        f"/workbench/sites/{entry.pk}/",
        f"/workbench/sites/{entry.pk}/change/",
        f"/workbench/sites/requests/{proposal.pk}/",
    ):
        assert client.get(url).status_code == 404
    assert client.post(f"/workbench/sites/{entry.pk}/close/", {"reason": "x"}).status_code == 404
    response = client.post(
        f"/workbench/sites/requests/{proposal.pk}/action/", {"action": "approve"}
    )
    assert response.status_code == 404
    proposal.refresh_from_db()
    assert proposal.status == RequestStatus.SUBMITTED


def test_proposing_opening_through_the_form(client, publisher, supervisor, org):
    client.force_login(publisher)
    assert client.get("/workbench/sites/new/").status_code == 200
    response = client.post("/workbench/sites/new/", OPEN_POST | {"org": org(EDU).code})
    assert response.status_code == 302
    proposal = ChangeRequest.objects.get(action="open", data__name="示范教育")
    assert response["Location"] == f"/workbench/sites/requests/{proposal.pk}/"
    client.force_login(supervisor)
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="approve-form"' in page and "5123456789" in page
    done = client.post(f"/workbench/sites/requests/{proposal.pk}/action/", {"action": "approve"})
    assert done.status_code == 302
    assert Entry.objects.get(name="示范教育").status == EntryStatus.ACTIVE


@pytest.mark.parametrize(
    "hostile",
    [
        {"org": "a\x00b"},
        {"org": "nope"},
        {"kind": "blog"},
        {"name": "x" * 500},
        {"name": "坏\x00名"},
        {"platform": "myspace"},
        {"address": "javascript:alert(1)"},
        {"person_phone": "<script>"},
        {"reason": ""},
        {"served_by_gongkai": "on", "kind": "website"},  # a website without its address
    ],
)
def test_hostile_opening_forms_are_refused_and_nothing_is_saved(client, publisher, org, hostile):
    client.force_login(publisher)
    before = (ChangeRequest.objects.count(), AuditEvent.objects.count())
    response = client.post("/workbench/sites/new/", OPEN_POST | {"org": org(EDU).code} | hostile)
    assert response.status_code == 400
    assert (ChangeRequest.objects.count(), AuditEvent.objects.count()) == before


def test_another_organisations_code_is_refused(client, publisher, org):
    client.force_login(publisher)
    response = client.post("/workbench/sites/new/", OPEN_POST | {"org": org(CIVIL).code})
    assert response.status_code == 400
    assert not ChangeRequest.objects.exists()


def test_proposing_a_change_and_a_close_and_returning_them(client, opened, publisher, supervisor):
    entry = opened()
    client.force_login(publisher)
    form = client.get(f"/workbench/sites/{entry.pk}/change/").content.decode()
    assert 'value="5123456789"' in form
    post = {
        **OPEN_POST,
        "name": "示范教育发布",
        "certified_entity": "示范市教育局",
        "operator_unit": "示范市教育局办公室",
    }
    post.pop("kind")
    response = client.post(f"/workbench/sites/{entry.pk}/change/", post)
    assert response.status_code == 302
    proposal = ChangeRequest.objects.get(action="change")
    assert proposal.data == {"name": "示范教育发布"}
    # A second proposal while one waits is refused on the page, with the reason.
    refused = client.post(f"/workbench/sites/{entry.pk}/close/", {"reason": "整合"})
    assert refused.status_code == 400 and "待审核" in refused.content.decode()
    client.force_login(supervisor)
    url = f"/workbench/sites/requests/{proposal.pk}/action/"
    no_reason = client.post(url, {"action": "return", "reason": ""})
    assert no_reason.status_code == 400
    proposal.refresh_from_db()
    assert proposal.status == RequestStatus.SUBMITTED
    assert client.post(url, {"action": "nonsense"}).status_code == 400
    assert client.post(url, {"action": "return", "reason": "名称不规范"}).status_code == 302
    entry.refresh_from_db()
    assert entry.name == "示范教育"
    client.force_login(publisher)
    assert client.post(f"/workbench/sites/{entry.pk}/close/", {"reason": ""}).status_code == 400
    assert client.post(f"/workbench/sites/{entry.pk}/close/", {"reason": "整合"}).status_code == 302
    detail = client.get(f"/workbench/sites/{entry.pk}/").content.decode()
    assert 'data-testid="pending"' in detail and "名称不规范" in detail
    closing = ChangeRequest.objects.get(action="close", entry=entry)
    services.request_approve(actor=supervisor, request=closing)
    assert client.get(f"/workbench/sites/{entry.pk}/change/").status_code == 400
    closed = client.get(f"/workbench/sites/{entry.pk}/").content.decode()
    assert "已关停" in closed and 'data-testid="close-form"' not in closed


def test_recording_an_update_on_the_entry_page(client, opened, publisher):
    entry = opened()
    client.force_login(publisher)
    url = f"/workbench/sites/{entry.pk}/record/"
    day = (timezone.localdate() - dt.timedelta(days=2)).isoformat()
    ok = client.post(url, {"updated_on": day, "unanswered_messages": "3", "feed_url": ""})
    assert ok.status_code == 302
    entry.refresh_from_db()
    assert entry.unanswered_messages == 3 and entry.last_update_source == "entered"
    before = AuditEvent.objects.count()
    for junk in (
        {"updated_on": "2026-13-40"},
        {"unanswered_messages": "-1"},
        {"unanswered_messages": "1e9"},
        {"updated_on": day, "feed_url": "gopher://x"},
        {},
    ):
        assert client.post(url, junk).status_code == 400, junk
    assert AuditEvent.objects.count() == before


def test_the_xlsx_export_opens_again_with_every_row(client, opened, supervisor, account_data):
    opened()
    opened(data=account_data(name='=HYPERLINK("http://x")', account_id="evil"))
    client.force_login(supervisor)
    response = client.get("/workbench/sites/register.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="sites-all-')
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[1][:5] == ("序号", "开办单位", "类型", "平台类型", "名称")
    names = {row[4] for row in rows[2:]}
    assert "示范教育" in names and '=HYPERLINK("http://x")' in names
    evil = next(row for row in ws.iter_rows(min_row=3) if row[6].value == "evil")
    assert evil[4].data_type == "s"  # text, never a formula
    assert rows[2][14] == "0755-88001234"  # staff export carries the contact


def test_the_public_page_lists_active_entries_without_personal_data(
    client, opened, publisher, supervisor, account_data, website_data,
    django_assert_max_num_queries,
):  # fmt: skip
    opened(kind="website", data=website_data())
    closing = opened()
    html = client.get("/sites/").content.decode()
    assert "示范市教育局网站" in html and "示范教育" in html and "1152000099" in html
    for private in ("王五", "赵六", "0755-88001234", "13800001234"):
        assert private not in html
    with CaptureQueriesContext(connection) as few:
        client.get("/sites/")
    for i in range(6):
        opened(data=account_data(name=f"账号{i}", account_id=f"p{i}", person_name=f"秘密{i}"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/sites/").content.decode()
    assert page.count('data-testid="public-site-row"') == 8 and "秘密" not in page
    proposal = services.request_close(actor=publisher, entry=closing, reason="整合")
    services.request_approve(actor=supervisor, request=proposal)
    after = client.get("/sites/").content.decode()
    assert 'data-testid="public-site-row"' in after
    assert ">示范教育<" not in after.replace("\n", "") and "5123456789" not in after
    assert client.get("/sites/", {"kind": "<x>", "platform": "x"}).status_code == 200
    assert client.get("/sites/", {"platform": "\x00"}).status_code in (200, 400)
    assert client.get("/sites/", {"kind": "website"}).content.decode().count("public-site-row") == 1
