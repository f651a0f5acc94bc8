"""Every audit verb, in one place, with its canonical name `<app>.<entity>.<action>`.

The verb is part of each event's hash, so stored events are never rewritten: an event keeps
the verb it was recorded with (its *stored* name, e.g. `workplan.report_accept`), and this
catalog maps it to the canonical name (`supervision.report.accept`) and a label for the audit
pages. New code records the stored names listed here; a test scans the code and fails on a
verb this catalog does not know, and on a canonical name that does not follow the scheme.

Transitions of the declared workflows (`core.workflow`) are recorded as
`<workflow name>.<transition>` unless a service names another verb; `WORKFLOWS` maps each
workflow name to its `<app>.<entity>` so that their verbs need no row of their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Verb:
    stored: str
    canonical: str
    label: object  # a lazy translation


# workflow name → "<app>.<entity>": its transitions are "<app>.<entity>.<transition>".
WORKFLOWS = {
    "document": "documents.document",
    "foi": "foi.request",
    "workplan": "supervision.plan",
    "workplan.task": "supervision.task",
    "normative.campaign": "normative.campaign",
    "reports.annual": "reports.annual_report",
    "participation.consultation": "participation.consultation",
    "participation.question": "participation.question",
    "participation.concern": "participation.concern",
    "catalogs.catalog": "catalogs.catalog",
    "sites.request": "sites.request",
    "sites.entry": "sites.entry",
}

_ROWS = [
    # core
    ("calendar.import", "core.calendar.import", _("导入节假日安排")),
    ("calendar.day_create", "core.calendar.day_create", _("新增节假日安排")),
    ("calendar.day_update", "core.calendar.day_update", _("修改节假日安排")),
    ("calendar.day_delete", "core.calendar.day_delete", _("删除节假日安排")),
    ("backup.create", "core.backup.create", _("备份数据")),
    ("backup.prune", "core.backup.prune", _("删除过期备份")),
    ("backup.restore", "core.backup.restore", _("从备份恢复数据")),
    # orgs
    ("org.create", "orgs.org.create", _("新建机构")),
    ("org.update", "orgs.org.update", _("修改机构")),
    ("org.update_profile", "orgs.org.update_profile", _("修改机构信息")),
    ("guide.update", "orgs.guide.update", _("修改公开指南")),
    ("membership.grant", "orgs.membership.grant", _("授予角色")),
    ("membership.update", "orgs.membership.update", _("修改角色")),
    ("membership.revoke", "orgs.membership.revoke", _("撤销角色")),
    ("user.create", "orgs.user.create", _("新建账号")),
    ("user.change_password", "orgs.user.change_password", _("修改密码")),
    ("group_alias.create", "orgs.group_alias.create", _("新建单位统称")),
    ("group_alias.update", "orgs.group_alias.update", _("修改单位统称")),
    # documents
    ("document.create", "documents.document.create", _("新建文件")),
    ("document.update", "documents.document.update", _("修改文件")),
    ("document.import", "documents.document.import", _("导入文件")),
    ("document.mask_pii", "documents.document.mask_pii", _("遮盖个人信息")),
    ("document.attachment_add", "documents.attachment.add", _("添加附件")),
    ("document.attachment_remove", "documents.attachment.remove", _("删除附件")),
    ("document.interpretation_set", "documents.interpretation.set", _("关联政策解读")),
    ("document.flag_interpretation", "documents.interpretation.flag", _("标记需要解读")),
    ("documents.seed", "documents.document.seed", _("批量生成示范文件")),
    ("column.create", "documents.column.create", _("新建专栏")),
    ("gazette.issue_create", "documents.gazette.issue_create", _("新建公报期次")),
    ("gazette.entry_add", "documents.gazette.entry_add", _("公报收录文件")),
    ("gazette.pdf_upload", "documents.gazette.pdf_upload", _("上传公报PDF")),
    ("gazette.issue_publish", "documents.gazette.issue_publish", _("发布公报")),
    # foi
    ("foi.request_register", "foi.request.register", _("登记申请")),
    ("foi.letter_issue", "foi.letter.issue", _("出具告知书")),
    ("foi.disclosed_file_add", "foi.disclosed_file.add", _("上传公开信息文件")),
    ("foi.disclosed_file_remove", "foi.disclosed_file.remove", _("删除公开信息文件")),
    ("foi.correct_applicant_kind", "foi.request.correct", _("更正申请人类别")),
    ("foi.review_record", "foi.review.record", _("登记复议诉讼")),
    ("foi.review_decide", "foi.review.decide", _("登记复议诉讼结果")),
    ("foi.convert_to_proactive", "foi.request.convert_to_proactive", _("依申请公开转主动公开")),
    ("foi.seed", "foi.request.seed", _("批量生成示范申请")),
    ("foi.demo_load", "foi.request.demo_load", _("导入示范申请")),
    # normative
    ("normative.register", "normative.document.register", _("登记规范性文件")),
    ("normative.update", "normative.document.update", _("修改规范性文件登记")),
    ("normative.validity", "normative.document.validity", _("效力变更")),
    ("normative.relation_add", "normative.relation.add", _("登记立改废关系")),
    ("normative.relation_applied", "normative.relation.applied", _("立改废关系生效")),
    ("normative.campaign_create", "normative.campaign.create", _("发起清理")),
    ("normative.campaign_decide", "normative.campaign.decide", _("记录清理意见")),
    ("normative.campaign_publish", "normative.campaign.publish", _("公布清理结果")),
    # supervision
    ("workplan.import", "supervision.plan.import", _("导入工作要点")),
    ("workplan.unit_map", "supervision.plan.unit_map", _("对应单位名称")),
    ("workplan.bulletin_publish", "supervision.plan.bulletin_publish", _("发布季度通报")),
    ("workplan.task_update", "supervision.task.update", _("修改任务")),
    ("workplan.task_check", "supervision.task.check", _("核对任务")),
    ("workplan.internal_unit_create", "supervision.plan.internal_unit", _("新建内设机构")),
    ("workplan.task_carry", "supervision.task.carry", _("结转任务")),
    ("workplan.progress_report", "supervision.report.submit", _("报送进展")),
    ("workplan.progress_consolidate", "supervision.report.consolidate", _("汇总报送")),
    ("workplan.report_accept", "supervision.report.accept", _("审核通过")),
    ("workplan.report_return", "supervision.report.return", _("退回报告")),
    # reports
    ("reports.figure_set", "reports.figure.set", _("填报年报数据")),
    ("reports.weights_set", "reports.weights.set", _("设置考核权重")),
    ("reports.annual_create", "reports.annual_report.create", _("起草年度报告")),
    ("reports.annual_update", "reports.annual_report.update", _("修改年度报告")),
    # participation: consultations
    ("participation.decision_item_save", "participation.decision_item.save", _("编辑公众参与事项")),
    (
        "participation.decision_list_publish",
        "participation.decision_item.publish",
        _("公布公众参与事项目录"),
    ),
    ("participation.consultation_create", "participation.consultation.create", _("新建意见征集")),
    ("participation.consultation_update", "participation.consultation.update", _("修改意见征集")),
    ("participation.consultation_link", "participation.consultation.link", _("关联决策文件")),
    ("participation.activity_record", "participation.activity.record", _("登记线下征求")),
    ("participation.comment_submit", "participation.comment.submit", _("提交意见")),
    ("participation.comment_enter", "participation.comment.enter", _("录入意见")),
    ("participation.comment_group", "participation.comment.group", _("归类意见")),
    ("participation.comment_decide", "participation.comment.decide", _("处理意见")),
    # participation: questions
    ("participation.question_submit", "participation.question.submit", _("提交留言")),
    ("participation.question_import", "participation.question.import", _("导入热线问答")),
    ("participation.question_rate", "participation.question.rate", _("评价答复")),
    ("participation.question_publish", "participation.question.publish", _("公开问答")),
    ("participation.question_unpublish", "participation.question.unpublish", _("撤下问答")),
    ("participation.token_create", "participation.token.create", _("新建接口令牌")),
    ("participation.token_revoke", "participation.token.revoke", _("撤销接口令牌")),
    # participation: public concerns
    ("participation.concern_register", "participation.concern.register", _("登记舆情关切")),
    ("participation.concern_update", "participation.concern.update", _("修改舆情关切")),
    ("participation.concern_missed", "participation.concern.missed", _("登记超时原因")),
    ("participation.response_record", "participation.response.record", _("登记回应")),
    ("participation.promise_add", "participation.promise.add", _("登记承诺事项")),
    ("participation.promise_fulfil", "participation.promise.fulfil", _("登记承诺兑现")),
    # catalogs: the standard disclosure catalogs
    ("catalogs.catalog.create", "catalogs.catalog.create", _("新建标准目录")),
    ("catalogs.catalog.import", "catalogs.catalog.import", _("导入标准目录")),
    ("catalogs.catalog.adapt", "catalogs.catalog.adapt", _("根据上级目录调整标准目录")),
    ("catalogs.catalog.new_version", "catalogs.catalog.new_version", _("编制标准目录新版本")),
    ("catalogs.item.add", "catalogs.item.add", _("新增目录事项")),
    ("catalogs.item.update", "catalogs.item.update", _("修改目录事项")),
    ("catalogs.item.remove", "catalogs.item.remove", _("删除目录事项")),
    ("catalogs.item.restore", "catalogs.item.restore", _("恢复目录事项")),
    ("catalogs.demo.backdate", "catalogs.demo.backdate", _("示范数据：调整发布时间")),
    # sites: the register of websites and new-media accounts
    ("sites.request_submit", "sites.request.submit", _("提交网站或新媒体开设、变更、关停申请")),
    ("sites.entry_open", "sites.entry.open", _("网站或新媒体列入台账")),
    ("sites.entry_change", "sites.entry.change", _("变更网站或新媒体登记信息")),
    ("sites.entry_record", "sites.entry.record", _("登记网站或新媒体更新情况")),
    ("sites.entry_feed", "sites.entry.feed", _("读取网站或新媒体订阅源")),
    # sitecheck: the site self-check
    ("sitecheck.run", "sitecheck.run.create", _("运行网站自查")),
    ("sitecheck.notify", "sitecheck.run.notify", _("通报网站自查新增不合格项")),
    ("sitecheck.column_rules_sync", "sitecheck.column_rule.sync", _("同步栏目更新规则")),
    ("sitecheck.column_rule_update", "sitecheck.column_rule.update", _("修改栏目更新规则")),
]

# Verbs built at run time: (stored pattern, canonical template, label).
_PATTERNS = [
    (r"admin\.(?P<model>\w+)\.(?P<action>create|update|delete)", "admin.{model}.{action}",
     _("后台维护")),
    (r"foi\.reminder_(?P<kind>\w+)", "foi.reminder.{kind}", _("办理期限提醒")),
    (r"workplan\.reminder_(?P<kind>\w+)", "supervision.reminder.{kind}", _("任务期限提醒")),
    (r"reports\.reminder_(?P<kind>\w+)", "reports.reminder.{kind}", _("年报期限提醒")),
    (r"participation\.reminder_(?P<kind>\w+)", "participation.reminder.{kind}", _("公众参与期限提醒")),
]  # fmt: skip

CATALOG: dict[str, Verb] = {
    stored: Verb(stored, canonical, label) for stored, canonical, label in _ROWS
}
SCHEME = re.compile(r"^[a-z_]+\.[a-z_]+\.[a-z_]+$")


def _from_workflow(stored: str) -> Verb | None:
    from .workflow import REGISTRY

    name, _dot, action = stored.rpartition(".")
    workflow = REGISTRY.get(name)
    if workflow is None or name not in WORKFLOWS or action not in workflow.table:
        return None
    return Verb(stored, f"{WORKFLOWS[name]}.{action}", workflow.table[action].label)


def lookup(stored: str) -> Verb | None:
    """The catalog's entry for a stored verb; None for a verb it does not know."""
    if stored in CATALOG:
        return CATALOG[stored]
    found = _from_workflow(stored)
    if found:
        return found
    for pattern, template, label in _PATTERNS:
        match = re.fullmatch(pattern, stored)
        if match:
            return Verb(stored, template.format(**match.groupdict()), label)
    return None


def canonical(stored: str) -> str:
    """`<app>.<entity>.<action>` for a stored verb (the stored verb itself when unknown)."""
    found = lookup(stored)
    return found.canonical if found else stored


def label(stored: str):
    found = lookup(stored)
    return found.label if found else stored


def stored_names(name: str) -> list[str]:
    """The stored verbs an audit filter must match for a canonical or stored `name`."""
    from .workflow import REGISTRY

    names = {name} | {v.stored for v in CATALOG.values() if v.canonical == name}
    for workflow_name, prefix in WORKFLOWS.items():
        workflow = REGISTRY.get(workflow_name)
        if workflow and name.startswith(prefix + "."):
            action = name.removeprefix(prefix + ".")
            if action in workflow.table:
                names.add(f"{workflow_name}.{action}")
    return sorted(names)
