"""Chain the audit trail: every line holds the SHA-256 of the line before it.

Lines written before this migration are chained in id order first (both columns start empty and
become unique once every line has its own hashes).
"""

import django.utils.timezone
from django.db import migrations, models


def chain_existing_lines(apps, schema_editor):
    # The hash format is the one the writer and the verifier use, so the chain verifies.
    from openplatform.audit.trail import audit_hash

    AuditEvent = apps.get_model("governance", "AuditEvent")
    lines = AuditEvent.objects.using(schema_editor.connection.alias).order_by("id")
    previous_hash = ""
    for line in lines.iterator(chunk_size=5000):
        line_hash = audit_hash(previous_hash=previous_hash, event=line)
        lines.filter(pk=line.pk).update(previous_hash=previous_hash, hash=line_hash)
        previous_hash = line_hash


class Migration(migrations.Migration):

    dependencies = [
        ('governance', '0003_governance_staff_group'),
    ]

    operations = [
        migrations.AlterField(
            model_name='auditevent',
            name='created_at',
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now,
                                       verbose_name='time'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='previous_hash',
            field=models.CharField(blank=True, default='', max_length=64,
                                   verbose_name='previous hash'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='hash',
            field=models.CharField(default='', max_length=64, verbose_name='hash'),
            preserve_default=False,
        ),
        migrations.RunPython(chain_existing_lines, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='auditevent',
            name='previous_hash',
            field=models.CharField(blank=True, max_length=64, unique=True,
                                   verbose_name='previous hash'),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='hash',
            field=models.CharField(max_length=64, unique=True, verbose_name='hash'),
        ),
    ]
