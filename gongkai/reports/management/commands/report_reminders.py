from django.core.management.base import CommandError

from gongkai.core import workdays
from gongkai.core.exceptions import ApplicationError
from gongkai.core.management.base import GongkaiCommand
from gongkai.reports.services import check_report_deadlines


class Command(GongkaiCommand):
    help = (
        "Remind organisations whose annual report is not yet published as its due date nears, "
        "and record the late ones; idempotent (run it daily)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="the day to check as (YYYY-MM-DD); default today")

    def handle(self, *args, date=None, **options):
        try:
            on = workdays.parse_date(date) if date else None
        except ApplicationError as error:
            raise CommandError(str(error.message), returncode=2) from error
        notices = check_report_deadlines(on=on)
        for name, kind in notices:
            self.stdout.write(f"{kind}: {name}")
        self.stdout.write(f"{len(notices)} new reminders or overdue notices")
