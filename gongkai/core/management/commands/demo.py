from django.core.management import call_command

from gongkai.core.management.base import GongkaiCommand


class Command(GongkaiCommand):
    help = "Prepare the demo (migrate, load the demo region and accounts once) and serve it."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="prepare everything and exit")

    def handle(self, *args, port, no_serve, **options):
        from gongkai.core.management.commands.serve import check_port
        from gongkai.orgs import demo

        check_port(port)
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("database ready")
        from gongkai.documents.seed import load_demo_documents

        loaded = demo.load_demo_region()
        self.stdout.write("demo region 示范市 " + ("loaded" if loaded else "already present"))
        if load_demo_documents():
            self.stdout.write("demo documents: 400 published documents and 4 topical columns")
        from gongkai.normative.seed import load_demo_normative

        if load_demo_normative():
            self.stdout.write(
                "demo normative documents, interpretations and a gazette issue at 示范市教育局 "
                "(/normative/, /gazette/); a repeal takes effect in 3 working days: "
                "gongkai normative-apply-effects --date YYYY-MM-DD"
            )
        from gongkai.foi.seed import load_demo_requests

        if receipts := load_demo_requests():
            self.stdout.write(
                f"demo disclosure requests: {len(receipts)} at 示范市教育局 (workbench: demo-handler); "
                f"track one at /foi/track/ with {receipts[0].request.number} / {receipts[0].password}"
            )
        from gongkai.supervision.seed import DEMO_PLAN, load_demo_supervision

        if plan := load_demo_supervision():
            self.stdout.write(
                f"demo work plan {plan.year} of 示范市 confirmed and half carried out "
                f"(/workbench/plans/, /plans/); import this year's as demo-supervisor: {DEMO_PLAN}"
            )
        self.stdout.write(f"\nDemo accounts (password for all: {demo.DEMO_PASSWORD}):")
        for username, org_name, role_label in demo.demo_account_rows():
            self.stdout.write(f"  {username:<22} {role_label:<10} {org_name}")
        self.stdout.write("  Staff log in at /workbench/login/; administrators also at /admin/.\n")
        if not no_serve:
            call_command("serve", port=port)
