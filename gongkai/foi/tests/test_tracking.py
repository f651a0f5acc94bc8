"""The applicant's side after issue 17: the form's errors and accessibility, the receipt (PDF
and e-mail), the tracking page's request text and history, the confirmed withdrawal, and the
disclosed files the handler attaches to the reply."""

import datetime as dt
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from gongkai.core.models import AuditEvent
from gongkai.foi import services
from gongkai.foi.models import DisclosedFile, Request
from gongkai.foi.workflow import Status

from .test_views import VALID_ID, form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def edu(org):
    return org("示范市教育局")


def _users():
    users = get_user_model().objects
    return {n: users.get(username=f"demo-{n}") for n in ("handler", "head", "legal")}


def _apply(client, edu, **overrides):
    """Apply through the web form; return (number, password)."""
    response = client.post("/foi/apply/", form_data(client, org=edu.code, **overrides))
    assert response.status_code == 302, response.content.decode()[:3000]
    done = client.get(response["Location"]).content.decode()
    number = re.search(r'data-testid="number">([^<]+)<', done).group(1)
    password = re.search(r'data-testid="password">([^<]+)<', done).group(1)
    return number, password, done


def _ids(html: str) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', html))


def test_form_errors_are_an_error_summary_with_working_references(client, edu):
    """Errors appear in an error box (not the green message box), each linked to its field;
    every aria-describedby names an element that exists; one wording for missing fields."""
    data = form_data(client, org=edu.code, name="", description="", captcha_1="wrong")
    del data["applicant_kind"]
    response = client.post("/foi/apply/", data)
    html = response.content.decode()
    assert response.status_code == 400
    summary = re.search(
        r'<div class="error-summary"[^>]*data-testid="form-errors".*?</div>', html, re.S
    )
    assert summary, html[:3000]
    assert 'class="messages"' not in html.split("<main")[1].split("<form")[0]
    for wording in ("请选择申请人类型。", "请填写姓名或名称。", "验证码错误"):
        assert wording in summary.group(0), wording
    assert "这个字段" not in html and "认证码" not in html and "This field" not in html
    for target in re.findall(r'href="#(field-[^"]+)"', summary.group(0)):
        assert target in _ids(html), target
    ids = _ids(html)
    described = [i for v in re.findall(r'aria-describedby="([^"]+)"', html) for i in v.split()]
    assert described, "the fields with help or errors point to them"
    assert not [i for i in described if i not in ids]
    # The required radio groups carry the marker and say so to assistive technology.
    group = re.search(r'<fieldset role="radiogroup"[^>]*>\s*<legend>申请人类型[^<]*<span', html)
    assert group and 'aria-required="true"' in group.group(0)


def test_the_captcha_has_a_text_alternative_a_refresh_and_an_offline_route(client, edu):
    html = client.get(f"/foi/apply/?org={edu.code}").content.decode()
    assert 'alt="captcha"' not in html and 'alt="验证码图片' in html
    refresh = re.search(r'<a href="([^"]+)" data-refresh-url="([^"]+)"', html)
    assert refresh and refresh.group(2) == "/captcha/refresh/"
    # Without JavaScript the link reloads the form (nothing personal in the address).
    assert refresh.group(1).startswith("/foi/apply/") and "name=" not in refresh.group(1)
    assert client.get(refresh.group(1).split("#")[0]).status_code == 200
    assert '<script src="/static/foi/captcha.js"' in html
    alternative = re.search(r'data-testid="captcha-alternative">(.*?)</div>', html, re.S).group(1)
    assert "当面" in alternative and "信函" in alternative and edu.name in alternative
    if edu.phone:
        assert edu.phone in alternative


