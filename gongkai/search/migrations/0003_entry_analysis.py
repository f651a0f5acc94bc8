"""Record how each entry's text was analysed: existing entries hold rjieba words in their
bodies (1); entries written from now on hold bigrams (2). Queries match both while any old
entry remains, so the index keeps working until `gongkai reindex` rewrites it."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_entry_kinds"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchentry",
            name="analysis",
            field=models.PositiveSmallIntegerField(default=1),
            preserve_default=False,
        ),
        # Django keeps defaults in Python, not in the column: only the state changes (on
        # SQLite, an AlterField would copy the whole entry table a second time).
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="searchentry",
                    name="analysis",
                    field=models.PositiveSmallIntegerField(default=2),
                ),
            ],
        ),
        migrations.AddIndex(
            model_name="searchentry",
            index=models.Index(
                condition=models.Q(("analysis__lt", 2)),
                fields=["analysis"],
                name="search_entry_old_analysis",
            ),
        ),
    ]
