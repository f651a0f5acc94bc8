"""The demo's consultations: one open with comments (three alike, for the grouping
suggestion), one closed with its feedback published (a shared view not adopted, with the
reason), one closed whose feedback is overdue (flagged), and the government's yearly list."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from gongkai.core.workflow import SCHEDULER
from gongkai.orgs.models import Org
from gongkai.orgs.permissions import CommandLine

from .models import Consultation, Decision
from .services import consultations as services

EDU, CIVIL, GOV = "示范市教育局", "示范市民政局", "示范市人民政府"
OPEN_TITLE = "示范市中小学课后服务管理办法（征求意见稿）"


def _consultation(actor, org, title, start, days, **extra):
    data = services.ConsultationInput(
        title=title,
        opens_on=start,
        closes_on=start + dt.timedelta(days=days - 1),
        draft_text=extra.pop("draft_text"),
        explanation=extra.pop("explanation", ""),
        basis=extra.pop("basis", ""),
        methods=extra.pop("methods", ["online"]),
        contact=f"{org.name}政策法规科，电话 0371-60000000",
        **extra,
    )
    c = services.consultation_create(actor=actor, org=org, data=data)
    return services.consultation_open(actor=actor, consultation=c, on=start)


def _comments(c, texts, on):
    people = ["张女士", "李先生", "王老师", "刘女士", "陈先生", "杨女士"]
    made = []
    for i, text in enumerate(texts):
        made.append(
            services.comment_submit(
                consultation=c,
                data=services.CommentInput(
                    name=people[i % len(people)],
                    contact=f"1380013{i:04d}",
                    text=text,
                    publish_consent=i % 3 != 2,
                ),
                on=on,
            )
        )
    return made


@transaction.atomic
def load() -> list[str]:
    if Consultation.objects.filter(title=OPEN_TITLE).exists():
        return []
    orgs = {o.name: o for o in Org.objects.filter(name__in=(EDU, CIVIL, GOV))}
    if len(orgs) < 3:
        return []
    actor = CommandLine("demo")
    today = timezone.localdate()

    items = [
        services.decision_item_save(
            actor=actor, org=orgs[GOV], year=today.year, title=title, scope=scope,
            methods=methods, channel="示范市人民政府门户网站“意见征集”栏目",
            planned_time=when, lead_unit=unit,
        )
        for title, scope, methods, when, unit in [
            ("中小学课后服务管理办法", "全市中小学生家长、教师和学校", ["online", "forum"],
             f"{today.year}年第四季度", EDU),
            ("养老服务补贴办法修订", "全市老年人及其家属、养老服务机构", ["online", "hearing"],
             f"{today.year}年第三季度", CIVIL),
            ("城市公共交通票价调整方案", "全体市民", ["online", "hearing", "survey"],
             f"{today.year + 1}年上半年", "示范市交通运输局"),
        ]
    ]  # fmt: skip
    services.decision_list_publish(actor=actor, org=orgs[GOV], year=today.year)

    start = today - dt.timedelta(days=5)
    open_one = _consultation(
        actor, orgs[EDU], OPEN_TITLE, start, 30,
        draft_text="第一条 为规范中小学课后服务，减轻家长负担，制定本办法。\n"
                   "第二条 课后服务结束时间原则上不早于当地正常下班时间。\n"
                   "第三条 课后服务坚持学生家长自愿参加原则。",
        explanation="为落实国家关于做好中小学生课后服务工作的要求，市教育局起草了本办法。",
        basis="《中华人民共和国教育法》等",
        methods=["online", "forum"], decision_item=items[0],
    )  # fmt: skip
    _comments(
        open_one,
        [
            "建议课后服务延长到晚上六点半，方便双职工家庭接孩子",
            "课后服务时间建议延长到晚上六点半，我们下班太晚了",
            "建议课后服务时间延长至晚上六点半",
            "希望课后服务增加体育和艺术类活动，不要只写作业",
        ],
        today,
    )

    start = today - dt.timedelta(days=40)
    done = _consultation(
        actor, orgs[EDU], "示范市学前教育收费管理办法（征求意见稿）", start, 30,
        draft_text="第一条 公办幼儿园保育教育费实行政府定价。\n第二条 民办幼儿园收费实行市场调节价。",
        explanation="为规范学前教育收费行为，起草本办法。",
    )  # fmt: skip
    comments = _comments(
        done,
        [
            "建议取消幼儿园的赞助费，我的电话13912345678",
            "幼儿园不能收取赞助费，建议明令禁止",
            "建议公办幼儿园保育费降低一半",
            "公办幼儿园保育教育费应该减半收取",
            "建议每学期公示收费明细",
        ],
        start + dt.timedelta(days=3),
    )
    services.activity_record(
        actor=actor, consultation=done, method="forum", held_on=start + dt.timedelta(days=10),
        participants=12, participants_text="家长代表、幼儿园园长、人大代表",
        summary="与会代表赞成规范收费，建议加强对民办园的监管。",
    )  # fmt: skip
    services.consultation_close(
        actor=SCHEDULER, consultation=done, on=start + dt.timedelta(days=30)
    )
    services.comment_group(actor=actor, consultation=done, comment_ids=[comments[0].pk, comments[1].pk],
                           title="禁止收取赞助费")  # fmt: skip
    halve = services.comment_group(actor=actor, consultation=done,
                                   comment_ids=[comments[2].pk, comments[3].pk],
                                   title="公办幼儿园保育教育费减半")  # fmt: skip
    groups = list(done.groups.order_by("id"))
    services.comment_decide(actor=actor, consultation=done, decision=Decision.ADOPTED,
                            group=groups[0])  # fmt: skip
    services.comment_decide(
        actor=actor, consultation=done, decision=Decision.NOT_ADOPTED, group=halve,
        reason="保育教育费标准须依据办学成本监审确定，不宜统一减半；将对困难家庭幼儿实行资助。",
    )  # fmt: skip
    services.comment_decide(actor=actor, consultation=done, decision=Decision.ADOPTED,
                            comment_ids=[comments[4].pk])  # fmt: skip
    services.consultation_publish_feedback(
        actor=actor, consultation=done,
        feedback="征求意见期间共收到意见5条，召开座谈会1场。禁止收取赞助费、公示收费明细的意见已采纳，"
                 "写入办法第五条、第八条。",
    )  # fmt: skip

    start = today - dt.timedelta(days=90)
    late = _consultation(
        actor, orgs[CIVIL], "示范市养老服务补贴办法（修订征求意见稿）", start, 30,
        draft_text="第一条 本市户籍80周岁以上老年人按月领取高龄津贴。",
        explanation="根据新修订的上级政策，修订本办法。", decision_item=items[1],
    )  # fmt: skip
    _comments(
        late, ["建议把高龄津贴的年龄降到75岁", "希望简化补贴申领手续"], start + dt.timedelta(days=2)
    )
    services.consultation_close(
        actor=SCHEDULER, consultation=late, on=start + dt.timedelta(days=30)
    )
    return [
        "demo consultations: one open with comments (/consultations/), one with published "
        "feedback, one awaiting feedback past its due date (workbench: demo-publisher, 意见征集)"
    ]
