"""The vocabulary of synthetic requests: applicants (names, identity numbers, credit codes,
addresses) and what they ask for (topics, outcomes, reasons), weighted like real ledgers."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from gongkai.core import pii
from gongkai.orgs.models import Org

from .. import clock
from ..models import Channel, Form, IdType
from ..outcomes import ApplicantKind, Outcome

Event = clock.Event
Kind = clock.EventKind
Reason = clock.PauseReason
# --- applicants ----------------------------------------------------------------------------

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史黎贺顾毛郝龚邵万钱武戴孔汤庞樊兰殷施陶洪翟安颜倪严牛温季俞章鲁葛伍申尤毕聂焦向柳邢岳齐梅莫庄辛管祝左涂谷祁时舒耿"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英建华玉兰萍红梅鑫波斌宇浩凯健俊帆帅旭宁龙林欣瑶佳慧倩婷雪琳晶颖璐思雨子涵梓轩浩然一诺欣怡志强国庆建国海燕春梅秋菊德明文杰永红立新卫东"
DISTRICTS = ["东城区", "西城区", "南湖区", "北山区", "清河县", "云岭市"]
STREETS = [
    "人民路", "建设路", "文化路", "解放路", "中原路", "桐柏路", "五一路", "花园路", "金水路",
    "农业路", "经三路", "纬五路", "黄河路", "嵩山路", "长江路", "大学路", "工人路", "航海路",
]  # fmt: skip
VILLAGES = [
    "张庄村", "李营村", "王家沟村", "刘寨村", "陈楼村", "杨屯村", "赵湾村", "孙店村", "周岗村",
    "吴集村", "郑坡村", "马庄村", "朱家河村", "胡桥村", "郭堂村", "何营村", "高庙村", "林楼村",
    "罗湾村", "梁庄村", "宋寨村", "唐河村", "许岗村", "韩店村", "冯庄村", "邓楼村", "曹营村",
]  # fmt: skip
# Resident-ID area codes of the (fictional) region: the province's real 41xx prefixes.
AREA_CODES = [
    "410102", "410103", "410104", "410105", "410108", "410122", "410181", "410182", "410183",
    "410184", "410185", "410223", "410302", "410311", "411302", "411321", "412721",
]  # fmt: skip
COMPANY_WORDS = [
    "恒信", "华通", "中原", "宏达", "鑫源", "博远", "天成", "瑞丰", "金桥", "永安", "新元",
    "汇川", "正泰", "嘉禾", "明德", "泰和", "盛世", "聚贤", "通达", "安康",
]  # fmt: skip
COMPANY_TRADES = [
    "建筑工程", "房地产开发", "科技", "商贸", "物流", "餐饮管理", "环保科技", "置业",
    "农业开发", "机械制造", "食品", "医疗器械", "信息技术", "物业服务",
]  # fmt: skip
CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
KIND_WEIGHTS = [
    (ApplicantKind.NATURAL_PERSON, 86),
    (ApplicantKind.COMPANY, 7),
    (ApplicantKind.LEGAL_SERVICE, 4),
    (ApplicantKind.RESEARCH, 1),
    (ApplicantKind.NONPROFIT, 1),
    (ApplicantKind.OTHER, 1),
]


def resident_id(rng: random.Random, *, born_from: int = 1945, born_to: int = 2004) -> str:
    """A checksum-valid 18-digit resident identity number (GB 11643, as `core.pii` checks)."""
    born = dt.date(born_from, 1, 1) + dt.timedelta(
        days=rng.randrange((dt.date(born_to, 12, 31) - dt.date(born_from, 1, 1)).days)
    )
    body = f"{rng.choice(AREA_CODES)}{born:%Y%m%d}{rng.randrange(1, 1000):03d}"
    total = sum(int(d) * w for d, w in zip(body, pii.ID_WEIGHTS, strict=True))
    return body + pii.ID_CHECK[total % 11]


def credit_code(rng: random.Random) -> str:
    """A unified social credit code with a valid GB 32100 check character."""
    body = (
        rng.choice("159")
        + rng.choice("123")
        + rng.choice(AREA_CODES)
        + "".join(rng.choice(CREDIT_ALPHABET) for _ in range(9))
    )
    total = sum(CREDIT_ALPHABET.index(c) * w for c, w in zip(body, CREDIT_WEIGHTS, strict=True))
    return body + CREDIT_ALPHABET[(31 - total % 31) % 31]


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def organisation_name(rng: random.Random, kind: str) -> str:
    word = rng.choice(COMPANY_WORDS)
    if kind == ApplicantKind.LEGAL_SERVICE:
        return f"河南{word}律师事务所"
    if kind == ApplicantKind.RESEARCH:
        return f"示范大学{rng.choice(['公共管理', '法学', '城市规划', '环境科学'])}研究院"
    if kind == ApplicantKind.NONPROFIT:
        return f"示范市{word}公益服务中心"
    if kind == ApplicantKind.OTHER:
        return f"{rng.choice(DISTRICTS)}{rng.choice(VILLAGES)}村民委员会"
    return f"示范市{word}{rng.choice(COMPANY_TRADES)}有限公司"


@dataclass
class Applicant:
    kind: str
    name: str
    contact_person: str
    id_type: str
    id_number: str
    phone: str
    email: str
    address: str
    postcode: str
    # Filled once per applicant when seeding: the same values on every request they file.
    encrypted: str = ""
    id_hash: str = ""
    masked: str = ""


def make_applicant(rng: random.Random, kind: str | None = None) -> Applicant:
    if kind is None:
        kind = rng.choices([k for k, _ in KIND_WEIGHTS], [w for _, w in KIND_WEIGHTS])[0]
    phone = f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"
    district = rng.choice(DISTRICTS)
    address = (
        f"示范市{district}{rng.choice(STREETS)}{rng.randint(1, 300)}号"
        f"{rng.randint(1, 20)}号楼{rng.randint(1, 4)}单元{rng.randint(1, 30)}0{rng.randint(1, 4)}室"
    )
    postcode = f"4500{rng.randint(0, 99):02d}"
    if kind == ApplicantKind.NATURAL_PERSON:
        name = person_name(rng)
        id_type, id_number, contact = IdType.RESIDENT_ID, resident_id(rng), ""
        if rng.random() < 0.03:
            id_type = IdType.PASSPORT
            id_number = f"E{rng.randrange(10**8):08d}"
    else:
        name = organisation_name(rng, kind)
        id_type, id_number, contact = IdType.CREDIT_CODE, credit_code(rng), person_name(rng)
    email = f"gk{rng.randrange(10**7):07d}@example.com" if rng.random() < 0.45 else ""
    return Applicant(kind, name, contact, id_type, id_number, phone, email, address, postcode)


# --- what is asked for ---------------------------------------------------------------------

# (words in the organisation's name, templates). {place} {year} {company} {org} {district}.
TOPICS: list[tuple[tuple[str, ...], list[str]]] = [
    (
        ("自然资源", "规划"),
        [
            "{place}集体土地征收的征地批复文件、征地补偿安置方案及补偿标准公告",
            "{place}涉及地块的建设用地规划许可证及附图",
            "{place}地块国有建设用地使用权出让合同及出让金缴纳情况",
            "{district}{year}年度土地利用年度计划及农用地转用审批情况",
            "{place}违法占地行为的调查处理结果",
        ],
    ),
    (
        ("住房", "城乡建设", "住建"),
        [
            "{place}房屋征收决定书、征收补偿方案及社会稳定风险评估报告",
            "{district}{street}小区的竣工验收备案材料",
            "{district}{year}年棚户区改造项目的立项批复及安置房分配方案",
            "{company}开发项目的商品房预售许可证及预售资金监管情况",
            "{district}{street}老旧小区改造项目的招标文件及中标结果",
        ],
    ),
    (
        ("人力资源", "社会保障", "人社"),
        [
            "{company}{year}年度为职工缴纳社会保险的情况",
            "{year}年事业单位公开招聘的笔试面试成绩及拟聘用人员名单",
            "{year}年本市最低工资标准调整的依据文件",
            "{company}劳动保障监察投诉的处理结果",
            "{year}年度工伤认定的办理时限规定",
        ],
    ),
    (
        ("教育",),
        [
            "{year}年义务教育阶段学校招生划片范围",
            "{district}{school}{year}年教育收费项目及收费标准",
            "{year}年中小学教师公开招聘面试成绩及体检名单",
            "{district}{school}校舍安全鉴定报告",
            "{year}年民办学校学费标准的备案材料",
            "{year}年校外培训机构的审批及年检情况",
        ],
    ),
    (
        ("公安",),
        [
            "{district}{street}路段电子警察的设置审批材料",
            "{year}年户籍迁入政策的依据文件",
            "{place}治安案件的立案及处理情况",
        ],
    ),
    (
        ("市场监督", "市场监管"),
        [
            "{company}的行政处罚决定书",
            "{year}年第{quarter}季度食品安全监督抽检结果",
            "{company}的企业登记档案中的股东出资情况",
        ],
    ),
    (
        ("生态环境",),
        [
            "{company}建设项目环境影响评价文件及批复",
            "{district}{year}年空气质量监测数据",
            "{company}排污许可证及执行报告",
        ],
    ),
    (
        ("财政",),
        [
            "{year}年{org}部门预算、决算及“三公”经费",
            "{district}{year}年政府债券资金的使用情况",
            "{year}年政府采购项目的合同及验收报告",
        ],
    ),
    (
        ("民政",),
        [
            "{place}{year}年城乡低保对象名单及保障金额",
            "{year}年养老机构运营补贴的发放情况",
            "{district}{year}年临时救助资金的使用情况",
        ],
    ),
    (
        ("卫生健康",),
        [
            "{district}人民医院{year}年医疗服务收费标准",
            "{year}年基本公共卫生服务补助资金分配情况",
        ],
    ),
    (
        ("交通运输",),
        [
            "{district}{street}道路拓宽工程的立项批复、规划许可及征收范围",
            "{year}年出租汽车经营权配置方案",
        ],
    ),
    (
        ("农业农村", "乡村振兴"),
        [
            "{place}{year}年耕地地力保护补贴发放名单",
            "{place}高标准农田建设项目的招标及验收材料",
        ],
    ),
]
GENERAL = [
    "{place}集体土地征收的征地补偿安置方案及补偿款发放情况",
    "{place}违法建设的拆除决定书及作出决定的依据",
    "{place}拆迁安置房的分配方案及分配结果",
    "{place}{year}年村集体资产清产核资结果",
    "{year}年本机关政府信息公开工作年度报告中所涉统计数据的原始材料",
    "{year}年本机关的权责清单及办事指南",
    "{year}年重点建设项目的资金来源及审批文件",
    "{org}{year}年的政府采购合同",
    "{district}{street}一带环境整治工作的实施方案",
]
SCHOOLS = ["第一初级中学", "实验小学", "第二中学", "外国语学校", "育才小学", "第三高级中学"]
HOT_SHARE = 0.12  # share of requests asking for one of a few much-asked subjects
DOCUMENT_SHARE = 0.12  # share naming a document number
DOCUMENT_ISSUERS = ["示政", "示政办", "示自然资", "示住建", "示教", "示人社", "示财"]

OUTCOME_WEIGHTS = [
    (Outcome.DISCLOSED, 36),
    (Outcome.PARTIAL, 8),
    (Outcome.WITHHELD_STATE_SECRET, 0.3),
    (Outcome.WITHHELD_LAW_FORBIDS, 0.5),
    (Outcome.WITHHELD_SECURITY, 0.5),
    (Outcome.WITHHELD_THIRD_PARTY, 1.5),
    (Outcome.WITHHELD_INTERNAL, 1),
    (Outcome.WITHHELD_PROCESS, 2),
    (Outcome.WITHHELD_ENFORCEMENT, 0.7),
    (Outcome.WITHHELD_QUERY, 1.5),
    (Outcome.UNAVAILABLE_NOT_HELD, 24),
    (Outcome.UNAVAILABLE_NEEDS_CREATION, 4),
    (Outcome.NOT_PROCESSED_PETITION, 4),
    (Outcome.NOT_PROCESSED_REPEATED, 3),
    (Outcome.NOT_PROCESSED_PUBLICATION, 0.7),
    (Outcome.NOT_PROCESSED_EXCESSIVE, 0.8),
    (Outcome.NOT_PROCESSED_CONFIRMATION, 1.5),
    (Outcome.OTHER, 3),
]
REASONS = {
    Outcome.PARTIAL: "所申请信息中涉及他人身份证号码、联系方式等个人隐私的内容，公开后可能对第三方合法权益造成损害，依照条例第十五条、第三十七条作区分处理后予以公开。",
    Outcome.WITHHELD_STATE_SECRET: "经审查，所申请信息已依法确定为国家秘密，依照条例第十四条不予公开。",
    Outcome.WITHHELD_LAW_FORBIDS: "所申请信息属于法律、行政法规禁止公开的信息，依照条例第十四条不予公开。",
    Outcome.WITHHELD_SECURITY: "所申请信息公开后可能危及社会稳定，依照条例第十四条不予公开。",
    Outcome.WITHHELD_THIRD_PARTY: "所申请信息涉及第三方商业秘密，经书面征求意见，第三方不同意公开，依照条例第十五条、第三十二条不予公开。",
    Outcome.WITHHELD_INTERNAL: "所申请信息属于本机关内部事务信息，依照条例第十六条第一款可以不予公开。",
    Outcome.WITHHELD_PROCESS: "所申请信息属于本机关履行行政管理职能过程中形成的讨论记录、过程稿，依照条例第十六条第二款可以不予公开。",
    Outcome.WITHHELD_ENFORCEMENT: "所申请信息属于行政执法案卷信息，依照条例第十六条第二款可以不予公开。",
    Outcome.WITHHELD_QUERY: "所申请信息属于工商、不动产登记资料等信息，有关法律、行政法规对信息的获取有特别规定，请按照有关规定办理。",
    Outcome.UNAVAILABLE_NOT_HELD: "经检索查找，本机关未制作或获取所申请的政府信息，依照条例第三十六条第（四）项告知。",
    Outcome.UNAVAILABLE_NEEDS_CREATION: "所申请信息需要本机关对现有政府信息进行加工、分析，依照条例第三十八条不予提供。",
    Outcome.UNAVAILABLE_UNCLEAR: "经告知补正，申请人补正后所需政府信息的名称、文号等特征仍不明确，本机关无法确定所需信息。",
    Outcome.NOT_PROCESSED_PETITION: "申请人以政府信息公开申请的形式进行信访、投诉、举报，应当通过相应渠道提出，依照条例第三十九条第一款告知。",
    Outcome.NOT_PROCESSED_REPEATED: "申请人重复申请公开相同政府信息，本机关已于此前作出答复，且申请人未提出新的理由，依照条例第三十六条第（六）项告知。",
    Outcome.NOT_PROCESSED_PUBLICATION: "所申请信息为公开出版物，请通过公开发行渠道获取，依照条例第三十九条第二款告知。",
    Outcome.NOT_PROCESSED_EXCESSIVE: "申请人申请公开政府信息的数量、频次明显超过合理范围，且未说明理由，依照条例第三十五条不予处理。",
    Outcome.NOT_PROCESSED_CONFIRMATION: "申请人要求本机关确认或者重新出具已获取的信息，依照条例第三十八条不予处理。",
    Outcome.OTHER: "申请人的申请不属于政府信息公开申请，已告知通过其他途径办理。",
}  # fmt: skip
PROVISIONS = {
    Form.EMAIL: "以电子邮件方式发送至申请人预留的邮箱。",
    Form.ELECTRONIC: "以电子数据形式提供，可在网上申请平台下载。",
    Form.PAPER: "以纸质复印件方式提供，随本答复书一并寄送。",
    Form.ON_SITE: "请于收到本答复书之日起10个工作日内，持本人身份证件到本机关政务公开专区当场查阅、抄录。",
}
CLARIFICATION_ITEMS = [
    "请明确所需信息的具体名称、文号或者便于查询的其他特征（如形成时间、涉及的具体地块或项目）。",
    "请补充申请人身份证明复印件，并明确所需信息涉及的具体年度。",
    "申请内容中“相关文件”所指不明，请逐项列明所需政府信息。",
]
THIRD_PARTIES = ["示范市恒信置业有限公司", "示范市华通建筑工程有限公司", "示范市鑫源商贸有限公司"]
WITHDRAW_REASONS = [
    "申请人撤回申请。",
    "申请人已通过其他途径获取相关信息，申请撤回。",
    "申请人来电表示不再需要所申请的信息。",
]

CHANNELS = [
    (Channel.ONLINE, 55),
    (Channel.REGISTERED_MAIL, 24),
    (Channel.IN_PERSON, 14),
    (Channel.ORDINARY_MAIL, 4),
    (Channel.FAX, 3),
]
FORMS = [(Form.ELECTRONIC, 30), (Form.EMAIL, 22), (Form.PAPER, 42), (Form.ON_SITE, 6)]
# Where requests go: land, housing, social security and schools draw most of them.
BUSY = ("自然资源", "住房和城乡建设", "人力资源", "教育", "公安", "市场监督", "生态环境")


def org_weight(org: Org) -> float:
    if org.kind == Org.Kind.INTERNAL_UNIT:
        return 0  # not a body under the Regulations: requests go to the office above it
    if org.kind == Org.Kind.GOVERNMENT:
        return 6
    if org.kind == Org.Kind.DISTRICT:
        return 6
    if org.kind == Org.Kind.TOWNSHIP:
        return 1
    if org.kind == Org.Kind.PUBLIC_BODY:
        return 0.5
    if org.parent_id and org.parent.kind == Org.Kind.DISTRICT:
        return 1.5
    return 8 if any(w in org.name for w in BUSY) else 3


class Topics:
    def __init__(self, rng: random.Random, orgs: list[Org]):
        self.rng = rng
        self.by_org = {}
        for org in orgs:
            own = [t for words, ts in TOPICS if any(w in org.name for w in words) for t in ts]
            self.by_org[org.pk] = own
        # A few subjects asked for again and again (they suggest proactive disclosure).
        self.hot: dict[int, list[str]] = {}

    def describe(self, org: Org, year: int) -> tuple[str, str]:
        r = self.rng
        if r.random() < DOCUMENT_SHARE:
            number = (
                f"{r.choice(DOCUMENT_ISSUERS)}〔{year - r.randint(0, 3)}〕{r.randint(1, 120)}号"
            )
            what = r.choice(["文件全文", "文件全文及附件", "文件的制定依据及起草说明"])
            return f"请提供{number}{what}", number
        hot = self.hot.setdefault(org.pk, [])
        if hot and r.random() < HOT_SHARE:
            return r.choice(hot), ""
        own = self.by_org.get(org.pk) or []
        template = r.choice(own) if own and r.random() < 0.7 else r.choice(GENERAL)
        text = template.format(
            place=f"{r.choice(DISTRICTS)}{r.choice(VILLAGES)}",
            district=r.choice(DISTRICTS),
            street=r.choice(STREETS),
            year=year - r.choice((0, 0, 1, 1, 2, 3)),
            quarter="一二三四"[r.randrange(4)],
            company=organisation_name(r, ApplicantKind.COMPANY),
            org=org.short_name or org.name,
            school=r.choice(SCHOOLS),
        )
        text = r.choice(["", "申请公开", "请提供", "本人申请获取"]) + text
        if len(hot) < 5 and r.random() < 0.02:
            hot.append(text)
        return text, ""
