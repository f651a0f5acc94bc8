import os
import signal
import threading
import time

from django.core.management.base import CommandError

from gongkai.core.management.base import GongkaiCommand
from gongkai.core.schedule import JOBS
from gongkai.core.scheduler import Lock, Scheduler

STANDBY_RETRY_SECONDS = 15


class Command(GongkaiCommand):
    help = (
        "Run the scheduled jobs (gongkai/config/schedule.py) until stopped: missed runs once at "
        "start, then each on its schedule. One scheduler per database; a second one waits as a "
        "standby. `gongkai serve` starts one; in production run it as its own service."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--parent",
            type=int,
            metavar="PID",
            help="stop when this process ends (how `gongkai serve` starts it)",
        )

    def handle(self, *args, parent=None, **options):
        if parent is not None and parent <= 1:
            raise CommandError(f"进程号无效 / invalid --parent: {parent}", returncode=2)
        stopping = []
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))

        def alive() -> bool:
            return not stopping and (parent is None or os.getppid() == parent)

        lock = Lock()
        try:
            while not lock.acquire():
                if not alive():
                    return
                self.stdout.write("another scheduler is running; standing by")
                self.stdout.flush()
                for _ in range(STANDBY_RETRY_SECONDS):
                    if not alive():
                        return
                    time.sleep(1)
            scheduler = Scheduler(JOBS)
            scheduler.start()
            self.stdout.write(f"scheduler running {len(JOBS)} jobs (Ctrl-C to stop)")
            self.stdout.flush()
            try:
                while alive():
                    time.sleep(1)
            except KeyboardInterrupt:
                pass
            finally:
                scheduler.stop()
        finally:
            lock.release()
