"""The demo region 示范市: a fictional city with its departments, districts and townships.

Loaded by `gongkai demo` and usable in tests (`load_demo_region()` is idempotent).
"""

from __future__ import annotations

from django.db import transaction

from .models import GroupAlias, Membership, Org
from .services import group_alias_save, membership_grant, org_create, staff_user_create
from .validators import org_code_check_char

DEMO_PASSWORD = "Gongkai-demo-2026"
ROOT_CODE_BODY = "11520001"

CITY_DEPARTMENTS = [
    (
        "示范市人民政府办公室",
        "市政府办公室",
        "负责市政府机关日常运转，承担全市政务公开的组织协调、指导推进和监督检查工作。",
    ),
    (
        "示范市发展和改革委员会",
        "市发展改革委",
        "拟订并组织实施全市国民经济和社会发展战略、中长期规划和年度计划。",
    ),
    ("示范市教育局", "市教育局", "贯彻执行国家教育方针政策，统筹管理全市各级各类教育工作。"),
    (
        "示范市科学技术局",
        "市科技局",
        "拟订全市科技创新政策并组织实施，统筹推进科技计划和创新体系建设。",
    ),
    (
        "示范市工业和信息化局",
        "市工信局",
        "拟订并组织实施全市工业和信息化发展规划，推进产业结构调整。",
    ),
    ("示范市民族宗教事务局", "市民宗局", "贯彻执行民族宗教工作方针政策，依法管理民族宗教事务。"),
    ("示范市公安局", "市公安局", "负责全市公安工作，维护社会治安秩序。"),
    (
        "示范市民政局",
        "市民政局",
        "负责全市社会救助、养老服务、社会组织登记管理和基层政权建设等工作。",
    ),
    (
        "示范市司法局",
        "市司法局",
        "负责全市法治建设的统筹规划、行政立法审查、行政复议和公共法律服务。",
    ),
    ("示范市财政局", "市财政局", "负责全市财政收支管理，组织编制预算草案和决算草案。"),
    (
        "示范市人力资源和社会保障局",
        "市人社局",
        "负责全市就业、社会保险、人事人才和劳动关系管理工作。",
    ),
    (
        "示范市自然资源和规划局",
        "市自然资源规划局",
        "负责全市自然资源统一确权登记、国土空间规划和用途管制。",
    ),
    ("示范市生态环境局", "市生态环境局", "负责全市生态环境监督管理，组织开展污染防治。"),
    ("示范市住房和城乡建设局", "市住建局", "负责全市住房保障、房地产市场监管和建筑业管理。"),
    ("示范市交通运输局", "市交通运输局", "负责全市公路、水路交通运输行业管理和综合交通规划。"),
    ("示范市水利局", "市水利局", "负责全市水资源管理、水利工程建设和防汛抗旱日常工作。"),
    ("示范市农业农村局", "市农业农村局", "负责全市农业农村发展规划、涉农补贴和农村改革工作。"),
    ("示范市商务局", "市商务局", "负责全市内外贸易、招商引资和市场运行调节。"),
    (
        "示范市文化广电和旅游局",
        "市文广旅局",
        "负责全市文化、广播电视和旅游事业发展及公共文化服务。",
    ),
    ("示范市卫生健康委员会", "市卫生健康委", "负责全市医疗卫生服务、疾病预防控制和卫生应急工作。"),
    ("示范市退役军人事务局", "市退役军人局", "负责全市退役军人移交安置、优抚褒扬和服务保障工作。"),
    ("示范市应急管理局", "市应急局", "负责全市应急管理、安全生产综合监管和防灾减灾救灾工作。"),
    ("示范市审计局", "市审计局", "负责全市审计监督工作，对财政收支和公共资金进行审计。"),
    (
        "示范市人民政府国有资产监督管理委员会",
        "市国资委",
        "代表市政府履行出资人职责，监管市属国有企业。",
    ),
    (
        "示范市市场监督管理局",
        "市市场监管局",
        "负责全市市场综合监督管理、食品药品安全和产品质量监管。",
    ),
    ("示范市体育局", "市体育局", "负责全市群众体育、竞技体育和体育产业发展。"),
    ("示范市统计局", "市统计局", "负责全市统计调查和统计信息发布工作。"),
    ("示范市医疗保障局", "市医保局", "负责全市医疗保险、生育保险和医疗救助管理。"),
    ("示范市林业局", "市林业局", "负责全市林业和草原资源保护与管理。"),
    ("示范市信访局", "市信访局", "负责全市信访工作的综合协调和来信来访办理。"),
    ("示范市城市管理局", "市城管局", "负责全市市容环境卫生、市政公用设施和城市综合执法工作。"),
    ("示范市外事办公室", "市外办", "负责全市外事工作的归口管理。"),
    ("示范市机关事务管理局", "市机关事务局", "负责市级机关事务管理和公共机构节能工作。"),
    (
        "示范市行政审批和政务信息管理局",
        "市政务服务局",
        "负责全市政务服务、行政审批制度改革和政务数据管理。",
    ),
    ("示范市地方金融监督管理局", "市金融局", "负责全市地方金融组织监管和金融风险防范。"),
    ("示范市人民防空办公室", "市人防办", "负责全市人民防空工程建设和防空防灾工作。"),
    ("示范市粮食和物资储备局", "市粮食和储备局", "负责全市粮食流通管理和物资储备工作。"),
    ("示范市乡村振兴局", "市乡村振兴局", "负责全市巩固拓展脱贫攻坚成果和乡村振兴工作。"),
    ("示范市档案局", "市档案局", "负责全市档案事业的统筹规划和监督指导。"),
    ("示范市数据局", "市数据局", "负责全市数据资源整合共享和开发利用。"),
]

