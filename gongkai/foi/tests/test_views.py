"""The public form, tracking, the API and the workbench pages of disclosure requests."""

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongkai.foi import services
from gongkai.foi.models import Request
from gongkai.foi.workflow import Status

VALID_ID = "11010519491231002X"


def solve_captcha(html: str) -> tuple[str, str]:
    """The real CAPTCHA, answered the way only the server knows: from its store."""
    from captcha.models import CaptchaStore

    key = re.search(r'name="captcha_0" value="([^"]+)"', html).group(1)
    return key, CaptchaStore.objects.get(hashkey=key).response


def form_data(client, **overrides):
    html = client.get("/foi/apply/").content.decode()
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    key, answer = solve_captcha(html)
    data = {
        "org": "",
        "applicant_kind": "natural_person",
        "name": "李四",
        "id_type": "resident_id",
        "id_number": VALID_ID,
        "phone": "13912345678",
        "description": "本局2025年部门预算公开表",
        "form": "electronic",
        "captcha_0": key,
        "captcha_1": answer,
        "token": token,
    }
    return data | overrides


@pytest.fixture
def edu_code(org):
    return org("示范市教育局").code


def test_apply_then_track(client, edu_code):
    page = client.get("/foi/apply/")
    assert page.status_code == 200 and 'name="captcha_1"' in page.content.decode()
    response = client.post("/foi/apply/", form_data(client, org=edu_code))
    assert response.status_code == 302, response.content.decode()[:2000]
    done = client.get(response["Location"]).content.decode()
    number = re.search(r'data-testid="number">([^<]+)<', done).group(1)
    password = re.search(r'data-testid="password">([^<]+)<', done).group(1)
    assert VALID_ID not in done
    # The receipt is shown once.
    assert client.get("/foi/apply/done/").status_code == 302

    other = type(client)()
    wrong = other.post("/foi/track/", {"number": number, "password": "nope"})
    unknown = other.post("/foi/track/", {"number": "YSQ1999-000001", "password": password})
    assert wrong.status_code == unknown.status_code == 400
    assert "申请编号或查询密码不正确" in wrong.content.decode()
    assert "申请编号或查询密码不正确" in unknown.content.decode()
    # Knowing the number is not enough to see the request.
    assert 'data-testid="status"' not in other.get(f"/foi/track/?number={number}").content.decode()

    ok = other.post("/foi/track/", {"number": number, "password": password}, follow=True)
    page = ok.content.decode()
    assert ok.status_code == 200 and number in page
    assert 'data-testid="due-date"' in page and 'data-testid="explanation"' in page
    assert VALID_ID not in page and "13912345678" not in page


