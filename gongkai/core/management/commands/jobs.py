import json

from django.core.management.base import CommandError
from django.utils import timezone

from gongkai.core.management.base import GongkaiCommand
from gongkai.core.schedule import JOBS, job_rows
from gongkai.core.scheduler import run


class Command(GongkaiCommand):
    help = "List the scheduled jobs with their last run, result and next run; or run one now."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print JSON")
        parser.add_argument("--run", metavar="JOB", help="run this job now and record it")

    def handle(self, *args, json=False, run=None, **options):
        if run is not None:
            return self._run(run)
        rows = job_rows()
        if json:
            self.stdout.write(_dumps(rows))
            return
        for r in rows:
            started = r["last_started_at"]
            result = "ok" if r["last_ok"] else "running" if r["last_ok"] is None else "FAILED"
            last = "never" if started is None else f"{_local(started)} {result}"
            upcoming = _local(r["next_run_at"]) if r["next_run_at"] else "-"
            self.stdout.write(f"{r['name']:<26} {r['cron']:<14} last {last:<24} next {upcoming}")

    def _run(self, name):
        job = next((j for j in JOBS if j.name == name.strip()), None)
        if job is None:
            raise CommandError(
                f"没有这个定时任务 / no such job: {name!r} "
                f"(one of: {', '.join(j.name for j in JOBS)})",
                returncode=2,
            )
        record = run(job, trigger="manual")
        self.stdout.write(record.output)
        if not record.ok:
            raise CommandError(f"任务失败 / job failed: {record.error}", returncode=1)
        self.stdout.write(f"{job.name}: ok")


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _dumps(rows):
    return json.dumps(rows, ensure_ascii=False, indent=1, default=lambda v: v.isoformat())