DISTRICTS = [
    (
        "示范市东城区人民政府",
        "东城区",
        Org.Kind.DISTRICT,
        ["新华街道", "人民路街道", "东关街道", "文化路街道", "建设路街道"],
    ),
    (
        "示范市西城区人民政府",
        "西城区",
        Org.Kind.DISTRICT,
        ["西关街道", "五一路街道", "解放路街道", "桐柏路街道", "中原路街道"],
    ),
    (
        "示范市南湖区人民政府",
        "南湖区",
        Org.Kind.DISTRICT,
        ["南湖街道", "湖滨街道", "望湖街道", "南阳镇", "七里河镇"],
    ),
    (
        "示范市北山区人民政府",
        "北山区",
        Org.Kind.DISTRICT,
        ["北山街道", "长青街道", "金山镇", "石门镇", "青龙镇"],
    ),
    (
        "清河县人民政府",
        "清河县",
        Org.Kind.DISTRICT,
        ["城关镇", "柳河镇", "白沙镇", "杨庄乡", "马店乡"],
    ),
    (
        "云岭市人民政府",
        "云岭市",
        Org.Kind.DISTRICT,
        ["云岭街道", "龙泉街道", "桃源镇", "梨花镇", "凤凰乡"],
    ),
]
DISTRICT_DEPARTMENTS = [
    ("发展和改革委员会", "发展改革委"),
    ("教育局", "教育局"),
    ("财政局", "财政局"),
    ("民政局", "民政局"),
    ("人力资源和社会保障局", "人社局"),
    ("住房和城乡建设局", "住建局"),
    ("卫生健康委员会", "卫生健康委"),
    ("市场监督管理局", "市场监管局"),
]
INTERNAL_UNITS = {
    "示范市人民政府办公室": ["示范市政务公开办公室", "示范市人民政府办公室秘书科"],
    "示范市教育局": ["示范市教育局办公室", "示范市教育局政策法规科", "示范市教育局基础教育科"],
    "示范市民政局": ["示范市民政局办公室", "示范市民政局社会救助科"],
}
PUBLIC_BODIES = {
    "示范市住房和城乡建设局": ["示范市住房公积金管理中心"],
    "示范市人民政府办公室": ["示范市公共资源交易中心"],
}
DEV_ZONES = ["示范经济技术开发区管理委员会", "示范高新技术产业开发区管理委员会"]

DEMO_ACCOUNTS = [
    # username, organisation, role
    ("demo-admin", "示范市人民政府", Membership.Role.ADMINISTRATOR),
    ("demo-supervisor", "示范市人民政府", Membership.Role.SUPERVISOR),
    ("demo-publisher", "示范市教育局", Membership.Role.PUBLISHER),
    ("demo-reviewer", "示范市教育局", Membership.Role.REVIEWER),
    ("demo-handler", "示范市教育局", Membership.Role.REQUEST_HANDLER),
    ("demo-legal", "示范市教育局", Membership.Role.LEGAL_REVIEWER),
    ("demo-head", "示范市教育局", Membership.Role.OFFICE_HEAD),
    ("demo-civil-publisher", "示范市民政局", Membership.Role.PUBLISHER),
    ("demo-district-supervisor", "示范市东城区人民政府", Membership.Role.SUPERVISOR),
]


def _code(n: int) -> str:
    body = f"{int(ROOT_CODE_BODY) + n * 37:08d}"
    return body + org_code_check_char(body)


