import datetime as dt

from gongkai.core import workdays
from gongkai.core.management.base import GongkaiCommand
from gongkai.foi.services import check_deadlines


class Command(GongkaiCommand):
    help = (
        "Remind handlers 5 and 1 working days before a disclosure request is due and record "
        "overdue requests (idempotent: run it as often as you like, e.g. hourly from cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="check as of this day (YYYY-MM-DD); default today")

    def handle(self, *args, date=None, **options):
        on: dt.date | None = workdays.parse_date(date) if date else None
        result = check_deadlines(on=on)
        for number, kind, recipient in result.notices:
            self.stdout.write(f"{number}\t{kind}\t{recipient}")
        self.stdout.write(
            f"checked {result.checked} running requests: {result.reminders} new reminders, "
            f"{result.overdue} overdue"
        )
