"""Volume and demo data for disclosure requests.

`requests_seed(n)` writes N realistic requests across the organisations that exist (the demo
region's): applicants of every kind, every channel, received over the last two years, each
with a history of clock events as it would have happened (receipt; sometimes a request for
corrections and a restart, a consultation, a fee, an extension; mostly a reply with one of the
annual report's outcomes, sometimes late; withdrawals and lapses). Histories are planned in
full and cut at today, so requests received lately are still open, some paused, some overdue.
The due date, its provisional flag and the extension are computed by `clock.compute` from the
stored events exactly as the services do. Rows are bulk-inserted in batches, each batch in one
transaction with its request numbers (the `foi:<year>` sequences are moved past them, so later
real submissions never collide) and one audit event. No letters are rendered.

`load_demo_requests()` creates about thirty requests at 示范市教育局 for `gongkai demo` through
the real services, with past dates, so the workbench queue has something in every state.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone, translation

from gongkai.core import audit, crypto, pii, workdays
from gongkai.core.exceptions import ApplicationError
from gongkai.core.models import Sequence
from gongkai.core.workflow import APPLICANT
from gongkai.orgs.models import Membership, Org

from . import clock, fees, services
from .models import Channel, ClockEvent, Delivery, Form, IdType, Request
from .outcomes import ApplicantKind, Outcome
from .workflow import Status

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


def _org_weight(org: Org) -> float:
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


class _Topics:
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


# --- histories -----------------------------------------------------------------------------


class _Days:
    """One organisation's calendar with the planner's working-day sums memoised."""

    def __init__(self, org: Org):
        self.cal = workdays.calendar(region=org)
        self._add: dict[tuple[dt.date, int], dt.date] = {}

    def add(self, day: dt.date, n: int) -> dt.date:
        key = (day, n)
        if key not in self._add:
            self._add[key] = self.cal.add_working_days(day, n).due_date
        return self._add[key]

    def on_or_before(self, day: dt.date) -> dt.date:
        while not self.cal.is_working_day(day):
            day -= dt.timedelta(days=1)
        return day

    def before(self, day: dt.date, n: int) -> dt.date:
        """The n-th working day before `day` (n = 0: the last working day on or before it)."""
        day = self.on_or_before(day)
        while n > 0:
            day -= dt.timedelta(days=1)
            if self.cal.is_working_day(day):
                n -= 1
        return day


@dataclass
class _Life:
    """A request's whole planned history; cut at today by `_Seeder.draft`."""

    events: list[tuple[Event, str]] = field(default_factory=list)  # (event, note)
    end: str = "reply"  # reply | withdraw | lapse_clarification | lapse_fee
    end_on: dt.date | None = None
    assigned_on: dt.date | None = None
    fee: fees.FeeComputation | None = None
    fee_paid_on: dt.date | None = None
    restarted: bool = False


def plan_life(rng: random.Random, days: _Days, received: dt.date) -> _Life:
    """Everything that will happen to a request received on `received`, as clock events."""
    base = settings.GONGKAI_FOI_REPLY_DAYS
    add = days.add
    life = _Life(events=[(Event(Kind.RECEIVED, received), "")])
    life.assigned_on = add(received, rng.choice((0, 1, 1, 1, 2, 2, 3)))
    start, used, total = received, 0, base  # running segment start, days used before it

    if rng.random() < 0.12:  # Art.30: corrections, asked once within 7 working days
        window = settings.GONGKAI_FOI_CLARIFICATION_WINDOW_DAYS
        answer = settings.GONGKAI_FOI_CLARIFICATION_ANSWER_DAYS
        paused = add(received, rng.randint(1, window))
        life.assigned_on = min(life.assigned_on, paused)
        life.events.append(
            (
                Event(Kind.PAUSED, paused, Reason.CLARIFICATION, answer),
                rng.choice(CLARIFICATION_ITEMS),
            )
        )
        if rng.random() < 0.2:
            life.end, life.end_on = "lapse_clarification", add(paused, answer + rng.randint(1, 6))
            return life
        start = add(paused, rng.randint(2, answer))
        life.events.append((Event(Kind.RESTARTED, start), "申请人已提交补正材料"))
        life.restarted = True

    if rng.random() < 0.07:  # Art.32–34: a third party or another office is consulted
        k = rng.randint(2, 12)
        paused = add(start, k)
        third = rng.random() < 0.6
        reason = Reason.THIRD_PARTY if third else Reason.OTHER_OFFICE
        party = rng.choice(THIRD_PARTIES) if third else "示范市人民政府办公室"
        days_given = settings.GONGKAI_FOI_CONSULTATION_DAYS
        life.events.append((Event(Kind.PAUSED, paused, reason, days_given), party))
        start, used = add(paused, rng.randint(3, days_given + 3)), used + k
        life.events.append((Event(Kind.RESUMED, start), "已收到反馈意见"))

    if rng.random() < 0.025 and total - used > 3:  # RULES §2: a processing fee
        k = rng.randint(1, min(8, total - used - 2))
        paused = add(start, k)
        pay_days = settings.GONGKAI_FOI_FEE_PAYMENT_DAYS
        life.fee = fees.compute(method=fees.FeeMethod.PER_VOLUME, pages=rng.randint(60, 400))
        life.events.append((Event(Kind.PAUSED, paused, Reason.FEE, pay_days), ""))
        if rng.random() < 0.25:
            life.end, life.end_on = "lapse_fee", add(paused, pay_days + rng.randint(1, 5))
            return life
        if settings.GONGKAI_FOI_FEE_STOPS_CLOCK:
            used += k
            start = add(paused, rng.randint(2, 15))
            resume = start
        else:
            resume = add(paused, rng.randint(2, 15))
        life.fee_paid_on = resume
        life.events.append((Event(Kind.RESUMED, resume), ""))

    last = 0  # working days after `start` of the last event so far
    left = total - used
    if rng.random() < 0.08 and left >= 3:  # Art.33: one extension near the end
        last = rng.randint(max(1, left - 5), left - 1)
        extra = rng.choice((10, 15, 20, 20, 20))
        life.events.append(
            (
                Event(Kind.EXTENDED, add(start, last), days=extra),
                "所需信息涉及多个年度档案，需调档查找",
            )
        )
        total += extra
        left += extra

    first = max(last, 1)
    roll = rng.random()
    if roll < 0.03:
        life.end = "withdraw"
        life.end_on = add(start, rng.randint(first, max(first, left)))
    elif roll < 0.09:  # late
        life.end_on = add(start, left + rng.randint(1, 15))
    else:  # most reply in the last third of the period
        life.end_on = add(start, first + round((left - first) * rng.betavariate(4, 1.6)))
    return life


