"""The official working-day calendar: the one place every statutory time limit comes from.

A working day is Monday to Friday, except the State Council's holidays, plus its make-up
working days (调休). The arrangement for each year lives in `CalendarDay` rows (seeded from
the `chinesecalendar` package, imported by administrators for new years, overridable per
region). A year with no loaded arrangement is provisional (RULES §6): it skips weekends and the
statutory holidays, which are fixed by law and computed here (lunar ones with `lunar_python`);
only the extra days and make-up working days of the year's notice are unknown, and every result
that touches such a year says so (`provisional`).

Counting follows Art.33 of the Regulations: the day of receipt is not counted, so
`add_working_days(received, 20)` is the last day to reply. Every result explains itself.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _

from .exceptions import ApplicationError

WEEKDAY_NAMES = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
HOLIDAY, WORKDAY = "holiday", "workday"


@dataclass(frozen=True)
class DayInfo:
    kind: str  # HOLIDAY or WORKDAY
    name: str


@dataclass(frozen=True)
class YearArrangement:
    loaded: bool
    days: Mapping[dt.date, DayInfo] = field(default_factory=dict)


@dataclass(frozen=True)
class SkippedDay:
    date: dt.date
    kind: str  # "weekend" or "holiday"
    reason: str

    def as_dict(self) -> dict:
        return {"date": self.date.isoformat(), "kind": self.kind, "reason": self.reason}


@dataclass(frozen=True)
class MakeupDay:
    date: dt.date
    name: str

    def as_dict(self) -> dict:
        return {"date": self.date.isoformat(), "name": self.name}


@dataclass(frozen=True)
class Count:
    """The working days in (first, last]; what was skipped and counted on the way."""

    start: dt.date
    end: dt.date
    days: int
    skipped: tuple[SkippedDay, ...]
    makeup_workdays: tuple[MakeupDay, ...]
    unloaded_years: tuple[int, ...]
    mode: str = "add"  # "add": the n-th working day after start; "between": a count

    @property
    def provisional(self) -> bool:
        return bool(self.unloaded_years)

    @property
    def due_date(self) -> dt.date:
        return self.end

    def as_dict(self) -> dict:
        return {
            "start": self.start.isoformat(),
            "days": self.days,
            "due_date": self.end.isoformat(),
            "provisional": self.provisional,
            "unloaded_years": list(self.unloaded_years),
            "skipped": [s.as_dict() for s in self.skipped],
            "makeup_workdays": [m.as_dict() for m in self.makeup_workdays],
        }

    def explain(self) -> list[str]:
        """Human-readable lines, in the active language, saying how the result was reached."""
        if self.mode == "between":
            first, last = sorted((self.start, self.end))
            lines = [
                _("%(first)s（不含）至 %(last)s（含）共 %(n)s 个工作日%(sign)s。")
                % {
                    "first": first,
                    "last": last,
                    "n": abs(self.days),
                    "sign": _("（终止日早于起始日，记为负数）") if self.days < 0 else "",
                }
            ]
        else:
            lines = [
                _("自 %(start)s 起算（当日不计），第 %(days)s 个工作日为 %(due)s。")
                % {"start": self.start, "days": self.days, "due": self.end}
            ]
        holidays = [s for s in self.skipped if s.kind == "holiday"]
        weekends = [s for s in self.skipped if s.kind == "weekend"]
        if holidays:
            lines.append(
                _("跳过法定节假日 %(n)s 天：%(list)s。")
                % {
                    "n": len(holidays),
                    "list": "、".join(f"{s.date}（{s.reason}）" for s in holidays),
                }
            )
        if weekends:
            lines.append(_("跳过周末 %(n)s 天。") % {"n": len(weekends)})
        if self.makeup_workdays:
            lines.append(
                _("计入调休上班日 %(n)s 天：%(list)s。")
                % {
                    "n": len(self.makeup_workdays),
                    "list": "、".join(f"{m.date}（{m.name}）" for m in self.makeup_workdays),
                }
            )
        if self.unloaded_years:
            lines.append(
                _(
                    "%(years)s 年的节假日安排通知尚未导入：已按《全国年节及纪念日放假办法》跳过"
                    "元旦、春节、清明节、劳动节、端午节、中秋节、国庆节（农历节日按农历推算），"
                    "但通知另行安排的放假日和调休上班日尚不知道，结果为暂定，导入后可能变化。"
                )
                % {"years": "、".join(str(y) for y in self.unloaded_years)}
            )
        return lines


class Calendar:
    """Working-day arithmetic over arrangements supplied year by year.

    Pure given its loader: tests pass a loader over a plain mapping, production passes one
    that reads `CalendarDay` rows. Years are loaded lazily and cached for this object's life.
    """

    def __init__(self, year_loader: Callable[[int], YearArrangement]):
        self._loader = year_loader
        self._years: dict[int, YearArrangement] = {}

    @classmethod
    def from_days(
        cls,
        days: Mapping[dt.date, DayInfo],
        loaded_years: Iterable[int],
        *,
        statutory: bool = False,
    ) -> Calendar:
        """A calendar over a plain mapping; `statutory`: unloaded years skip the statutory
        holidays, as the production calendar does (otherwise weekends only)."""
        loaded = frozenset(loaded_years)
        by_year: dict[int, dict[dt.date, DayInfo]] = {}
        for day, info in days.items():
            by_year.setdefault(day.year, {})[day] = info

        def load(y: int) -> YearArrangement:
            known = by_year.get(y, {})
            if y in loaded or not statutory:
                return YearArrangement(y in loaded, known)
            return provisional_arrangement(y, known)

        return cls(load)

    def year(self, year: int) -> YearArrangement:
        if year not in self._years:
            self._check_year(year)
            self._years[year] = self._loader(year)
        return self._years[year]

    @staticmethod
    def _check_year(year: int) -> None:
        low, high = settings.GONGKAI_CALENDAR_MIN_YEAR, settings.GONGKAI_CALENDAR_MAX_YEAR
        if not low <= year <= high:
            raise ApplicationError(
                _("日期超出日历支持的范围（%(low)s—%(high)s 年）。") % {"low": low, "high": high},
                code="year_out_of_range",
                extra={"year": year},
            )

    def info(self, day: dt.date) -> DayInfo | None:
        return self.year(day.year).days.get(day)

    def is_working_day(self, day: dt.date) -> bool:
        info = self.info(day)
        if info is not None:
            return info.kind == WORKDAY
        return day.weekday() < 5

    def _walk(self, start: dt.date, stop: Callable[[dt.date, int], bool]) -> Count:
        """Step forward from the day after `start` until `stop(day, counted)` says so."""
        skipped: list[SkippedDay] = []
        makeup: list[MakeupDay] = []
        unloaded: set[int] = set()
        counted, day = 0, start
        while True:
            day += dt.timedelta(days=1)
            if day.year > settings.GONGKAI_CALENDAR_MAX_YEAR:
                raise ApplicationError(
                    _("计算结果超出日历支持的范围（至 %(high)s 年）。")
                    % {"high": settings.GONGKAI_CALENDAR_MAX_YEAR},
                    code="year_out_of_range",
                )
            arrangement = self.year(day.year)
            if not arrangement.loaded:
                unloaded.add(day.year)
            info = arrangement.days.get(day)
            if info is not None and info.kind == HOLIDAY:
                skipped.append(SkippedDay(day, "holiday", info.name))
            elif info is not None and info.kind == WORKDAY:
                counted += 1
                makeup.append(MakeupDay(day, info.name))
            elif day.weekday() >= 5:
                skipped.append(SkippedDay(day, "weekend", WEEKDAY_NAMES[day.weekday()]))
            else:
                counted += 1
            if stop(day, counted):
                return Count(
                    start, day, counted, tuple(skipped), tuple(makeup), tuple(sorted(unloaded))
                )

    def add_working_days(self, start: dt.date, days: int) -> Count:
        """The `days`-th working day after `start` (start itself not counted)."""
        self._check_year(start.year)
        _check_days(days)
        if days == 0:
            return Count(start, start, 0, (), (), ())
        return self._walk(start, lambda _day, counted: counted == days)

    def working_days_between(self, first: dt.date, last: dt.date) -> Count:
        """Working days in (first, last]; negative (with the same explanation) when last < first."""
        self._check_year(first.year)
        self._check_year(last.year)
        if last == first:
            return Count(first, last, 0, (), (), (), mode="between")
        if last < first:
            forward = self.working_days_between(last, first)
            return replace(forward, start=first, end=last, days=-forward.days)
        return replace(self._walk(first, lambda day, _counted: day == last), mode="between")


def _check_days(days: int) -> None:
    limit = settings.GONGKAI_CALENDAR_MAX_DAYS
    if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= limit:
        raise ApplicationError(
            _("工作日天数须为 0 至 %(limit)s 之间的整数。") % {"limit": limit},
            code="invalid_days",
            extra={"days": days},
        )


def _db_year_loader(region=None) -> Callable[[int], YearArrangement]:
    """Read one year's arrangement: national rows, overridden by the region's and its ancestors'."""
    from .models import CalendarDay, CalendarYear

    chain = list(region.ancestor_ids()) if region is not None else []  # root first

    def load(year: int) -> YearArrangement:
        scope = Q(region__isnull=True) | Q(region_id__in=chain) if chain else Q(region__isnull=True)
        rows = CalendarDay.objects.filter(scope, date__year=year).values_list(
            "date", "kind", "name", "region_id"
        )
        # Precedence: national first, then each region from the root down, nearest wins.
        rank = {None: -1, **{org_id: i for i, org_id in enumerate(chain)}}
        days: dict[dt.date, tuple[int, DayInfo]] = {}
        for day, kind, name, region_id in rows:
            r = rank[region_id]
            if day not in days or days[day][0] < r:
                days[day] = (r, DayInfo(kind, name))
        # A year is final only when the national arrangement is loaded: a region's own
        # overrides change some days but do not make the rest of its year known.
        loaded = CalendarYear.objects.filter(region__isnull=True, year=year).exists()
        known = {d: info for d, (_r, info) in days.items()}
        return YearArrangement(True, known) if loaded else provisional_arrangement(year, known)

    return load


