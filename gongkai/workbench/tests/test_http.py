"""The workbench's shared request helpers (workbench.http) and the handler choice they serve."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.test import RequestFactory

from gongkai.core.exceptions import ApplicationError, NotFoundError, PermissionDeniedError
from gongkai.foi import selectors as foi_selectors
from gongkai.foi import services as foi_services
from gongkai.foi.models import Request
from gongkai.foi.workflow import Status
from gongkai.workbench import http

VALID_ID = "11010519491231002X"


def test_integer_reads_whole_numbers_and_names_the_field():
    assert http.integer("12", "期号") == 12
    assert http.integer(" ", "期号", required=False) is None
    assert http.integer("", required=False, default=0) == 0
    with pytest.raises(ApplicationError, match="请填写期号"):
        http.integer("", "期号")
    for bad in ("-1", "1.5", "１２", "²", "9" * 10):
        with pytest.raises(ApplicationError, match="期号应为正整数"):
            http.integer(bad, "期号")
    with pytest.raises(ApplicationError, match="请填写整数"):
        http.integer("x", required=False)


def test_dates_and_years():
    assert http.optional_date("") is None
    assert http.optional_date("2026-03-02") == dt.date(2026, 3, 2)
    with pytest.raises(ApplicationError):
        http.optional_date("2026-02-30")
    with pytest.raises(ApplicationError, match="请填写施行日期"):
        http.required_date(" ", "施行日期")
    assert http.year("2026") == 2026 and http.year("") is None
    for bad in ("1999", "2101", "20x6", "２０２６"):
        with pytest.raises(ApplicationError, match="年份应为 2000 至 2100"):
            http.year(bad)


@pytest.mark.django_db
def test_org_scope_is_the_users_own_or_refused(make_staff, org):
    user = make_staff("示范市教育局", "publisher")
    factory = RequestFactory()
    request = factory.get("/")
    request.user = user
    assert http.org_scope(request, "view_internal") == org("示范市教育局")
    elsewhere = factory.get("/", {"org": org("示范市民政局").code})
    elsewhere.user = user
    with pytest.raises((PermissionDeniedError, NotFoundError)):
        http.org_scope(elsewhere, "view_internal")
    nobody = factory.get("/")
    nobody.user = get_user_model().objects.create_user("no-roles", password="x")
    with pytest.raises(PermissionDeniedError):
        http.org_scope(nobody, "view_internal")


@pytest.mark.django_db
def test_a_request_is_never_assigned_to_someone_not_chosen(client, org):
    edu = org("示范市教育局")
    handler = get_user_model().objects.get(username="demo-handler")
    receipt = foi_services.request_register(
        actor=handler,
        data=foi_services.ApplicationInput(
            org=edu,
            applicant_kind="natural_person",
            name="孙八",
            id_type="resident_id",
            id_number=VALID_ID,
            phone="13500000000",
            description="分派测试的信息",
            form="paper",
            address="示范市",
        ),
        channel="in_person",
        submitted_on=dt.date(2025, 6, 2),
    )
    req = receipt.request
    stranger = get_user_model().objects.get(username="demo-head")  # not a request handler
    assert foi_selectors.handler_choice(request=req, value="", actor=handler) == handler
    for bad in (str(stranger.pk), "999999", "abc", "１"):
        with pytest.raises(ApplicationError, match="请选择本机关的申请办理员"):
            foi_selectors.handler_choice(request=req, value=bad, actor=handler)

    client.force_login(handler)
    url = f"/workbench/requests/{req.number}/action/"
    response = client.post(url, {"action": "assign", "handler": str(stranger.pk)})
    assert response.status_code == 303
    req.refresh_from_db()
    assert req.status == Status.REGISTERED and req.handler_id is None
    client.post(url, {"action": "assign", "handler": str(handler.pk)})
    assert Request.objects.get(pk=req.pk).handler == handler


@pytest.mark.django_db
def test_superscript_digits_in_ids_are_a_404_not_a_500(client, org):
    """str.isdigit() accepts "²", which int() refuses: ids are read as ASCII digits only."""
    handler = get_user_model().objects.get(username="demo-handler")
    req = foi_services.request_register(
        actor=handler,
        data=foi_services.ApplicationInput(
            org=org("示范市教育局"), applicant_kind="natural_person", name="孙八",
            id_type="resident_id", id_number=VALID_ID, phone="13500000000",
            description="上标数字测试", form="paper", address="示范市",
        ),
        channel="in_person",
        submitted_on=dt.date(2025, 6, 2),
    ).request  # fmt: skip
    client.force_login(handler)
    for bad in ("²", "１", "-1", "9" * 30):
        assert client.get(f"/workbench/requests/{req.number}/", {"file": bad}).status_code == 404
