"""Volume: realistic published documents across the demo region, fast enough for a million.

Rows are written with bulk inserts in batches, each batch in its own transaction with its index
entries and an audit event, so an interrupted run leaves whole batches. Publication times rise
through the run, so entries (and index numbers) are created in publication order as they are
in real life. Index numbers continue each organisation's sequence and the sequences are moved
past them, so a later real publication never reuses one.
"""

import datetime as dt
import random
from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from gongkai.core import audit, workdays
from gongkai.core.exceptions import ApplicationError
from gongkai.core.models import Sequence
from gongkai.orgs.models import Org

from . import signals
from .models import Category, Column, Document
from .workflow import Status

VERBS = ["做好", "进一步做好", "开展", "加强", "推进", "规范", "深化", "实施", "调整", "组织开展"]
TOPICS = [
    "政务公开", "安全生产", "防汛抗旱", "义务教育招生", "城乡低保标准", "权责清单", "优化营商环境",
    "生活垃圾分类", "老旧小区改造", "基本医疗保障", "就业创业", "生态环境保护", "食品安全监管",
    "疫情防控", "应急管理", "财政预决算公开", "重大建设项目", "乡村振兴", "养老服务体系建设",
    "保障性住房", "公共资源交易", "行政执法公示", "双随机一公开监管", "河长制", "根治拖欠农民工工资",
    "秸秆禁烧", "森林防火", "消防安全", "校园安全", "冬季供暖", "电动自行车治理", "高标准农田建设",
    "政府信息公开申请办理", "12345热线", "政务服务一网通办", "社会救助", "残疾人两项补贴",
]  # fmt: skip
OBJECTS = [
    "工作", "实施方案", "管理办法", "专项行动", "试点工作", "督查检查", "考核结果", "工作要点",
    "三年行动计划", "若干措施", "应急预案", "工作情况", "整改落实", "宣传月活动",
]  # fmt: skip
TYPE_SUFFIX = [
    ("notice", "通知", 50), ("opinion", "意见", 8), ("announcement", "公告", 8),
    ("public_notice", "通告", 6), ("bulletin", "通报", 8), ("reply", "批复", 5),
    ("decision", "决定", 4), ("letter", "函", 5), ("report", "报告", 4), ("minutes", "纪要", 2),
]  # fmt: skip
SENTENCES = [
    "为深入贯彻落实党中央、国务院决策部署，进一步做好{topic}各项工作，结合我市实际，现就有关事项通知如下。",
    "各单位要充分认识{topic}工作的重要意义，切实把思想和行动统一到上级决策部署上来。",
    "坚持以人民为中心的发展思想，聚焦群众关切，着力解决{topic}领域的突出问题。",
    "{org}负责统筹协调，各区县（市）人民政府、市直各有关单位按照职责分工抓好落实。",
    "各责任单位要于每季度末将工作进展情况报送市政府办公室，逾期未报送的予以通报。",
    "加强组织领导，明确责任分工，建立健全工作台账，确保各项任务按时保质完成。",
    "严格落实《中华人民共和国政府信息公开条例》，在20个工作日内主动公开相关信息。",
    "对工作推进不力、措施落实不到位的单位，将依规依纪严肃追责问责。",
    "充分利用政府网站、政务新媒体、政务公开专区等渠道，做好政策解读和宣传引导。",
    "各地各部门要结合实际制定具体实施方案，细化工作措施，明确时间节点。",
    "加大财政资金保障力度，统筹用好各级专项资金，提高资金使用绩效。",
    "建立健全长效工作机制，推动{topic}工作常态化、制度化、规范化。",
    "本通知自印发之日起施行，有效期五年。此前有关规定与本通知不一致的，以本通知为准。",
    "联系人：办公室，联系电话：0371-12345678。",
    "全面梳理{topic}相关事项清单，逐项明确办理流程、办理时限和责任主体。",
    "强化督促检查，将{topic}工作纳入年度绩效考核，考核结果作为评先评优的重要依据。",
    "畅通群众诉求表达渠道，及时回应社会关切，主动接受社会监督。",
    "各单位要加强信息报送，重大情况及时报告，不得迟报、漏报、瞒报。",
    "坚持问题导向和目标导向，补齐短板弱项，不断提升群众的获得感、幸福感、安全感。",
    "严格执行依申请公开办理程序，依法依规答复申请人，切实保障人民群众知情权。",
    "做好涉及个人隐私、商业秘密信息的保密审查工作，严防泄密事件发生。",
    "深化“放管服”改革，优化办事流程，压缩办理时限，推动更多事项网上办、掌上办。",
    "加强部门协同配合，形成工作合力，推动{topic}工作取得实效。",
    "到{year}年底，{topic}工作体制机制进一步健全，群众满意度明显提升。",
]
DIGITS = "〇一二三四五六七八九"


def _abbreviation(org: Org) -> str:
    """A plausible issuer code (机关代字) for the document number: 示教, 示东政 …"""
    name = org.name.removeprefix("示范市")
    core = "".join(c for c in name if c not in "人民政府办公室局委员会区县镇街道乡") or name
    return "示" + core[:2] + ("办" if "办公室" in name else "")


def _abbreviations(orgs: list[Org]) -> dict[int, str]:
    """One issuer code per organisation: where two would read alike, the later one gets a
    numeral (示北山, 示北山二 …), as real codes differ between issuers."""
    taken: dict[str, int] = {}
    codes = {}
    for org in orgs:
        code = _abbreviation(org)
        n = taken.get(code, 0)
        taken[code] = n + 1
        codes[org.pk] = code + (DIGITS[n % 10] if n else "")
    return codes


