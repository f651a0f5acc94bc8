"""The reply clock (Art.30–33): known dates, every sequence rule, and properties.

Everything runs on the `chinesecalendar` package's arrangement without the database, as
core/tests/test_workdays.py does.
"""

import datetime as dt
import json

import pytest
from hypothesis import assume, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from gongkai.core.exceptions import ApplicationError
from gongkai.core.services import chinesecalendar_days
from gongkai.core.workdays import Calendar, DayInfo
from gongkai.foi.clock import (
    ClockState,
    Event,
    EventKind,
    PauseReason,
    check_next,
    compute,
)

D = dt.date
DAYS = {d.date: DayInfo(d.kind, d.name) for d in chinesecalendar_days()}
PKG = Calendar.from_days(DAYS, range(2004, 2027))

K = EventKind
R = PauseReason


def received(day):
    return Event(K.RECEIVED, day)


def paused(day, reason, days=0):
    return Event(K.PAUSED, day, reason, days)


def resumed(day):
    return Event(K.RESUMED, day)


def restarted(day):
    return Event(K.RESTARTED, day)


def extended(day, days):
    return Event(K.EXTENDED, day, days=days)


def closed(day):
    return Event(K.CLOSED, day)


def test_received_2020_01_20_is_due_2020_02_25_across_the_extended_spring_festival():
    result = compute([received(D(2020, 1, 20))], PKG)
    assert result.state == ClockState.RUNNING
    assert result.received == D(2020, 1, 20)
    assert result.due_date == D(2020, 2, 25)
    assert result.days_used is None
    assert not result.provisional
    (segment,) = result.segments
    assert segment.running and segment.days == 20 and segment.end == D(2020, 2, 25)
    lines = result.explain()
    assert any("春节" in line and "2020-02-01" in line for line in lines)
    assert "2020-02-25" in lines[-1]


def test_clarification_on_working_day_3_restarts_at_zero():
    """Art.30: the period counts from receipt of the corrected request, not from the first."""
    events = [
        received(D(2020, 3, 2)),  # Monday
        paused(D(2020, 3, 5), R.CLARIFICATION, 10),  # working day 3
    ]
    waiting = compute(events, PKG)
    assert waiting.state == ClockState.PAUSED
    assert waiting.due_date is None
    assert waiting.days_used == 3 and waiting.days_remaining == 17
    assert waiting.pause_reason == R.CLARIFICATION
    assert waiting.answer_by == D(2020, 3, 19)

    result = compute([*events, restarted(D(2020, 3, 20))], PKG)
    # 20 working days after Fri 20 March 2020, skipping Qingming (4–6 April).
    assert result.due_date == D(2020, 4, 20)
    assert result.due_date == PKG.add_working_days(D(2020, 3, 20), 20).due_date
    first, current = result.segments
    assert first.superseded and first.days == 3
    assert current.running and not current.superseded and current.start == D(2020, 3, 20)
    assert result.restarts[0].days_discarded == 3
    assert result.pauses[0].ended_by == K.RESTARTED
    assert any("第三十条" in line and "重新计算" in line for line in result.explain())
    assert any("清明节" in line for line in result.explain())


def test_third_party_pause_of_15_working_days_then_resume():
    """Art.32: the third party has 15 working days; Art.33: that time is not counted."""
    events = [received(D(2020, 3, 2)), paused(D(2020, 3, 5), R.THIRD_PARTY, 15)]
    waiting = compute(events, PKG)
    assert waiting.answer_by == D(2020, 3, 26)
    assert waiting.pauses[0].end is None and waiting.pauses[0].days_excluded is None

    result = compute([*events, resumed(D(2020, 3, 26))], PKG)
    assert result.state == ClockState.RUNNING
    assert result.due_date == D(2020, 4, 21)  # 17 days left after 26 March
    assert result.pauses[0].days_excluded == 15
    assert result.pause_reason == "" and result.answer_by is None
    span = PKG.working_days_between(D(2020, 3, 2), result.due_date).days
    assert span - 15 == 20


def test_two_pauses_in_a_row():
    events = [
        received(D(2021, 3, 1)),
        paused(D(2021, 3, 3), R.THIRD_PARTY, 15),  # 2 used
        resumed(D(2021, 3, 10)),
        paused(D(2021, 3, 12), R.OTHER_OFFICE, 15),  # 2 more used
        resumed(D(2021, 3, 19)),
    ]
    result = compute(events, PKG)
    assert [s.days for s in result.segments] == [2, 2, 16]
    assert result.due_date == PKG.add_working_days(D(2021, 3, 19), 16).due_date
    excluded = sum(p.days_excluded for p in result.pauses)
    assert excluded == 10
    assert PKG.working_days_between(D(2021, 3, 1), result.due_date).days - excluded == 20
    second_pause = compute(events[:4], PKG)
    assert second_pause.days_used == 4 and second_pause.days_remaining == 16


