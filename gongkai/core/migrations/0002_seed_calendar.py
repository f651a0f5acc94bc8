"""Seed the official calendar from the chinesecalendar package (2004 to its last year).

A migration writes with historical models, so this bootstrap is not in the audit trail;
later loads (`gongkai calendar seed`, `gongkai calendar import`) are.
"""

from django.db import migrations


def seed(apps, schema_editor):
    from gongkai.core.services import chinesecalendar_days

    CalendarDay = apps.get_model("core", "CalendarDay")
    CalendarYear = apps.get_model("core", "CalendarYear")
    AuditHead = apps.get_model("core", "AuditHead")
    days = chinesecalendar_days()
    CalendarDay.objects.bulk_create(
        (CalendarDay(date=d.date, kind=d.kind, name=d.name, source=d.source) for d in days),
        batch_size=500,
    )
    years = sorted({d.date.year for d in days})
    CalendarYear.objects.bulk_create(
        CalendarYear(year=y, source=days[0].source) for y in range(years[0], years[-1] + 1)
    )
    AuditHead.objects.get_or_create(pk=1)


def unseed(apps, schema_editor):
    apps.get_model("core", "CalendarDay").objects.filter(region__isnull=True).delete()
    apps.get_model("core", "CalendarYear").objects.filter(region__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
