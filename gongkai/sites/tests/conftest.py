import pytest

from gongkai.orgs.models import Membership

Role = Membership.Role
EDU, CIVIL, CITY = "示范市教育局", "示范市民政局", "示范市人民政府"
DISTRICT = "示范市东城区人民政府"


@pytest.fixture
def publisher(make_staff):
    return make_staff(EDU, Role.PUBLISHER)


@pytest.fixture
def supervisor(make_staff):
    """The city's openness office: approves for the whole region."""
    return make_staff(CITY, Role.SUPERVISOR)


@pytest.fixture
def account_data():
    def make(**fields):
        return {
            "name": "示范教育",
            "platform": "weibo",
            "account_id": "5123456789",
            "certified_entity": "示范市教育局",
            "operator_unit": "示范市教育局办公室",
            "person_name": "王五",
            "person_phone": "0755-88001234",
        } | fields

    return make


@pytest.fixture
def website_data():
    def make(**fields):
        return {
            "name": "示范市教育局网站",
            "address": "https://jyj.shifan.gov.cn/",
            "site_code": "1152000099",
            "icp_number": "示ICP备05000099号",
            "sponsor_unit": "示范市教育局",
            "person_name": "赵六",
            "person_phone": "13800001234",
        } | fields

    return make


@pytest.fixture
def opened(publisher, supervisor, org, account_data):
    """An entry opened through approval: opened(kind, data, org_name)."""
    from gongkai.sites import services

    def make(kind="new_media", data=None, org_name=EDU, actor=None):
        proposal = services.request_open(
            actor=actor or publisher,
            org=org(org_name),
            kind=kind,
            data=data or account_data(),
            reason="工作需要",
        )
        return services.request_approve(actor=supervisor, request=proposal).entry

    return make