def test_extension_of_20_working_days():
    result = compute([received(D(2020, 1, 20)), extended(D(2020, 2, 20), 20)], PKG)
    assert result.extension_days == 20 and result.total_days == 40
    assert result.due_date == D(2020, 3, 24)
    assert any("延长答复期限 20 个工作日" in line for line in result.explain())


def test_fee_pause_stops_the_clock_only_when_the_setting_says_so():
    events = [
        received(D(2021, 3, 1)),
        paused(D(2021, 3, 4), R.FEE, 20),
        resumed(D(2021, 3, 18)),
    ]
    stopping = compute(events, PKG, fee_stops_clock=True)
    running = compute(events, PKG, fee_stops_clock=False)
    assert running.due_date == PKG.add_working_days(D(2021, 3, 1), 20).due_date == D(2021, 3, 29)
    assert stopping.due_date == PKG.add_working_days(D(2021, 3, 18), 17).due_date
    assert stopping.due_date > running.due_date
    assert stopping.pauses[0].counts_for_clock
    assert not running.pauses[0].counts_for_clock
    assert running.pauses[0].days_excluded == 10  # listed, but not taken off the clock
    assert len(running.segments) == 1

    open_fee = compute(events[:2], PKG, fee_stops_clock=False)
    assert open_fee.state == ClockState.RUNNING and open_fee.due_date == D(2021, 3, 29)
    assert open_fee.pause_reason == R.FEE and open_fee.answer_by is not None
    assert any("不停止计时" in line for line in open_fee.explain())
    assert compute(events[:2], PKG).state == ClockState.PAUSED


def test_closed_on_time_and_late():
    start = [received(D(2020, 1, 20))]
    on_time = compute([*start, closed(D(2020, 2, 25))], PKG)
    assert on_time.state == ClockState.CLOSED
    assert on_time.closed_on == D(2020, 2, 25) and on_time.due_date == D(2020, 2, 25)
    assert on_time.late is False and on_time.days_used == 20
    late = compute([*start, closed(D(2020, 2, 26))], PKG)
    assert late.late is True and late.days_used == 21
    assert "逾期办结" in late.explain()[-1]
    assert compute(start, PKG).late is None


def test_closed_while_waiting_for_clarification_is_not_late():
    result = compute(
        [
            received(D(2021, 3, 1)),
            paused(D(2021, 3, 2), R.CLARIFICATION, 10),
            closed(D(2021, 6, 1)),  # never corrected: deemed abandoned (Art.30)
        ],
        PKG,
    )
    assert result.state == ClockState.CLOSED
    assert result.due_date is None and result.late is False and result.days_used == 1
    assert result.pauses[0].ended_by == K.CLOSED


def test_pause_after_the_period_ran_out_keeps_the_expired_due_date():
    events = [received(D(2021, 3, 1)), paused(D(2021, 4, 1), R.OTHER_OFFICE)]
    result = compute(events, PKG, today=D(2021, 4, 6))
    assert result.state == ClockState.PAUSED
    assert result.due_date == D(2021, 3, 29) and result.days_remaining == -3
    assert result.overdue is True
    resumed_late = compute([*events, resumed(D(2021, 4, 20))], PKG)
    assert resumed_late.due_date == D(2021, 3, 29)
    assert compute([*events, closed(D(2021, 4, 2))], PKG).late is True


def test_days_left_and_overdue_from_today():
    events = [received(D(2020, 1, 20))]
    before = compute(events, PKG, today=D(2020, 2, 3))
    assert before.days_left == 16 and before.overdue is False
    after = compute(events, PKG, today=D(2020, 2, 27))
    assert after.days_left == -2 and after.overdue is True
    assert "逾期" in after.explain()[-1]
    assert compute(events, PKG).days_left is None


def test_provisional_when_the_year_is_not_loaded():
    days = {d: info for d, info in DAYS.items() if d.year != 2021}
    cal = Calendar.from_days(days, [y for y in range(2004, 2027) if y != 2021])
    result = compute([received(D(2020, 12, 21))], cal)
    assert result.provisional and result.unloaded_years == (2021,)
    # Weekends only in 2021: 1 January (New Year's Day) is counted.
    assert result.due_date == D(2021, 1, 18)
    assert any("暂定" in line and "2021" in line for line in result.explain())
    assert result.as_dict()["provisional"] is True
    assert not compute([received(D(2020, 12, 21))], PKG).provisional


