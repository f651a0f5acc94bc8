import ipaddress
import os
import socket
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

    def handle(self, *args, hosts, port, workers, **options):
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
        self.stdout.flush()
        os.execv(sys.executable, argv)  # noqa: S606 - replace this process with the server
