"""Disclosure requests end to end through the services: intake, clock, workflow, letters."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from docx import Document as Docx
from pypdf import PdfReader

from gongkai.core import crypto, workdays
from gongkai.core.exceptions import ApplicationError, PermissionDeniedError
from gongkai.core.models import AuditEvent
from gongkai.core.workflow import APPLICANT
from gongkai.foi import services
from gongkai.foi.models import ClockEvent, Letter, Reminder, Request
from gongkai.foi.outcomes import Outcome
from gongkai.foi.workflow import Status
from gongkai.orgs.models import Membership

VALID_ID = "11010519491231002X"  # checksum-valid (GB 11643 example)


@pytest.fixture
def staff():
    users = get_user_model().objects
    return {
        name: users.get(username=f"demo-{name}")
        for name in ("handler", "head", "legal", "supervisor")
    }


def application(org, **overrides):
    data = {
        "org": org,
        "applicant_kind": "natural_person",
        "name": "张三",
        "id_type": "resident_id",
        "id_number": VALID_ID,
        "phone": "13800138000",
        "description": "2024年本市义务教育阶段学校招生计划",
        "form": "electronic",
    }
    return services.ApplicationInput(**(data | overrides))


def register(org, staff, received=dt.date(2025, 3, 3), **overrides):
    return services.request_register(
        actor=staff["handler"],
        data=application(org, **overrides),
        channel="in_person",
        submitted_on=received,
    ).request


def test_received_2020_01_20_is_due_2020_02_25(org, staff):
    """The issue's fact: the 2020 Spring Festival was extended to 2 February."""
    r = register(org("示范市教育局"), staff, received=dt.date(2020, 1, 20))
    assert r.received_date == dt.date(2020, 1, 20)
    assert r.due_date == dt.date(2020, 2, 25)
    lines = " ".join(services.deadline_of(r, on=dt.date(2020, 1, 21)).explain())
    assert "春节" in lines


def test_received_date_follows_article_31(org, staff):
    edu = org("示范市教育局")
    base = {"actor": staff["handler"], "submitted_on": dt.date(2025, 3, 3)}
    mail = services.request_register(
        data=application(edu, description="甲" * 5),
        channel="registered_mail",
        confirmed_on=dt.date(2025, 3, 6),
        **base,
    ).request
    assert mail.received_date == dt.date(2025, 3, 6)
    assert "签收" in mail.received_basis
    with pytest.raises(ApplicationError) as exc:
        services.request_register(
            data=application(edu, description="乙" * 5), channel="ordinary_mail", **base
        )
    assert exc.value.code == "confirmed_on_required"


def test_identity_number_is_encrypted_and_masked(org, staff):
    r = register(org("示范市教育局"), staff)
    assert VALID_ID not in r.id_number_encrypted
    assert crypto.decrypt(r.id_number_encrypted) == VALID_ID
    assert r.id_number_masked.startswith("1101") and r.id_number_masked.endswith("002X")
    assert "*" in r.id_number_masked


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"id_number": "110105194912310021"}, "id_number"),  # wrong checksum
        ({"phone": "", "email": "", "address": ""}, "contact"),
        ({"description": ""}, "description"),
        ({"form": "email", "email": ""}, "email"),
        ({"attachments": [("id.pdf", b"%PDF" + b"0" * (11 * 1024 * 1024))]}, "attachments"),
    ],
)
def test_bad_applications_are_refused_whole(org, staff, overrides, field):
    before = Request.objects.count()
    with pytest.raises(ApplicationError) as exc:
        register(org("示范市教育局"), staff, **overrides)
    assert field in exc.value.extra["fields"]
    assert Request.objects.count() == before
    assert not ClockEvent.objects.filter(request__number__isnull=True).exists()


def test_the_same_request_twice_is_a_replay(org):
    edu = org("示范市教育局")
    services.request_submit(data=application(edu), source_address="10.0.0.1")
    with pytest.raises(ApplicationError) as exc:
        services.request_submit(data=application(edu), source_address="10.0.0.2")
    assert exc.value.status_code == 409


def test_submissions_are_rate_limited_per_address(org, settings):
    settings.GONGKAI_FOI_SUBMISSIONS_PER_HOUR = 2
    edu = org("示范市教育局")
    for i in range(2):
        services.request_submit(
            data=application(edu, description=f"信息描述{i}号"), source_address="10.0.0.9"
        )
    with pytest.raises(ApplicationError) as exc:
        services.request_submit(
            data=application(edu, description="信息描述三号"), source_address="10.0.0.9"
        )
    assert exc.value.status_code == 429
    services.request_submit(  # another address is not affected
        data=application(edu, description="信息描述三号"), source_address="10.0.0.10"
    )