def test_as_dict_is_json_and_carries_the_explanation():
    result = compute(
        [received(D(2020, 3, 2)), paused(D(2020, 3, 5), R.THIRD_PARTY, 15)],
        PKG,
        today=D(2020, 3, 10),
    )
    data = json.loads(json.dumps(result.as_dict(), ensure_ascii=False))
    assert data["state"] == "paused" and data["due_date"] is None
    assert data["answer_by"] == "2020-03-26" and data["received"] == "2020-03-02"
    assert data["pauses"][0]["reason"] == "third_party"
    assert data["segments"][0]["count"]["days"] == 3
    assert data["explanation"] == result.explain()


# --- the sequence rules ---------------------------------------------------------------------

R0 = D(2021, 3, 1)  # Monday; its 7th working day is 10 March
RUNNING = [received(R0)]
CLARIFYING = [received(R0), paused(D(2021, 3, 2), R.CLARIFICATION, 10)]
THIRD_PARTY = [received(R0), paused(D(2021, 3, 2), R.THIRD_PARTY, 15)]
CLOSED = [received(R0), closed(D(2021, 3, 5))]


@pytest.mark.parametrize(
    ("events", "new", "code"),
    [
        ([], paused(R0, R.THIRD_PARTY), "clock_not_received"),
        (RUNNING, received(D(2021, 3, 2)), "clock_already_received"),
        (RUNNING, paused(D(2021, 2, 26), R.THIRD_PARTY), "clock_date_backwards"),
        (CLOSED, resumed(D(2021, 3, 8)), "clock_closed"),
        (CLOSED, closed(D(2021, 3, 8)), "clock_closed"),
        (THIRD_PARTY, paused(D(2021, 3, 3), R.OTHER_OFFICE), "clock_not_running"),
        (RUNNING, resumed(D(2021, 3, 3)), "clock_not_paused"),
        (CLARIFYING, resumed(D(2021, 3, 8)), "clock_clarification_needs_restart"),
        (RUNNING, restarted(D(2021, 3, 3)), "clock_not_clarifying"),
        (THIRD_PARTY, restarted(D(2021, 3, 3)), "clock_not_clarifying"),
        (
            [*CLARIFYING, restarted(D(2021, 3, 5))],
            paused(D(2021, 3, 8), R.CLARIFICATION),
            "clock_clarification_repeated",
        ),
        (RUNNING, paused(D(2021, 3, 11), R.CLARIFICATION), "clock_clarification_late"),
        (
            [*RUNNING, extended(D(2021, 3, 2), 5)],
            extended(D(2021, 3, 3), 5),
            "clock_extension_repeated",
        ),
        (RUNNING, extended(D(2021, 3, 3), 21), "clock_invalid_extension"),
        (RUNNING, extended(D(2021, 3, 3), 0), "clock_invalid_extension"),
        (THIRD_PARTY, extended(D(2021, 3, 3), 5), "clock_not_running"),
        (RUNNING, paused(D(2021, 3, 3), "holiday"), "clock_invalid_pause_reason"),
        (RUNNING, paused(D(2021, 3, 3), ""), "clock_invalid_pause_reason"),
        (RUNNING, Event("reopened", D(2021, 3, 3)), "clock_invalid_kind"),
        (RUNNING, Event(K.CLOSED, D(2021, 3, 3), R.FEE), "clock_unexpected_reason"),
        (RUNNING, Event(K.CLOSED, D(2021, 3, 3), days=3), "clock_unexpected_days"),
        (RUNNING, paused(D(2021, 3, 3), R.FEE, -1), "clock_invalid_days"),
    ],
)
def test_check_next_rejects(events, new, code):
    with pytest.raises(ApplicationError) as exc:
        check_next(events, new, PKG)
    assert exc.value.code == code
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(exc.value.message))
    with pytest.raises(ApplicationError):
        compute([*events, new], PKG)


@pytest.mark.parametrize(
    ("events", "new"),
    [
        ([], received(R0)),
        (RUNNING, paused(D(2021, 3, 10), R.CLARIFICATION, 10)),  # the 7th working day
        (CLARIFYING, restarted(D(2021, 3, 2))),  # same day is allowed
        (CLARIFYING, closed(D(2021, 3, 30))),
        (THIRD_PARTY, resumed(D(2021, 3, 23))),
        (THIRD_PARTY, closed(D(2021, 3, 23))),
        (RUNNING, extended(D(2021, 3, 3), 20)),
        ([*THIRD_PARTY, resumed(D(2021, 3, 3))], paused(D(2021, 3, 4), R.THIRD_PARTY, 15)),
    ],
)
def test_check_next_accepts(events, new):
    check_next(events, new, PKG)
    compute([*events, new], PKG)


