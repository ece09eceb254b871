"""Marked the payment capabilities available once. The catalog now follows the capability
plugins after every migrate (``catalog.sync``), so this migration does nothing; it stays for the
history."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("capabilities", "0002_load_catalog")]

    operations = []