class _Generator:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.types = [(code, suffix) for code, suffix, _ in TYPE_SUFFIX]
        self.weights = [w for *_, w in TYPE_SUFFIX]
        self.due: dict[dt.date, dt.date] = {}

    def title(self, org: Org, year: int, suffix: str) -> str:
        r = self.rng
        topic, obj = r.choice(TOPICS), r.choice(OBJECTS)
        pattern = r.randrange(4)
        if pattern == 0:
            return f"关于{r.choice(VERBS)}{year}年{topic}{obj}的{suffix}"
        if pattern == 1:
            return f"{org.name}关于{r.choice(VERBS)}{topic}{obj}的{suffix}"
        if pattern == 2:
            return f"关于印发《示范市{topic}{obj}》的{suffix}"
        return f"关于{topic}{obj}（第{r.randint(1, 9)}批）的{suffix}"

    def body(self, org: Org, year: int, topic: str) -> str:
        r = self.rng
        sentences = r.sample(SENTENCES, r.randint(5, 11))
        text = [s.format(topic=topic, org=org.name, year=year) for s in sentences]
        cut = sorted(r.sample(range(1, len(text)), min(2, len(text) - 1)))
        paragraphs = [text[: cut[0]], text[cut[0] : cut[-1]], text[cut[-1] :]]
        return "".join(f"<p>{''.join(p)}</p>" for p in paragraphs if p)

    def publication_due(self, signed: dt.date) -> dt.date:
        # The national calendar; the demo region has no regional arrangements.
        if signed not in self.due:
            self.due[signed] = workdays.add_working_days(signed, 20).due_date
        return self.due[signed]


def documents_seed(
    *,
    count: int,
    seed: int = 2026,
    start: dt.date = dt.date(2019, 1, 1),
    end: dt.date | None = None,
    batch_size: int = 5000,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Create `count` published documents across every organisation; return how many."""
    orgs = list(Org.objects.filter(is_active=True).order_by("pk"))
    if not orgs:
        raise ApplicationError("还没有机构，请先运行 gongkai demo 导入示范数据。", code="no_orgs")
    if count < 1:
        raise ApplicationError("--documents 必须是正整数。", code="invalid_count")
    rng = random.Random(seed)  # noqa: S311 - repeatable demo data, not secrets
    issuer_codes = _abbreviations(orgs)
    gen = _Generator(rng)
    categories = list(Category.objects.values_list("pk", flat=True))
    from .demo import DEMO_COLUMNS

    # Only the demo's topical columns: a column another app files into (annual reports) must
    # not fill with generated documents.
    slugs = [slug for slug, _name, _description in DEMO_COLUMNS]
    columns = list(
        Column.objects.filter(is_active=True, slug__in=slugs).values_list("pk", flat=True)
    )
    tz = ZoneInfo(settings.TIME_ZONE)
    end = end or timezone.localdate() - dt.timedelta(days=1)
    span = (
        dt.datetime.combine(end, dt.time(17)) - dt.datetime.combine(start, dt.time(9))
    ).total_seconds()
    step = span / count
    origin = dt.datetime.combine(start, dt.time(9), tzinfo=tz)
    serials: dict[str, int] = dict(
        Sequence.objects.filter(name__startswith="index:").values_list("name", "value")
    )
    numbers: dict[tuple[int, int], int] = {}
    made = 0
    while made < count:
        size = min(batch_size, count - made)
        docs, col_links, touched = [], [], set()
        for i in range(made, made + size):
            org = orgs[rng.randrange(len(orgs))]
            published = origin + dt.timedelta(seconds=i * step + rng.random() * step)
            local = published.astimezone(tz)
            signed = local.date() - dt.timedelta(
                days=rng.choice((0, 1, 2, 3, 5, 7, 10, 14, 20, 30, 45))
            )
            code, suffix = rng.choices(gen.types, gen.weights)[0]
            title = gen.title(org, signed.year, suffix)
            topic = next((t for t in TOPICS if t in title), rng.choice(TOPICS))
            key = (org.pk, signed.year)
            numbers[key] = numbers.get(key, 0) + 1
            seq = f"index:{org.code}:{local.year}"
            serials[seq] = serials.get(seq, 0) + 1
            touched.add(seq)
            due = gen.publication_due(signed)
            docs.append(
                Document(
                    title=title,
                    document_number=f"{issuer_codes[org.pk]}〔{signed.year}〕{numbers[key]}号",
                    org=org,
                    date_signed=signed,
                    category_id=rng.choice(categories) if categories else None,
                    doc_type=code,
                    attribute=Document.Attribute.PROACTIVE,
                    summary="",
                    body=gen.body(org, signed.year, topic),
                    status=Status.PUBLISHED,
                    publication_due=due,
                    published_at=published,
                    is_late=local.date() > due,
                    index_number=settings.GONGKAI_INDEX_NUMBER_PATTERN.format(
                        org_code=org.code, year=local.year, serial=serials[seq]
                    ),
                )
            )
            if columns and rng.random() < 0.1:
                col_links.append((len(docs) - 1, rng.choice(columns)))
        with transaction.atomic():
            Document.objects.bulk_create(docs, batch_size=1000)
            Document.columns.through.objects.bulk_create(
                [
                    Document.columns.through(document_id=docs[i].pk, column_id=c)
                    for i, c in col_links
                ],
                batch_size=2000,
            )
            signals.documents_changed.send(Document, documents=docs)
            for name in touched:
                Sequence.objects.update_or_create(name=name, defaults={"value": serials[name]})
            audit.record(
                actor="gongkai seed",
                verb="documents.seed",
                target=None,
                org=None,
                data={"count": size, "first": docs[0].index_number, "last": docs[-1].index_number},
            )
        made += size
        if progress:
            progress(made, count)
    with transaction.atomic():
        signals.documents_loaded.send(Document)
    return made
