"""The audit trail moves from governance into the kernel: the same table and rows, now the
model of the ``audit`` app (state only here; 0002 renames the table and its index)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    # Permissions (the governance group's view permission) hang on the content type: keep it.
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.using(schema_editor.connection.alias).filter(
        app_label="governance", model="auditevent").update(app_label="audit")


def restore_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.using(schema_editor.connection.alias).filter(
        app_label="audit", model="auditevent").update(app_label="governance")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("governance", "0004_audit_hash_chain"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.CreateModel(
                name="AuditEvent",
                fields=[
                    ("id", models.BigAutoField(auto_created=True, primary_key=True,
                                               serialize=False, verbose_name="ID")),
                    ("created_at", models.DateTimeField(db_index=True,
                                                        default=django.utils.timezone.now,
                                                        verbose_name="time")),
                    ("actor_label", models.CharField(max_length=120, verbose_name="actor label")),
                    ("action", models.CharField(db_index=True, max_length=80,
                                                verbose_name="action")),
                    ("target_id", models.CharField(max_length=64, verbose_name="target ID")),
                    ("target_repr", models.CharField(max_length=200, verbose_name="target")),
                    ("before", models.JSONField(blank=True, default=dict, verbose_name="before")),
                    ("after", models.JSONField(blank=True, default=dict, verbose_name="after")),
                    ("reason", models.TextField(blank=True, verbose_name="reason")),
                    ("previous_hash", models.CharField(blank=True, max_length=64, unique=True,
                                                       verbose_name="previous hash")),
                    ("hash", models.CharField(max_length=64, unique=True, verbose_name="hash")),
                    ("actor", models.ForeignKey(blank=True, null=True,
                                                on_delete=django.db.models.deletion.PROTECT,
                                                related_name="+", to=settings.AUTH_USER_MODEL,
                                                verbose_name="actor")),
                    ("target_type", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT,
                                                      to="contenttypes.contenttype",
                                                      verbose_name="target type")),
                ],
                options={
                    "verbose_name": "audit event",
                    "verbose_name_plural": "audit trail",
                    "ordering": ["-created_at", "-id"],
                    "db_table": "governance_auditevent",
                    "indexes": [models.Index(fields=["target_type", "target_id", "-created_at"],
                                             name="governance__target__9e6caf_idx")],
                },
            ),
        ]),
        migrations.RunPython(move_content_type, restore_content_type),
    ]
