"""The merchant's screening text: its names and scope as negative-list keywords are matched in.

Filled for the merchants that exist, then (PostgreSQL only) indexed by trigrams, so that a new
keyword finds the merchants whose text contains it (``screening_text LIKE '%keyword%'``)
without reading them all. SQLite has no such index: it scans the column.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

from openplatform.data.text import screening_text

BACKFILL_BATCH_SIZE = 2000
TRIGRAM_INDEX = "merchant_screening_text_trgm"


def fill_screening_text(apps, schema_editor):
    # The current rules: a migration cannot call the model's method, the historical model has
    # none.
    Merchant = apps.get_model("merchants", "Merchant")
    batch = []
    for merchant in Merchant.objects.only("legal_name", "short_name", "business_scope") \
            .order_by("pk").iterator(chunk_size=BACKFILL_BATCH_SIZE):
        merchant.screening_text = screening_text(
            legal_name=merchant.legal_name, short_name=merchant.short_name,
            business_scope=merchant.business_scope)
        batch.append(merchant)
        if len(batch) == BACKFILL_BATCH_SIZE:
            Merchant.objects.bulk_update(batch, ["screening_text"])
            batch = []
    Merchant.objects.bulk_update(batch, ["screening_text"])


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON merchants_merchant "
        "USING gin (screening_text gin_trgm_ops)")


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ("merchants", "0003_authorization_token"),
    ]

    operations = [
        migrations.AddField(
            model_name="merchant",
            name="screening_text",
            field=models.TextField(
                blank=True, editable=False,
                help_text="The legal name, short name and business scope in the form "
                          "negative-list keywords are matched in; kept up to date by the "
                          "merchant services.",
                verbose_name="screening text"),
        ),
        migrations.RunPython(fill_screening_text, migrations.RunPython.noop),
        TrigramExtension(),
        migrations.RunPython(create_trigram_index, drop_trigram_index),
    ]
