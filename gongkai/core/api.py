import datetime as dt

from ninja import Router, Schema

from . import workdays

router = Router(tags=["calendar"])


class SkippedOut(Schema):
    date: dt.date
    kind: str
    reason: str


class MakeupOut(Schema):
    date: dt.date
    name: str


class DueOut(Schema):
    start: dt.date
    days: int
    due_date: dt.date
    provisional: bool
    unloaded_years: list[int]
    skipped: list[SkippedOut]
    makeup_workdays: list[MakeupOut]
    explanation: list[str]


@router.get(
    "/due", response=DueOut, summary="The DAYS-th working day after START (START not counted)"
)
def due(request, start: str, days: str):
    # Parsed by workdays, not by pydantic, so that bad input gets the same Chinese message as
    # on the calendar page and the CLI.
    result = workdays.add_working_days(workdays.parse_date(start), workdays.parse_days(days))
    return result.as_dict() | {"explanation": result.explain()}
