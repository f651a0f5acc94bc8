import time

from gongkai.core.management.base import GongkaiCommand
from gongkai.documents.seed import documents_seed


class Command(GongkaiCommand):
    help = (
        "Generate N realistic published documents across the region's organisations, indexed "
        "for search (load the demo region first: gongkai demo --no-serve)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--documents", type=int, required=True, metavar="N")
        parser.add_argument("--seed", type=int, default=2026, help="random seed (repeatable runs)")
        parser.add_argument("--batch-size", type=int, default=5000)

    def handle(self, *args, documents, seed, batch_size, **options):
        started = time.perf_counter()
        every = max(batch_size, documents // 20)

        def progress(done, total):
            if done == total or done % every < batch_size:
                rate = done / (time.perf_counter() - started)
                self.stderr.write(f"  {done}/{total} ({rate:.0f}/s)")

        made = documents_seed(
            count=documents, seed=seed, batch_size=max(1, batch_size), progress=progress
        )
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"created and indexed {made} documents in {seconds:.1f} s ({made / seconds:.0f}/s)"
        )
