import time

from gongkai.core.management.base import GongkaiCommand
from gongkai.search.services import reindex


class Command(GongkaiCommand):
    help = "Rebuild the full-text index from the published documents (in one transaction)."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=1000)
        parser.add_argument("--quiet", action="store_true", help="no progress lines")

    def handle(self, *args, batch_size, quiet, **options):
        started = time.perf_counter()

        def progress(done, total):
            if not quiet and (done == total or done % (batch_size * 20) == 0):
                self.stderr.write(f"  {done}/{total}")

        done = reindex(batch_size=max(1, batch_size), progress=progress)
        seconds = time.perf_counter() - started
        rate = done / seconds if seconds else 0
        self.stdout.write(f"indexed {done} published documents in {seconds:.1f} s ({rate:.0f}/s)")
