"""The database cache's table (attempt limits shared by every worker; core.ratelimit).

Created here so that `gongkai migrate` is all a fresh install needs; with Redis configured
(GONGKAI_REDIS_URL) there is no database cache and nothing is created."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_audit_mac")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
