"""Request attachments become core.StoredFile like the other files: they gain the content
type, filled here for the files already stored (from their identified kind), and an index on
the hash. No row or file is touched otherwise."""

from django.db import migrations, models

import gongkai.foi.models

# As identified when the files were stored (core.textextract.CONTENT_TYPES at this migration).
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ofd": "application/ofd",
    "html": "text/html",
    "txt": "text/plain",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
}


def fill_content_types(apps, schema_editor):
    RequestAttachment = apps.get_model("foi", "RequestAttachment")
    for kind, content_type in CONTENT_TYPES.items():
        RequestAttachment.objects.filter(kind=kind, content_type="").update(
            content_type=content_type
        )


class Migration(migrations.Migration):

    dependencies = [
        ('foi', '0002_open_due_index'),
    ]

    operations = [
        migrations.AddField(
            model_name='requestattachment',
            name='content_type',
            field=models.CharField(blank=True, max_length=100, verbose_name='类型'),
        ),
        migrations.AlterField(
            model_name='requestattachment',
            name='file',
            field=models.FileField(max_length=255, upload_to=gongkai.foi.models.request_attachment_path, verbose_name='文件'),
        ),
        migrations.AlterField(
            model_name='requestattachment',
            name='sha256',
            field=models.CharField(db_index=True, max_length=64, verbose_name='SHA-256'),
        ),
        migrations.RunPython(fill_content_types, migrations.RunPython.noop),
    ]
