import getpass
import os
import sys

from django.core.management.base import CommandError

from gongkai.core.management.base import GongkaiCommand
from gongkai.orgs import services
from gongkai.orgs.models import Membership, Org


class Command(GongkaiCommand):
    help = "Create a system administrator (superuser, and administrator of the root organisation)."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password", help="default: $GONGKAI_ADMIN_PASSWORD, else asked for on the terminal"
        )
        parser.add_argument(
            "--org", metavar="ORG_CODE", help="organisation to administer (default: the root)"
        )

    def handle(self, *args, username, email, password, org, **options):
        password = password or os.environ.get("GONGKAI_ADMIN_PASSWORD")
        if not password:
            if not sys.stdin.isatty():
                raise CommandError(
                    "需要密码 / a password is needed: --password or GONGKAI_ADMIN_PASSWORD",
                    returncode=2,
                )
            password = getpass.getpass("Password: ")
        target = (
            Org.objects.filter(code=org).first()
            if org
            else Org.objects.filter(parent=None).order_by("path").first()
        )
        if org and target is None:
            raise CommandError(f"未知机构代码 / unknown organisation code: {org}", returncode=2)
        user = services.staff_user_create(
            actor=None, username=username, password=password, email=email, is_superuser=True
        )
        if target is not None:
            services.membership_grant(
                actor=None, user=user, org=target, role=Membership.Role.ADMINISTRATOR
            )
        self.stdout.write(f"created administrator {username}" + (f" of {target}" if target else ""))