def test_password_checks_are_indistinguishable(org):
    receipt = services.request_submit(
        data=application(org("示范市教育局")), source_address="10.1.0.1"
    )
    assert services.request_check_password(receipt.request, receipt.password)
    assert not services.request_check_password(receipt.request, "wrong")
    assert not services.request_check_password(None, receipt.password)


def _doc_text(letter: Letter) -> str:
    with letter.docx.open("rb") as fh:
        return "\n".join(p.text for p in Docx(io.BytesIO(fh.read())).paragraphs)


def _pdf_text(letter: Letter) -> str:
    with letter.pdf.open("rb") as fh:
        # Lines wrap anywhere in Chinese text: compare without the line breaks.
        pages = PdfReader(io.BytesIO(fh.read())).pages
        return "".join(page.extract_text().replace("\n", "") for page in pages)


def test_the_done_when_path(org, staff):
    """Clarification on working day 3, answered; the clock restarts from zero; an extension;
    a partial disclosure passes head and legal review and is sent as DOCX and PDF."""
    edu = org("示范市教育局")
    h, head, legal = staff["handler"], staff["head"], staff["legal"]
    r = register(edu, staff, received=dt.date(2025, 3, 3))
    assert r.due_date == dt.date(2025, 3, 31)
    r = services.request_assign(actor=head, request=r, handler=h)
    assert r.status == Status.ASSIGNED

    third_working_day = workdays.add_working_days(dt.date(2025, 3, 3), 3).due_date
    r = services.request_ask_clarification(
        actor=h, request=r, items="请写明所需招生计划的学段。", on=third_working_day
    )
    assert r.status == Status.AWAITING_CLARIFICATION
    assert services.deadline_of(r).state == "paused"

    corrected = dt.date(2025, 3, 12)
    r = services.request_clarification_received(actor=h, request=r, on=corrected)
    # Art.30: counted again from zero from receipt of the correction (Qingming skipped).
    assert r.due_date == workdays.add_working_days(corrected, 20).due_date == dt.date(2025, 4, 10)

    with pytest.raises(PermissionDeniedError):  # a handler cannot approve an extension
        services.request_extend(actor=h, request=r, days=20, reason="需要调取档案")
    r = services.request_extend(
        actor=head, request=r, days=20, reason="需要调取档案", on=dt.date(2025, 3, 20)
    )
    assert r.due_date == workdays.add_working_days(corrected, 40).due_date
    with pytest.raises(ApplicationError):  # one extension only
        services.request_extend(actor=head, request=r, days=5, reason="再延")

    r = services.request_draft_reply(
        actor=h,
        request=r,
        outcome=Outcome.PARTIAL,
        reason="其中学生个人信息部分涉及个人隐私，不予公开。",
        provision="以电子数据形式提供，见附件。",
    )
    with pytest.raises(ApplicationError) as exc:  # not before legal review
        services.request_send(actor=h, request=r)
    assert exc.value.code == "invalid_transition"
    with pytest.raises(PermissionDeniedError):  # the legal reviewer is not the office head
        services.request_head_approve(actor=legal, request=r)
    r = services.request_head_approve(actor=head, request=r)
    with pytest.raises(ApplicationError):
        services.request_send(actor=h, request=r)
    r = services.request_legal_approve(actor=legal, request=r, comment="符合条例规定")
    letter = services.request_send(actor=h, request=r, on=dt.date(2025, 4, 20))
    r.refresh_from_db()
    assert r.status == Status.REPLIED and r.outcome == Outcome.PARTIAL and not r.late

    kinds = list(r.letters.values_list("kind", flat=True))
    assert kinds == ["clarification", "extension", "reply"]
    assert letter.number.endswith("〔2025〕3号")
    for text in (_doc_text(letter), _pdf_text(letter)):
        for needle in ("第三十三条", "第三十七条", "行政复议", "行政诉讼", "张三"):
            assert needle in text, needle
    verbs = set(AuditEvent.objects.filter(target_id=str(r.pk)).values_list("verb", flat=True))
    assert {"foi.assign", "foi.ask_clarification", "foi.extend", "foi.send"} <= verbs


def test_clarification_after_seven_working_days_is_refused(org, staff):
    r = register(org("示范市教育局"), staff)
    r = services.request_assign(actor=staff["head"], request=r, handler=staff["handler"])
    late = workdays.add_working_days(r.received_date, 8).due_date
    with pytest.raises(ApplicationError):
        services.request_ask_clarification(actor=staff["handler"], request=r, items="x", on=late)
    assert Request.objects.get(pk=r.pk).status == Status.ASSIGNED
    assert not r.letters.exists()


