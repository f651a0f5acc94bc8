import importlib

from django.apps import apps
from django.core.management import call_command

from gongkai.core.management.base import GongkaiCommand


def demo_loaders():
    """Each installed app's `demo.load()`, in INSTALLED_APPS order (lower layers first).

    The command sits at the top of the layering and composes what every app offers; no app
    knows the others' demo data."""
    for config in apps.get_app_configs():
        if not config.name.startswith("gongkai."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.demo":
                raise
            continue
        if hasattr(module, "load"):
            yield config.label, module.load


class Command(GongkaiCommand):
    help = "Prepare the demo (migrate, load every app's demo data once) and serve it."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="prepare everything and exit")

    def handle(self, *args, port, no_serve, **options):
        from gongkai.core.management.commands.serve import check_port
        from gongkai.orgs import demo

        check_port(port)
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("database ready")
        for _label, load in demo_loaders():
            for line in load():
                self.stdout.write(line)
        self.stdout.write(f"\nDemo accounts (password for all: {demo.DEMO_PASSWORD}):")
        for username, org_name, role_label in demo.demo_account_rows():
            self.stdout.write(f"  {username:<22} {role_label:<10} {org_name}")
        self.stdout.write("  Staff log in at /workbench/login/; administrators also at /admin/.\n")
        if not no_serve:
            call_command("serve", port=port)
