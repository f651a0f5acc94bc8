from gongkai.core import workdays
from gongkai.core.management.base import GongkaiCommand
from gongkai.normative import selectors, services
from gongkai.orgs.permissions import CommandLine


class Command(GongkaiCommand):
    help = (
        "Apply the dated effects of normative documents: a repeal, replacement or amendment on "
        "the new document's effective date, and expiry after the last day of the period. "
        "Idempotent: run it daily (cron); a second run the same day changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="apply as of this day (YYYY-MM-DD); default today")

    def handle(self, *args, date=None, **options):
        today = workdays.parse_date(date) if date else None
        actor = CommandLine("normative-apply-effects")
        done = services.apply_effects(actor=actor, today=today)
        self.stdout.write(f"applied {done.relations} relations, {done.expired} documents expired")
        soon = selectors.expiring(user=actor, today=today).count()
        self.stdout.write(f"{soon} documents in force expire within the alert period")