def test_lapsed_clarification_closes_as_abandoned(org, staff):
    h = staff["handler"]
    r = register(org("示范市教育局"), staff)
    r = services.request_assign(actor=staff["head"], request=r, handler=h)
    r = services.request_ask_clarification(
        actor=h, request=r, items="请补充", answer_days=10, on=dt.date(2025, 3, 4)
    )
    with pytest.raises(ApplicationError) as exc:
        services.request_clarification_lapsed(actor=h, request=r, on=dt.date(2025, 3, 10))
    assert exc.value.code == "period_running"
    r = services.request_clarification_lapsed(actor=h, request=r, on=dt.date(2025, 4, 1))
    assert r.status == Status.ABANDONED
    assert r.outcome == Outcome.OTHER_CLARIFICATION_LAPSED


def test_third_party_consultation_stops_the_clock(org, staff):
    h = staff["handler"]
    r = register(org("示范市教育局"), staff)
    r = services.request_assign(actor=staff["head"], request=r, handler=h)
    r = services.request_consult(
        actor=h, request=r, party="某科技有限公司", on=dt.date(2025, 3, 10)
    )
    letter = r.letters.get()
    assert letter.kind == "third_party" and not letter.to_applicant
    r = services.request_consultation_done(actor=h, request=r, on=dt.date(2025, 3, 24))
    used = workdays.working_days_between(dt.date(2025, 3, 3), dt.date(2025, 3, 10)).days
    assert r.due_date == workdays.add_working_days(dt.date(2025, 3, 24), 20 - used).due_date


def test_fee_is_cumulative_per_applicant_per_month(org, staff):
    edu = org("示范市教育局")
    h = staff["handler"]
    requests = [
        register(edu, staff, received=dt.date(2025, 3, 3), description=f"第{i}项信息内容")
        for i in range(11)
    ]
    eleventh = services.request_assign(actor=staff["head"], request=requests[-1], handler=h)
    assert services.earlier_items_this_month(eleventh) == 10
    with pytest.raises(ApplicationError) as exc:  # the first ten are free
        r0 = services.request_assign(actor=staff["head"], request=requests[0], handler=h)
        services.request_fee_notice(actor=h, request=r0, method="per_item", on=dt.date(2025, 3, 4))
    assert exc.value.code == "no_fee"
    r = services.request_fee_notice(
        actor=h, request=eleventh, method="per_item", on=dt.date(2025, 3, 4)
    )
    assert r.status == Status.AWAITING_FEE and r.fee_total == Decimal("100")
    notice = r.letters.get(kind="fee")
    assert any("100" in p for p in notice.paragraphs)
    r = services.request_fee_paid(actor=h, request=r, on=dt.date(2025, 3, 7))
    assert r.status == Status.ASSIGNED and r.fee_paid_on == dt.date(2025, 3, 7)


def test_handlers_see_and_touch_only_their_organisation(org, staff, make_staff):
    r = register(org("示范市教育局"), staff)
    other = make_staff("示范市民政局", Membership.Role.REQUEST_HANDLER)
    with pytest.raises(PermissionDeniedError):
        services.request_assign(actor=other, request=r, handler=other)
    from gongkai.foi import selectors

    assert not selectors.requests_for_user(user=other).filter(pk=r.pk).exists()
    assert selectors.requests_for_user(user=staff["handler"]).filter(pk=r.pk).exists()


def test_withdrawal_by_the_applicant(org):
    receipt = services.request_submit(
        data=application(org("示范市教育局"), description="撤回测试的信息"),
        source_address="10.2.0.1",
    )
    r = services.request_withdraw(actor=APPLICANT, request=receipt.request, reason="已自行查到")
    assert r.status == Status.WITHDRAWN and r.outcome == Outcome.OTHER
    with pytest.raises(ApplicationError):
        services.request_withdraw(actor=APPLICANT, request=r)


def test_deadline_check_is_idempotent(org, staff, run_cli):
    edu = org("示范市教育局")
    r = register(edu, staff, received=dt.date(2025, 3, 3))  # due 2025-03-31
    four_left = workdays.add_working_days(dt.date(2025, 3, 3), 16).due_date
    code, out, _err = run_cli("foi-check-deadlines", "--date", four_left.isoformat())
    assert code == 0 and f"{r.number}\tdue_5" in out
    code, out, _err = run_cli("foi-check-deadlines", "--date", four_left.isoformat())
    assert f"{r.number}\t" not in out
    assert Reminder.objects.filter(request=r).count() == 1
    code, out, _err = run_cli("foi-check-deadlines", "--date", "2025-04-02")
    assert f"{r.number}\toverdue" in out
    code, _out, err = run_cli("foi-check-deadlines", "--date", "2025-13-01")
    assert code == 2 and "日期" in err