def compute_deadline(events: list[Event], cal: workdays.Calendar) -> clock.Deadline:
    """`clock.compute` with the settings the services use."""
    return clock.compute(
        events,
        cal,
        base_days=settings.GONGKAI_FOI_REPLY_DAYS,
        fee_stops_clock=settings.GONGKAI_FOI_FEE_STOPS_CLOCK,
        max_extension=settings.GONGKAI_FOI_MAX_EXTENSION_DAYS,
        clarification_window=settings.GONGKAI_FOI_CLARIFICATION_WINDOW_DAYS,
    )


def stored_due_date(
    events: list[Event], cal: workdays.Calendar
) -> tuple[dt.date | None, clock.Deadline]:
    """The due date the services would have stored after these events: the last one known
    (`services._append` keeps the previous due date while the clock is paused)."""
    deadline = compute_deadline(events, cal)
    due, n = deadline.due_date, len(events) - 1
    while due is None and n > 0:
        due = compute_deadline(events[:n], cal).due_date
        n -= 1
    return due, deadline


# --- the seed ------------------------------------------------------------------------------


@dataclass
class _Draft:
    request: Request
    events: list[tuple[Event, str]]
    actor_id: int | None


def _received_basis() -> dict[str, str]:
    day = dt.date(2025, 3, 3)
    basis = {
        c: services.received_date_for(c, submitted_on=day, confirmed_on=day)[1]
        for c in Channel.values
    }
    # Seeded online requests came through the public form, confirmed on the spot.
    return basis | {Channel.ONLINE: services._ONLINE_BASIS}