def test_replayed_form_post_registers_once(client, edu_code):
    data = form_data(client, org=edu_code)
    assert client.post("/foi/apply/", data).status_code == 302
    before = Request.objects.count()
    key, answer = solve_captcha(client.get("/foi/apply/").content.decode())
    replay = client.post("/foi/apply/", data | {"captcha_0": key, "captcha_1": answer})
    assert replay.status_code == 409
    assert "请勿重复提交" in replay.content.decode()
    assert Request.objects.count() == before


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"id_number": "110105194912310021"}, "居民身份证号码有误"),
        ({"phone": ""}, "请至少填写一种联系方式"),
        ({"captcha_1": "wrong"}, ""),
    ],
)
def test_bad_form_input_is_refused_with_a_message(client, edu_code, overrides, message):
    before = Request.objects.count()
    response = client.post("/foi/apply/", form_data(client, org=edu_code, **overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Request.objects.count() == before


def test_a_50_mb_attachment_is_refused(client, edu_code):
    big = SimpleUploadedFile("id.pdf", b"%PDF-1.4\n" + b"0" * (50 * 1024 * 1024))
    before = Request.objects.count()
    response = client.post("/foi/apply/", form_data(client, org=edu_code) | {"attachment": big})
    assert response.status_code == 400
    assert "附件超过大小上限" in response.content.decode()
    assert Request.objects.count() == before


def test_api_submit_and_status(client, edu_code):
    payload = {
        "org": edu_code,
        "applicant_kind": "company",
        "name": "示范科技有限公司",
        "id_type": "credit_code",
        "id_number": "91410100MA44XXXX1X",
        "email": "office@example.com",
        "description": "2025年度政府采购项目清单",
        "form": "email",
    }
    response = client.post("/api/v1/foi/requests", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"number", "password", "received_date", "due_date"}
    url = f"/api/v1/foi/requests/{body['number']}"
    status = client.get(url, HTTP_X_QUERY_PASSWORD=body["password"])
    assert status.status_code == 200
    assert status.json()["status"] == "registered" and status.json()["explanation"]
    wrong = client.get(url, HTTP_X_QUERY_PASSWORD="bad")
    unknown = client.get("/api/v1/foi/requests/YSQ1999-000009", HTTP_X_QUERY_PASSWORD="bad")
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.json() == unknown.json()

    replay = client.post("/api/v1/foi/requests", payload, content_type="application/json")
    assert replay.status_code == 409
    bad = client.post(
        "/api/v1/foi/requests",
        payload | {"id_type": "resident_id", "id_number": "110105194912310021"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "身份证" in bad.json()["detail"]
    missing = client.post(
        "/api/v1/foi/requests", {"org": edu_code}, content_type="application/json"
    )
    assert missing.status_code == 422


def test_api_idempotency_key(client, edu_code):
    payload = {
        "org": edu_code,
        "applicant_kind": "natural_person",
        "name": "王五",
        "id_number": VALID_ID,
        "phone": "13700000000",
        "description": "幂等测试所需的信息",
        "form": "paper",
        "address": "示范市人民路1号",
    }
    headers = {"HTTP_IDEMPOTENCY_KEY": "abc-123"}
    first = client.post("/api/v1/foi/requests", payload, content_type="application/json", **headers)
    assert first.status_code == 201
    again = client.post(
        "/api/v1/foi/requests",
        payload | {"description": "幂等测试所需的信息（重发）"},
        content_type="application/json",
        **headers,
    )
    assert again.status_code == 409


def _login(client, username):
    client.force_login(get_user_model().objects.get(username=username))


def test_workbench_queue_query_count_does_not_grow(client, org):
    edu = org("示范市教育局")
    handler = get_user_model().objects.get(username="demo-handler")

    def add(n):
        for i in range(n):
            services.request_register(
                actor=handler,
                data=services.ApplicationInput(
                    org=edu,
                    applicant_kind="natural_person",
                    name="赵六",
                    id_type="resident_id",
                    id_number=VALID_ID,
                    phone="13600000000",
                    description=f"查询计数测试信息{n}-{i}",
                    form="paper",
                    address="示范市",
                ),
                channel="in_person",
                submitted_on=dt.date(2025, 6, 2),
            )

    _login(client, "demo-handler")
    add(2)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/workbench/requests/").status_code == 200
    add(20)
    with CaptureQueriesContext(connection) as many:
        page = client.get("/workbench/requests/")
    assert page.status_code == 200
    assert page.content.decode().count('data-testid="queue-row"') >= 22
    assert len(many) == len(few)


def test_workbench_request_page_and_actions(client, org):
    edu = org("示范市教育局")
    handler = get_user_model().objects.get(username="demo-handler")
    receipt = services.request_register(
        actor=handler,
        data=services.ApplicationInput(
            org=edu,
            applicant_kind="natural_person",
            name="钱七",
            id_type="resident_id",
            id_number=VALID_ID,
            phone="13500000000",
            description="工作台页面测试的信息",
            form="paper",
            address="示范市",
        ),
        channel="in_person",
        submitted_on=dt.date(2025, 6, 2),
    )
    number = receipt.request.number
    _login(client, "demo-handler")
    page = client.get(f"/workbench/requests/{number}/").content.decode()
    assert VALID_ID not in page and "1101" in page  # masked
    assert 'data-testid="do-assign"' in page
    client.post(f"/workbench/requests/{number}/action/", {"action": "assign"})
    assert Request.objects.get(number=number).status == Status.ASSIGNED
    # A step the role may not take is refused with a message, and nothing changes.
    response = client.post(
        f"/workbench/requests/{number}/action/",
        {"action": "extend", "days": "20", "reason": "x"},
        follow=True,
    )
    assert "没有执行此操作的权限" in response.content.decode()
    assert Request.objects.get(number=number).extension_days == 0
    bad_date = client.post(
        f"/workbench/requests/{number}/action/",
        {"action": "ask_clarification", "items": "x", "on": "2025-02-30"},
        follow=True,
    )
    assert "日期" in bad_date.content.decode()
    # Staff of another department do not see it at all.
    client.force_login(get_user_model().objects.get(username="demo-civil-publisher"))
    assert client.get(f"/workbench/requests/{number}/").status_code == 404


def test_staff_registration_form_applies_article_31(client, org):
    _login(client, "demo-handler")
    edu = org("示范市教育局")
    data = {
        "org": edu.code,
        "applicant_kind": "natural_person",
        "name": "孙八",
        "id_type": "resident_id",
        "id_number": VALID_ID,
        "address": "示范市解放路2号",
        "description": "邮寄申请的信息描述",
        "form": "paper",
        "channel": "registered_mail",
        "submitted_on": "2025-06-02",
        "confirmed_on": "2025-06-05",
    }
    response = client.post("/workbench/requests/new/", data)
    assert response.status_code == 302
    request = Request.objects.get(name="孙八")
    assert request.received_date == dt.date(2025, 6, 5)
    missing = client.post("/workbench/requests/new/", data | {"confirmed_on": "", "name": "周九"})
    assert missing.status_code == 400 and "签收日期" in missing.content.decode()
