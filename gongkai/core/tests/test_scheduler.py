"""Scheduled jobs: the declared schedule, catch-up of missed runs, the record of every run, one
scheduler per database, and the `gongkai jobs` / `gongkai scheduler` commands."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from apscheduler.triggers.interval import IntervalTrigger
from django.core.management import get_commands
from django.utils import timezone

from gongkai.core import scheduler
from gongkai.core.models import JobRun
from gongkai.core.schedule import JOBS
from gongkai.core.scheduler import Job

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAILY = Job("daily-test", "check", "0 6 * * *", "每日测试")


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SHANGHAI)


def test_every_declared_job_names_a_command_and_a_valid_schedule():
    commands = get_commands()
    assert len({j.name for j in JOBS}) == len(JOBS)
    for job in JOBS:
        assert job.command in commands, job.name
        assert job.next_after(timezone.now()) is not None
        assert str(job.description)


def _ran(job, started):
    return JobRun(job=job.name, started_at=started, ok=True, trigger="schedule")


def test_missed_runs_are_known_from_the_record():
    """A daily 06:00 job: never run → due; ran 06:00 today → not due until tomorrow 06:00;
    last ran yesterday (the server was down at 06:00 today) → due once."""
    now = at(2026, 3, 2, 9, 30)
    assert scheduler.missed(DAILY, None, now)
    assert not scheduler.missed(DAILY, _ran(DAILY, at(2026, 3, 2, 6, 0, 1)), now)
    assert scheduler.missed(DAILY, _ran(DAILY, at(2026, 3, 1, 6, 0, 1)), now)
    # Down for a week: still one run, not seven.
    assert scheduler.missed(DAILY, _ran(DAILY, at(2026, 2, 23, 6)), now)


@pytest.mark.django_db
def test_run_records_success_and_failure_without_raising():
    ok = scheduler.run(DAILY, trigger="manual")
    assert ok.ok is True and ok.finished_at >= ok.started_at and "no issues" in ok.output
    broken = scheduler.run(Job("broken", "no_such_command", "0 6 * * *", "坏任务"))
    assert broken.ok is False and "no_such_command" in broken.error
    assert JobRun.objects.filter(job="broken", ok=False).count() == 1


@pytest.mark.django_db
def test_catch_up_runs_each_missed_job_once():
    other = Job("other-test", "check", "0 7 * * *", "另一个")
    JobRun.objects.create(job=other.name, started_at=timezone.now(), ok=True, trigger="schedule")
    done = scheduler.catch_up([DAILY, other])
    assert [r.job for r in done] == [DAILY.name]
    assert scheduler.catch_up([DAILY, other]) == []  # nothing missed any more


@pytest.mark.django_db
def test_only_one_scheduler_holds_the_lock():
    first, second = scheduler.Lock(), scheduler.Lock()
    assert first.acquire()
    try:
        assert not second.acquire()
    finally:
        first.release()
    assert second.acquire()
    second.release()


@dataclass(frozen=True)
class EverySecond(Job):
    def trigger(self):
        return IntervalTrigger(seconds=1)


@pytest.mark.django_db(transaction=True)
def test_the_scheduler_runs_jobs_on_their_schedule():
    """APScheduler fires the job on its trigger; each run leaves its record."""
    job = EverySecond("tick", "check", "* * * * *", "每秒")
    JobRun.objects.create(job=job.name, started_at=timezone.now(), ok=True, trigger="schedule")
    runner = scheduler.Scheduler([job])
    runner.start()
    try:
        deadline = time.monotonic() + 8
        while JobRun.objects.filter(job="tick").count() < 3 and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        runner.stop()
    assert JobRun.objects.filter(job="tick", ok=True).count() >= 3


@pytest.mark.django_db
def test_jobs_command_lists_and_runs(run_cli):
    code, out, _err = run_cli("jobs", "--json")
    rows = json.loads(out)
    assert code == 0 and [r["name"] for r in rows] == [j.name for j in JOBS]
    assert all(r["next_run_at"] and r["last_started_at"] is None for r in rows)
    code, out, _err = run_cli("jobs", "--run", "concern-alerts")
    assert code == 0 and "concern-alerts: ok" in out
    rows = {r["name"]: r for r in json.loads(run_cli("jobs", "--json")[1])}
    assert rows["concern-alerts"]["last_ok"] is True
    assert run_cli("jobs", "--run", "nope")[0] == 2


@pytest.mark.django_db
def test_scheduler_refuses_a_bad_parent(run_cli):
    assert run_cli("scheduler", "--parent", "1")[0] == 2


@pytest.mark.django_db
def test_scheduler_command_stops_when_its_parent_is_gone(run_cli, monkeypatch):
    """Started by `serve` with --parent: it stops by itself when the server does."""
    import os

    monkeypatch.setattr(scheduler, "catch_up", lambda jobs, now=None: [])
    parent = os.getppid() + 1 if os.getppid() + 1 != os.getpid() else os.getppid() + 2
    result = {}
    thread = threading.Thread(
        target=lambda: result.setdefault("r", run_cli("scheduler", "--parent", str(parent)))
    )
    thread.start()
    thread.join(10)
    assert not thread.is_alive() and result["r"][0] == 0


@pytest.mark.django_db
def test_jobs_page_is_for_administrators(client, make_staff, django_assert_max_num_queries):
    from gongkai.orgs.models import Membership

    admin = make_staff("示范市人民政府", Membership.Role.ADMINISTRATOR)
    publisher = make_staff("示范市教育局", Membership.Role.PUBLISHER)
    scheduler.run(DAILY, trigger="manual")
    client.force_login(publisher)
    assert client.get("/workbench/jobs/").status_code == 403
    client.force_login(admin)
    with django_assert_max_num_queries(6 + len(JOBS)):
        response = client.get("/workbench/jobs/")
    body = response.content.decode()
    assert response.status_code == 200
    assert all(f'data-testid="job-{j.name}"' in body for j in JOBS)