class _Seeder:
    def __init__(self, rng: random.Random, orgs: list[Org], today: dt.date):
        self.rng, self.orgs, self.today = rng, orgs, today
        self.weights = [_org_weight(o) for o in orgs]
        self.days: dict[int, _Days] = {}
        self.topics = _Topics(rng, orgs)
        self.basis = _received_basis()
        self.applicants: dict[int, Applicant] = {}
        self.addresses: dict[int, str] = {}
        self.unusable = make_password(None)  # seeded applicants never got a password
        handlers: dict[int, list[int]] = {}
        for org_id, user_id in Membership.objects.filter(
            role=Membership.Role.REQUEST_HANDLER
        ).values_list("org_id", "user_id"):
            handlers.setdefault(org_id, []).append(user_id)
        self.handlers = handlers

    def days_for(self, org: Org) -> _Days:
        if org.pk not in self.days:
            self.days[org.pk] = _Days(org)
        return self.days[org.pk]

    def applicant(self, pool: int) -> Applicant:
        # Skewed: a few applicants file many requests, most file one or two.
        key = int(pool * self.rng.random() ** 3)
        a = self.applicants.get(key)
        if a is None:
            a = make_applicant(self.rng)
            a.encrypted = crypto.encrypt(a.id_number)
            a.id_hash = crypto.keyed_hash(f"{a.id_type}:{a.id_number}", purpose="foi-applicant")
            a.masked = (
                pii.mask_value("resident_id", a.id_number)
                if a.id_type == IdType.RESIDENT_ID
                else services._mask_generic(a.id_number)
            )
            self.applicants[key] = a
        return a

    def source_hash(self) -> str:
        key = self.rng.randrange(5000)
        if key not in self.addresses:
            self.addresses[key] = services.source_hash_for(f"198.51.{key // 250}.{key % 250 + 1}")
        return self.addresses[key]

    def draft(self, received: dt.date, pool: int) -> _Draft:
        rng, today = self.rng, self.today
        org = rng.choices(self.orgs, self.weights)[0]
        days = self.days_for(org)
        channel = rng.choices([c for c, _ in CHANNELS], [w for _, w in CHANNELS])[0]
        if channel != Channel.ONLINE:  # counters, post rooms and fax machines keep office hours
            received = days.on_or_before(received)
        submitted = received
        if channel == Channel.REGISTERED_MAIL:
            submitted = received - dt.timedelta(days=rng.randint(1, 4))
        elif channel == Channel.ORDINARY_MAIL:
            submitted = received - dt.timedelta(days=rng.randint(2, 8))
        a = self.applicant(pool)
        description, document_number = self.topics.describe(org, received.year)
        form = rng.choices([f for f, _ in FORMS], [w for _, w in FORMS])[0]
        if form == Form.EMAIL and not a.email:
            form = Form.PAPER
        delivery = {
            Form.EMAIL: Delivery.EMAIL,
            Form.ELECTRONIC: Delivery.ONLINE,
            Form.ON_SITE: Delivery.COLLECT,
        }.get(form, Delivery.POST)

        life = plan_life(rng, days, received)
        events = [(e, note) for e, note in life.events if e.date <= today]
        closed = life.end_on <= today
        if closed:
            events.append((Event(Kind.CLOSED, life.end_on), ""))
        handler_ids = self.handlers.get(org.pk)
        handler_id = rng.choice(handler_ids) if handler_ids else None

        r = Request(
            password_hash=self.unusable,
            org=org,
            channel=channel,
            submitted_on=submitted,
            received_date=received,
            received_basis=self.basis[channel],
            applicant_kind=a.kind,
            name=a.name,
            contact_person=a.contact_person,
            id_type=a.id_type,
            id_number_encrypted=a.encrypted,
            id_number_hash=a.id_hash,
            id_number_masked=a.masked,
            phone=a.phone,
            email=a.email,
            address=a.address if form == Form.PAPER or rng.random() < 0.3 else "",
            postcode=a.postcode if form == Form.PAPER else "",
            description=description,
            document_number=document_number,
            form=form,
            delivery=delivery,
            subject_key=services.subject_key(description, document_number),
            source_hash=self.source_hash() if channel == Channel.ONLINE else "",
            fee_items=1,
        )
        if life.fee is not None and any(e.reason == Reason.FEE for e, _ in events):
            r.fee_method = life.fee.method
            r.fee_pages = sum(line.quantity for line in life.fee.lines)
            r.fee_total = life.fee.total
            r.fee_computation = life.fee.as_dict()
            if life.fee_paid_on and life.fee_paid_on <= today:
                r.fee_paid_on = life.fee_paid_on

        clock_events = [e for e, _ in events]
        due, deadline = stored_due_date(clock_events, days.cal)
        r.due_date, r.due_provisional = due, deadline.provisional
        r.extension_days = deadline.extension_days
        last = clock_events[-1]
        if closed:
            r.closed_on = life.end_on
            r.handler_id = handler_id
            if life.end == "withdraw":
                r.status, r.outcome = Status.WITHDRAWN, Outcome.OTHER
                r.reason = rng.choice(WITHDRAW_REASONS)
            elif life.end == "lapse_clarification":
                r.status, r.outcome = Status.ABANDONED, Outcome.OTHER_CLARIFICATION_LAPSED
            elif life.end == "lapse_fee":
                r.status, r.outcome = Status.ABANDONED, Outcome.OTHER_FEE_UNPAID
            else:
                self._reply(r, life)
                r.late = bool(deadline.late)
                lag = 0 if delivery in (Delivery.EMAIL, Delivery.ONLINE) else rng.randint(1, 5)
                delivered = life.end_on + dt.timedelta(days=lag)
                if delivered > today or rng.random() < 0.08:
                    r.status = Status.REPLIED
                else:
                    r.delivered_on = delivered
                    old = (today - delivered).days > 60
                    r.status = Status.ARCHIVED if old and rng.random() < 0.85 else Status.DELIVERED
        elif last.kind == Kind.PAUSED:
            r.handler_id = handler_id
            r.status = {
                Reason.CLARIFICATION: Status.AWAITING_CLARIFICATION,
                Reason.FEE: Status.AWAITING_FEE,
            }.get(last.reason, Status.CONSULTING)
        elif today < life.assigned_on:
            r.status = Status.REGISTERED
        else:
            r.handler_id = handler_id
            r.status = Status.ASSIGNED
            if life.end == "reply":
                to_go = days.cal.working_days_between(today, life.end_on).days
                stage = {1: Status.LEGAL_APPROVED, 2: Status.HEAD_APPROVED, 3: Status.REPLY_DRAFTED}
                if to_go in stage:
                    r.status = stage[to_go]
                    self._reply(r, life)
        return _Draft(r, events, r.handler_id)

    def _reply(self, r: Request, life: _Life) -> None:
        rng = self.rng
        outcome = rng.choices([o for o, _ in OUTCOME_WEIGHTS], [w for _, w in OUTCOME_WEIGHTS])[0]
        if life.restarted and rng.random() < 0.3:
            outcome = Outcome.UNAVAILABLE_UNCLEAR  # only after a request for corrections
        r.outcome = outcome
        r.reason = REASONS.get(outcome, "")
        if outcome in (Outcome.DISCLOSED, Outcome.PARTIAL):
            r.provision = PROVISIONS[r.form]
        if outcome == Outcome.UNAVAILABLE_NOT_HELD and rng.random() < 0.4:
            other = rng.choice(self.orgs)
            r.transfer_org_name, r.transfer_org_contact = other.name, other.phone


