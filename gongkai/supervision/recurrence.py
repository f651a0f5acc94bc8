"""The instances a recurring duty produces in its plan's year ("每季度" → four, due at each
quarter's end). Duties with a shorter period (每周, 每天) are followed up as one task for the
year: a weekly instance is more ledger than anyone reads."""

from __future__ import annotations

import calendar
import datetime as dt
import re


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def periods(phrase: str, year: int) -> list[tuple[str, dt.date]]:
    """(label, deadline) of each instance; [] when the phrase makes no instances.

    The labels are stored with the task, as the plan's own words: Chinese whatever the language
    of the page that confirmed it (they are not translated)."""
    text = phrase or ""
    if re.search(r"季", text):
        return [(f"第{'一二三四'[q]}季度", _month_end(year, 3 * q + 3)) for q in range(4)]
    if "半年" in text:
        return [("上半年", dt.date(year, 6, 30)), ("下半年", dt.date(year, 12, 31))]
    if re.search(r"每(个)?月|月度", text):
        return [(f"{m}月", _month_end(year, m)) for m in range(1, 13)]
    if re.search(r"每年|年度", text):
        return [(f"{year}年度", dt.date(year, 12, 31))]
    return []


def quarter_of(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    if quarter not in (1, 2, 3, 4):
        raise ValueError(quarter)
    return dt.date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter)
