"""Writes of the core app: the calendar and named sequences. Each records an audit event."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from . import audit
from .exceptions import ApplicationError
from .models import CalendarDay, CalendarYear, Sequence

KIND_ALIASES = {
    "holiday": CalendarDay.Kind.HOLIDAY,
    "休": CalendarDay.Kind.HOLIDAY,
    "假": CalendarDay.Kind.HOLIDAY,
    "workday": CalendarDay.Kind.WORKDAY,
    "班": CalendarDay.Kind.WORKDAY,
    "调休上班": CalendarDay.Kind.WORKDAY,
}
MAX_IMPORT_BYTES = 1024 * 1024


@dataclass(frozen=True)
class ImportDay:
    date: dt.date
    kind: str
    name: str
    source: str


def _error(errors: list[str]) -> ApplicationError:
    return ApplicationError(
        _("日历文件有误，未导入任何数据：") + "；".join(errors[:20]),
        code="invalid_calendar_file",
        extra={"errors": errors},
    )


def _parse_date(value, where: str, errors: list[str]) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        errors.append(_("%(where)s：日期“%(value)s”无效") % {"where": where, "value": value})
        return None


def parse_calendar_csv(text: str) -> list[ImportDay]:
    """Rows of `date,kind,name,source` (kind: holiday/休 or workday/班); a header row is required."""
    errors: list[str] = []
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = {"date", "kind", "name"} - set(reader.fieldnames or [])
    if missing:
        raise _error([_("缺少列：%(cols)s") % {"cols": ", ".join(sorted(missing))}])
    days: list[ImportDay] = []
    for line_no, row in enumerate(reader, start=2):
        where = _("第 %(n)s 行") % {"n": line_no}
        day = _parse_date(row.get("date") or "", where, errors)
        kind = KIND_ALIASES.get((row.get("kind") or "").strip().lower())
        if kind is None:
            errors.append(
                _("%(where)s：类型“%(kind)s”无效（应为 holiday/休 或 workday/班）")
                % {"where": where, "kind": row.get("kind")}
            )
        name = (row.get("name") or "").strip()
        if not name:
            errors.append(_("%(where)s：缺少名称") % {"where": where})
        if day and kind == CalendarDay.Kind.WORKDAY and day.weekday() < 5:
            errors.append(
                _("%(where)s：%(d)s 是工作日，不能登记为调休上班") % {"where": where, "d": day}
            )
        elif day and kind and name:
            days.append(ImportDay(day, kind, name, (row.get("source") or "").strip()))
    if errors:
        raise _error(errors)
    return days


def parse_calendar_yaml(text: str) -> list[ImportDay]:
    """A notice as YAML: `source`, `holidays: {name: [dates or "A..B" ranges]}`, `workdays: {…}`."""
    errors: list[str] = []
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise _error([_("YAML 格式错误：%(err)s") % {"err": exc}]) from None
    if not isinstance(doc, dict):
        raise _error([_("YAML 顶层应为映射（source、holidays、workdays）")])
    source = str(doc.get("source") or "")
    days: list[ImportDay] = []
    for section, kind in (
        ("holidays", CalendarDay.Kind.HOLIDAY),
        ("workdays", CalendarDay.Kind.WORKDAY),
    ):
        entries = doc.get(section) or {}
        if not isinstance(entries, dict):
            errors.append(_("%(s)s 应为“名称: [日期…]”的映射") % {"s": section})
            continue
        for name, values in entries.items():
            for value in values if isinstance(values, list) else [values]:
                where = f"{section}.{name}"
                if isinstance(value, str) and ".." in value:
                    first_s, last_s = value.split("..", 1)
                    first = _parse_date(first_s, where, errors)
                    last = _parse_date(last_s, where, errors)
                    if first and last:
                        if last < first or (last - first).days > 31:
                            errors.append(
                                _("%(where)s：日期范围“%(v)s”无效") % {"where": where, "v": value}
                            )
                            continue
                        span = (last - first).days + 1
                        days += [
                            ImportDay(first + dt.timedelta(days=i), kind, str(name), source)
                            for i in range(span)
                        ]
                else:
                    day = _parse_date(value, where, errors)
                    if day:
                        days.append(ImportDay(day, kind, str(name), source))
    if errors:
        raise _error(errors)
    return days


def parse_calendar_file(path: Path) -> list[ImportDay]:
    if not path.is_file():
        raise ApplicationError(_("找不到文件：%(path)s") % {"path": path}, code="file_not_found")
    if path.stat().st_size > MAX_IMPORT_BYTES:
        raise ApplicationError(_("文件过大（上限 1 MB）。"), code="file_too_large")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ApplicationError(_("文件须为 UTF-8 编码。"), code="bad_encoding") from None
    if path.suffix.lower() in {".yaml", ".yml"}:
        return parse_calendar_yaml(text)
    if path.suffix.lower() == ".csv":
        return parse_calendar_csv(text)
    raise ApplicationError(_("只支持 .csv、.yaml 或 .yml 文件。"), code="bad_file_type")


def _validate_days(days: list[ImportDay]) -> None:
    errors: list[str] = []
    if not days:
        errors.append(_("文件中没有任何日期"))
    low, high = settings.GONGKAI_CALENDAR_MIN_YEAR, settings.GONGKAI_CALENDAR_MAX_YEAR
    for day, count in Counter(d.date for d in days).items():
        if count > 1:
            errors.append(_("%(d)s 出现了 %(n)s 次") % {"d": day, "n": count})
    for d in days:
        if len(d.name) > 64 or len(d.source) > 255:
            errors.append(_("%(d)s 的名称（最多 64 字）或依据（最多 255 字）过长") % {"d": d.date})
        if not low <= d.date.year <= high:
            errors.append(_("%(d)s 超出支持的年份范围") % {"d": d.date})
        if d.kind == CalendarDay.Kind.WORKDAY and d.date.weekday() < 5:
            # A make-up working day is by definition a Saturday or Sunday.
            errors.append(_("%(d)s 是工作日，不能登记为调休上班") % {"d": d.date})
    if errors:
        raise _error(errors)


@transaction.atomic
def calendar_import(*, actor, days: list[ImportDay], source: str = "", region=None) -> dict:
    """Load the arrangement of every year the rows cover, replacing what those years had.

    A year is replaced whole (for the nation, or for `region`), so importing a corrected notice
    twice gives the same calendar. Years not named in the file are left alone.
    """
    if len(source) > 255:
        raise ApplicationError(_("依据过长（最多 255 字）。"), code="source_too_long")
    _validate_days(days)
    years = sorted({d.date.year for d in days})
    region_q = {"region": region} if region is not None else {"region__isnull": True}
    summary = {}
    for year in years:
        year_days = [d for d in days if d.date.year == year]
        year_source = source or next((d.source for d in year_days if d.source), "")
        removed, _x = CalendarDay.objects.filter(date__year=year, **region_q).delete()
        CalendarDay.objects.bulk_create(
            CalendarDay(
                date=d.date, kind=d.kind, name=d.name, source=d.source or year_source, region=region
            )
            for d in year_days
        )
        CalendarYear.objects.update_or_create(
            year=year, **region_q, defaults={"source": year_source}
        )
        counts = Counter(d.kind for d in year_days)
        summary[year] = {
            "holidays": counts[CalendarDay.Kind.HOLIDAY],
            "workdays": counts[CalendarDay.Kind.WORKDAY],
        }
        audit.record(
            actor=actor,
            verb="calendar.import",
            target=("core.calendaryear", year),
            org=region,
            data={"year": year, "source": year_source, "replaced": removed, **summary[year]},
        )
    return summary


# chinesecalendar names its holidays in English; the calendar shows the official Chinese names.
HOLIDAY_NAMES_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def chinesecalendar_days(
    first_year: int | None = None, last_year: int | None = None
) -> list[ImportDay]:
    """The arrangements held by the `chinesecalendar` package, as import rows."""
    import chinese_calendar
    from chinese_calendar.constants import holidays, workdays

    source = f"chinesecalendar {chinese_calendar.__version__}（国务院办公厅节假日安排通知）"

    def zh(name: str) -> str:
        return HOLIDAY_NAMES_ZH.get(name, name)

    rows = [ImportDay(d, CalendarDay.Kind.HOLIDAY, zh(h), source) for d, h in holidays.items()]
    rows += [
        ImportDay(d, CalendarDay.Kind.WORKDAY, f"{zh(h)}调休", source) for d, h in workdays.items()
    ]
    return sorted(
        (r for r in rows if (first_year or 0) <= r.date.year <= (last_year or 9999)),
        key=lambda r: r.date,
    )


def calendar_day_save(*, actor, day: CalendarDay) -> CalendarDay:
    """Save one day edited by an administrator."""
    with transaction.atomic():
        if day.kind == CalendarDay.Kind.WORKDAY and day.date.weekday() < 5:
            raise ApplicationError(_("工作日不能登记为调休上班。"), code="workday_on_weekday")
        created = day.pk is None
        day.save()
        audit.record(
            actor=actor,
            verb="calendar.day_create" if created else "calendar.day_update",
            target=day,
            org=day.region,
            data={"date": day.date, "kind": day.kind, "name": day.name, "source": day.source},
        )
    return day


def calendar_day_delete(*, actor, day: CalendarDay) -> None:
    with transaction.atomic():
        data = {"date": day.date, "kind": day.kind, "name": day.name}
        audit.record(actor=actor, verb="calendar.day_delete", target=day, org=day.region, data=data)
        day.delete()


def sequence_next(name: str) -> int:
    """Allocate the next value of a named counter, inside the caller's transaction.

    The row lock (PostgreSQL) or the IMMEDIATE write lock (SQLite) serialises allocators; a
    rolled-back transaction rolls its value back, so committed values have no gaps and are never
    handed out twice.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("sequence_next() must be called inside transaction.atomic()")
    Sequence.objects.get_or_create(name=name)
    seq = Sequence.objects.select_for_update().get(name=name)
    seq.value += 1
    seq.save(update_fields=["value"])
    return seq.value
