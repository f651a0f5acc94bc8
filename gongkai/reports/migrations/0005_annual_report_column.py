"""The portal's column (专栏) where published annual reports are filed (年报专栏)."""

from django.db import migrations

SLUG = "annual-reports"


def create_column(apps, schema_editor):
    Column = apps.get_model("documents", "Column")
    Column.objects.get_or_create(
        slug=SLUG,
        defaults={
            "name": "政府信息公开工作年度报告",
            "description": "各单位按国家格式发布的政府信息公开工作年度报告（条例第四十九条、第五十条）。",
            "sort_order": 90,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("reports", "0004_weights"), ("documents", "0006_stored_file")]

    operations = [migrations.RunPython(create_column, migrations.RunPython.noop)]