def test_conversion_to_proactive_creates_a_linked_draft(org, staff, make_staff):
    edu = org("示范市教育局")
    h, head, legal = staff["handler"], staff["head"], staff["legal"]
    r = register(edu, staff)
    r = services.request_assign(actor=head, request=r, handler=h)
    r = services.request_draft_reply(
        actor=h, request=r, outcome=Outcome.DISCLOSED, provision="电子邮件发送"
    )
    r = services.request_head_approve(actor=head, request=r)
    r = services.request_legal_approve(actor=legal, request=r)
    services.request_send(actor=h, request=r, on=dt.date(2025, 3, 20))
    document = services.request_convert_to_proactive(actor=head, request=r)
    r.refresh_from_db()
    assert r.converted_document == document and document.status == "draft"
    assert r.number in document.summary


def test_an_office_template_overrides_the_built_in_wording(org, staff, admin_client):
    from gongkai.foi.models import LetterTemplate

    edu = org("示范市教育局")
    bad = admin_client.post(
        "/admin/foi/lettertemplate/add/",
        {"org": edu.pk, "kind": "clarification", "outcome": "", "text": "{% if %}"},
    )
    assert bad.status_code == 200 and not LetterTemplate.objects.exists()
    ok = admin_client.post(
        "/admin/foi/lettertemplate/add/",
        {
            "org": edu.pk,
            "kind": "clarification",
            "outcome": "",
            "text": "本局定制措辞：请补正{{ clarification_items }}。\n\n截止{{ answer_by }}。",
        },
    )
    assert ok.status_code == 302
    h = staff["handler"]
    r = register(edu, staff)
    r = services.request_assign(actor=staff["head"], request=r, handler=h)
    r = services.request_ask_clarification(actor=h, request=r, items="学段", on=dt.date(2025, 3, 4))
    letter = r.letters.get()
    assert letter.paragraphs[0] == "本局定制措辞：请补正学段。"
    assert AuditEvent.objects.filter(verb="admin.lettertemplate.create").exists()
    # The form for a new template starts from the built-in wording.
    page = admin_client.get("/admin/foi/lettertemplate/add/?kind=reply&outcome=partial")
    assert "第三十七条" in page.content.decode() or "basis" in page.content.decode()


def test_a_friday_deadline_is_overdue_on_saturday(org, staff, run_cli):
    """No working day has passed since Friday, but the deadline has: overdue, not 'due_1'."""
    from gongkai.foi import selectors

    r = register(org("示范市教育局"), staff, received=dt.date(2025, 3, 3))  # due Mon 2025-03-31
    Request.objects.filter(pk=r.pk).update(due_date=dt.date(2025, 3, 28))  # a Friday
    _code, out, _err = run_cli("foi-check-deadlines", "--date", "2025-03-29")
    assert f"{r.number}\toverdue" in out
    rows = selectors.handler_queue(user=staff["handler"], today=dt.date(2025, 3, 29))
    row = next(x for x in rows if x.request.pk == r.pk)
    assert row.days_left == 0 and row.level == "overdue"


def test_applicant_kind_correction_is_audited_and_scoped(org, staff, client):
    """The annual report's check links here: the head corrects the kind, with a reason."""
    r = register(org("示范市教育局"), staff)
    Request.objects.filter(pk=r.pk).update(applicant_kind="")
    with pytest.raises(ApplicationError):
        services.request_correct_applicant_kind(
            actor=staff["head"], request=r, kind="company", reason=""
        )
    with pytest.raises(ApplicationError):
        services.request_correct_applicant_kind(
            actor=staff["head"], request=r, kind="martian", reason="x"
        )
    with pytest.raises(PermissionDeniedError):
        services.request_correct_applicant_kind(
            actor=staff["supervisor"], request=r, kind="company", reason="据申请表"
        )
    assert Request.objects.get(pk=r.pk).applicant_kind == ""

    client.force_login(staff["head"])
    page = client.get(f"/workbench/requests/{r.number}/")
    assert 'id="correct-kind" open' in page.content.decode()
    response = client.post(
        f"/workbench/requests/{r.number}/action/",
        {"action": "correct_kind", "kind": "company", "reason": "据申请表更正"},
    )
    assert response.status_code == 302
    assert Request.objects.get(pk=r.pk).applicant_kind == "company"
    event = AuditEvent.objects.filter(verb="foi.correct_applicant_kind").get()
    assert event.data == {"from": "", "to": "company", "reason": "据申请表更正"}
    # Junk is refused on the page (303 back with a message), nothing changes.
    response = client.post(
        f"/workbench/requests/{r.number}/action/",
        {"action": "correct_kind", "kind": "<script>", "reason": "x"},
    )
    assert response.status_code == 303
    assert Request.objects.get(pk=r.pk).applicant_kind == "company"
