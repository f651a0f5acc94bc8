"""Scheduled jobs without cron: one declared schedule, run by APScheduler, one runner at a time.

The schedule is data (`gongkai.core.schedule.JOBS`): each job names a management command, its
arguments and a crontab in Asia/Shanghai. `gongkai scheduler` runs it — started by
`gongkai serve` for the embedded default, or as its own process (the systemd unit in
`deploy/`). APScheduler keeps the time; gongkai keeps the record of every run (`JobRun`), and
from that record a job whose last run is older than its last scheduled time (the server was
down) runs once when the scheduler starts. Every job is an idempotent command, so a run too
many does no harm and a run too few is caught up.

Only one scheduler runs per database: on PostgreSQL a session advisory lock, held on a
connection of its own; on SQLite a lock file beside the database (one machine by nature).
A second scheduler (a second `serve`, a systemd unit beside a `serve`) waits as a standby and
takes over when the first one stops.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import io
import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from django.conf import settings
from django.core.management import call_command
from django.db import close_old_connections, connection
from django.utils import timezone

from .models import JobRun

log = logging.getLogger("gongkai.scheduler")

OUTPUT_TAIL = 4000
# Any 63-bit number the rest of the system never uses as an advisory lock key.
ADVISORY_KEY = 0x67_6B_73_63_68  # "gksch"


@dataclass(frozen=True)
class Job:
    name: str  # as people type it: "foi-check-deadlines"
    command: str  # the management command
    cron: str  # minute hour day month weekday, Asia/Shanghai
    description: object  # a (lazy) Chinese sentence
    args: tuple[str, ...] = ()

    def trigger(self) -> CronTrigger:
        return CronTrigger.from_crontab(self.cron, timezone=settings.TIME_ZONE)

    def next_after(self, moment: dt.datetime) -> dt.datetime | None:
        return self.trigger().get_next_fire_time(None, moment)


def last_runs(names: Iterable[str]) -> dict[str, JobRun]:
    """The latest run of each job (one query per job on an index: a handful of jobs)."""
    found = {}
    for name in names:
        run = JobRun.objects.filter(job=name).order_by("-started_at", "-id").first()
        if run is not None:
            found[name] = run
    return found


def missed(job: Job, last: JobRun | None, now: dt.datetime) -> bool:
    """Whether a scheduled time of `job` passed since its last run started (or it never ran)."""
    if last is None:
        return True
    upcoming = job.next_after(last.started_at)
    return upcoming is not None and upcoming <= now


def run(job: Job, *, trigger: str = "schedule") -> JobRun:
    """Run one job now and record how it went; a failure is recorded, never raised."""
    record = JobRun.objects.create(job=job.name, started_at=timezone.now(), trigger=trigger)
    out = io.StringIO()
    try:
        call_command(job.command, *job.args, stdout=out, stderr=out)
    except (Exception, SystemExit) as exc:  # a job's failure must not stop the scheduler
        record.ok, record.error = False, f"{type(exc).__name__}: {exc}"[:2000]
        log.exception("scheduled job %s failed", job.name)
    else:
        record.ok = True
        log.info("scheduled job %s done", job.name)
    record.finished_at = timezone.now()
    record.output = out.getvalue()[-OUTPUT_TAIL:]
    record.save(update_fields=["ok", "error", "finished_at", "output"])
    return record


def _scheduled(job: Job) -> None:
    """A run on APScheduler's thread: fresh database connections around it, as a request has."""
    close_old_connections()
    try:
        run(job)
    finally:
        close_old_connections()


def catch_up(jobs: Iterable[Job], *, now: dt.datetime | None = None) -> list[JobRun]:
    """Run once each job that missed a scheduled time while no scheduler ran."""
    now = now or timezone.now()
    jobs = list(jobs)
    last = last_runs(j.name for j in jobs)
    return [run(j, trigger="catch-up") for j in jobs if missed(j, last.get(j.name), now)]


class Lock:
    """The one-scheduler lock: a PostgreSQL advisory lock or a lock file (SQLite)."""

    def __init__(self):
        self._conn = None
        self._file = None

    def acquire(self) -> bool:
        if connection.vendor == "postgresql":
            import psycopg

            params = connection.get_connection_params()
            params.pop("cursor_factory", None)
            params.pop("context", None)
            self._conn = psycopg.connect(autocommit=True, **params)
            got = self._conn.execute("SELECT pg_try_advisory_lock(%s)", [ADVISORY_KEY]).fetchone()
            if not got[0]:
                self._conn.close()
                self._conn = None
            return bool(got[0])
        path = settings.VAR_DIR / "scheduler.lock"
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file = open(path, "a")  # noqa: SIM115 - held open for as long as the lock
        try:
            fcntl.flock(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self._file.close()
            self._file = None
            return False
        return True

    def release(self) -> None:
        if self._conn is not None:
            self._conn.close()  # the session's advisory lock goes with it
            self._conn = None
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None


class Scheduler:
    """Catch up, then run the jobs on their schedule until `stop()`."""

    def __init__(self, jobs: Iterable[Job]):
        self.jobs = list(jobs)
        self._aps = BackgroundScheduler(timezone=settings.TIME_ZONE)
        self._stopped = threading.Event()

    def start(self) -> None:
        catch_up(self.jobs)
        for job in self.jobs:
            self._aps.add_job(
                _scheduled,
                job.trigger(),
                args=[job],
                id=job.name,
                name=job.name,
                coalesce=True,  # several missed times while busy: one run
                max_instances=1,
                misfire_grace_time=3600,
            )
        self._aps.start()

    def next_runs(self) -> dict[str, dt.datetime | None]:
        return {j.id: j.next_run_time for j in self._aps.get_jobs()}

    def stop(self) -> None:
        if self._aps.running:
            self._aps.shutdown(wait=True)
        self._stopped.set()

    def wait(self, timeout: float | None = None) -> bool:
        return self._stopped.wait(timeout)
