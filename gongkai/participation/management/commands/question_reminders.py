from django.core.management.base import CommandError

from gongkai.core import workdays
from gongkai.core.exceptions import ApplicationError
from gongkai.core.management.base import GongkaiCommand
from gongkai.participation.services.questions import question_reminders


class Command(GongkaiCommand):
    help = (
        "Remind the organisations of questions nearing their answer deadline and record the "
        "overdue ones; idempotent (run it daily)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="the day to check as (YYYY-MM-DD); default today")

    def handle(self, *args, date=None, **options):
        try:
            on = workdays.parse_date(date) if date else None
        except ApplicationError as error:
            raise CommandError(str(error.message), returncode=2) from error
        sent = question_reminders(on=on)
        for number, kind in sent:
            self.stdout.write(f"{kind}: {number}")
        self.stdout.write(f"{len(sent)} new reminders or overdue notices")
