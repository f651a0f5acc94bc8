import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from gongkai.documents import services
from gongkai.orgs.models import Membership

Role = Membership.Role
EDU = "示范市教育局"
pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger_docs(publish, org):
    today = timezone.localdate()
    on_time = publish(EDU, "按时发布的通知", date_signed=today)
    late = publish(EDU, "逾期发布的通知", date_signed=today - dt.timedelta(days=90))
    pub = publish.staff[EDU][0]
    overdue = services.document_create(
        actor=pub,
        org=org(EDU),
        data={
            "title": "超期未发布的草稿",
            "date_signed": today - dt.timedelta(days=90),
            "attribute": "proactive",
        },
    )
    withheld = services.document_create(
        actor=pub,
        org=org(EDU),
        data={
            "title": "依申请公开的批复", "date_signed": today, "attribute": "on_request",
            "attribute_basis": "specific_parties",
        },
    )  # fmt: skip
    return {"on_time": on_time, "late": late, "overdue": overdue, "not_proactive": withheld}


def test_ledger_shows_on_time_and_late(
    client, ledger_docs, publish, org, django_assert_max_num_queries
):
    client.force_login(publish.staff[EDU][1])
    code = org(EDU).code
    page = client.get("/workbench/ledger/", {"org": code})
    html = page.content.decode()
    assert page.status_code == 200
    for state, doc in ledger_docs.items():
        assert doc.title in html
        assert f'data-state="{state}"' in html
    assert "按时发布：<strong>1</strong>" in html and "逾期发布：<strong>1</strong>" in html
    assert ledger_docs["late"].is_late and not ledger_docs["on_time"].is_late
    with django_assert_max_num_queries(12):
        client.get("/workbench/ledger/", {"org": code})
    for i in range(5):
        publish(EDU, f"第{i}份按时发布的通知", date_signed=timezone.localdate())
    with django_assert_max_num_queries(12):
        client.get("/workbench/ledger/", {"org": code})


def test_ledger_xlsx_reopens_with_every_document(client, ledger_docs, publish, org):
    client.force_login(publish.staff[EDU][0])
    response = client.get("/workbench/ledger.xlsx", {"org": org(EDU).code})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    wb = load_workbook(io.BytesIO(response.content))
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    assert rows[1][:2] == ("序号", "标题")
    by_title = {r[1]: r for r in rows[2:]}
    assert by_title["逾期发布的通知"][-1] == "逾期发布"
    assert by_title["按时发布的通知"][-1] == "按时发布"
    assert by_title["超期未发布的草稿"][-1] == "已逾期未发布"
    assert by_title["依申请公开的批复"][-1] == "非主动公开"
    summary = dict(wb.worksheets[1].iter_rows(min_row=2, values_only=True))
    assert summary["按时发布"] == 1 and summary["逾期发布"] == 1


def test_other_departments_cannot_see_the_ledger(client, ledger_docs, make_staff, org):
    client.force_login(make_staff("示范市民政局", Role.REVIEWER))
    assert client.get("/workbench/ledger/", {"org": org(EDU).code}).status_code == 404
    assert client.get("/workbench/ledger.xlsx", {"org": org(EDU).code}).status_code == 404
    assert client.get("/workbench/ledger/", {"org": org(EDU).code, "year": "x"}).status_code == 404
    own = client.get("/workbench/ledger/")  # defaults to the user's own organisation
    assert own.status_code == 200 and "示范市民政局" in own.content.decode()
    assert client.get("/workbench/ledger/", {"year": "二〇二六"}).status_code == 400


def test_the_ledger_stops_at_the_users_reach(client, ledger_docs, make_staff, org):
    # A publisher of the city government reaches its internal units, not its departments.
    city = org("示范市人民政府")
    client.force_login(make_staff("示范市人民政府", Role.PUBLISHER))
    html = client.get("/workbench/ledger/", {"org": city.code}).content.decode()
    assert "按时发布的通知" not in html and "超期未发布的草稿" not in html
    xlsx = client.get("/workbench/ledger.xlsx", {"org": city.code}).content
    titles = [
        r[1] for r in load_workbook(io.BytesIO(xlsx)).worksheets[0].iter_rows(values_only=True)
    ]
    assert "超期未发布的草稿" not in titles
    assert client.get("/workbench/ledger/", {"org": city.code, "year": "²⁰²⁶"}).status_code == 400


def test_xlsx_keeps_text_as_text(client, publish, org):
    doc = publish(EDU, '=HYPERLINK("http://evil.example","点我")\x07通知')
    assert "\x07" not in doc.title
    client.force_login(publish.staff[EDU][0])
    wb = load_workbook(
        io.BytesIO(client.get("/workbench/ledger.xlsx", {"org": org(EDU).code}).content)
    )
    cell = next(r[1] for r in wb.worksheets[0].iter_rows() if str(r[1].value).startswith("=HYPER"))
    assert cell.data_type == "s"
