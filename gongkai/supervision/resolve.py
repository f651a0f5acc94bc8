"""Turn the unit names a work plan prints into organisations of the region.

A name resolves, in this order, by: the reviewer's own decision for the plan (`manual`); the
exact name; the short name (简称); a group alias (orgs.GroupAlias, explicit or by rule, e.g.
"各区县（市）政府" → every district government); the name with its place prefix left out
("市教育局" is how the city's plan calls 示范市教育局); and last a fuzzy match (rapidfuzz), which
is shown with its score. Below the fuzzy threshold the best candidate is only a suggestion and
the name stays unresolved: nothing is assigned to a name the reviewer has not settled; below
SUGGEST_MIN nothing is even suggested.

Two kinds of names belong to the plan's own organisation: "本单位 / 本中心 / 本局" is the
organisation itself (`self`), an internal unit printed without any prefix ("办公室",
"政策法规科") is its one sub-unit whose name ends like that, and "各科室 / 各业务科室" are all
its internal units (`internal`). Names are compared with
traditional characters folded and the pinyin mirror sites insert ("政務(wù)") left out.

One resolver loads the region's organisations and aliases once (three queries) and answers
every name of a plan from memory.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from rapidfuzz import fuzz, process

from gongkai.orgs.models import GroupAlias, Org
from gongkai.orgs.selectors import group_alias_resolve

from .extract_fold import fold

# A rapidfuzz ratio below this is no suggestion at all (typos of a short name score 70–80).
SUGGEST_MIN = 50


@dataclass(frozen=True)
class Match:
    name: str
    orgs: tuple[Org, ...] = ()
    # manual, exact, short, alias, self, prefix, internal, fuzzy; "" when unresolved
    method: str = ""
    score: float = 0.0
    suggestion: Org | None = None
    candidates: tuple[Org, ...] = field(default=())  # when the name is ambiguous

    @property
    def resolved(self) -> bool:
        return bool(self.orgs) or self.method == "manual"

    @property
    def ignored(self) -> bool:
        """The reviewer kept the name as text without assigning it."""
        return self.method == "manual" and not self.orgs

    @property
    def needs_check(self) -> bool:
        return self.method == "fuzzy"


PINYIN_RE = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}\)")
# The plan's own organisation, however its plan calls it.
SELF_NAMES = {"本单位", "本中心", "本局", "本部门", "本机关", "本委", "本办", "本院", "本所"}
# Every internal unit of the plan's organisation: "各科室", "各业务科室", "各股室".
ALL_INTERNAL_RE = re.compile(r"^各(?:责任|业务|相关|有关)?(?:科室|股室|处室|内设机构|站所)$")


# A name a plan gives one of its issuer's own internal units: no place prefix, a unit ending
# ("办公室", "政策法规科", "政务公开股", "信息中心").
INTERNAL_NAME_RE = re.compile(
    r"^[^省市区县州盟旗各本全该有相]\w{0,10}?(?:科|股|室|处|办|中心|站|组|队)$"
)


def is_internal_unit_name(name: str) -> bool:
    """Whether an unresolved name reads as an internal unit of the plan's organisation (the
    review screen then offers to create it as one)."""
    k = key(name)
    return 2 <= len(k) <= 12 and bool(INTERNAL_NAME_RE.match(k)) and k not in SELF_NAMES


def key(name: str) -> str:
    """Compare names without width, spacing, bracket, script or pinyin differences
    ("（市）" = "(市)" = "〔市〕", "辦公室" = "办公室", "政務(wù)中心" = "政务中心")."""
    table = str.maketrans({"〔": "(", "〕": ")", "[": "(", "]": ")", "【": "(", "】": ")"})
    text = "".join(unicodedata.normalize("NFKC", name).split()).translate(table)
    return fold(PINYIN_RE.sub("", text))


def in_scope(plan_org: Org, org: Org) -> bool:
    """Whether a plan of `plan_org` may assign `org`: only its own subtree (a district's plan
    cannot assign the city's departments, nor a bureau's plan another government)."""
    return org.path.startswith(plan_org.path)


class Resolver:
    """Unit names of a plan → organisations, within the supervising organisation's subtree."""

    def __init__(self, org: Org, manual: dict[str, list[int]] | None = None):
        self.root = org
        self.orgs = list(Org.objects.filter(path__startswith=org.path, is_active=True))
        self.by_id = {o.pk: o for o in self.orgs}
        self.by_name: dict[str, Org] = {key(o.name): o for o in self.orgs}
        self.by_short: dict[str, list[Org]] = {}
        for o in self.orgs:
            if o.short_name:
                self.by_short.setdefault(key(o.short_name), []).append(o)
        self.aliases = {key(a.name): a for a in GroupAlias.objects.select_related("scope")}
        self.alias_members: dict[str, tuple[Org, ...]] = {}
        self.manual = {key(k): v for k, v in (manual or {}).items()}
        self.choices = dict(self.by_name)
        for k, found in self.by_short.items():
            if len(found) == 1:
                self.choices.setdefault(k, found[0])
        self.threshold = settings.GONGKAI_WORKPLAN_FUZZY_MIN
        self._cache: dict[str, Match] = {}

    def resolve(self, name: str) -> Match:
        k = key(name)
        if k not in self._cache:
            self._cache[k] = self._resolve(name, k)
        return self._cache[k]

    def _resolve(self, name: str, k: str) -> Match:
        if k in self.manual:
            ids = self.manual[k]
            if any(i not in self.by_id for i in ids):
                # Mapped to an organisation outside this plan's subtree (or gone): not a
                # choice this plan can make; the reviewer must map it again.
                return Match(name)
            return Match(name, tuple(self.by_id[i] for i in ids), "manual", 100.0)
        if k in self.by_name:
            return Match(name, (self.by_name[k],), "exact", 100.0)
        short = self.by_short.get(k, [])
        if len(short) == 1:
            return Match(name, (short[0],), "short", 100.0)
        if k in self.aliases:
            return Match(name, self._alias(k), "alias", 100.0)
        if len(short) > 1:
            return Match(name, candidates=tuple(short))
        if k in SELF_NAMES:
            return Match(name, (self.root,), "self", 100.0)
        if ALL_INTERNAL_RE.match(k):
            units = tuple(
                o
                for o in self.orgs
                if o.parent_id == self.root.pk and o.kind == Org.Kind.INTERNAL_UNIT
            )
            if units:
                return Match(name, units, "internal", 100.0)
        prefixed = [o for o in self.orgs if len(k) >= 3 and key(o.name).endswith(k)]
        if len(prefixed) == 1 and k[0] in "省市区县州盟旗":
            return Match(name, (prefixed[0],), "prefix", 100.0)
        # An internal unit of the plan's organisation, printed without its prefix.
        internal = [o for o in prefixed if o.parent_id == self.root.pk]
        if len(internal) == 1 and k[0] not in "省市区县州盟旗各":
            return Match(name, (internal[0],), "internal", 100.0)
        best = process.extractOne(k, list(self.choices), scorer=fuzz.ratio)
        if best is None:
            return Match(name, candidates=tuple(prefixed))
        choice, score, _index = best
        org = self.choices[choice]
        if score >= self.threshold:
            return Match(name, (org,), "fuzzy", round(score, 1))
        if score < SUGGEST_MIN:
            # A far-fetched candidate would be preselected on the review screen and mapped by
            # a hurried click ("政务公开股" → "示范市教育局办公室" scores 14).
            return Match(name, score=round(score, 1), candidates=tuple(prefixed))
        return Match(name, score=round(score, 1), suggestion=org, candidates=tuple(prefixed))

    def _alias(self, k: str) -> tuple[Org, ...]:
        if k not in self.alias_members:
            alias = self.aliases[k]
            # Aliases are shared by every region: keep the members inside this plan's subtree.
            self.alias_members[k] = tuple(
                self.by_id[o.pk] for o in group_alias_resolve(alias) if o.pk in self.by_id
            )
        return self.alias_members[k]
