"""The demo questions and answers: published Q&A at several organisations (one transferred
from 市政府 to 教育局 before it was answered) and an unanswered question past its deadline.

Made through the real services with past dates; the operator of the demo acts as a trusted
command-line actor. Idempotent: each demo question carries a submission key of its own."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from gongkai.orgs.models import Org
from gongkai.orgs.permissions import CommandLine

from .models import Question, QuestionKind
from .services import questions as services

_KEY = "demo:question:"
ACTOR = CommandLine("demo")

# (slug, addressed to, transferred to, kind, subject, text, answer, days ago, publish)
CASES = [
    (
        "school-enrolment",
        "示范市教育局",
        None,
        QuestionKind.ENQUIRY,
        "小学入学需要准备哪些材料？",
        "孩子今年满六周岁，户口在本市，请问小学新生入学登记需要准备哪些材料？联系电话13912345678。",
        "适龄儿童入学登记需准备户口簿、房产证明或租赁备案证明、儿童预防接种证。具体以学区学校公告为准。",
        40,
        True,
    ),
    (
        "school-bus",
        "示范市人民政府",
        "示范市教育局",
        QuestionKind.SUGGESTION,
        "建议为偏远村小开通校车",
        "我村距离镇中心小学较远，孩子每天步行上学不安全，建议为偏远村开通校车。",
        "感谢您的建议。市教育局已会同交通运输部门调研，将于下学期在三个乡镇试点开通农村校车线路。",
        35,
        True,
    ),
    (
        "elderly-subsidy",
        "示范市民政局",
        None,
        QuestionKind.ENQUIRY,
        "高龄津贴怎么申请？",
        "我父亲今年八十岁，请问高龄津贴向哪里申请，需要什么材料？",
        "年满80周岁的本市户籍老人可向户籍所在地社区（村）提出申请，携带身份证和户口簿，经街道（乡镇）审核后按月发放。",
        30,
        True,
    ),
    (
        "marriage-registration",
        "示范市民政局",
        None,
        QuestionKind.ENQUIRY,
        "婚姻登记可以异地办理吗？",
        "我和爱人户籍都在外省，现在在本市工作，可以在本市办理结婚登记吗？",
        "根据婚姻登记“跨省通办”试点政策，双方均非本市户籍的，一方持有本市居住证即可在本市婚姻登记机关办理。",
        20,
        True,
    ),
]
OVERDUE = (
    "playground",
    "示范市教育局",
    QuestionKind.COMPLAINT,
    "学校操场周末不开放",
    "附近学校操场周末一直锁门，能否按规定向社区居民开放？",
    40,
)


def _at(days_ago: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days_ago)


def _submit(slug, org_name, kind, subject, text, days_ago, consent):
    key = _KEY + slug
    found = Question.objects.filter(submission_key=key).first()
    if found is not None:
        return found, False
    receipt = services.question_submit(
        data=services.QuestionInput(
            org=Org.objects.get(name=org_name),
            kind=kind,
            subject=subject,
            text=text,
            name="张三",
            contact="13912345678",
            publish_consent=consent,
        ),
        source_address="",
        submission_key=key,
        now=_at(days_ago),
    )
    return receipt.question, True


def load() -> list[str]:
    """For `gongkai demo`: what was loaded, one line each (nothing when already there)."""
    made = 0
    for slug, to_name, transfer_to, kind, subject, text, answer, ago, publish in CASES:
        q, new = _submit(slug, to_name, kind, subject, text, ago, publish)
        if not new:
            continue
        made += 1
        if transfer_to:
            q = services.question_transfer(
                actor=ACTOR,
                question=q,
                to_org=Org.objects.get(name=transfer_to),
                reason="属于教育部门职责，转市教育局办理",
                now=_at(ago - 1),
            )
        q = services.question_accept(actor=ACTOR, question=q)
        q = services.question_draft_answer(actor=ACTOR, question=q, answer=answer)
        q = services.question_approve_answer(actor=ACTOR, question=q, now=_at(ago - 3))
        if publish:
            services.question_publish(actor=ACTOR, question=q, **services.publish_prefill(q))
    slug, org_name, kind, subject, text, ago = OVERDUE
    q, new = _submit(slug, org_name, kind, subject, text, ago, False)
    if new:
        made += 1
        services.question_accept(actor=ACTOR, question=q)
    if not made:
        return []
    return [
        f"demo questions: {len(CASES)} published Q&A at 教育局 and 民政局 (one transferred from "
        f"市政府), one overdue at 教育局 — /interaction/, workbench /workbench/questions/"
    ]
