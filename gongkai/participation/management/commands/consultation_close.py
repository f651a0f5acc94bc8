from django.core.management.base import CommandError

from gongkai.core import workdays
from gongkai.core.exceptions import ApplicationError
from gongkai.core.management.base import GongkaiCommand
from gongkai.participation.services.consultations import consultations_close_due


class Command(GongkaiCommand):
    help = (
        "Close every open consultation whose comment period has ended and set the date its "
        "feedback is due; idempotent (run it daily)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="the day to run as (YYYY-MM-DD); default today")

    def handle(self, *args, date=None, **options):
        try:
            on = workdays.parse_date(date) if date else None
        except ApplicationError as error:
            raise CommandError(str(error.message), returncode=2) from error
        closed = consultations_close_due(on=on)
        for c in closed:
            self.stdout.write(f"closed: {c.pk} {c.title} (feedback due {c.feedback_due_on})")
        self.stdout.write(f"{len(closed)} consultations closed")
