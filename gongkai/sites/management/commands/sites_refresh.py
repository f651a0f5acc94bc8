from gongkai.core.management.base import GongkaiCommand
from gongkai.orgs.permissions import CommandLine
from gongkai.sites.services import feeds_refresh


class Command(GongkaiCommand):
    help = (
        "Read the RSS/Atom feed of every active website or new-media account that has one and "
        "record its last update; unreachable feeds are recorded as unknown (run daily)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--timeout", type=float, default=10.0, help="seconds per feed, in all (default 10)"
        )
        parser.add_argument("--workers", type=int, default=4, help="feeds read at once (default 4)")

    def handle(self, *args, timeout, workers, **options):
        done = feeds_refresh(actor=CommandLine("sites-refresh"), timeout=timeout, workers=workers)
        unknown = 0
        for entry, result in done:
            if result.state == "ok":
                when = result.newest.isoformat(timespec="minutes")
                self.stdout.write(f"{entry.pk}\tok\t{when}\t{entry.name}")
            else:
                unknown += 1
                self.stdout.write(f"{entry.pk}\tunknown\t{result.problem}\t{entry.name}")
        self.stdout.write(f"{len(done)} feeds read, {unknown} unknown")
