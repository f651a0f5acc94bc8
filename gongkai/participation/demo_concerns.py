"""Demo public concerns (回应关切台账): a 重大 concern at 示范市教育局 whose 5-hour limit was met
and whose 24-hour limit was missed (reason recorded), and a closed 一般 concern with a kept
promise. Loaded through the services; running it again adds nothing."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from gongkai.orgs.models import Org
from gongkai.orgs.permissions import CommandLine

from .models import Concern, ConcernSource, ResponseKind, Severity
from .services import concerns as services

MAJOR_TITLE = "网传示范市某中学食堂食品安全问题"
ORDINARY_TITLE = "家长反映部分学校课后服务收费不规范"


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@transaction.atomic
def load() -> list[str]:
    actor = CommandLine("demo")
    edu = Org.objects.get(name="示范市教育局")
    related = list(Org.objects.filter(name__in=["示范市人民政府", "示范市市场监督管理局"]))
    today = timezone.localdate()
    lines: list[str] = []

    if not Concern.objects.filter(org=edu, title=MAJOR_TITLE).exists():
        day = today - dt.timedelta(days=3)
        concern = services.concern_register(
            actor=actor,
            org=edu,
            title=MAJOR_TITLE,
            description="网络平台出现反映某中学食堂食材变质的帖子，转发量较大，引发家长关注。",
            source=ConcernSource.ONLINE,
            noticed_at=_at(day, 9),
            severity=Severity.MAJOR,
            tags=["食品安全", "教育医疗"],
            related_orgs=related,
        )
        services.response_record(
            actor=actor,
            concern=concern,
            kind=ResponseKind.FIRST_RELEASE,
            at=_at(day, 12, 30),
            channel="示范市教育局官方网站、政务微博",
            spokesperson="市教育局新闻发言人",
            summary="已组织市场监管部门进驻学校核查，暂停该食堂供餐，学生改由配送企业供餐。",
        )
        services.response_record(
            actor=actor,
            concern=concern,
            kind=ResponseKind.PRESS_CONFERENCE,
            at=_at(day + dt.timedelta(days=1), 16),
            channel="市政府新闻发布厅",
            spokesperson="市教育局副局长",
            summary="通报核查结果和整改措施，回答记者提问。",
        )
        services.missed_reason_record(
            actor=actor,
            concern=concern,
            limit=services.PRESS,
            reason="核查检测结果次日下午才出具，发布会推迟至结果出具后召开。",
        )
        services.promise_add(
            actor=actor,
            concern=concern,
            text="一个月内完成全市中小学食堂食品安全专项检查并公布结果",
            due_on=day + dt.timedelta(days=30),
        )
        lines.append(f"concern: {MAJOR_TITLE} (重大, 5 h met, 24 h missed with reason)")

    if not Concern.objects.filter(org=edu, title=ORDINARY_TITLE).exists():
        day = today - dt.timedelta(days=40)
        concern = services.concern_register(
            actor=actor,
            org=edu,
            title=ORDINARY_TITLE,
            description="12345 热线集中反映部分学校课后服务收费标准不一。",
            source=ConcernSource.HOTLINE,
            noticed_at=_at(day, 10),
            severity=Severity.ORDINARY,
            tags=["教育医疗", "重大政策"],
        )
        services.response_record(
            actor=actor,
            concern=concern,
            kind=ResponseKind.QA,
            at=_at(day + dt.timedelta(days=1), 15),
            channel="示范市教育局官方网站“政策问答”栏目",
            spokesperson="市教育局基础教育处",
            summary="解读课后服务收费政策，公布监督电话。",
        )
        promise = services.promise_add(
            actor=actor,
            concern=concern,
            text="两周内公布各校课后服务收费标准",
            due_on=day + dt.timedelta(days=14),
        )
        services.promise_fulfil(
            actor=actor,
            promise=promise,
            fulfilled_on=day + dt.timedelta(days=10),
            evidence="已在市教育局网站公布全市各校课后服务收费标准。",
        )
        services.concern_close(
            actor=actor,
            concern=concern,
            evaluation="收费标准公布后相关投诉明显减少，舆情平息。",
        )
        lines.append(f"concern: {ORDINARY_TITLE} (一般, closed, promise kept)")
    return lines
