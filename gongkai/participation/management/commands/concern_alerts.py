import datetime as dt

from django.core.management.base import CommandError
from django.utils import timezone

from gongkai.core.management.base import GongkaiCommand
from gongkai.participation.services.concerns import alerts_send


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
        raise CommandError(
            f"--now 的时间“{value}”超出范围（2000—2100 年）/ --now '{value}' is out of range",
            returncode=2,
        )
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


class Command(GongkaiCommand):
    help = (
        "Alert the responsible office and its supervising office before and when the 5-hour "
        "and 24-hour limits of a 特别重大/重大 public concern run out; idempotent (run hourly)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", help="check as of this time (ISO 8601, local time if no offset); default now"
        )

    def handle(self, *args, now=None, **options):
        moment = _parse_now(now) if now else None
        alerts = alerts_send(now=moment)
        for alert in alerts:
            due = timezone.localtime(alert.due_at).strftime("%Y-%m-%d %H:%M")
            self.stdout.write(
                f"{alert.concern_id}\t{alert.limit}\t{alert.stage}\t{due}\t"
                f"{'、'.join(alert.org_names)}\t{alert.title}"
            )
        self.stdout.write(f"{len(alerts)} new concern alerts")
