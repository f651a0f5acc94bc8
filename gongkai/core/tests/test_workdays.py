import datetime as dt

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.core import workdays
from gongkai.core.exceptions import ApplicationError
from gongkai.core.models import CalendarDay, CalendarYear
from gongkai.core.services import chinesecalendar_days
from gongkai.core.workdays import Calendar, DayInfo

D = dt.date


def package_calendar() -> Calendar:
    """The package's arrangement, without the database, for fast property tests."""
    days = {d.date: DayInfo(d.kind, d.name) for d in chinesecalendar_days()}
    return Calendar.from_days(days, range(2004, 2027))


PKG = package_calendar()


@pytest.mark.django_db
def test_spring_festival_2020_extension():
    """Received 2020-01-20, 20 working days: due 2020-02-25, because 1 Feb 2020 was no longer a workday."""
    result = workdays.add_working_days(D(2020, 1, 20), 20)
    assert result.due_date == D(2020, 2, 25)
    assert not result.provisional
    skipped = {s.date: s for s in result.skipped}
    assert skipped[D(2020, 2, 1)].kind == "holiday"
    assert skipped[D(2020, 2, 1)].reason == "春节"
    assert skipped[D(2020, 2, 8)].kind == "weekend"
    assert len([s for s in result.skipped if s.kind == "holiday"]) == 10
    assert max(skipped) < result.due_date


@pytest.mark.django_db
def test_national_day_2020_counts_make_up_saturday_and_sunday():
    """Sunday 27 Sept and Saturday 10 Oct 2020 were make-up working days; 1–8 Oct were off."""
    result = workdays.add_working_days(D(2020, 9, 25), 5)
    assert result.due_date == D(2020, 10, 9)
    assert [m.date for m in result.makeup_workdays] == [D(2020, 9, 27)]
    assert workdays.add_working_days(D(2020, 10, 9), 1).due_date == D(2020, 10, 10)
    assert workdays.is_working_day(D(2020, 10, 10))
    assert not workdays.is_working_day(D(2020, 10, 8))


@pytest.mark.django_db
def test_spring_festival_2024_make_up_sundays():
    """2024: Sundays 4 and 18 Feb were working days, 10–17 Feb were off."""
    assert workdays.is_working_day(D(2024, 2, 4))
    assert workdays.is_working_day(D(2024, 2, 18))
    result = workdays.add_working_days(D(2024, 2, 8), 2)
    assert result.due_date == D(2024, 2, 18)
    assert [s.date for s in result.skipped if s.kind == "holiday"] == [
        D(2024, 2, d) for d in range(10, 18)
    ]


@pytest.mark.django_db
def test_database_calendar_agrees_with_package_on_every_day():
    """The seeded table gives the package's answer for every day it covers (2004–2026)."""
    cal = workdays.calendar()
    day, disagreements = D(2004, 1, 1), []
    while day <= D(2026, 12, 31):
        if cal.is_working_day(day) != chinese_calendar.is_workday(day):
            disagreements.append(day)
        day += dt.timedelta(days=1)
    assert disagreements == []


@pytest.mark.django_db
def test_deadline_into_unloaded_year_is_provisional():
    """2027 has no arrangement: weekends and the statutory holidays skipped (元旦 among them),
    flagged provisional, the year named and the unknown make-up days said."""
    result = workdays.add_working_days(D(2026, 12, 20), 20)
    assert result.provisional
    assert result.unloaded_years == (2027,)
    explained = " ".join(result.explain())
    assert "2027" in explained and "暂定" in explained and "调休上班日" in explained
    assert ("2027-01-01", "holiday", "元旦") in [
        (s.date.isoformat(), s.kind, s.reason) for s in result.skipped
    ]
    assert not workdays.add_working_days(D(2026, 11, 2), 5).provisional


@pytest.mark.django_db
def test_a_provisional_due_date_never_falls_on_new_years_day():
    """The reported case: 2026-12-04 + 20 working days was 2027-01-01 on weekends alone."""
    assert workdays.add_working_days(D(2026, 12, 4), 20).due_date == D(2027, 1, 4)
    assert not workdays.is_working_day(D(2027, 2, 8))  # 正月初三 of 2027


