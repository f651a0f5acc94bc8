"""Each kind of request lands exactly where the national format puts it (issue 15), and
section 三 recomputed independently, in plain Python over the rows, agrees with the report."""

import datetime as dt
import itertools

from gongkai.foi.models import Request
from gongkai.foi.seed import requests_seed
from gongkai.orgs.models import Org
from gongkai.reports.compute import COLUMNS, annual_report

numbers = itertools.count(1)
YEAR = 2025


def _request(org, *, received, closed=None, outcome="", kind="natural_person", status="assigned"):
    return Request.objects.create(
        org=org, number=f"SCN-{next(numbers)}", submitted_on=received, received_date=received,
        name="申请人", description="情形测试", applicant_kind=kind, closed_on=closed,
        outcome=outcome, status=status,
    )  # fmt: skip


def test_each_case_where_the_format_says(org):
    edu = org("示范市教育局")
    d = dt.date
    _request(edu, received=d(2025, 3, 1), closed=d(2025, 3, 9), outcome="other",
             status="withdrawn")  # withdrawn → 三(六)3  # fmt: skip
    _request(edu, received=d(2025, 4, 1), closed=d(2025, 4, 20), outcome="unavailable_not_held",
             kind="company", status="delivered")  # transferred: not held here → 三(四)1  # fmt: skip
    _request(edu, received=d(2025, 5, 1), closed=d(2025, 5, 30),
             outcome="other_clarification_lapsed", status="abandoned")  # → 三(六)1  # fmt: skip
    _request(edu, received=d(2025, 12, 1))  # extended across 31 December: open → 四
    _request(edu, received=d(2024, 12, 20), closed=d(2025, 1, 15), outcome="disclosed",
             kind="research", status="archived")  # carried in → 二 and 三(一)  # fmt: skip
    rows = annual_report(org=edu, year=YEAR).section3
    assert rows["一"]["总计"] == 4 and rows["二"]["科研机构"] == 1
    assert rows["三(六)3"]["自然人"] == 1 and rows["三(六)1"]["自然人"] == 1
    assert rows["三(六)"]["自然人"] == 2
    assert rows["三(四)1"]["商业企业"] == 1 and rows["三(四)"]["总计"] == 1
    assert rows["三(一)"]["科研机构"] == 1
    assert rows["三(七)"]["总计"] == 4 and rows["四"]["总计"] == 1
    nxt = annual_report(org=edu, year=YEAR + 1).section3
    assert nxt["二"]["总计"] == 1  # the open one is carried into 2026


def _independent(org: Org, year: int) -> dict:
    """Section 三's 一, 二, 三(七), 四 and per-outcome counts, from the rows, in plain Python."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    names = dict(zip(["natural_person", "company", "research", "nonprofit", "legal_service",
                      "other"], COLUMNS[:6], strict=True))  # fmt: skip
    out = {"一": {}, "二": {}, "三(七)": {}, "四": {}, "outcomes": {}}
    for r in Request.objects.filter(org=org):
        col = names[r.applicant_kind]
        if start <= r.received_date <= end:
            out["一"][col] = out["一"].get(col, 0) + 1
        if r.received_date < start and (r.closed_on is None or r.closed_on >= start):
            out["二"][col] = out["二"].get(col, 0) + 1
        if r.closed_on and start <= r.closed_on <= end:
            out["三(七)"][col] = out["三(七)"].get(col, 0) + 1
            out["outcomes"][r.outcome] = out["outcomes"].get(r.outcome, 0) + 1
        if r.received_date <= end and (r.closed_on is None or r.closed_on > end):
            out["四"][col] = out["四"].get(col, 0) + 1
    return out


def test_an_independent_recount_agrees(db):
    requests_seed(2000, seed=11)
    from gongkai.foi.outcomes import Outcome
    from gongkai.reports.compute import _leaf

    year = dt.date.today().year - 1
    for org in Org.objects.filter(pk__in=Request.objects.values("org"))[:12]:
        rows = annual_report(org=org, year=year).section3
        mine = _independent(org, year)
        for key in ("一", "二", "三(七)", "四"):
            for column in COLUMNS[:6]:
                assert rows[key][column] == mine[key].get(column, 0), (org, key, column)
        for outcome in Outcome.values:
            assert rows[_leaf(outcome)]["总计"] >= mine["outcomes"].get(outcome, 0)
            if _leaf(outcome)[-1].isdigit():
                assert rows[_leaf(outcome)]["总计"] == mine["outcomes"].get(outcome, 0)
