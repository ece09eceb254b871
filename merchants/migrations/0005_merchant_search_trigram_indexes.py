"""Trigram indexes for the merchant search of the portal and the API (PostgreSQL only).

``MerchantFilterSet.search`` matches part of the short name, legal name or external ID
(``icontains``: ``UPPER(column) LIKE UPPER('%...%')``). Without these indexes an ISV's search
reads all its merchants; with them a term of three characters or more is looked up (see
bench/README.md, "Portal merchant list"). SQLite has no such index: it scans.
"""

from django.db import migrations

SEARCHED_COLUMNS = ("short_name", "legal_name", "external_id")


def _index_name(column: str) -> str:
    return f"merchant_{column}_upper_trgm"


def create_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in SEARCHED_COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {_index_name(column)} ON merchants_merchant "
            f"USING gin (UPPER({column}::text) gin_trgm_ops)")


def drop_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in SEARCHED_COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {_index_name(column)}")


class Migration(migrations.Migration):

    dependencies = [
        ("merchants", "0004_merchant_screening_text"),
    ]

    operations = [
        migrations.RunPython(create_search_indexes, drop_search_indexes),
    ]
