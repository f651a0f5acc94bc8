import datetime as dt

from gongkai.core import workdays
from gongkai.core.management.base import GongkaiCommand
from gongkai.supervision.services import check_reminders


class Command(GongkaiCommand):
    help = (
        "Remind assigned organisations 5 working days before a work-plan task's deadline and "
        "record overdue tasks (idempotent: run it as often as you like, e.g. daily from cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="check as of this day (YYYY-MM-DD); default today")

    def handle(self, *args, date=None, **options):
        on: dt.date | None = workdays.parse_date(date) if date else None
        result = check_reminders(on=on)
        for task, kind, org in result.notices:
            self.stdout.write(f"{task}\t{kind}\t{org}")
        self.stdout.write(
            f"checked {result.checked} open tasks: {result.reminders} new reminders, "
            f"{result.overdue} overdue"
        )