def test_the_receipt_is_mailed_after_commit_with_the_number_only(
    client, edu, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        number, password, done = _apply(client, edu, email="applicant@example.cn")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["applicant@example.cn"]
    assert number in message.subject and number in message.body
    assert password not in message.body and password not in message.subject
    assert VALID_ID not in message.body
    assert "http://testserver/foi/track/" in message.body
    assert "applicant@example.cn" in done  # the page says where it went


def test_no_mail_when_the_registration_fails_or_no_address(
    client, edu, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _apply(client, edu)
        bad = client.post(
            "/foi/apply/",
            form_data(client, org=edu.code, email="x@example.cn", id_number="110105194912310021"),
        )
    assert bad.status_code == 400
    assert mail.outbox == []


def test_receipt_pdf_carries_the_number_never_the_password(client, edu):
    number, password, done = _apply(client, edu)
    assert f"/foi/track/receipt.pdf?number={number}" in done
    response = client.get(f"/foi/track/receipt.pdf?number={number}")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    text = text.replace("\n", "")
    assert number in text and "受理回执" in text and edu.name in text
    assert password not in text and VALID_ID not in text
    docx = client.get(f"/foi/track/receipt.docx?number={number}")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    # Another browser, without the password, gets nothing.
    assert type(client)().get(f"/foi/track/receipt.pdf?number={number}").status_code == 404


def _advance_to_reply(req, users, *, files=()):
    h = users["handler"]
    services.request_assign(actor=h, request=req, handler=h)
    services.request_ask_clarification(actor=h, request=req, items="请写明年份。内部备注XYZ")
    services.request_clarification_received(actor=h, request=req, note="电话核实")
    if files:
        services.request_disclosed_file_add(actor=h, request=req, files=list(files))
    services.request_draft_reply(
        actor=h, request=req, outcome="disclosed", provision="随本答复书提供电子文件。"
    )
    req.refresh_from_db()  # the services work on a locked copy
    services.request_return(actor=users["head"], request=req, comment="退回意见机密ABC")
    services.request_draft_reply(
        actor=h, request=req, outcome="disclosed", provision="随本答复书提供电子文件。"
    )
    services.request_head_approve(actor=users["head"], request=req, comment="同意")
    services.request_legal_approve(actor=users["legal"], request=req)
    services.request_send(actor=h, request=req)
    return Request.objects.get(pk=req.pk)


def _pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PDF = _pdf()


def test_tracking_shows_the_text_and_a_history_without_internal_steps(client, edu):
    number, password, _ = _apply(client, edu)
    req = Request.objects.get(number=number)
    users = _users()
    _advance_to_reply(req, users)
    page = client.get(f"/foi/track/?number={number}").content.decode()
    assert "本局2025年部门预算公开表" in page  # the request's own text
    history = re.search(r'data-testid="history">(.*?)</ol>', page, re.S).group(1)
    for step in ("收到申请", "交由承办人员办理", "补正", "重新计算", "作出答复"):
        assert step in history, step
    for secret in (
        "demo-handler", "demo-head", "demo-legal", "退回意见机密ABC", "同意", "电话核实",
        "内部备注XYZ", "审核", "退回",
    ):  # fmt: skip
        assert secret not in history, secret
    assert history.count("<li>") == 5
    # The API says the same.
    api = client.get(f"/api/v1/foi/requests/{number}", HTTP_X_QUERY_PASSWORD=password).json()
    assert [h["text"] for h in api["history"]][-1].startswith("作出答复")
    assert len(api["history"]) == 5 and api["files"] == []


def test_withdrawal_asks_for_confirmation_first(client, edu):
    number, _, _ = _apply(client, edu)
    first = client.post("/foi/track/withdraw/", {"number": number, "reason": "已从别处获得"})
    html = first.content.decode()
    assert first.status_code == 200 and "确认撤回" in html and "不能恢复" in html
    assert 'name="confirm" value="yes"' in html and "已从别处获得" in html
    assert Request.objects.get(number=number).status == Status.REGISTERED
    done = client.post(
        "/foi/track/withdraw/", {"number": number, "reason": "已从别处获得", "confirm": "yes"}
    )
    assert done.status_code == 303
    req = Request.objects.get(number=number)
    assert req.status == Status.WITHDRAWN and req.reason == "已从别处获得"
    page = client.get(done["Location"]).content.decode()
    assert "申请人撤回申请" in page and 'data-testid="withdraw"' not in page
    # Again: refused with a message, nothing changes.
    again = client.post("/foi/track/withdraw/", {"number": number, "confirm": "yes"})
    assert again.status_code == 409 and "不能撤回" in again.content.decode()
    # Someone else's browser cannot withdraw it.
    assert type(client)().post("/foi/track/withdraw/", {"number": number}).status_code == 404


def test_disclosed_files_from_the_workbench_to_the_applicant(client, edu):
    number, _password, _ = _apply(client, edu)
    req = Request.objects.get(number=number)
    users = _users()
    services.request_assign(actor=users["handler"], request=req, handler=users["handler"])

    staff = type(client)()
    staff.force_login(users["handler"])
    url = f"/workbench/requests/{number}/action/"
    page = staff.get(f"/workbench/requests/{number}/").content.decode()
    assert 'data-testid="do-disclosed_add"' in page
    # An executable named .pdf is refused, and nothing is stored.
    bad = staff.post(
        url,
        {"action": "disclosed_add", "files": [SimpleUploadedFile("预算.pdf", b"MZ\x90\x00" * 64)]},
        follow=True,
    )
    assert bad.status_code == 200 and DisclosedFile.objects.count() == 0
    good = staff.post(
        url,
        {
            "action": "disclosed_add",
            "files": [
                SimpleUploadedFile("2025年部门预算.pdf", PDF),
                SimpleUploadedFile("说明.txt", "联系人手机13912345678，详见附表。".encode()),
            ],
        },
        follow=True,
    )
    assert "已完成：上传公开信息文件" in good.content.decode()
    files = list(req.disclosed_files.order_by("id"))
    assert [f.kind for f in files] == ["pdf", "txt"]
    assert files[1].pii_findings and "13912345678" not in str(files[1].pii_findings)
    verbs = AuditEvent.objects.filter(target_id=str(req.pk), verb="foi.disclosed_file_add")
    assert verbs.count() == 2
    # Removed by the handler while working on it (audited).
    staff.post(url, {"action": "disclosed_remove", "file": files[1].pk})
    assert req.disclosed_files.count() == 1
    assert AuditEvent.objects.filter(verb="foi.disclosed_file_remove").count() == 1

    # Not for the applicant before the reply is sent.
    file_url = f"/foi/track/files/{files[0].pk}/"
    assert client.get(file_url).status_code == 404
    assert file_url not in client.get(f"/foi/track/?number={number}").content.decode()

    h = users["handler"]
    services.request_draft_reply(actor=h, request=req, outcome="disclosed", provision="见附件")
    # Under review the files are fixed; the head and the legal reviewer download them.
    refused = staff.post(
        url, {"action": "disclosed_add", "files": [SimpleUploadedFile("x.pdf", PDF)]}, follow=True
    )
    assert "只有办理中的申请" in refused.content.decode()
    head = type(client)()
    head.force_login(users["head"])
    download = head.get(f"/workbench/requests/{number}/?file={files[0].pk}")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    # Staff of another organisation: the request does not exist for them.
    other = type(client)()
    other.force_login(get_user_model().objects.get(username="demo-civil-publisher"))
    assert other.get(f"/workbench/requests/{number}/?file={files[0].pk}").status_code == 404

    services.request_head_approve(actor=users["head"], request=req)
    services.request_legal_approve(actor=users["legal"], request=req)
    services.request_send(actor=h, request=req)
    page = client.get(f"/foi/track/?number={number}").content.decode()
    assert file_url in page and "2025年部门预算.pdf" in page
    got = client.get(file_url)
    assert got.status_code == 200 and b"".join(got.streaming_content) == PDF
    assert "attachment" in got["Content-Disposition"]
    # Another browser needs the password first.
    assert type(client)().get(file_url).status_code == 404


def test_files_cannot_be_left_on_a_reply_that_provides_nothing(edu):
    from gongkai.core.exceptions import ApplicationError

    users = _users()
    h = users["handler"]
    req = services.request_register(
        actor=h,
        data=services.ApplicationInput(
            org=edu, applicant_kind="natural_person", name="王五", id_type="resident_id",
            id_number=VALID_ID, phone="13800000000", description="某份不存在的文件", form="paper",
            address="示范市",
        ),
        channel="in_person",
        submitted_on=dt.date(2025, 6, 2),
    ).request  # fmt: skip
    services.request_assign(actor=h, request=req, handler=h)
    services.request_disclosed_file_add(actor=h, request=req, files=[("a.pdf", PDF)])
    with pytest.raises(ApplicationError) as exc:
        services.request_draft_reply(
            actor=h, request=req, outcome="unavailable_not_held", reason="经检索没有该信息。"
        )
    assert exc.value.code == "files_attached"
    # Only the organisation's handlers attach files.
    with pytest.raises(ApplicationError):
        services.request_disclosed_file_add(
            actor=users["legal"], request=req, files=[("b.pdf", PDF)]
        )
