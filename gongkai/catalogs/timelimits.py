"""The 公开时限 column of a catalog item, read as a rule that says whether the item is fresh.

Published catalogs word their time limits freely ("信息形成或者变更之日起20个工作日内",
"自信息形成或变更之日起7个工作日内", "批准后20日内", "每季度", "每年3月底前", "实时公开",
"长期公开" …), with full-width or ASCII digits, Chinese numerals, spaces inside words and, on
some county sites, traditional characters. `parse` turns any of them into a `Rule`; a wording
it does not recognise is an `UNKNOWN` rule, never an error.

A rule answers one question: given the latest publication for the item and `now`, is the item
fresh, and if not since when is it overdue (`Rule.evaluate`). Working days come from
`gongkai.core.workdays` only; periods and yearly deadlines are calendar dates, as the catalogs
word them.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core import workdays


class Kind:
    AFTER_EVENT = "after_event"  # n working days after the information is made or changed
    CALENDAR_DAYS = "calendar_days"  # n (calendar) days after an event: 批准后20日内
    PERIODIC = "periodic"  # 每月 / 每季度 / 每半年 / 每年
    ANNUAL_DEADLINE = "annual_deadline"  # 每年3月底前, 每年6月30日前
    REALTIME = "realtime"  # 实时 / 即时 / 动态更新 / 及时
    STANDING = "standing"  # 长期 / 常态化 / 永久
    UNKNOWN = "unknown"


MONTH, QUARTER, HALF_YEAR, YEAR = "month", "quarter", "half_year", "year"
PERIOD_MONTHS = {MONTH: 1, QUARTER: 3, HALF_YEAR: 6, YEAR: 12}
PERIOD_LABELS = {MONTH: "每月", QUARTER: "每季度", HALF_YEAR: "每半年", YEAR: "每年"}

# Traditional forms found on county sites that mirror the catalogs (only the characters the
# patterns below look at).
_TRADITIONAL = str.maketrans(
    {
        "變": "变",
        "個": "个",
        "內": "内",
        "後": "后",
        "實": "实",
        "時": "时",
        "動": "动",
        "態": "态",
        "長": "长",
        "獲": "获",
        "製": "制",
        "開": "开",
        "為": "为",
        "據": "据",
        "續": "续",
        "進": "进",
        "況": "况",
        "準": "准",
        "覆": "复",
        "號": "号",
        "週": "周",
        "餘": "余",
    }
)
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
           "七": 7, "八": 8, "九": 9}  # fmt: skip
_CN_NUMBER = re.compile(r"[零〇一二两三四五六七八九十百]+(?=[个日天月号周])")


def _cn_to_int(text: str) -> int | None:
    """二十 → 20, 十五 → 15, 三 → 3, 一百二十 → 120; None for anything else."""
    total, current = 0, 0
    for ch in text:
        if ch in _DIGITS:
            current = _DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


def normalise(text: str) -> str:
    """Full-width forms to ASCII, traditional to simplified (for the words read), Chinese
    numerals before 个/日/天/月 to digits, and every space removed."""
    text = unicodedata.normalize("NFKC", text or "").translate(_TRADITIONAL)
    text = re.sub(r"\s+", "", text)
    return _CN_NUMBER.sub(lambda m: str(_cn_to_int(m.group()) or m.group()), text)


_ANNUAL = re.compile(r"每年(?:的)?(\d{1,2})月(?:(\d{1,2})[日号]|底|末|份)(?:之|以)?前")
_WORKING = re.compile(r"(\d{1,3})个?工作日(?:之|以)?内")
_CALENDAR = re.compile(r"(\d{1,3})个?(?:自然)?[日天](?:之|以)?内")
_EVENT = re.compile(r"形成|变更|获取|制定|作出|做出|批准|批复|产生|收到|之日起")
_PERIODS = [
    (HALF_YEAR, re.compile(r"半年|每6个月")),
    (QUARTER, re.compile(r"季度|每季|按季")),
    (MONTH, re.compile(r"每月|按月|月度|每个月")),
    (YEAR, re.compile(r"每年|按年|年度|每一年|年报")),
]
_REALTIME = re.compile(r"实时|即时|动态更新|动态调整|及时|随时")
_STANDING = re.compile(r"长期|常态化|永久|常年")


@dataclass(frozen=True)
class Verdict:
    """What a rule says about one item at one moment."""

    fresh: bool
    empty: bool  # nothing published at all
    due: dt.date | None = None  # the last day the next publication is expected by
    overdue_since: dt.date | None = None  # the first day it was late
    overdue_days: int = 0  # calendar days late, at `now`
    explanation: str = ""


@dataclass(frozen=True)
class Rule:
    kind: str
    text: str = ""
    days: int | None = None  # AFTER_EVENT (working days) / CALENDAR_DAYS
    period: str | None = None  # PERIODIC
    grace: int = 0  # PERIODIC: working days after the period's end still in time
    month: int | None = None  # ANNUAL_DEADLINE
    day: int | None = None  # ANNUAL_DEADLINE (None: the end of the month)

    # --- wording -------------------------------------------------------------------------

    def label(self) -> str:
        """A short, normalised statement of the rule, in the active language."""
        if self.kind == Kind.AFTER_EVENT:
            return _("形成或变更后 %(n)s 个工作日内") % {"n": self.days}
        if self.kind == Kind.CALENDAR_DAYS:
            return _("%(n)s 日内") % {"n": self.days}
        if self.kind == Kind.PERIODIC:
            label = {
                MONTH: _("每月"),
                QUARTER: _("每季度"),
                HALF_YEAR: _("每半年"),
                YEAR: _("每年"),
            }[self.period]
            if self.grace:
                label += _("（期满后 %(n)s 个工作日内）") % {"n": self.grace}
            return label
        if self.kind == Kind.ANNUAL_DEADLINE:
            if self.day:
                return _("每年 %(m)s 月 %(d)s 日前") % {"m": self.month, "d": self.day}
            return _("每年 %(m)s 月底前") % {"m": self.month}
        if self.kind == Kind.REALTIME:
            return _("实时")
        if self.kind == Kind.STANDING:
            return _("长期公开")
        return _("未能识别的时限")

    # --- evaluation ----------------------------------------------------------------------

    def evaluate(
        self,
        latest: dt.datetime | None,
        now: dt.datetime | None = None,
        *,
        horizon: int | None = None,
        cal: workdays.Calendar | None = None,
    ) -> Verdict:
        """Whether the item is fresh at `now`, given its latest publication `latest`.

        Items published "within n working days of the information being made or changed"
        (and the realtime, standing and unrecognised ones) cannot be judged from the
        publications alone: gongkai does not know when the next piece of information was
        made. Such an item is fresh as soon as anything was published for it, and flagged
        empty otherwise. An office that wants a stricter reading configures a staleness
        horizon (`horizon`, working days; default `GONGKAI_CATALOG_STALE_AFTER_WORKING_DAYS`,
        unset = none): an item whose latest publication is older than that is stale. Periodic
        items and yearly deadlines are judged on the calendar, as written.

        `cal`: the working-day calendar to use (one per computation, so its years are read
        once); the national calendar by default.
        """
        now = now or timezone.now()
        today = timezone.localtime(now).date() if timezone.is_aware(now) else now.date()
        last = None
        if latest is not None:
            last = timezone.localtime(latest).date() if timezone.is_aware(latest) else latest
            if isinstance(last, dt.datetime):
                last = last.date()
        if self.kind == Kind.PERIODIC:
            return self._periodic(last, today, cal)
        if self.kind == Kind.ANNUAL_DEADLINE:
            return self._annual(last, today)
        if horizon is None:
            horizon = getattr(settings, "GONGKAI_CATALOG_STALE_AFTER_WORKING_DAYS", None)
        if last is None:
            return Verdict(False, True, explanation=_("%(rule)s：尚无公开信息。") % self._r())
        if horizon:
            cal = cal or workdays.calendar()
            due = cal.add_working_days(last, int(horizon)).due_date
            if today > due:
                return self._late(last, due, today, _("超过 %(n)s 个工作日未更新") % {"n": horizon})
            return Verdict(
                True,
                False,
                due=due,
                explanation=_("%(rule)s：上次公开 %(last)s，%(due)s 前应有更新。")
                % {**self._r(), "last": last, "due": due},
            )
        return Verdict(
            True,
            False,
            explanation=_("%(rule)s：上次公开 %(last)s。") % {**self._r(), "last": last},
        )

    def _r(self) -> dict:
        return {"rule": self.label()}

    def _late(self, last, due: dt.date, today: dt.date, why: str = "") -> Verdict:
        days = (today - due).days
        return Verdict(
            False,
            False,
            due=due,
            overdue_since=due + dt.timedelta(days=1),
            overdue_days=days,
            explanation=_("%(rule)s：上次公开 %(last)s，已超期 %(n)s 天。")
            % {**self._r(), "last": last, "n": days},
        )

    def _periodic(self, last, today: dt.date, cal) -> Verdict:
        if last is None:
            return Verdict(False, True, explanation=_("%(rule)s：尚无公开信息。") % self._r())
        # The next publication is due by the end of the period after the one of the latest
        # publication (plus the grace), e.g. quarterly: published in Q1 → due by 30 June.
        months = PERIOD_MONTHS[self.period]
        start_index = (last.year * 12 + last.month - 1) // months * months  # period of `last`
        end_index = start_index + 2 * months  # first month after the following period
        due = dt.date(end_index // 12, end_index % 12 + 1, 1) - dt.timedelta(days=1)
        if self.grace:
            cal = cal or workdays.calendar()
            due = cal.add_working_days(due, self.grace).due_date
        if today > due:
            return self._late(last, due, today)
        return Verdict(
            True,
            False,
            due=due,
            explanation=_("%(rule)s：上次公开 %(last)s，下次应于 %(due)s 前公开。")
            % {**self._r(), "last": last, "due": due},
        )

    def _deadline(self, year: int) -> dt.date:
        day = self.day or _calendar.monthrange(year, self.month)[1]
        day = min(day, _calendar.monthrange(year, self.month)[1])
        return dt.date(year, self.month, day)

    def _annual(self, last, today: dt.date) -> Verdict:
        this_year = self._deadline(today.year)
        if today > this_year:
            due, since = this_year, self._deadline(today.year - 1)
        else:
            due, since = self._deadline(today.year - 1), self._deadline(today.year - 2)
        # Fresh: something published after the deadline before the one that is running now.
        if last is not None and last > since:
            nxt = this_year if today <= this_year else self._deadline(today.year + 1)
            return Verdict(
                True,
                False,
                due=nxt,
                explanation=_("%(rule)s：上次公开 %(last)s，下次应于 %(due)s 前公开。")
                % {**self._r(), "last": last, "due": nxt},
            )
        if last is None:
            days = (today - due).days
            return Verdict(
                False,
                True,
                due=due,
                overdue_since=due + dt.timedelta(days=1),
                overdue_days=days,
                explanation=_("%(rule)s：尚无公开信息，%(due)s 已到期。")
                % {**self._r(), "due": due},
            )
        return self._late(last, due, today)


UNKNOWN_RULE = Rule(Kind.UNKNOWN)


def parse(text: str | None) -> Rule:
    """The rule a 公开时限 wording states (UNKNOWN when none is recognised)."""
    raw = (text or "").strip()
    s = normalise(raw)
    if not s:
        return Rule(Kind.UNKNOWN, raw)
    m = _ANNUAL.search(s)
    if m and 1 <= int(m.group(1)) <= 12:
        day = int(m.group(2)) if m.group(2) else None
        if day is None or 1 <= day <= 31:
            return Rule(Kind.ANNUAL_DEADLINE, raw, month=int(m.group(1)), day=day)
    working = [int(n) for n in _WORKING.findall(s)]
    cal_days = [int(n) for n in _CALENDAR.findall(s)]
    event = bool(_EVENT.search(s))
    period = next((p for p, pattern in _PERIODS if pattern.search(s)), None)
    if period and not event:
        return Rule(Kind.PERIODIC, raw, period=period, grace=max(working, default=0))
    if working:
        # Several limits in one cell ("执法决定7个工作日内…其他信息20个工作日内"): the longest
        # is the general one; the shorter applies to a part of the information.
        return Rule(Kind.AFTER_EVENT, raw, days=max(working))
    if cal_days:
        return Rule(Kind.CALENDAR_DAYS, raw, days=max(cal_days))
    if period:
        return Rule(Kind.PERIODIC, raw, period=period)
    if _REALTIME.search(s):
        return Rule(Kind.REALTIME, raw)
    if _STANDING.search(s):
        return Rule(Kind.STANDING, raw)
    return Rule(Kind.UNKNOWN, raw)