def test_statutory_holidays_of_2027_follow_the_2024_revision():
    """元旦 1, 春节 4 (除夕 to 初三), 清明 1, 劳动节 2, 端午 1, 中秋 1, 国庆 3: 13 days."""
    days = workdays.statutory_holidays(2027)
    assert len(days) == 13
    assert [d for d, n in days.items() if n == "春节"] == [
        D(2027, 2, 5), D(2027, 2, 6), D(2027, 2, 7), D(2027, 2, 8)
    ]  # fmt: skip
    assert days[D(2027, 4, 5)] == "清明节"
    assert days[D(2027, 5, 2)] == "劳动节"
    assert days[D(2027, 6, 9)] == "端午节"
    assert days[D(2027, 9, 15)] == "中秋节"
    assert days[D(2027, 10, 3)] == "国庆节"


@pytest.mark.parametrize("year", range(2015, 2027))
def test_statutory_holidays_agree_with_the_notices(year):
    """Every day the law fixes was a holiday in that year's State Council notice."""
    for day in workdays.statutory_holidays(year):
        assert chinese_calendar.is_holiday(day), day


@pytest.mark.parametrize(
    ("year", "spring_festival"),
    [(2028, D(2028, 1, 26)), (2029, D(2029, 2, 13)), (2030, D(2030, 2, 3)),
     (2031, D(2031, 1, 23)), (2032, D(2032, 2, 11)), (2033, D(2033, 1, 31)),
     (2034, D(2034, 2, 19)), (2035, D(2035, 2, 8))],
)  # fmt: skip
def test_lunar_holidays_are_computed_for_future_years(year, spring_festival):
    days = workdays.statutory_holidays(year)
    assert days[spring_festival] == "春节"
    assert days[spring_festival - dt.timedelta(days=1)] == "春节"  # 除夕


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "days", "code"),
    [
        (D(2020, 1, 1), -1, "invalid_days"),
        (D(2020, 1, 1), 100_000, "invalid_days"),
        (D(1990, 1, 1), 5, "year_out_of_range"),
        (D(2099, 12, 20), 30, "year_out_of_range"),
    ],
)
def test_bad_input_is_an_application_error(start, days, code):
    with pytest.raises(ApplicationError) as exc:
        workdays.add_working_days(start, days)
    assert exc.value.code == code


def test_parse_rejects_malformed_input():
    for bad in ["2020-02-30", "20/01/2020", "", "tomorrow"]:
        with pytest.raises(ApplicationError):
            workdays.parse_date(bad)
    for bad in ["-1", "1.5", "abc", "1001"]:
        with pytest.raises(ApplicationError):
            workdays.parse_days(bad)


@pytest.mark.django_db
def test_regional_override_applies_to_region_and_below_only(org):
    """A province-style extra holiday on a weekday counts for that region's subtree only."""
    district = org("示范市东城区人民政府")
    town = org("东城区新华街道办事处")
    other = org("示范市西城区人民政府")
    CalendarDay.objects.create(date=D(2025, 3, 5), kind="holiday", name="地方假日", region=district)
    assert workdays.is_working_day(D(2025, 3, 5))
    assert not workdays.is_working_day(D(2025, 3, 5), region=district)
    assert not workdays.is_working_day(D(2025, 3, 5), region=town)
    assert workdays.is_working_day(D(2025, 3, 5), region=other)
    result = workdays.add_working_days(D(2025, 3, 4), 1, region=town)
    assert result.due_date == D(2025, 3, 6)
    assert result.skipped[0].reason == "地方假日"


@pytest.mark.django_db
def test_working_days_between_is_signed_and_explained():
    assert workdays.working_days_between(D(2020, 1, 20), D(2020, 2, 25)).days == 20
    assert workdays.working_days_between(D(2020, 2, 25), D(2020, 1, 20)).days == -20
    assert workdays.working_days_between(D(2020, 1, 20), D(2020, 1, 20)).days == 0


@pytest.mark.django_db
def test_calendar_loads_each_year_once(django_assert_num_queries):
    """A 20-day deadline inside one year costs two queries (days + loaded flag), not one per day."""
    with django_assert_num_queries(2):
        workdays.add_working_days(D(2021, 3, 1), 20)


# --- properties, on the package's real arrangement and on random arrangements ---

dates = st.dates(min_value=D(2004, 1, 1), max_value=D(2026, 10, 31))
counts = st.integers(min_value=0, max_value=60)


