"""The demo's standard disclosure catalogs (`gongkai demo`).

The city (示范市人民政府) has approved catalogs for three areas — 义务教育, 社会救助 and
重大建设项目 — whose items follow the national guidelines (教育部、民政部、国家发展改革委's
基层政务公开标准指引 as the counties publish them). 东城区 adapts the city's catalogs: in 义务教育 it
rewords one item, removes one and adds one, each with its reason, and the city approves. Items
are mapped to categories, columns, document types and keyword queries so that coverage shows
covered, empty and stale items: a few documents of 东城区's bureaus are published for it, one of
them a year ago for an item due every quarter.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from gongkai.core import audit
from gongkai.orgs.models import Org
from gongkai.orgs.permissions import CommandLine

from . import services
from .models import Area, Catalog, Item
from .workflow import CatalogStatus

ACTOR = CommandLine("demo")
CITY = "示范市人民政府"
DISTRICT = "示范市东城区人民政府"
T20 = "信息形成或者变更之日起20个工作日内"
OGI = "《中华人民共和国政府信息公开条例》"
WEB = "■政府网站 ■两微一端 ■公开查阅点"
ALL = ["县级", "乡级"]

# level1, level2, elements, basis, time limit, subject, audience, mode, levels, mapping
EDUCATION = [
    ("政策文件", "规范性文件", "部门和地方政府规章、各类教育政策文件", OGI, T20, "市、区教育局",
     "全社会", "主动", ["县级"], {"category": "regulations"}),
    ("教育概况", "教育事业发展主要情况", "教育事业发展主要情况；学校、在校生、教师等统计数据",
     "《中华人民共和国统计法》《教育统计管理规定》" + OGI, "每年3月底前", "市、区教育局",
     "全社会", "主动", ["县级"], {"category": "statistics"}),
    ("教育概况", "义务教育学校名录", "学校名称、学校地址、办学层次、办学类型、办公电话", OGI, T20,
     "市、区教育局", "全社会", "主动", ["县级"], {"query": "义务教育学校名录"}),
    ("民办学校信息", "民办学校设立、变更、终止等事项行政审批、备案信息", "法律依据、办理流程、审批结果",
     "《中华人民共和国民办教育促进法》" + OGI, T20, "市、区教育局", "全社会", "主动", ["县级"],
     {}),
    ("招生管理", "招生政策", "招生工作实施方案；随迁子女入学办法；特殊需求的政策解读",
     "《教育部关于进一步做好小学升入初中免试就近入学工作的实施意见》" + OGI, T20, "市、区教育局",
     "全社会", "主动", ["县级", "乡级"], {"query": "义务教育招生"}),
    ("招生管理", "招生范围", "招生范围、学区划分详细情况",
     "《教育部关于推进中小学信息公开工作的意见》" + OGI, "每年招生工作开始前", "市、区教育局",
     "全社会", "主动", ["县级", "乡级"], {"query": "学区划分"}),
    ("财务信息", "收费项目及收费标准", "收费项目、收费标准、收费依据、投诉电话",
     "《教育部关于推进中小学信息公开工作的意见》" + OGI, T20, "市、区教育局", "全社会", "主动",
     ["县级"], {"query": "中小学收费公示"}),
    ("学生管理", "义务教育学生资助政策", "统一城乡义务教育“两免一补”政策；资助对象、标准、程序",
     "《国务院关于进一步完善城乡义务教育经费保障机制的通知》" + OGI, T20, "市、区教育局",
     "特定群体", "主动", ["县级", "乡级"], {"category": "livelihood"}),
    ("教师管理", "教师招聘", "招聘公告、招聘计划、资格审查、考试成绩、拟聘用人员名单",
     "《事业单位公开招聘人员暂行规定》" + OGI, T20, "市、区教育局、人社局", "全社会", "主动",
     ["县级"], {"category": "recruitment", "doc_type": "announcement"}),
]  # fmt: skip

ASSISTANCE = [
    ("政策法规", "社会救助政策文件", "社会救助法规、规章、规范性文件；救助标准",
     "《社会救助暂行办法》" + OGI, T20, "市、区民政局", "全社会", "主动", ALL,
     {"category": "regulations"}),
    ("最低生活保障", "办事指南", "申请条件、申请材料、办理流程、办理时限、咨询电话",
     "《社会救助暂行办法》" + OGI, T20, "市、区民政局，乡镇（街道）", "全社会", "主动", ALL,
     {"query": "城乡低保标准"}),
    ("最低生活保障", "低保对象名单", "低保对象姓名（部分隐藏）、保障人数、保障金额；每季度更新",
     "《最低生活保障审核确认办法》" + OGI, "每季度", "区民政局，乡镇（街道）", "特定群体", "主动",
     ["乡级", "村级"], {"query": "低保对象季度公示"}),
    ("特困人员救助供养", "办事指南", "申请条件、供养标准、办理流程",
     "《特困人员认定办法》" + OGI, T20, "市、区民政局", "全社会", "主动", ALL, {}),
    ("临时救助", "救助结果", "救助对象（部分隐藏）、救助事由、救助金额",
     "《国务院关于全面建立临时救助制度的通知》" + OGI, T20, "区民政局，乡镇（街道）", "特定群体",
     "主动", ["乡级", "村级"], {"query": "临时救助结果公示"}),
    ("社会救助资金", "资金使用情况", "资金来源、分配、使用情况", OGI, "每年3月底前", "市、区民政局、财政局",
     "全社会", "主动", ["县级"], {"category": "relief-funds"}),
    ("监督举报", "举报电话", "社会救助监督举报电话和受理渠道", OGI, "实时", "市、区民政局",
     "全社会", "主动", ALL, {"query": "社会救助"}),
    ("医疗救助", "办事指南", "救助对象、救助标准、申请流程", "《社会救助暂行办法》" + OGI, T20,
     "市、区医疗保障局", "全社会", "主动", ["县级"], {"category": "livelihood"}),
]  # fmt: skip

PROJECTS = [
    ("批准服务信息", "申报要求", "项目申报材料、申报流程", "《企业投资项目核准和备案管理条例》" + OGI,
     T20, "市、区发展改革委", "全社会", "主动", ["县级"], {"query": "重大建设项目"}),
    ("批准结果信息", "审批、核准、备案结果", "项目名称、批复文号、批复日期、批复机关",
     "《国务院办公厅关于推进重大建设项目批准和实施领域政府信息公开的意见》" + OGI, T20,
     "市、区发展改革委等审批部门", "全社会", "主动", ["县级"], {"doc_type": "reply"}),
    ("招标投标信息", "招标公告", "招标项目名称、内容、范围、规模、资金来源，投标资格要求",
     "《中华人民共和国招标投标法实施条例》", T20, "招标人，市公共资源交易中心", "全社会", "主动",
     ["县级"], {"query": "公共资源交易"}),
    ("征收土地信息", "征地补偿安置方案", "征地补偿安置方案公告、补偿标准",
     "《中华人民共和国土地管理法》" + OGI, T20, "市、区人民政府，自然资源部门", "特定群体", "主动",
     ["县级", "乡级"], {"category": "land-expropriation"}),
    ("重大设计变更信息", "设计变更", "变更原因、主要变更内容、批准单位", OGI, T20, "项目审批部门",
     "全社会", "主动", ["县级"], {}),
    ("施工有关信息", "项目法人单位及主要负责人", "项目法人单位、主要负责人、施工单位", OGI, T20,
     "项目主管部门", "全社会", "主动", ["县级"], {"column": "key-areas"}),
    ("质量安全监督信息", "质量安全监督", "监督机构、监督检查结果", OGI, T20, "住房城乡建设部门",
     "全社会", "主动", ["县级"], {"category": "inspections"}),
    ("竣工有关信息", "竣工验收", "竣工验收时间、验收结果、验收单位", OGI, T20, "项目主管部门",
     "全社会", "主动", ["县级"], {"query": "竣工验收结果"}),
]  # fmt: skip

AREAS = [("义务教育", EDUCATION), ("社会救助", ASSISTANCE), ("重大建设项目", PROJECTS)]

# Documents published for 东城区 (org name, title, days ago): the first two make items covered,
# the third is a year old for an item due every quarter (stale).
DOCUMENTS = [
    ("东城区教育局", "东城区2026年义务教育学校学区划分方案", 20),
    ("东城区教育局", "东城区义务教育学校名录（2026年）", 40),
    ("东城区民政局", "东城区城乡低保对象季度公示（第三季度）", 370),
]


def _mapping(mapping: dict) -> dict:
    from gongkai.documents.models import Category, Column

    out = {"category": None, "column": None, "doc_type": mapping.get("doc_type", ""),
           "query": mapping.get("query", "")}  # fmt: skip
    if "category" in mapping:
        out["category"] = Category.objects.filter(code=mapping["category"]).first()
    if "column" in mapping:
        out["column"] = Column.objects.filter(slug=mapping["column"]).first()
    return out


def _items(rows) -> list[dict]:
    out = []
    for n, (l1, l2, elements, basis, limit, subject, audience, mode, levels, mapping) in enumerate(
        rows, 1
    ):
        out.append(
            {"number": str(n), "level1": l1, "level2": l2, "elements": elements, "basis": basis,
             "time_limit": limit, "subject": subject, "channels": WEB, "audience": audience,
             "mode": mode, "levels": levels, **_mapping(mapping)}
        )  # fmt: skip
    return out


def _city_catalog(city, area, rows) -> Catalog:
    catalog = services.catalog_create(actor=ACTOR, org=city, area=area)
    catalog.note = "依据国务院部门标准指引编制，供各区县（市）对照调整。"
    catalog.save(update_fields=["note", "updated_at"])
    for data in _items(rows):
        services.item_add(actor=ACTOR, catalog=catalog, data=data)
    services.catalog_submit(actor=ACTOR, catalog=catalog)
    return services.catalog_approve(actor=ACTOR, catalog=catalog, note="同意。")


def _adapt(district, area) -> Catalog:
    catalog = services.catalog_adapt(
        actor=ACTOR, org=district, area=area, note="对照市级目录，结合东城区实际调整。"
    )
    if area.name == "义务教育":
        items = {i.level2: i for i in catalog.items.all()}
        scope = items["招生范围"]
        data = {k: getattr(scope, k) for k in services.TEXT_FIELDS} | {
            "number": scope.number,
            "elements": "招生范围、学区划分详细情况；东城区各小学、初中学区划分图及咨询电话",
            "category": scope.category,
            "column": scope.column,
            "doc_type": scope.doc_type,
            "query": scope.query,
        }
        services.item_update(
            actor=ACTOR, item=scope, data=data,
            reason="本区学区调整频繁，群众咨询集中，细化公开学区划分图和咨询电话。",
        )  # fmt: skip
        services.item_remove(
            actor=ACTOR,
            item=items["民办学校设立、变更、终止等事项行政审批、备案信息"],
            reason="本区无民办义务教育学校审批权限，由市教育局统一审批并公开。",
        )
        services.item_add(
            actor=ACTOR,
            catalog=catalog,
            data={
                "number": "10",
                "level1": "课后服务",
                "level2": "课后服务实施情况",
                "elements": "课后服务实施方案、服务内容、收费标准、参与学校名单",
                "basis": OGI,
                "time_limit": "每学期开学前",
                "subject": "东城区教育局",
                "channels": WEB,
                "audience": "全社会",
                "mode": "主动",
                "levels": ["县级"],
                "query": "课后服务实施方案",
            },
            reason="本区推行义务教育课后服务全覆盖，家长关注度高，增列为公开事项。",
        )
    services.catalog_submit(actor=ACTOR, catalog=catalog)
    return services.catalog_approve(actor=ACTOR, catalog=catalog, note="调整理由充分，同意。")


def _documents() -> list[str]:
    from gongkai.documents import services as documents
    from gongkai.documents.models import Document

    lines = []
    for org_name, title, days_ago in DOCUMENTS:
        org = Org.objects.filter(name=org_name).first()
        if org is None or Document.objects.filter(title=title).exists():
            continue
        when = timezone.now() - dt.timedelta(days=days_ago)
        doc = documents.document_create(
            actor=ACTOR,
            org=org,
            data={
                "title": title,
                "date_signed": timezone.localdate(when),
                "attribute": "proactive",
                "body": f"{title}。详见附件。",
            },
        )
        for action in ("submit", "approve", "publish"):
            doc = documents.document_transition(actor=ACTOR, document=doc, action=action)
        if days_ago > 30:
            # The demo needs a document published long ago; publishing stamps "now".
            Document.objects.filter(pk=doc.pk).update(published_at=when)
            audit.record(actor=ACTOR, verb="catalogs.demo.backdate", target=doc, org=org,
                         data={"published_at": when})  # fmt: skip
        lines.append(f"demo catalogs: published “{title}”")
    return lines


def load() -> list[str]:
    """For `gongkai demo`: the city's and 东城区's approved catalogs, once."""
    city = Org.objects.filter(name=CITY).first()
    district = Org.objects.filter(name=DISTRICT).first()
    if city is None or district is None:
        return []
    lines: list[str] = []
    with transaction.atomic():
        for name, rows in AREAS:
            area = Area.objects.filter(name=name).first()
            if area is None:
                continue
            approved = Catalog.objects.filter(status=CatalogStatus.APPROVED, area=area)
            if not approved.filter(org=city).exists():
                _city_catalog(city, area, rows)
                lines.append(f"demo catalogs: {city.name} {name} approved ({len(rows)} items)")
            if not Catalog.objects.filter(org=district, area=area).exists():
                adapted = _adapt(district, area)
                changed = adapted.items.exclude(change=Item.Change.KEPT).count()
                lines.append(f"demo catalogs: {district.name} {name} adapted ({changed} changes)")
        lines += _documents()
    return lines
