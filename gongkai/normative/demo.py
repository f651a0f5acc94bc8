"""The demo's normative documents, interpretations and gazette, built through the services.

示范市教育局 gets a small register: rules in force, an amendment, a repeal already in effect,
a repeal that takes effect in a few days (run `gongkai normative-apply-effects --date …` to see
the badge flip), a rule expiring within the alert period, a published clean-up; policies with an
on-time interpretation, a late one and a flagged one without any; and 示范市人民政府 a gazette
issue whose PDF is generated from its contents.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone

from gongkai.core import workdays
from gongkai.core.exceptions import ApplicationError
from gongkai.documents import services as doc_services
from gongkai.documents.models import Category, Document, Interpretation
from gongkai.orgs.models import Org
from gongkai.orgs.permissions import CommandLine

from . import services
from .models import NormativeDocument

logger = logging.getLogger(__name__)
ACTOR = CommandLine("demo")
EDU, GOV = "示范市教育局", "示范市人民政府"


def _published(org: Org, title: str, number: str, signed: dt.date, body: str, **fields) -> Document:
    category = Category.objects.filter(code=fields.pop("category", "regulations")).first()
    doc = doc_services.document_create(
        actor=ACTOR,
        org=org,
        data={
            "title": title,
            "document_number": number,
            "date_signed": signed,
            "attribute": Document.Attribute.PROACTIVE,
            "doc_type": fields.pop("doc_type", Document.DocType.NOTICE),
            "category": category,
            "body": "".join(f"<p>{p}</p>" for p in body.split("\n")),
            **fields,
        },
    )
    for action in ("submit", "approve", "publish"):
        doc = doc_services.document_transition(actor=ACTOR, document=doc, action=action)
    return doc


def _backdate(doc: Document, day: dt.date) -> None:
    """Demo history: when the document went online (the publish service stamps now)."""
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))
    Document.objects.filter(pk=doc.pk).update(published_at=at)
    doc.published_at = at


RULE_TEXT = (
    "第一条 为规范{topic}工作，根据有关法律法规，结合本市实际，制定本办法。\n"
    "第二条 本办法适用于本市行政区域内的{topic}工作。\n"
    "第三条 市教育局负责全市{topic}工作的统筹协调和监督管理，各区县（市）教育行政部门负责本辖区内的具体工作。\n"
    "第四条 各学校应当建立健全{topic}工作制度，明确责任人，按规定公开相关信息。\n"
    "第五条 本办法自印发之日起施行。"
)


def _rule(org, title, number, signed, effective, topic, expiry=None) -> NormativeDocument:
    doc = _published(org, title, number, signed, RULE_TEXT.format(topic=topic))
    _backdate(doc, signed + dt.timedelta(days=2))
    return services.normative_register(
        actor=ACTOR, document=doc, effective_date=effective, expiry_date=expiry,
        filing_number=f"示司备〔{signed.year}〕{signed.month}{signed.day}号",
        filing_date=signed + dt.timedelta(days=20),
    )  # fmt: skip


@transaction.atomic
def load_demo_normative(today: dt.date | None = None) -> bool:
    if NormativeDocument.objects.exists():
        return False
    today = today or timezone.localdate()
    edu, gov = Org.objects.get(name=EDU), Org.objects.get(name=GOV)
    roll = _rule(
        edu,
        "示范市中小学校学籍管理办法",
        "示教规〔2022〕1号",
        dt.date(2022, 2, 10),
        dt.date(2022, 3, 1),
        "学籍管理",
    )
    _rule(
        edu, "示范市校外培训机构管理暂行办法", "示教规〔2024〕3号", dt.date(2024, 12, 15),
        dt.date(2025, 1, 1), "校外培训机构管理", expiry=today + dt.timedelta(days=40),
    )  # fmt: skip
    aid_old = _rule(
        edu,
        "示范市学生资助资金管理办法",
        "示教规〔2021〕2号",
        dt.date(2021, 5, 20),
        dt.date(2021, 6, 1),
        "学生资助资金管理",
    )
    after_old = _rule(
        edu,
        "示范市中小学课后服务管理暂行办法",
        "示教规〔2023〕1号",
        dt.date(2023, 8, 1),
        dt.date(2023, 9, 1),
        "课后服务",
    )
    # A clean-up of what was in force, published: every rule continues.
    campaign = services.campaign_create(
        actor=ACTOR, org=edu, title="2025年度规范性文件清理", review_by=today, all_in_force=True
    )
    for item in campaign.items.all():
        services.campaign_decide(
            actor=ACTOR, item=item, decision="continue", reason="与上位法规定一致，继续有效。"
        )
    services.campaign_publish(actor=ACTOR, campaign=campaign)

    after_new = _rule(
        edu,
        "示范市中小学课后服务管理办法",
        "示教规〔2026〕1号",
        dt.date(2026, 2, 10),
        dt.date(2026, 3, 1),
        "课后服务",
    )
    services.relation_add(
        actor=ACTOR, source=after_new, target=after_old, kind="replaces", today=today
    )
    amend = _rule(
        edu, "示范市教育局关于修改《示范市中小学校学籍管理办法》的决定", "示教规〔2026〕2号",
        dt.date(2026, 5, 10), dt.date(2026, 6, 1), "学籍管理",
    )  # fmt: skip
    services.relation_add(actor=ACTOR, source=amend, target=roll, kind="amends", today=today)
    effective = workdays.add_working_days(today, 3, region=edu).due_date
    aid_new = _rule(
        edu, "示范市学生资助资金管理办法（2026年修订）", "示教规〔2026〕3号", today - dt.timedelta(days=7),
        effective, "学生资助资金管理",
    )  # fmt: skip
    services.relation_add(actor=ACTOR, source=aid_new, target=aid_old, kind="repeals", today=today)

    # Interpretations: on time, late, and a flagged policy still without one.
    _interpret(
        edu,
        aid_new.document,
        "《示范市学生资助资金管理办法（2026年修订）》政策解读",
        Interpretation.Form.TEXT,
        0,
    )
    admission = _published(
        edu, "示范市教育局关于做好2026年义务教育招生入学工作的通知", "示教〔2026〕15号", dt.date(2026, 4, 1),
        "一、招生对象。\n二、招生办法。\n三、工作要求。", category="livelihood", needs_interpretation=True,
    )  # fmt: skip
    _backdate(admission, dt.date(2026, 4, 2))
    _interpret(edu, admission, "图解：2026年义务教育招生入学政策", Interpretation.Form.GRAPHIC, 8)
    flagged = _published(
        edu, "示范市教育局关于进一步规范中小学收费管理的通知", "示教〔2026〕21号", dt.date(2026, 9, 1),
        "一、收费项目。\n二、收费标准。\n三、监督检查。", category="fees", needs_interpretation=True,
    )  # fmt: skip
    _backdate(flagged, dt.date(2026, 9, 3))
    _gazette(gov, [aid_new.document, after_new.document, amend.document, admission])
    return True


def _interpret(org, policy: Document, title: str, form: str, days_after: int) -> Document:
    doc = doc_services.document_create(
        actor=ACTOR,
        org=org,
        data={
            "title": title,
            "date_signed": policy.date_signed,
            "attribute": Document.Attribute.PROACTIVE,
            "doc_type": Document.DocType.OTHER,
            "body": f"<p>一、出台背景。</p><p>二、主要内容：{policy.title}明确了适用范围、职责分工和工作要求。</p>",
        },
    )
    doc_services.interpretation_set(
        actor=ACTOR, document=doc, form=form, responsible_org=org, policies=[policy]
    )
    for action in ("submit", "approve", "publish"):
        doc = doc_services.document_transition(actor=ACTOR, document=doc, action=action)
    published = timezone.localtime(policy.published_at).date()
    _backdate(
        doc,
        workdays.add_working_days(published, days_after, region=org).due_date
        if days_after
        else published,
    )
    return doc


def _gazette(gov: Org, documents: list[Document]) -> None:
    today = timezone.localdate()
    issue = doc_services.gazette_issue_create(
        actor=ACTOR, org=gov, year=today.year, number=1, issue_date=today, total_number=101
    )
    for doc in documents:
        doc_services.gazette_entry_add(
            actor=ACTOR, issue=issue, document=doc, section="市政府部门文件"
        )
    try:
        doc_services.gazette_issue_publish(actor=ACTOR, issue=issue)
    except ApplicationError as exc:  # no fonts or Pango on this machine: left unpublished
        logger.warning("demo gazette issue not published: %s", exc.message)


def load() -> list[str]:
    """For `gongkai demo`: what was loaded, one line each (nothing when already there)."""
    if not load_demo_normative():
        return []
    return [
        "demo normative documents, interpretations and a gazette issue at 示范市教育局 "
        "(/normative/, /gazette/); a repeal takes effect in 3 working days: "
        "gongkai normative-apply-effects --date YYYY-MM-DD"
    ]
