from django.core.management.base import BaseCommand, CommandError

from gongkai.core.exceptions import ApplicationError


class GongkaiCommand(BaseCommand):
    """A command whose domain errors print a clear message and exit with code 2."""

    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except ApplicationError as exc:
            raise CommandError(str(exc.message), returncode=2) from exc