def _allocate_numbers(drafts: list[_Draft]) -> list[str]:
    """Number the batch from the `foi:<year>` sequences (locked) and move them past it."""
    prefix = settings.GONGKAI_FOI_NUMBER_PREFIX
    names = {f"foi:{d.request.received_date.year}" for d in drafts}
    for name in names:
        Sequence.objects.get_or_create(name=name)
    values = dict(
        Sequence.objects.select_for_update().filter(name__in=names).values_list("name", "value")
    )
    for d in drafts:
        year = d.request.received_date.year
        values[f"foi:{year}"] += 1
        d.request.number = f"{prefix}{year}-{values[f'foi:{year}']:06d}"
    for name, value in values.items():
        Sequence.objects.filter(name=name).update(value=value)
    return sorted(values)


def requests_seed(
    n: int,
    *,
    seed: int = 0,
    batch_size: int = 2000,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Create `n` requests across the organisations that exist; return how many."""
    # What is stored with a request (fee lines, the basis of receipt) is in the official
    # language, whatever language the caller has active.
    with translation.override(settings.LANGUAGE_CODE):
        return _seed(n, seed=seed, batch_size=batch_size, progress=progress)


def _seed(n: int, *, seed: int, batch_size: int, progress) -> int:
    orgs = list(Org.objects.filter(is_active=True).select_related("parent").order_by("path", "pk"))
    if not orgs or not any(_org_weight(o) for o in orgs):
        raise ApplicationError("还没有机构，请先运行 gongkai demo 导入示范数据。", code="no_orgs")
    if n < 1:
        raise ApplicationError("--requests 必须是正整数。", code="invalid_count")
    rng = random.Random(seed)  # noqa: S311 - repeatable demo data, not secrets
    today = timezone.localdate()
    seeder = _Seeder(rng, orgs, today)
    span = 730
    start = today - dt.timedelta(days=span)
    # Receipt dates in order, so request numbers rise with them as in real life.
    offsets = sorted(rng.randrange(span + 1) for _ in range(n))
    pool = max(20, n // 3)
    made = 0
    while made < n:
        size = min(batch_size, n - made)
        drafts = [
            seeder.draft(start + dt.timedelta(days=offsets[i]), pool)
            for i in range(made, made + size)
        ]
        # Within a day the order is free; keep numbers in receipt order after snapping.
        drafts.sort(key=lambda d: d.request.received_date)
        with transaction.atomic():
            _allocate_numbers(drafts)
            Request.objects.bulk_create([d.request for d in drafts], batch_size=500)
            ClockEvent.objects.bulk_create(
                [
                    ClockEvent(
                        request_id=d.request.pk,
                        kind=e.kind,
                        date=e.date,
                        reason=e.reason,
                        days=e.days,
                        note=note,
                        actor_id=None if e.kind == Kind.RECEIVED else d.actor_id,
                    )
                    for d in drafts
                    for e, note in d.events
                ],
                batch_size=2000,
            )
            audit.record(
                actor="gongkai seed",
                verb="foi.seed",
                target=None,
                org=None,
                data={
                    "count": size,
                    "first": drafts[0].request.number,
                    "last": drafts[-1].request.number,
                },
            )
        made += size
        if progress:
            progress(made, n)
    return made


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
    days = _Days(org)
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