# 全国年节及纪念日放假办法 as revised in November 2024 (in force 2025-01-01), RULES §6; the
# 2013 text (in force 2014-01-01) before it: 春节 3 days from 正月初一, 劳动节 1 day.
STATUTORY_REVISION_2025 = 2025


def _lunar(year: int, month: int, day: int) -> dt.date:
    from lunar_python import Lunar

    solar = Lunar.fromYmd(year, month, day).getSolar()
    return dt.date(solar.getYear(), solar.getMonth(), solar.getDay())


def _qingming(year: int) -> dt.date:
    from lunar_python import Lunar

    # The solar-term table of a lunar year in the third month holds that spring's 清明.
    solar = Lunar.fromYmd(year, 3, 1).getJieQiTable()["清明"]
    return dt.date(solar.getYear(), solar.getMonth(), solar.getDay())


@lru_cache(maxsize=256)
def statutory_holidays(year: int) -> dict[dt.date, str]:
    """The public holidays the law fixes for `year`, without the notice's bridging days.

    What the State Council's yearly notice adds (days joined to a weekend, and the make-up
    working days that pay for them) cannot be known in advance."""
    days: dict[dt.date, str] = {}

    def add(first: dt.date, count: int, name: str) -> None:
        for i in range(count):
            days.setdefault(first + dt.timedelta(days=i), name)

    new_rules = year >= STATUTORY_REVISION_2025
    add(dt.date(year, 1, 1), 1, "元旦")
    new_year = _lunar(year, 1, 1)  # 正月初一 of the lunar year beginning in `year`
    if new_rules:
        add(new_year - dt.timedelta(days=1), 4, "春节")  # 除夕 to 正月初三
    else:
        add(new_year, 3, "春节")
    add(_qingming(year), 1, "清明节")
    add(dt.date(year, 5, 1), 2 if new_rules else 1, "劳动节")
    add(_lunar(year, 5, 5), 1, "端午节")
    add(_lunar(year, 8, 15), 1, "中秋节")
    add(dt.date(year, 10, 1), 3, "国庆节")
    # 除夕 can fall in the year before 正月初一's (never in practice: 春节 is 21 Jan–20 Feb).
    return {d: name for d, name in days.items() if d.year == year}