def test_check_next_uses_the_configured_limits():
    with pytest.raises(ApplicationError):
        check_next(RUNNING, extended(D(2021, 3, 3), 11), PKG, max_extension=10)
    check_next(RUNNING, paused(D(2021, 3, 11), R.CLARIFICATION), PKG, clarification_window=8)


def test_compute_rejects_no_events_and_bad_base_days():
    with pytest.raises(ApplicationError) as exc:
        compute([], PKG)
    assert exc.value.code == "clock_no_events"
    with pytest.raises(ApplicationError) as exc:
        compute(RUNNING, PKG, base_days=0)
    assert exc.value.code == "clock_invalid_base_days"


# --- properties ----------------------------------------------------------------------------

dates = st.dates(min_value=D(2005, 1, 1), max_value=D(2025, 6, 30))
bases = st.integers(min_value=1, max_value=30)


@given(r=dates, base=bases, ext=st.integers(min_value=0, max_value=20), gap=st.integers(0, 10))
def test_without_pauses_due_is_base_plus_extension_after_receipt(r, base, ext, gap):
    events = [received(r)]
    if ext:
        events.append(extended(r + dt.timedelta(days=gap), ext))
    result = compute(events, PKG, base_days=base)
    assert result.due_date == PKG.add_working_days(r, base + ext).due_date


@given(r=dates, base=bases, p_gap=st.integers(0, 40), q_gap=st.integers(0, 60))
def test_one_pause_removes_exactly_the_paused_working_days(r, base, p_gap, q_gap):
    p = r + dt.timedelta(days=p_gap)
    q = p + dt.timedelta(days=q_gap)
    assume(PKG.working_days_between(r, p).days <= base)
    result = compute([received(r), paused(p, R.OTHER_OFFICE), resumed(q)], PKG, base_days=base)
    between = PKG.working_days_between
    assert between(r, result.due_date).days - between(p, q).days == base


@given(
    r=dates, base=bases, p_gap=st.integers(0, 40), q_gap=st.integers(0, 40), more=st.integers(0, 30)
)
def test_a_longer_pause_never_gives_an_earlier_due_date(r, base, p_gap, q_gap, more):
    p = r + dt.timedelta(days=p_gap)
    q = p + dt.timedelta(days=q_gap)

    def due(end):
        return compute(
            [received(r), paused(p, R.THIRD_PARTY, 15), resumed(end)], PKG, base_days=base
        ).due_date

    assert due(q + dt.timedelta(days=more)) >= due(q)


steps = st.lists(
    st.tuples(
        # Weighted towards the events that keep a sequence going.
        st.sampled_from(
            [K.PAUSED] * 3 + [K.RESUMED] * 3 + [K.RESTARTED] * 2 + [K.EXTENDED, K.CLOSED]
        ),
        st.sampled_from([*PauseReason, ""]),
        st.integers(min_value=0, max_value=25),
        st.integers(min_value=0, max_value=10),
    ),
    max_size=10,
)


@hypothesis_settings(max_examples=100)
@given(r=dates, plan=steps, fee_stops=st.booleans(), today_gap=st.integers(-5, 90))
def test_any_valid_sequence_computes_and_serialises(r, plan, fee_stops, today_gap):
    """Random sequences: keep the events check_next accepts; the result is always JSON."""
    events, day = [received(r)], r
    for kind, reason, days, gap in plan:
        day += dt.timedelta(days=gap)
        new = Event(
            kind,
            day,
            reason if kind == K.PAUSED else "",
            days if kind in (K.PAUSED, K.EXTENDED) else 0,
        )
        try:
            check_next(events, new, PKG)
        except ApplicationError:
            continue
        events.append(new)
    result = compute(events, PKG, fee_stops_clock=fee_stops, today=r + dt.timedelta(today_gap))
    data = json.loads(json.dumps(result.as_dict(), ensure_ascii=False))
    assert data["explanation"] and data["received"] == r.isoformat()
    assert (result.state == ClockState.CLOSED) == (events[-1].kind == K.CLOSED)
    if result.state == ClockState.RUNNING:
        assert result.due_date is not None
        # Art.30/33: from the current start, the due date is total_days counted working days
        # plus exactly the working days of the pauses that stopped the clock.
        if result.segments[-1].count is not None:
            start = result.restarts[-1].date if result.restarts else r
            stopped = sum(
                p.days_excluded
                for p in result.pauses
                if p.counts_for_clock and p.start >= start and not p.superseded
            )
            span = PKG.working_days_between(start, result.due_date).days
            assert span - stopped == result.total_days
    if result.due_date is not None and result.state == ClockState.CLOSED:
        assert result.late == (result.closed_on > result.due_date)
