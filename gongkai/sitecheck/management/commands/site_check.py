import datetime as dt
import json

from django.core.management.base import CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from gongkai.core.management.base import GongkaiCommand
from gongkai.orgs.models import Org
from gongkai.orgs.permissions import CommandLine
from gongkai.sitecheck import services
from gongkai.sitecheck.checks import Limits


def _parse_now(value: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise CommandError(
            f"--now 的时间“{value}”无效，请按 ISO 格式填写，例如 2026-03-02T14:01 / "
            f"invalid --now '{value}': use ISO 8601, e.g. 2026-03-02T14:01",
            returncode=2,
        ) from None
    if not 2000 <= moment.year <= 2100:
        raise CommandError(f"--now “{value}”超出范围 / out of range", returncode=2)
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _mark(ok) -> str:
    return {True: "通过", False: "未通过", None: "无法判断"}[ok]


class Command(GongkaiCommand):
    help = (
        "Check the site gongkai serves against the national website indicators "
        "(国办秘函〔2019〕19号): single-veto items and scored items; the run is kept in the "
        "history. Exit code 0 when the check ran (whatever its result), 2 on bad input."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print the result as JSON")
        parser.add_argument(
            "--base-url",
            help="check a running site at this address (default: the site gongkai serves, "
            "asked in-process)",
        )
        parser.add_argument("--org", help="check this organisation's part of the site (code)")
        parser.add_argument("--now", help="check as of this time (ISO 8601); default now")
        parser.add_argument(
            "--max-pages", type=int, default=500, help="crawl at most this many pages"
        )
        parser.add_argument(
            "--notify",
            action="store_true",
            help="tell the supervising office which veto items newly fail",
        )

    def handle(self, *args, **options):
        org = None
        if options["org"]:
            org = Org.objects.filter(code=options["org"].strip()).first()
            if org is None:
                raise CommandError(
                    f"没有代码为“{options['org']}”的机构 / unknown organisation '{options['org']}'",
                    returncode=2,
                )
        if not 1 <= options["max_pages"] <= 100_000:
            raise CommandError("--max-pages 应为 1 至 100000 / out of range", returncode=2)
        now = _parse_now(options["now"]) if options["now"] else None
        run = services.site_check_run(
            actor=CommandLine("site-check"),
            org=org,
            now=now,
            base_url=options["base_url"],
            limits=Limits(max_pages=options["max_pages"]),
        )
        notified = services.site_check_notify(run=run) if options["notify"] else None
        result = run.results
        if options["json"]:
            out = {"run": run.pk, **result}
            if notified is not None:
                out["newly_failing"] = notified
            self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder))
            return
        verdict = "合格" if result["passed"] else "不合格"
        self.stdout.write(f"{result['org']['name']}  得分 {result['score']}  {verdict}")
        for item in result["indicators"]:
            score = f"\t{item['score']}/{item['max_score']}" if item["group"] == "scored" else ""
            self.stdout.write(f"{_mark(item['ok'])}\t{item['label']}{score}\t{item['reason']}")
        if notified is not None:
            self.stdout.write(f"newly failing: {', '.join(notified) or '-'}")