def provisional_arrangement(year: int, known: Mapping[dt.date, DayInfo]) -> YearArrangement:
    """An unloaded year: the statutory holidays, then any rows entered for it (which win)."""
    days = {d: DayInfo(HOLIDAY, name) for d, name in statutory_holidays(year).items()}
    days.update(known)
    return YearArrangement(False, days)


def calendar(region=None) -> Calendar:
    """The official calendar, for the nation or for a region (an `orgs.Org`) with overrides."""
    return Calendar(_db_year_loader(region))


def is_working_day(day: dt.date, *, region=None) -> bool:
    return calendar(region).is_working_day(day)


def add_working_days(start: dt.date, days: int, *, region=None) -> Count:
    return calendar(region).add_working_days(start, days)


def working_days_between(first: dt.date, last: dt.date, *, region=None) -> Count:
    return calendar(region).working_days_between(first, last)


def last_day_of_years(start: dt.date, years: int) -> dt.date:
    """The last day of a period of `years` calendar years beginning on `start`.

    Validity periods of normative documents (有效期, RULES §5) are set in calendar years by
    the rules on normative documents, not in working days: a holiday does not lengthen them.
    They are counted here beside the working-day limits so that every time limit comes from
    this module. A period beginning on 29 February ends on 27 February (28 February is the
    anniversary)."""
    try:
        anniversary = start.replace(year=start.year + years)
    except ValueError:  # 29 February in a common year
        anniversary = start.replace(year=start.year + years, day=28)
    return anniversary - dt.timedelta(days=1)


DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
DAYS_RE = re.compile(r"^\d{1,7}$", re.ASCII)


def parse_date(value: str) -> dt.date:
    """Parse YYYY-MM-DD from user input, or raise an ApplicationError saying what is wrong."""
    try:
        text = str(value).strip()
        if not DATE_RE.match(text):
            raise ValueError(text)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ApplicationError(
            _("日期“%(value)s”无效，请按 YYYY-MM-DD 格式填写，例如 2020-01-20。")
            % {"value": value},
            code="invalid_date",
        ) from None


def parse_days(value) -> int:
    text = str(value).strip()
    if text.startswith("-") and DAYS_RE.match(text[1:]):
        days = int(text)  # a negative count: the range check below explains it
    elif DAYS_RE.match(text):
        days = int(text)
    else:
        raise ApplicationError(
            _("工作日天数“%(value)s”无效，请填写整数。") % {"value": value}, code="invalid_days"
        )
    _check_days(days)
    return days
