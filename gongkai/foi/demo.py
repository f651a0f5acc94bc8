"""The demo requests: about thirty at 示范市教育局 for `gongkai demo`, made through the real
services with past dates, so the workbench queue has something in every state."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import translation

from gongkai.core import audit
from gongkai.core.exceptions import ApplicationError
from gongkai.core.workflow import APPLICANT
from gongkai.foi.seed.vocabulary import CLARIFICATION_ITEMS, REASONS, Applicant, make_applicant
from gongkai.foi.seed.volume import WorkingDays
from gongkai.orgs.models import Org

from . import clock, services
from .models import Channel, Form, Request
from .outcomes import ApplicantKind, Outcome

Event = clock.Event
Kind = clock.EventKind
Reason = clock.PauseReason
# --- the demo ------------------------------------------------------------------------------

DEMO_ORG = "示范市教育局"
DEMO_MARK = "foi.demo_load"


@dataclass(frozen=True)
class _Step:
    ago: int  # working days before today
    action: str
    args: dict = field(default_factory=dict)


@dataclass(frozen=True)
class _Case:
    ago: int  # received this many working days ago
    description: str
    channel: str = Channel.IN_PERSON
    steps: tuple[_Step, ...] = ()
    applicant: int = 0
    form: str = Form.ELECTRONIC


def _s(ago: int, action: str, **args) -> _Step:
    return _Step(ago, action, args)


def _assign(ago: int) -> _Step:
    return _s(ago, "assign")


def _reviewed(ago: int, outcome: str, **text) -> tuple[_Step, ...]:
    return (
        _s(ago, "draft", outcome=outcome, **text),
        _s(ago, "head"),
        _s(ago, "legal"),
    )


# About thirty requests at the demo office, received 0–60 working days ago, in every state.
# Six steps render letters (PDF and DOCX), so loading stays quick.
DEMO_CASES: list[_Case] = [
    # Just arrived: online today, on paper yesterday; not yet assigned.
    _Case(0, "2026年秋季学期义务教育阶段学校课后服务收费标准", Channel.ONLINE, applicant=1),
    _Case(0, "本市2026年中小学教师招聘面试成绩及体检名单", Channel.ONLINE, applicant=2),
    _Case(1, "示范市第一初级中学2026年校舍安全鉴定报告", Channel.REGISTERED_MAIL, applicant=3),
    _Case(2, "2026年民办学校学费标准的备案材料", Channel.IN_PERSON, applicant=4),
    # Being worked on, plenty of time left.
    _Case(2, "2026年义务教育阶段学校招生划片范围及划片依据", steps=(_assign(1),), applicant=5),
    _Case(3, "2025年全市教育经费执行情况统计公告", steps=(_assign(2),), applicant=6),
    _Case(4, "示范市实验小学2025年教育收费项目及收费标准", steps=(_assign(4),), applicant=7),
    _Case(5, "2026年校外培训机构的审批及年检情况", Channel.ONLINE, (_assign(4),), 8),
    _Case(6, "东城区育才小学扩建项目的立项批复文件", steps=(_assign(5),), applicant=9),
    _Case(7, "2025年度中小学生营养改善计划资金分配情况", steps=(_assign(6),), applicant=10),
    _Case(8, "示范市第二中学2025年招生计划及录取分数线", steps=(_assign(7),), applicant=11),
    _Case(10, "2025年教师职称评审的评审标准及通过人员名单", steps=(_assign(9),), applicant=12),
    _Case(11, "2025年学前教育补助资金的分配及使用情况", steps=(_assign(10),), applicant=13),
    _Case(13, "2025年中小学校服采购项目的招标文件及中标结果", steps=(_assign(12),), applicant=14),
    # Due within five working days (4, 2 and 1 left).
    _Case(16, "2025年全市中小学校车安全检查结果", steps=(_assign(15),), applicant=15),
    _Case(18, "2025年度教育系统政府采购合同", Channel.ONLINE, (_assign(17),), 16),
    _Case(19, "示范市外国语学校2025年招生简章的备案材料", steps=(_assign(18),), applicant=17),
    # Overdue: never answered, and answered only in draft.
    _Case(23, "2024年至2025年教育系统“三公”经费决算明细", steps=(_assign(22),), applicant=18),
    _Case(
        27,
        "南湖区第三高级中学食堂承包合同",
        steps=(_assign(26), *_reviewed(2, Outcome.UNAVAILABLE_NOT_HELD)[:1]),
        applicant=19,
    ),
    # Waiting for the applicant's corrections (a letter).
    _Case(
        4,
        "你局的相关文件",
        steps=(_assign(4), _s(3, "clarify", items=CLARIFICATION_ITEMS[2])),
        applicant=20,
    ),
    # Consulting another office (no letter); and one consulted and resumed.
    _Case(
        9,
        "2025年义务教育阶段随迁子女入学安置情况",
        steps=(_assign(8), _s(5, "consult", party="示范市人民政府办公室", third_party=False)),
        applicant=21,
    ),
    _Case(
        14,
        "2025年中小学教辅材料征订目录及审定依据",
        steps=(
            _assign(13),
            _s(10, "consult", party="示范市市场监督管理局", third_party=False),
            _s(4, "consulted"),
        ),
        applicant=22,
    ),
    # Extended by 20 working days with the head's consent (an extension notice).
    _Case(
        25,
        "2019年至2025年全市学校布局调整规划及历年调整方案",
        steps=(
            _assign(24),
            _s(6, "extend", days=20, reason="所需信息涉及多个年度的档案，需调档查找"),
        ),
        applicant=23,
    ),
    # In review: drafted, approved by the head, passed legal review.
    _Case(
        12,
        "2025年全市中小学生体质健康监测结果",
        steps=(_assign(11), *_reviewed(0, Outcome.DISCLOSED)[:1]),
        applicant=24,
    ),
    _Case(
        14,
        "2025年度教育督导评估报告",
        steps=(_assign(13), *_reviewed(0, Outcome.PARTIAL)[:2]),
        applicant=25,
    ),
    _Case(
        15,
        "2025年学校安全隐患排查整治台账",
        steps=(_assign(14), *_reviewed(0, Outcome.WITHHELD_PROCESS)),
        applicant=26,
    ),
    # Answered: after corrections (two letters), late, and delivered and archived.
    _Case(
        45,
        "示范市第一初级中学2025年招生计划",
        steps=(
            _assign(45),
            _s(43, "clarify", items=CLARIFICATION_ITEMS[0]),
            _s(38, "clarified"),
            *_reviewed(24, Outcome.PARTIAL),
            _s(22, "send"),
        ),
        applicant=27,
    ),
    _Case(
        50,
        "2023年某培训学校的办学许可审批材料",
        Channel.REGISTERED_MAIL,
        (
            _assign(49),
            *_reviewed(28, Outcome.UNAVAILABLE_NOT_HELD),
            _s(27, "send"),
            _s(25, "deliver"),
        ),
        applicant=28,
        form=Form.PAPER,
    ),
    _Case(
        60,
        "2025年全市中小学招生工作实施意见",
        steps=(
            _assign(59),
            _s(55, "consult", party="示范市人民政府办公室", third_party=False),
            _s(48, "consulted"),
            *_reviewed(43, Outcome.DISCLOSED),
            _s(42, "send"),
            _s(40, "deliver"),
            _s(40, "archive"),
        ),
        applicant=29,
    ),
    # Withdrawn by the applicant: recorded by staff, and on the tracking page.
    _Case(
        30,
        "2025年高中阶段学校招生录取名单",
        steps=(_assign(29), _s(25, "withdraw", reason="申请人已通过学校官网查到相关信息")),
        applicant=30,
    ),
    _Case(
        8,
        "2026年春季学期教材征订费用明细",
        Channel.ONLINE,
        (_s(5, "withdraw_applicant", reason="不再需要"),),
        applicant=31,
    ),
]

PROVISION_DEMO = "以电子邮件方式发送至申请人预留的邮箱，详见附件。"


def _demo_applicant(i: int) -> Applicant:
    rng = random.Random(9000 + i)  # noqa: S311 - repeatable demo data
    kind = ApplicantKind.NATURAL_PERSON if i % 7 else ApplicantKind.LEGAL_SERVICE
    a = make_applicant(rng, kind)
    a.email = a.email or f"applicant{i:02d}@example.com"
    return a


def load_demo_requests() -> list:
    """About thirty requests at 示范市教育局, through the real services, once.

    Returns the receipts (number and one-time tracking password) of the requests created;
    an empty list when the demo requests were loaded before. Dates are counted back from
    today in working days, so the queue has requests due soon, overdue and paused whatever
    the day the demo is loaded. One transaction: all of them or none.
    """
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        return _load_demo_requests()


def _load_demo_requests() -> list:
    from django.contrib.auth import get_user_model

    from gongkai.core.models import AuditEvent

    if AuditEvent.objects.filter(verb=DEMO_MARK).exists():
        return []
    org = Org.objects.filter(name=DEMO_ORG).first()
    users = get_user_model().objects.filter(
        username__in=["demo-handler", "demo-head", "demo-legal"]
    )
    staff = {u.username.removeprefix("demo-"): u for u in users}
    if org is None or len(staff) < 3:
        raise ApplicationError("示范区域尚未导入，请先运行 gongkai demo。", code="no_demo_region")
    handler, head, legal = staff["handler"], staff["head"], staff["legal"]
    days = WorkingDays(org)
    today = services.today()

    def back(n: int) -> dt.date:
        return today if n == 0 else days.before(today, n)

    # Every step of every case, in date order, so letter numbers follow their dates.
    timeline: list[tuple[dt.date, int, int, _Step | None]] = []
    for i, case in enumerate(DEMO_CASES):
        timeline.append((back(case.ago), 0, i, None))
        for order, step in enumerate(case.steps, 1):
            timeline.append((max(back(step.ago), back(case.ago)), order, i, step))
    timeline.sort(key=lambda t: (t[0], t[2], t[1]))

    requests: dict[int, Request] = {}
    receipts = []
    for day, _order, i, step in timeline:
        case = DEMO_CASES[i]
        if step is None:
            receipt = _demo_register(case, i, org, handler, day, today)
            receipts.append(receipt)
            requests[i] = receipt.request
            continue
        r = requests[i]
        a = step.args
        if step.action == "assign":
            r = services.request_assign(actor=head, request=r, handler=handler)
        elif step.action == "clarify":
            r = services.request_ask_clarification(
                actor=handler, request=r, items=a["items"], on=day
            )
        elif step.action == "clarified":
            r = services.request_clarification_received(actor=handler, request=r, on=day)
        elif step.action == "consult":
            r = services.request_consult(
                actor=handler, request=r, party=a["party"], third_party=a["third_party"], on=day
            )
        elif step.action == "consulted":
            r = services.request_consultation_done(actor=handler, request=r, on=day)
        elif step.action == "extend":
            r = services.request_extend(
                actor=head, request=r, days=a["days"], reason=a["reason"], on=day
            )
        elif step.action == "draft":
            outcome = a["outcome"]
            r = services.request_draft_reply(
                actor=handler,
                request=r,
                outcome=outcome,
                reason=REASONS.get(outcome, ""),
                provision=PROVISION_DEMO if outcome in (Outcome.DISCLOSED, Outcome.PARTIAL) else "",
            )
        elif step.action == "head":
            r = services.request_head_approve(actor=head, request=r, comment="同意")
        elif step.action == "legal":
            r = services.request_legal_approve(
                actor=legal, request=r, comment="经审核，符合条例规定"
            )
        elif step.action == "send":
            services.request_send(actor=handler, request=r, on=day)
            r = Request.objects.get(pk=r.pk)
        elif step.action == "deliver":
            r = services.request_deliver(actor=handler, request=r, on=day)
        elif step.action == "archive":
            r = services.request_archive(actor=handler, request=r)
        elif step.action == "withdraw":
            r = services.request_withdraw(actor=handler, request=r, reason=a["reason"], on=day)
        elif step.action == "withdraw_applicant":
            r = services.request_withdraw(actor=APPLICANT, request=r, reason=a["reason"], on=day)
        else:  # pragma: no cover - a typo in DEMO_CASES
            raise ValueError(step.action)
        requests[i] = r
    audit.record(
        actor="gongkai demo",
        verb=DEMO_MARK,
        target=None,
        org=org,
        data={"count": len(receipts), "numbers": [r.request.number for r in receipts]},
    )
    return receipts


def _demo_register(case: _Case, i: int, org: Org, handler, day, today):
    a = _demo_applicant(case.applicant or i)
    data = services.ApplicationInput(
        org=org,
        applicant_kind=a.kind,
        name=a.name,
        contact_person=a.contact_person,
        id_type=a.id_type,
        id_number=a.id_number,
        description=case.description,
        form=case.form,
        phone=a.phone,
        email=a.email,
        address=a.address,
        postcode=a.postcode,
    )
    if case.channel == Channel.ONLINE and day == today:
        # The public form: the system confirms the request on the spot.
        return services.request_submit(data=data, source_address=f"192.0.2.{i + 1}")
    confirmed = None
    submitted = day
    if case.channel == Channel.REGISTERED_MAIL:
        submitted, confirmed = day - dt.timedelta(days=2), day
    elif case.channel in (Channel.ONLINE, Channel.FAX, Channel.ORDINARY_MAIL):
        confirmed = day
    return services.request_register(
        actor=handler,
        data=data,
        channel=case.channel,
        submitted_on=submitted,
        confirmed_on=confirmed,
    )


def load() -> list[str]:
    """For `gongkai demo`: what was loaded, one line each (nothing when already there)."""
    receipts = load_demo_requests()
    if not receipts:
        return []
    first = receipts[0]
    return [
        f"demo disclosure requests: {len(receipts)} at 示范市教育局 (workbench: demo-handler); "
        f"track one at /foi/track/ with {first.request.number} / {first.password}"
    ]
