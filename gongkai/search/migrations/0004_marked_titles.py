"""Analysis 3: SQLite's index also holds each title and number term with a mark in front, so the
title tier is a lookup of those short lists (PostgreSQL's vectors had them already). Existing
entries stay analysis 2 and are still found — the title tier also matches the plain phrase in
the title columns while any remain — until `gongkai reindex` rewrites them. The index of old
entries now covers analysis 2 too."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0003_entry_analysis"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="searchentry",
            name="search_entry_old_analysis",
        ),
        # The default lives in Python: only the state changes (no table copy on SQLite).
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="searchentry",
                    name="analysis",
                    field=models.PositiveSmallIntegerField(default=3),
                ),
            ],
        ),
        migrations.AddIndex(
            model_name="searchentry",
            index=models.Index(
                condition=models.Q(("analysis__lt", 3)),
                fields=["analysis"],
                name="search_entry_old_analysis",
            ),
        ),
    ]
