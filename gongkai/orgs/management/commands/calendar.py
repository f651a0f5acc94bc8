import getpass
import json
from pathlib import Path

from django.core.management.base import CommandError

from gongkai.core import services, workdays
from gongkai.core.management.base import GongkaiCommand
from gongkai.core.models import CalendarYear


class Command(GongkaiCommand):
    help = (
        "The working-day calendar: compute deadlines, import a year's holiday notice, list years."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        due = sub.add_parser("due", help="the DAYS-th working day after START (START not counted)")
        due.add_argument("start", help="YYYY-MM-DD")
        due.add_argument("days", help="number of working days, e.g. 20")
        between = sub.add_parser(
            "between", help="working days after FIRST up to and including LAST"
        )
        between.add_argument("first", help="YYYY-MM-DD")
        between.add_argument("last", help="YYYY-MM-DD")
        day = sub.add_parser("day", help="is DATE a working day, and why")
        day.add_argument("date", help="YYYY-MM-DD")
        for p in (due, between, day):
            p.add_argument("--json", action="store_true", dest="as_json", help="print JSON")
            p.add_argument("--region", metavar="ORG_CODE", help="apply this region's overrides")
        imp = sub.add_parser("import", help="load a year's arrangement from a CSV or YAML file")
        imp.add_argument("file", type=Path)
        imp.add_argument("--region", metavar="ORG_CODE", help="a regional override, not national")
        imp.add_argument("--source", default="", help="the notice, e.g. 国办发明电〔2026〕7号")
        imp.add_argument("--dry-run", action="store_true", help="check the file, write nothing")
        sub.add_parser("years", help="list the years whose arrangement is loaded")
        seed = sub.add_parser("seed", help="(re)load the years held by the chinesecalendar package")
        seed.add_argument("--from-year", type=int, default=None)
        seed.add_argument("--to-year", type=int, default=None)

    def handle(self, *args, action, **options):
        return getattr(self, f"do_{action}")(**options)

    def _region(self, code):
        if not code:
            return None
        from gongkai.orgs.models import Org

        org = Org.objects.filter(code=code).first()
        if org is None:
            raise CommandError(f"未知机构代码 / unknown organisation code: {code}", returncode=2)
        return org

    def _print_count(self, result, as_json, headline):
        if as_json:
            payload = result.as_dict() | {"explanation": result.explain()}
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        self.stdout.write(headline)
        for line in result.explain():
            self.stdout.write("  " + line)

    def do_due(self, *, start, days, as_json, region, **_):
        result = workdays.add_working_days(
            workdays.parse_date(start), workdays.parse_days(days), region=self._region(region)
        )
        flag = "（暂定 provisional）" if result.provisional else ""
        self._print_count(
            result, as_json, f"{result.start} + {result.days} 个工作日 → {result.due_date}{flag}"
        )

    def do_between(self, *, first, last, as_json, region, **_):
        result = workdays.working_days_between(
            workdays.parse_date(first), workdays.parse_date(last), region=self._region(region)
        )
        flag = "（暂定 provisional）" if result.provisional else ""
        self._print_count(
            result, as_json, f"{result.start} → {result.end}：{result.days} 个工作日{flag}"
        )

    def do_day(self, *, date, as_json, region, **_):
        day = workdays.parse_date(date)
        cal = workdays.calendar(self._region(region))
        info, working = cal.info(day), cal.is_working_day(day)
        payload = {
            "date": day.isoformat(),
            "working_day": working,
            "name": info.name if info else "",
            "kind": info.kind if info else ("weekday" if day.weekday() < 5 else "weekend"),
            "provisional": not cal.year(day.year).loaded,
        }
        if as_json:
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
        else:
            label = "工作日" if working else "休息日"
            self.stdout.write(
                f"{day} {workdays.WEEKDAY_NAMES[day.weekday()]}：{label} {payload['name']}".rstrip()
            )

    def do_import(self, *, file, region, source, dry_run, **_):
        days = services.parse_calendar_file(file)
        org = self._region(region)
        if dry_run:
            services._validate_days(days)
            years = sorted({d.date.year for d in days})
            self.stdout.write(f"OK: {len(days)} days for {years}; nothing written (--dry-run).")
            return
        summary = services.calendar_import(
            actor=f"cli:{getpass.getuser()}", days=days, source=source, region=org
        )
        for year, counts in summary.items():
            self.stdout.write(
                f"{year}: {counts['holidays']} holidays, {counts['workdays']} make-up workdays loaded"
            )

    def do_years(self, **_):
        for year in CalendarYear.objects.select_related("region").order_by("year", "region__path"):
            scope = year.region.name if year.region else "全国"
            self.stdout.write(f"{year.year}\t{scope}\t{year.source}")

    def do_seed(self, *, from_year, to_year, **_):
        days = services.chinesecalendar_days(from_year, to_year)
        summary = services.calendar_import(actor=f"cli:{getpass.getuser()}", days=days)
        self.stdout.write(
            f"seeded {len(summary)} years ({min(summary)}–{max(summary)}) from chinesecalendar"
        )
