import ipaddress
import os
import socket
import subprocess
import sys

from django.conf import settings
from django.core.management.base import CommandError

from gongkai.core.management.base import GongkaiCommand


def ipv6_loopback_available() -> bool:
    if not socket.has_ipv6:
        return False
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as s:
            s.bind(("::1", 0))
        return True
    except OSError:
        return False


def check_port(port: int) -> None:
    if not 0 < port < 65536:
        raise CommandError(f"端口无效 / invalid port: {port}", returncode=2)


def gunicorn_argv(hosts: list[str], port: int, workers: int) -> list[str]:
    binds = []
    for host in hosts:
        if host == "::1" and not ipv6_loopback_available():
            sys.stderr.write(
                "IPv6 loopback ::1 is not available on this machine; serving IPv4 only.\n"
            )
            continue
        binds += ["--bind", f"[{host}]:{port}" if ":" in host else f"{host}:{port}"]
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "gongkai.config.wsgi:application",
        *binds,
        "--workers",
        str(workers),
        "--threads",
        "4",
        "--access-logfile",
        "-",
        "--forwarded-allow-ips",
        os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1"),
    ]


def start_scheduler() -> subprocess.Popen:
    """`gongkai scheduler` as a child that ends with this process (which becomes gunicorn's
    master through exec, keeping its pid). A second `serve` starts a standby, not a second
    runner: the scheduler holds a lock."""
    return subprocess.Popen(  # noqa: S603 - our own interpreter and module, fixed arguments
        [
            sys.executable,
            "-c",
            "from gongkai.cli import main; main()",
            "scheduler",
            "--parent",
            str(os.getpid()),
        ],
        stdin=subprocess.DEVNULL,
    )


class Command(GongkaiCommand):
    help = "Serve the portal and workbench with gunicorn (default on 127.0.0.1 and [::1])."

    def add_arguments(self, parser):
        parser.add_argument(
            "--host",
            action="append",
            dest="hosts",
            metavar="ADDRESS",
            help="address to listen on; repeat for several (default: 127.0.0.1 and ::1)",
        )
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument(
            "--no-scheduler",
            action="store_true",
            help="do not start the scheduled jobs beside the server (run `gongkai scheduler` "
            "as its own service instead)",
        )

    def handle(self, *args, hosts, port, workers, no_scheduler=False, **options):
        check_port(port)
        if workers < 1:
            raise CommandError(
                f"进程数须至少为 1 / --workers must be at least 1: {workers}", returncode=2
            )
        for host in hosts or []:
            try:
                ipaddress.ip_address(host)
            except ValueError:
                if host != "localhost":
                    raise CommandError(
                        f"地址无效 / invalid address: {host}", returncode=2
                    ) from None
        argv = gunicorn_argv(hosts or ["127.0.0.1", "::1"], port, workers)
        shown = ", ".join(argv[i + 1] for i, a in enumerate(argv) if a == "--bind")
        self.stdout.write(f"Serving {settings.GONGKAI_SITE_NAME} on {shown} (Ctrl-C to stop)")
        if not no_scheduler:
            start_scheduler()
            self.stdout.write("Scheduled jobs: running beside the server (gongkai jobs lists them)")
        self.stdout.flush()
        os.execv(sys.executable, argv)  # noqa: S606 - replace this process with the server
