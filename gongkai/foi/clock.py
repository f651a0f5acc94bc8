"""The statutory reply clock of a disclosure request, as a pure function of its events.

A request's due date is never stored: it is recomputed from the request's clock events and the
official working-day calendar (`gongkai.core.workdays`), so a corrected holiday arrangement or
a corrected event changes every dependent date at once, and every date explains itself.

Definitions (T = base_days + extension, "counted" = a working day of the calendar):

- RECEIVED on day R (Art.31 fixes which day that is): the clock starts; R itself is not
  counted (Art.33). With no other event, due = add_working_days(R, T).
- PAUSED on day P: the working days in (start, P] of the running segment are used and the
  clock stops. P itself is counted, like any day of the running segment.
- RESUMED on day Q: the days in (P, Q] are not counted and Q itself is not counted either (it
  plays the part of a new day of receipt): due = add_working_days(Q, T - used). With nothing
  remaining (used == T) the reply is due on Q itself.
- RESTARTED on day C (ends a CLARIFICATION pause only): Art.30 — the period counts from receipt
  of the corrected request, so the clock restarts at zero: due = add_working_days(C, T). The
  earlier segments stay in the result, marked superseded; an extension already granted is kept.
- EXTENDED by n on day E (once, while running, Art.33): T grows by n. When the sequence is
  closed, T is the value it had at closing; there is no event after CLOSED.
- A FEE pause stops the clock only when `fee_stops_clock` (RULES §2, a setting). Otherwise it
  is listed with counts_for_clock=False and the clock keeps running through it.
- CLOSED on day D: a running segment ends at D (days in (start, D] counted); an open pause ends
  at D. late = D > due_date. Closed while the clock was stopped with days left: due_date is
  None and late is False.
- While paused the due date is unknown (None), except when the days already used exceed T:
  then the deadline has expired and due_date is the day the T-th working day was counted, in
  an earlier segment of the current clock. The same rule gives the due date of a clock resumed
  after its period was already used up.
- `today` only feeds `days_left` = working_days_between(today, due_date) (negative when past)
  and `overdue` = today > due_date; both are None when closed or the due date is unknown.
- `pause_reason` and `answer_by` describe the open pause, if any, even a fee pause that does
  not stop the clock (then the state is "running" and the due date is known).
- `provisional` is True when any count made for the result touched a year whose holiday
  arrangement is not loaded (RULES §6).

Valid sequences (`check_next`; `compute` replays it and rejects anything else): RECEIVED first
and once; dates never go backwards (equal dates are allowed); nothing after CLOSED; PAUSED only
while running, with a PauseReason; RESUMED only while paused, but not from a CLARIFICATION
pause, which only RESTARTED or CLOSED may end (Art.30); RESTARTED only from a CLARIFICATION
pause; at most one CLARIFICATION per request, dated no later than the `clarification_window`-th
working day after receipt (Art.30); EXTENDED once, 1..max_extension days, only while running
(Art.33). `reason` is for PAUSED only and `days` for PAUSED and EXTENDED only. The sequence
rules do not depend on `fee_stops_clock`: an open fee pause is a pause for them either way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.core.exceptions import ApplicationError
from gongkai.core.workdays import Calendar, Count

# The statutory numbers are defined once, in settings (RULES §6, each overridable where a
# province's rules differ): GONGKAI_FOI_REPLY_DAYS (Art.33: reply within 20 working days of
# receipt), GONGKAI_FOI_MAX_EXTENSION_DAYS (Art.33: one extension of at most 20) and
# GONGKAI_FOI_CLARIFICATION_WINDOW_DAYS (Art.30: ask for corrections within 7). The functions
# below read them when a caller does not pass its own.


def _or_setting(value: int | None, name: str) -> int:
    return getattr(settings, name) if value is None else value


class EventKind(models.TextChoices):
    RECEIVED = "received", gettext_lazy("收到申请")
    PAUSED = "paused", gettext_lazy("计时暂停")
    RESUMED = "resumed", gettext_lazy("恢复计时")
    RESTARTED = "restarted", gettext_lazy("补正后重新计时")
    EXTENDED = "extended", gettext_lazy("延期")
    CLOSED = "closed", gettext_lazy("办结")


class PauseReason(models.TextChoices):
    CLARIFICATION = "clarification", gettext_lazy("补正")
    THIRD_PARTY = "third_party", gettext_lazy("征求第三方意见")
    OTHER_OFFICE = "other_office", gettext_lazy("征求其他机关意见")
    FEE = "fee", gettext_lazy("缴纳信息处理费")


class ClockState(models.TextChoices):
    RUNNING = "running", gettext_lazy("计时中")
    PAUSED = "paused", gettext_lazy("暂停计时")
    CLOSED = "closed", gettext_lazy("已办结")


# The legal basis quoted when a pause is explained.
PAUSE_BASIS = {
    PauseReason.CLARIFICATION: gettext_lazy("《政府信息公开条例》第三十条"),
    PauseReason.THIRD_PARTY: gettext_lazy("《政府信息公开条例》第三十二条、第三十三条"),
    PauseReason.OTHER_OFFICE: gettext_lazy("《政府信息公开条例》第三十三条、第三十四条"),
    PauseReason.FEE: gettext_lazy("国办函〔2020〕109号"),
}


@dataclass(frozen=True)
class Event:
    kind: str
    date: dt.date
    reason: str = ""  # PAUSED only: a PauseReason
    days: int = 0  # EXTENDED: working days added; PAUSED: working days given to answer (0 = none)


@dataclass(frozen=True)
class Segment:
    """A stretch of running clock.

    Ended segments count the working days in (start, end]. The open segment of a running
    clock (`running=True`) instead holds the days still to count and ends on the due date
    (end None and count None when the period was already used up).
    """

    start: dt.date
    end: dt.date | None
    days: int
    superseded: bool
    count: Count | None
    running: bool = False
    start_kind: str = EventKind.RECEIVED
    end_kind: str = ""  # EventKind.PAUSED or CLOSED; "" while running
    order: int = 0  # index of the event that started it, for the explanation's order

    def as_dict(self) -> dict:
        return {
            "start": self.start.isoformat(),
            "end": _iso(self.end),
            "days": self.days,
            "superseded": self.superseded,
            "running": self.running,
            "start_kind": str(self.start_kind),
            "end_kind": str(self.end_kind),
            "count": self.count.as_dict() if self.count is not None else None,
        }


@dataclass(frozen=True)
class Pause:
    reason: str
    start: dt.date
    end: dt.date | None  # None while open
    answer_days: int  # working days given to the other side (0 = none)
    answer_by: dt.date | None
    days_excluded: int | None  # working days in (start, end]; None while open
    counts_for_clock: bool  # False: a fee pause while fee_stops_clock is off
    days_used_before: int | None  # days used in the current clock when it stopped
    superseded: bool = False  # an earlier pause of a clock restarted after clarification
    ended_by: str = ""  # EventKind.RESUMED, RESTARTED or CLOSED; "" while open
    count: Count | None = None  # the excluded period
    answer_count: Count | None = None
    order: int = 0

    def as_dict(self) -> dict:
        return {
            "reason": str(self.reason),
            "start": self.start.isoformat(),
            "end": _iso(self.end),
            "answer_days": self.answer_days,
            "answer_by": _iso(self.answer_by),
            "days_excluded": self.days_excluded,
            "counts_for_clock": self.counts_for_clock,
            "days_used_before": self.days_used_before,
            "superseded": self.superseded,
            "ended_by": str(self.ended_by),
        }


@dataclass(frozen=True)
class Extension:
    date: dt.date
    days: int
    order: int = 0

    def as_dict(self) -> dict:
        return {"date": self.date.isoformat(), "days": self.days}


@dataclass(frozen=True)
class Restart:
    date: dt.date
    days_discarded: int  # days used before the restart, no longer counted (Art.30)
    order: int = 0

    def as_dict(self) -> dict:
        return {"date": self.date.isoformat(), "days_discarded": self.days_discarded}


@dataclass(frozen=True)
class Deadline:
    state: str  # ClockState
    received: dt.date
    due_date: dt.date | None
    base_days: int
    extension_days: int
    days_used: int | None  # current clock, up to the last pause/close; None while running
    days_remaining: int | None  # while paused: total_days - days_used (negative: expired)
    pause_reason: str  # the open pause's reason, "" when none is open
    answer_by: dt.date | None  # the open pause's answer date
    closed_on: dt.date | None
    late: bool | None  # None until closed
    days_left: int | None
    overdue: bool | None
    provisional: bool
    unloaded_years: tuple[int, ...]
    segments: tuple[Segment, ...]
    pauses: tuple[Pause, ...]
    extension: Extension | None = None
    restarts: tuple[Restart, ...] = ()
    today: dt.date | None = None
    due_count: Count | None = field(default=None, repr=False)
    fee_stops_clock: bool = True

    @property
    def total_days(self) -> int:
        return self.base_days + self.extension_days

    def explain(self) -> list[str]:
        """Chinese sentences in the order things happened, ending with the due date."""
        lines = [
            _(
                "%(date)s 收到申请（《政府信息公开条例》第三十一条）；依照第三十三条，"
                "应在 %(n)s 个工作日内答复，收到当日不计。"
            )
            % {"date": self.received, "n": self.base_days}
        ]
        steps: list[tuple[int, int, object]] = []
        steps += [(r.order, 0, r) for r in self.restarts]
        steps += [(s.order, 1, s) for s in self.segments]
        steps += [(p.order, 1, p) for p in self.pauses]
        if self.extension is not None:
            steps.append((self.extension.order, 1, self.extension))
        for _order, _rank, step in sorted(steps, key=lambda t: (t[0], t[1])):
            if isinstance(step, Segment):
                lines += _explain_segment(step)
            elif isinstance(step, Pause):
                lines.append(_explain_pause(step))
            elif isinstance(step, Extension):
                lines.append(
                    _(
                        "%(date)s 延长答复期限 %(n)s 个工作日（《政府信息公开条例》第三十三条："
                        "经政府信息公开工作机构负责人同意，并告知申请人），"
                        "办理期限共 %(total)s 个工作日。"
                    )
                    % {"date": step.date, "n": step.days, "total": self.total_days}
                )
            else:
                lines.append(
                    _(
                        "%(date)s 收到补正后的申请：依照《政府信息公开条例》第三十条，"
                        "答复期限自该日起重新计算（当日不计），此前已计的 %(n)s 个工作日不再计入。"
                    )
                    % {"date": step.date, "n": step.days_discarded}
                )
        running = next((s for s in self.segments if s.running), None)
        if self.due_count is not None and (running is None or running.count is None):
            lines.append(_("答复期限的计算："))
            lines += self.due_count.explain()
        if self.provisional:
            lines.append(
                _(
                    "本结果为暂定：%(years)s 年的节假日安排通知尚未导入，已跳过法定节假日，"
                    "但调休上班日尚不知道，导入后可能变化。"
                )
                % {"years": "、".join(str(y) for y in self.unloaded_years)}
            )
        lines.append(self._conclusion())
        return lines

    def _conclusion(self) -> str:
        due = self.due_date
        if self.state == ClockState.CLOSED:
            if due is None:
                return _(
                    "%(closed)s 办结，办结时计时处于暂停状态，本次计时已用 %(used)s 个工作日，"
                    "未超过 %(total)s 个工作日的答复期限。"
                ) % {"closed": self.closed_on, "used": self.days_used, "total": self.total_days}
            verdict = _("逾期办结") if self.late else _("按期办结")
            return _(
                "%(closed)s 办结，本次计时已用 %(used)s 个工作日；答复期限为 %(due)s，%(verdict)s。"
            ) % {"closed": self.closed_on, "used": self.days_used, "due": due, "verdict": verdict}
        if self.state == ClockState.PAUSED and due is None:
            return _(
                "目前暂停计时（%(reason)s），已用 %(used)s 个工作日，剩余 %(left)s 个工作日；"
                "答复期限在恢复计时后确定。"
            ) % {
                "reason": _label(PauseReason, self.pause_reason),
                "used": self.days_used,
                "left": self.days_remaining,
            }
        if due is None:
            return _("答复期限无法确定。")
        if self.state == ClockState.PAUSED:
            text = _("答复期限已于 %(due)s 届满（暂停前已用完 %(total)s 个工作日）。") % {
                "due": due,
                "total": self.total_days,
            }
        else:
            text = _("答复期限：%(due)s。") % {"due": due}
        if self.days_left is not None:
            if self.overdue:
                text += _("截至 %(today)s 已逾期 %(n)s 个工作日。") % {
                    "today": self.today,
                    "n": -self.days_left,
                }
            else:
                text += _("截至 %(today)s 还剩 %(n)s 个工作日。") % {
                    "today": self.today,
                    "n": self.days_left,
                }
        return text

    def as_dict(self) -> dict:
        return {
            "state": str(self.state),
            "received": self.received.isoformat(),
            "due_date": _iso(self.due_date),
            "base_days": self.base_days,
            "extension_days": self.extension_days,
            "total_days": self.total_days,
            "days_used": self.days_used,
            "days_remaining": self.days_remaining,
            "pause_reason": str(self.pause_reason),
            "answer_by": _iso(self.answer_by),
            "closed_on": _iso(self.closed_on),
            "late": self.late,
            "today": _iso(self.today),
            "days_left": self.days_left,
            "overdue": self.overdue,
            "fee_stops_clock": self.fee_stops_clock,
            "provisional": self.provisional,
            "unloaded_years": list(self.unloaded_years),
            "segments": [s.as_dict() for s in self.segments],
            "pauses": [p.as_dict() for p in self.pauses],
            "extension": self.extension.as_dict() if self.extension is not None else None,
            "restarts": [r.as_dict() for r in self.restarts],
            "explanation": self.explain(),
        }


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _label(choices: type[models.TextChoices], value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def _explain_segment(segment: Segment) -> list[str]:
    start_label = {
        EventKind.RECEIVED: _("收到申请"),
        EventKind.RESUMED: _("恢复计时"),
        EventKind.RESTARTED: _("收到补正后的申请"),
    }.get(segment.start_kind, "")
    if segment.running:
        if segment.count is None:
            return [
                _("自 %(start)s（%(label)s，当日不计）起计时，但办理期限此前已经用完。")
                % {"start": segment.start, "label": start_label}
            ]
        head = _("计时中：自 %(start)s（%(label)s，当日不计）起，还需计 %(n)s 个工作日。") % {
            "start": segment.start,
            "label": start_label,
            "n": segment.days,
        }
    else:
        end_label = _("办结") if segment.end_kind == EventKind.CLOSED else _("暂停计时")
        head = _(
            "计时段：%(start)s（%(label)s，当日不计）至 %(end)s（%(end_label)s），计 %(n)s 个工作日。"
        ) % {
            "start": segment.start,
            "label": start_label,
            "end": segment.end,
            "end_label": end_label,
            "n": segment.days,
        }
    if segment.superseded:
        head = _("【已作废：补正后重新计时】") + head
    return [head, *(segment.count.explain() if segment.count is not None else [])]


def _explain_pause(pause: Pause) -> str:
    reason = _label(PauseReason, pause.reason)
    if pause.counts_for_clock:
        text = _("%(date)s 因%(reason)s暂停计时（%(basis)s），此前已计 %(used)s 个工作日。") % {
            "date": pause.start,
            "reason": reason,
            "basis": PAUSE_BASIS.get(pause.reason, ""),
            "used": pause.days_used_before,
        }
    else:
        text = _("%(date)s 发出收费通知（%(basis)s）；依本机关设置，缴费期间不停止计时。") % {
            "date": pause.start,
            "basis": PAUSE_BASIS[PauseReason.FEE],
        }
    if pause.answer_by is not None:
        who = {
            PauseReason.CLARIFICATION: _("申请人应于 %(by)s 前补正（%(n)s 个工作日）。"),
            PauseReason.THIRD_PARTY: _("第三方应于 %(by)s 前提出意见（%(n)s 个工作日）。"),
            PauseReason.OTHER_OFFICE: _("有关机关应于 %(by)s 前提出意见（%(n)s 个工作日）。"),
            PauseReason.FEE: _("申请人应于 %(by)s 前缴纳费用（%(n)s 个工作日）。"),
        }[pause.reason]
        text += who % {"by": pause.answer_by, "n": pause.answer_days}
    if pause.end is None:
        return text
    if not pause.counts_for_clock:
        return text + _("%(end)s 缴费期间结束。") % {"end": pause.end}
    if pause.ended_by == EventKind.RESUMED:
        text += _("%(end)s 恢复计时，暂停期间的 %(n)s 个工作日不计入答复期限。")
    elif pause.ended_by == EventKind.RESTARTED:
        text += _("%(end)s 补正期间结束（历时 %(n)s 个工作日）。")
    else:
        text += _("%(end)s 办结时仍在暂停中（暂停 %(n)s 个工作日）。")
    return text % {"end": pause.end, "n": pause.days_excluded}


# --- which events may follow which -------------------------------------------------------


class _Sequence:
    """The state check_next needs, built by replaying (and validating) earlier events."""

    def __init__(self, calendar: Calendar, *, max_extension: int, clarification_window: int):
        self.calendar = calendar
        self.max_extension = max_extension
        self.clarification_window = clarification_window
        self.received: dt.date | None = None
        self.last: dt.date | None = None
        self.state = ""  # "" before RECEIVED, then a ClockState
        self.pause_reason = ""
        self.clarified = False
        self.extended = False

    def push(self, new: Event) -> None:
        self.check(new)
        self.last = new.date
        if new.kind == EventKind.RECEIVED:
            self.received, self.state = new.date, ClockState.RUNNING
        elif new.kind == EventKind.PAUSED:
            self.state, self.pause_reason = ClockState.PAUSED, new.reason
            self.clarified = self.clarified or new.reason == PauseReason.CLARIFICATION
        elif new.kind in (EventKind.RESUMED, EventKind.RESTARTED):
            self.state, self.pause_reason = ClockState.RUNNING, ""
        elif new.kind == EventKind.EXTENDED:
            self.extended = True
        else:
            self.state, self.pause_reason = ClockState.CLOSED, ""

    def check(self, new: Event) -> None:
        self._check_shape(new)
        kind = new.kind
        if not self.state:
            if kind != EventKind.RECEIVED:
                raise ApplicationError(
                    _("第一个计时事件必须是收到申请。"), code="clock_not_received"
                )
            return
        if self.state == ClockState.CLOSED:
            raise ApplicationError(_("申请已办结，不能再登记计时事件。"), code="clock_closed")
        if kind == EventKind.RECEIVED:
            raise ApplicationError(
                _("一件申请只能登记一次收到申请。"), code="clock_already_received"
            )
        if new.date < self.last:
            raise ApplicationError(
                _("计时事件的日期（%(date)s）不能早于上一个事件（%(last)s）。")
                % {"date": new.date, "last": self.last},
                code="clock_date_backwards",
            )
        if kind == EventKind.PAUSED:
            self._check_pause(new)
        elif kind == EventKind.RESUMED:
            if self.state != ClockState.PAUSED:
                raise ApplicationError(
                    _("只有在暂停计时期间才能恢复计时。"), code="clock_not_paused"
                )
            if self.pause_reason == PauseReason.CLARIFICATION:
                # Art.30: the period counts again from receipt of the corrected request.
                raise ApplicationError(
                    _(
                        "补正期间只能以“收到补正后的申请、重新计时”或办结结束，"
                        "不能恢复原计时（《政府信息公开条例》第三十条）。"
                    ),
                    code="clock_clarification_needs_restart",
                )
        elif kind == EventKind.RESTARTED:
            if self.pause_reason != PauseReason.CLARIFICATION:
                raise ApplicationError(
                    _("只有在等待补正期间才能重新计时（《政府信息公开条例》第三十条）。"),
                    code="clock_not_clarifying",
                )
        elif kind == EventKind.EXTENDED:
            self._check_extension(new)

    def _check_shape(self, new: Event) -> None:
        if not isinstance(new, Event) or new.kind not in EventKind.values:
            raise ApplicationError(
                _("未知的计时事件类型“%(kind)s”。") % {"kind": getattr(new, "kind", new)},
                code="clock_invalid_kind",
            )
        if not isinstance(new.date, dt.date) or isinstance(new.date, dt.datetime):
            raise ApplicationError(_("计时事件的日期无效。"), code="clock_invalid_date")
        if new.reason and new.kind != EventKind.PAUSED:
            raise ApplicationError(_("只有暂停计时需要注明原因。"), code="clock_unexpected_reason")
        if isinstance(new.days, bool) or not isinstance(new.days, int):
            raise ApplicationError(_("工作日天数须为整数。"), code="clock_invalid_days")
        if new.days and new.kind not in (EventKind.PAUSED, EventKind.EXTENDED):
            raise ApplicationError(
                _("只有暂停计时和延期可以填写工作日天数。"), code="clock_unexpected_days"
            )

    def _check_pause(self, new: Event) -> None:
        if self.state != ClockState.RUNNING:
            raise ApplicationError(_("只有在计时进行中才能暂停计时。"), code="clock_not_running")
        if new.reason not in PauseReason.values:
            raise ApplicationError(
                _("暂停计时须注明原因：补正、征求第三方意见、征求其他机关意见或缴纳信息处理费。"),
                code="clock_invalid_pause_reason",
            )
        limit = settings.GONGKAI_CALENDAR_MAX_DAYS
        if not 0 <= new.days <= limit:
            raise ApplicationError(
                _("答复期限须为 0 至 %(limit)s 之间的工作日天数。") % {"limit": limit},
                code="clock_invalid_days",
            )
        if new.reason == PauseReason.CLARIFICATION:
            # Art.30: one request for corrections, covering everything, within 7 working days.
            if self.clarified:
                raise ApplicationError(
                    _(
                        "补正只能要求一次，并应一次性告知需要补正的全部事项（《政府信息公开条例》第三十条）。"
                    ),
                    code="clock_clarification_repeated",
                )
            window = self.calendar.add_working_days(self.received, self.clarification_window)
            if new.date > window.due_date:
                raise ApplicationError(
                    _(
                        "应在收到申请之日起 %(n)s 个工作日内（%(last)s 前）告知补正，"
                        "%(date)s 已超过期限（《政府信息公开条例》第三十条）。"
                    )
                    % {
                        "n": self.clarification_window,
                        "last": window.due_date,
                        "date": new.date,
                    },
                    code="clock_clarification_late",
                )

    def _check_extension(self, new: Event) -> None:
        if self.extended:
            raise ApplicationError(
                _("答复期限只能延长一次（《政府信息公开条例》第三十三条）。"),
                code="clock_extension_repeated",
            )
        if self.state != ClockState.RUNNING:
            raise ApplicationError(
                _("只有在计时进行中才能延长答复期限。"), code="clock_not_running"
            )
        if not 1 <= new.days <= self.max_extension:
            raise ApplicationError(
                _("延长的期限须为 1 至 %(max)s 个工作日（《政府信息公开条例》第三十三条）。")
                % {"max": self.max_extension},
                code="clock_invalid_extension",
            )


def check_next(
    events: Sequence[Event],
    new: Event,
    calendar: Calendar,
    *,
    max_extension: int | None = None,
    clarification_window: int | None = None,
) -> None:
    """Raise ApplicationError if `new` may not follow `events` (which are validated too)."""
    max_extension = _or_setting(max_extension, "GONGKAI_FOI_MAX_EXTENSION_DAYS")
    clarification_window = _or_setting(
        clarification_window, "GONGKAI_FOI_CLARIFICATION_WINDOW_DAYS"
    )
    sequence = _Sequence(
        calendar, max_extension=max_extension, clarification_window=clarification_window
    )
    for event in events:
        sequence.push(event)
    sequence.check(new)


# --- the clock ---------------------------------------------------------------------------


def compute(
    events: Sequence[Event],
    calendar: Calendar,
    *,
    base_days: int | None = None,
    fee_stops_clock: bool = True,
    today: dt.date | None = None,
    max_extension: int | None = None,
    clarification_window: int | None = None,
) -> Deadline:
    """The deadline of a request from its clock events; see the module docstring."""
    base_days = _or_setting(base_days, "GONGKAI_FOI_REPLY_DAYS")
    max_extension = _or_setting(max_extension, "GONGKAI_FOI_MAX_EXTENSION_DAYS")
    clarification_window = _or_setting(
        clarification_window, "GONGKAI_FOI_CLARIFICATION_WINDOW_DAYS"
    )
    limit = settings.GONGKAI_CALENDAR_MAX_DAYS
    if isinstance(base_days, bool) or not isinstance(base_days, int) or not 1 <= base_days <= limit:
        raise ApplicationError(
            _("答复期限须为 1 至 %(limit)s 之间的工作日天数。") % {"limit": limit},
            code="clock_invalid_base_days",
        )
    if not events:
        raise ApplicationError(_("尚无计时事件，请先登记收到申请的日期。"), code="clock_no_events")
    sequence = _Sequence(
        calendar, max_extension=max_extension, clarification_window=clarification_window
    )
    for event in events:
        sequence.push(event)
    return _Replay(calendar, base_days, fee_stops_clock).run(events, today)


class _Replay:
    """Walk a valid event sequence once, building segments and pauses."""

    def __init__(self, calendar: Calendar, base_days: int, fee_stops_clock: bool):
        self.calendar = calendar
        self.base_days = base_days
        self.fee_stops_clock = fee_stops_clock
        self.counts: list[Count] = []
        self.segments: list[Segment] = []
        self.pauses: list[Pause] = []
        self.restarts: list[Restart] = []
        self.extension: Extension | None = None
        self.era_first_segment = 0  # index of the current clock's first segment
        self.era_first_pause = 0
        self.used = 0  # working days used by the ended segments of the current clock
        self.start: dt.date | None = None
        self.start_kind = EventKind.RECEIVED
        self.start_order = 0
        self.clock_running = False

    def _end_segment(self, end: dt.date, end_kind: str) -> None:
        count = self.calendar.working_days_between(self.start, end)
        self.counts.append(count)
        self.segments.append(
            Segment(
                self.start,
                end,
                count.days,
                False,
                count,
                start_kind=self.start_kind,
                end_kind=end_kind,
                order=self.start_order,
            )
        )
        self.used += count.days
        self.clock_running = False

    def _start_segment(self, start: dt.date, kind: str, order: int) -> None:
        self.start, self.start_kind, self.start_order = start, kind, order
        self.clock_running = True

    def _end_pause(self, end: dt.date, ended_by: str) -> Pause:
        pause = self.pauses[-1]
        count = self.calendar.working_days_between(pause.start, end)
        self.counts.append(count)
        ended = replace(pause, end=end, days_excluded=count.days, ended_by=ended_by, count=count)
        self.pauses[-1] = ended
        return ended

    def _tth_day(self, total: int) -> Count:
        """The day the `total`-th working day was counted, in the current clock's segments."""
        counted = 0
        for segment in self.segments[self.era_first_segment :]:
            if counted + segment.days >= total:
                count = self.calendar.add_working_days(segment.start, total - counted)
                self.counts.append(count)
                return count
            counted += segment.days
        raise AssertionError("the current clock has not used its period")  # pragma: no cover

    def _add(self, start: dt.date, days: int) -> Count:
        count = self.calendar.add_working_days(start, days)
        self.counts.append(count)
        return count

    def run(self, events: Sequence[Event], today: dt.date | None) -> Deadline:
        received: dt.date = events[0].date
        open_pause = False
        closed_on: dt.date | None = None
        running_at_close = False
        used_before_close = 0
        close_start: dt.date | None = None
        for order, event in enumerate(events):
            kind = event.kind
            if kind == EventKind.RECEIVED:
                self._start_segment(event.date, EventKind.RECEIVED, order)
            elif kind == EventKind.PAUSED:
                # RULES §2: whether the fee payment period stops the clock is a setting.
                stops = event.reason != PauseReason.FEE or self.fee_stops_clock
                if stops:
                    self._end_segment(event.date, EventKind.PAUSED)
                answer = self._add(event.date, event.days) if event.days else None
                self.pauses.append(
                    Pause(
                        reason=event.reason,
                        start=event.date,
                        end=None,
                        answer_days=event.days,
                        answer_by=answer.due_date if answer is not None else None,
                        days_excluded=None,
                        counts_for_clock=stops,
                        days_used_before=self.used if stops else None,
                        answer_count=answer,
                        order=order,
                    )
                )
                open_pause = True
            elif kind == EventKind.RESUMED:
                ended = self._end_pause(event.date, EventKind.RESUMED)
                open_pause = False
                if ended.counts_for_clock:
                    self._start_segment(event.date, EventKind.RESUMED, order)
            elif kind == EventKind.RESTARTED:
                # Art.30: the reply period counts from receipt of the corrected request.
                self._end_pause(event.date, EventKind.RESTARTED)
                open_pause = False
                for i in range(self.era_first_segment, len(self.segments)):
                    self.segments[i] = replace(self.segments[i], superseded=True)
                for i in range(self.era_first_pause, len(self.pauses) - 1):
                    self.pauses[i] = replace(self.pauses[i], superseded=True)
                self.restarts.append(Restart(event.date, self.used, order))
                self.era_first_segment, self.era_first_pause = len(self.segments), len(self.pauses)
                self.used = 0
                self._start_segment(event.date, EventKind.RESTARTED, order)
            elif kind == EventKind.EXTENDED:
                self.extension = Extension(event.date, event.days, order)
            else:  # CLOSED
                closed_on = event.date
                if self.clock_running:
                    running_at_close, used_before_close = True, self.used
                    close_start = self.start
                    self._end_segment(event.date, EventKind.CLOSED)
                if open_pause:
                    self._end_pause(event.date, EventKind.CLOSED)
                    open_pause = False

        extension_days = self.extension.days if self.extension is not None else 0
        total = self.base_days + extension_days
        due_count: Count | None = None
        if closed_on is not None:
            state = ClockState.CLOSED
            if running_at_close:
                left = total - used_before_close
                due_count = self._add(close_start, left) if left >= 0 else self._tth_day(total)
            elif self.used > total:
                due_count = self._tth_day(total)
        elif self.clock_running:
            state = ClockState.RUNNING
            left = total - self.used
            due_count = self._add(self.start, left) if left >= 0 else self._tth_day(total)
            self.segments.append(
                Segment(
                    self.start,
                    due_count.due_date if left >= 0 else None,
                    max(left, 0),
                    False,
                    due_count if left >= 0 else None,
                    running=True,
                    start_kind=self.start_kind,
                    order=self.start_order,
                )
            )
        else:
            state = ClockState.PAUSED
            if self.used > total:
                due_count = self._tth_day(total)
        due = due_count.due_date if due_count is not None else None

        current = self.pauses[-1] if open_pause else None
        late = (due is not None and closed_on > due) if closed_on is not None else None
        days_left = overdue = None
        if today is not None and due is not None and state != ClockState.CLOSED:
            left_count = self.calendar.working_days_between(today, due)
            self.counts.append(left_count)
            days_left, overdue = left_count.days, today > due
        unloaded = tuple(sorted({y for c in self.counts for y in c.unloaded_years}))
        return Deadline(
            state=state,
            received=received,
            due_date=due,
            base_days=self.base_days,
            extension_days=extension_days,
            days_used=None if state == ClockState.RUNNING else self.used,
            days_remaining=total - self.used if state == ClockState.PAUSED else None,
            pause_reason=current.reason if current is not None else "",
            answer_by=current.answer_by if current is not None else None,
            closed_on=closed_on,
            late=late,
            days_left=days_left,
            overdue=overdue,
            provisional=bool(unloaded),
            unloaded_years=unloaded,
            segments=tuple(self.segments),
            pauses=tuple(self.pauses),
            extension=self.extension,
            restarts=tuple(self.restarts),
            today=today,
            due_count=due_count,
            fee_stops_clock=self.fee_stops_clock,
        )
