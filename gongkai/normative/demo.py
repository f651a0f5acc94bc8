"""The demo's normative documents, interpretations and gazette, built through the services.

示范市教育局 gets a small register, dated from the day it is loaded: rules in force, an
amendment and a replacement already in effect, a repeal that takes effect in a few working days
(pages show it from that day on; `gongkai normative-apply-effects` updates the stored value and
the search index), a rule expiring within the alert period, last year's clean-up; policies with an
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


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


@transaction.atomic
def load_demo_normative(today: dt.date | None = None) -> bool:
    """The register, dated from `today` so that whatever day the demo is loaded on it tells
    one consistent story: a clean-up last year found four rules in force and kept them; since
    then one was replaced and one amended (both in effect), one is repealed in a few working
    days, and one expires within the alert period. Effects due by today are applied, as the
    daily command would have."""
    if NormativeDocument.objects.exists():
        return False
    today = today or timezone.localdate()
    edu, gov = Org.objects.get(name=EDU), Org.objects.get(name=GOV)

    def ago(days: int, years: int = 0) -> dt.date:
        return _years_before(today, years) - dt.timedelta(days=days)

    # In force for years; amended below. Its five-year period ends well after today.
    signed = ago(100, years=3)
    roll = _rule(
        edu, "示范市中小学校学籍管理办法", f"示教规〔{signed.year}〕1号", signed,
        signed + dt.timedelta(days=20), "学籍管理",
    )  # fmt: skip
    # Repealed in a few working days by its revision (below); its period would end later.
    signed = ago(200, years=4)
    aid_old = _rule(
        edu, "示范市学生资助资金管理办法", f"示教规〔{signed.year}〕2号", signed,
        signed + dt.timedelta(days=12), "学生资助资金管理",
    )  # fmt: skip
    # An interim rule (two-year period) replaced before its period ended.
    signed = ago(560)
    after_old = _rule(
        edu, "示范市中小学课后服务管理暂行办法", f"示教规〔{signed.year}〕4号", signed,
        signed + dt.timedelta(days=31), "课后服务",
    )  # fmt: skip

    # Last year's clean-up, published before any of the changes below: every rule continues.
    held = ago(420)
    campaign = services.campaign_create(
        actor=ACTOR, org=edu, title=f"{held.year}年度规范性文件清理", review_by=held,
        all_in_force=True,
    )  # fmt: skip
    for item in campaign.items.all():
        services.campaign_decide(
            actor=ACTOR, item=item, decision="continue", reason="与上位法规定一致，继续有效。"
        )
    services.campaign_publish(actor=ACTOR, campaign=campaign)
    _backdate_campaign(campaign, held)

    # Issued after the clean-up; its period ends within the alert period.
    signed = ago(400)
    _rule(
        edu, "示范市校外培训机构管理暂行办法", f"示教规〔{signed.year}〕3号", signed,
        signed + dt.timedelta(days=17), "校外培训机构管理", expiry=today + dt.timedelta(days=40),
    )  # fmt: skip
    signed = ago(300)
    after_new = _rule(
        edu, "示范市中小学课后服务管理办法", f"示教规〔{signed.year}〕5号", signed,
        signed + dt.timedelta(days=19), "课后服务",
    )  # fmt: skip
    services.relation_add(
        actor=ACTOR, source=after_new, target=after_old, kind="replaces", today=today
    )
    signed = ago(200)
    amend = _rule(
        edu, "示范市教育局关于修改《示范市中小学校学籍管理办法》的决定", f"示教规〔{signed.year}〕6号",
        signed, signed + dt.timedelta(days=22), "学籍管理",
    )  # fmt: skip
    services.relation_add(actor=ACTOR, source=amend, target=roll, kind="amends", today=today)
    effective = workdays.add_working_days(today, 3, region=edu).due_date
    signed = ago(7)
    aid_new = _rule(
        edu, f"示范市学生资助资金管理办法（{signed.year}年修订）", f"示教规〔{signed.year}〕7号",
        signed, effective, "学生资助资金管理",
    )  # fmt: skip
    services.relation_add(actor=ACTOR, source=aid_new, target=aid_old, kind="repeals", today=today)
    # What the daily command would have applied by today (nothing here, normally).
    services.apply_effects(actor=ACTOR, today=today)

    # Interpretations: on time, late, and a flagged policy still without one.
    _interpret(
        edu,
        aid_new.document,
        f"《{aid_new.document.title}》政策解读",
        Interpretation.Form.TEXT,
        0,
    )
    signed = ago(250)
    admission = _published(
        edu, f"示范市教育局关于做好{signed.year}年义务教育招生入学工作的通知",
        f"示教〔{signed.year}〕15号", signed,
        "一、招生对象。\n二、招生办法。\n三、工作要求。", category="livelihood", needs_interpretation=True,
    )  # fmt: skip
    _backdate(admission, signed + dt.timedelta(days=1))
    _interpret(
        edu, admission, f"图解：{signed.year}年义务教育招生入学政策", Interpretation.Form.GRAPHIC, 8
    )
    signed = ago(60)
    flagged = _published(
        edu, "示范市教育局关于进一步规范中小学收费管理的通知", f"示教〔{signed.year}〕21号", signed,
        "一、收费项目。\n二、收费标准。\n三、监督检查。", category="fees", needs_interpretation=True,
    )  # fmt: skip
    _backdate(flagged, signed + dt.timedelta(days=2))
    _gazette(gov, [aid_new.document, after_new.document, amend.document, admission])
    return True


def _backdate_campaign(campaign, day: dt.date) -> None:
    """Demo history: the clean-up was held and published on `day` (services stamp now)."""
    from .models import Campaign, CampaignItem

    at = timezone.make_aware(dt.datetime.combine(day, dt.time(16, 0)))
    Campaign.objects.filter(pk=campaign.pk).update(created_at=at, published_at=at)
    CampaignItem.objects.filter(campaign=campaign).update(decided_at=at)


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
