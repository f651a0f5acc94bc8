from gongkai.core.management.base import GongkaiCommand
from gongkai.search.selectors import search_index_status
from gongkai.search.services import search_index_use


class Command(GongkaiCommand):
    help = (
        "PostgreSQL: show the full-text index (GIN or rum), or build the one named by --use "
        "(default: GONGKAI_SEARCH_INDEX) beside the old one and drop the old, concurrently."
    )

    def add_arguments(self, parser):
        parser.add_argument("--use", choices=["gin", "rum"], help="the index to build and keep")
        parser.add_argument("--status", action="store_true", help="only show what is in use")

    def handle(self, *args, use, status, **options):
        if not status:
            search_index_use(use, log=lambda message: self.stderr.write(f"  {message}"))
        found = search_index_status()
        if found is None:
            self.stdout.write("SQLite: the index is FTS5 (nothing to choose)")
            return
        indexes = ", ".join(
            f"{method}{'' if valid else ' (invalid)'}" for method, valid in found["indexes"].items()
        )
        self.stdout.write(
            f"index: {indexes or 'none'}; configured: {found['configured']}; "
            f"rum extension available: {'yes' if found['rum_available'] else 'no'}"
        )