def _contacts(n: int) -> dict:
    return {
        "address": f"示范市{['人民大道', '政府路', '行政路', '建设大街', '文化路'][n % 5]}{100 + n}号",
        "postcode": f"{450000 + n % 90:06d}",
        "office_hours": "工作日 上午 9:00—12:00，下午 13:30—17:30（法定节假日除外）",
        "phone": f"0371-6{n:03d}{(n * 7919) % 10000:04d}",
        "fax": f"0371-6{n:03d}{(n * 104729) % 10000:04d}",
        "email": f"gk{n:03d}@example.gov.cn",
        "head": ["王建国", "李红梅", "张卫东", "刘志强", "陈晓燕", "杨国华"][n % 6],
        "disclosure_head": ["赵明", "孙丽", "周强", "吴芳", "郑伟", "冯敏"][n % 6],
        "disclosure_head_title": ["办公室主任", "副主任", "副局长", "办公室副主任"][n % 4],
        "disclosure_head_phone": f"0371-6{n:03d}{(n * 7919 + 1) % 10000:04d}",
    }


@transaction.atomic
def load_demo_region() -> bool:
    """Create 示范市 with its organisations, group aliases and demo accounts; False if present."""
    if Org.objects.filter(code=_code(0)).exists():
        return False
    counter = iter(range(10_000))

    def create(name, short, kind, parent, functions="", order=0):
        n = next(counter)
        return org_create(
            actor=None,
            name=name,
            short_name=short,
            kind=kind,
            parent=parent,
            code=_code(n),
            functions=functions,
            sort_order=order,
            **_contacts(n),
        )

    root = create(
        "示范市人民政府",
        "市政府",
        Org.Kind.GOVERNMENT,
        None,
        "执行市人民代表大会及其常务委员会的决议，领导全市各部门和各区县（市）人民政府的工作。",
    )
    by_name = {root.name: root}
    for i, (name, short, functions) in enumerate(CITY_DEPARTMENTS):
        by_name[name] = create(name, short, Org.Kind.DEPARTMENT, root, functions, i)
    for parent_name, units in INTERNAL_UNITS.items():
        for j, unit in enumerate(units):
            create(unit, "", Org.Kind.INTERNAL_UNIT, by_name[parent_name], order=j)
    for parent_name, bodies in PUBLIC_BODIES.items():
        for j, body in enumerate(bodies):
            create(body, "", Org.Kind.PUBLIC_BODY, by_name[parent_name], order=100 + j)
    zones = [
        create(z, z.replace("管理委员会", "管委会"), Org.Kind.PUBLIC_BODY, root, order=200 + k)
        for k, z in enumerate(DEV_ZONES)
    ]
    for i, (name, short, kind, townships) in enumerate(DISTRICTS):
        district = create(
            name, short, kind, root, f"领导{short}各部门和各乡镇（街道）的工作。", 100 + i
        )
        by_name[name] = district
        for j, (dept, dept_short) in enumerate(DISTRICT_DEPARTMENTS):
            create(
                f"{short}{dept}", f"{short[:2]}{dept_short}", Org.Kind.DEPARTMENT, district, order=j
            )
        for j, town in enumerate(townships):
            suffix = "办事处" if town.endswith("街道") else "人民政府"
            create(f"{short}{town}{suffix}", town, Org.Kind.TOWNSHIP, district, order=100 + j)

    aliases = [
        ("市政府各部门", "示范市人民政府工作部门", root, [Org.Kind.DEPARTMENT], True, []),
        ("各区县（市）政府", "各区、县、县级市人民政府", root, [Org.Kind.DISTRICT], True, []),
        (
            "各镇人民政府（街道办事处）",
            "全市各乡镇人民政府和街道办事处",
            root,
            [Org.Kind.TOWNSHIP],
            False,
            [],
        ),
        ("各开发区管委会", "市属开发区管理委员会", None, [], True, zones),
    ]
    for name, description, scope, kinds, direct, members in aliases:
        alias = GroupAlias(
            name=name,
            description=description,
            scope=scope,
            kinds=kinds,
            direct_children_only=direct,
        )
        group_alias_save(actor=None, alias=alias, members=members)
    # The departments under the districts, not the city's own: an explicit set.
    district_depts = list(
        Org.objects.filter(kind=Org.Kind.DEPARTMENT, parent__kind=Org.Kind.DISTRICT)
    )
    group_alias_save(
        actor=None,
        alias=GroupAlias(name="各区县（市）政府各部门", description="各区县（市）人民政府工作部门"),
        members=district_depts,
    )

    for username, org_name, role in DEMO_ACCOUNTS:
        user = staff_user_create(
            actor=None,
            username=username,
            password=DEMO_PASSWORD,
            is_superuser=username == "demo-admin",
            validate=False,
        )
        membership_grant(actor=None, user=user, org=Org.objects.get(name=org_name), role=role)
    return True


def demo_account_rows() -> list[tuple[str, str, str]]:
    return [(u, o, str(Membership.Role(r).label)) for u, o, r in DEMO_ACCOUNTS]


def load() -> list[str]:
    """For `gongkai demo`: the region and its accounts, once."""
    loaded = load_demo_region()
    return ["demo region 示范市 " + ("loaded" if loaded else "already present")]