@given(start=dates, a=counts, b=counts)
def test_adding_a_then_b_equals_adding_a_plus_b(start, a, b):
    step = PKG.add_working_days(PKG.add_working_days(start, a).due_date, b).due_date
    assert step == PKG.add_working_days(start, a + b).due_date


@given(start=dates, n=st.integers(min_value=1, max_value=60))
def test_due_date_is_a_working_day_and_between_inverts_it(start, n):
    result = PKG.add_working_days(start, n)
    assert PKG.is_working_day(result.due_date)
    assert PKG.working_days_between(start, result.due_date).days == n
    # Every day strictly between start and due is either counted or listed as skipped.
    span = (result.due_date - start).days
    assert span == n + len(result.skipped)


@given(start=dates, n=counts)
def test_more_days_never_gives_an_earlier_date(start, n):
    assert PKG.add_working_days(start, n + 1).due_date > PKG.add_working_days(start, n).due_date


@st.composite
def arrangements(draw):
    year = draw(st.integers(min_value=2030, max_value=2032))
    base = D(year, 1, 1)
    offsets = draw(st.sets(st.integers(min_value=0, max_value=364), max_size=40))
    days = {}
    for off in offsets:
        day = base + dt.timedelta(days=off)
        kind = "workday" if day.weekday() >= 5 and draw(st.booleans()) else "holiday"
        days[day] = DayInfo(kind, "测试")
    loaded = draw(st.sets(st.sampled_from([year - 1, year, year + 1])))
    return year, days, loaded


@given(
    start=st.dates(min_value=D(2027, 1, 1), max_value=D(2035, 12, 31)),
    n=st.integers(min_value=1, max_value=60),
)
def test_a_provisional_year_never_ends_on_a_statutory_holiday(start, n):
    cal = Calendar.from_days({}, (), statutory=True)
    result = cal.add_working_days(start, n)
    assert result.due_date not in workdays.statutory_holidays(result.due_date.year)
    assert result.due_date.weekday() < 5 and result.provisional
    assert (result.due_date - start).days == n + len(result.skipped)


@given(arr=arrangements(), off=st.integers(min_value=0, max_value=364), n=counts)
def test_random_arrangements_count_exactly_the_working_days(arr, off, n):
    year, days, loaded = arr
    cal = Calendar.from_days(days, loaded)
    start = D(year, 1, 1) + dt.timedelta(days=off)
    result = cal.add_working_days(start, n)
    walked = [start + dt.timedelta(days=i) for i in range(1, (result.due_date - start).days + 1)]
    assert sum(cal.is_working_day(d) for d in walked) == n
    assert result.provisional == any(d.year not in loaded for d in walked)


@pytest.mark.django_db
def test_api_due_matches_contract(client):
    response = client.get("/api/v1/calendar/due", {"start": "2020-01-20", "days": "20"})
    assert response.status_code == 200
    body = response.json()
    assert body["start"] == "2020-01-20"
    assert body["days"] == 20
    assert body["due_date"] == "2020-02-25"
    assert body["provisional"] is False
    assert {"date": "2020-02-01", "kind": "holiday", "reason": "春节"} in body["skipped"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"start": "2020-13-01", "days": "20"}, 400),
        ({"start": "2020-01-20", "days": "-3"}, 400),
        ({"start": "1899-01-20", "days": "3"}, 400),
        ({"start": "2020-01-20"}, 422),
    ],
)
def test_api_due_rejects_bad_input_in_chinese(client, params, status):
    response = client.get("/api/v1/calendar/due", params)
    assert response.status_code == status
    assert any("\u4e00" <= ch <= "\u9fff" for ch in response.json()["detail"])


@pytest.mark.django_db
def test_calendar_page(client):
    response = client.get("/calendar/", {"start": "2020-01-20", "days": "20"})
    assert response.status_code == 200
    assert "2020-02-25" in response.content.decode()
    bad = client.get("/calendar/", {"start": "2020-02-30", "days": "20"})
    assert bad.status_code == 400
    assert "日期“2020-02-30”无效" in bad.content.decode()
    assert client.get("/calendar/").status_code == 200


@pytest.mark.django_db
def test_loaded_years_come_from_the_table():
    assert CalendarYear.objects.filter(region__isnull=True, year=2020).exists()
    assert not CalendarYear.objects.filter(year=2027).exists()
