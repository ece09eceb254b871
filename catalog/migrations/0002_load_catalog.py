"""Loaded the shipped catalog once. The catalog now follows the capability plugins after every
migrate (``catalog.sync``), so this migration does nothing; it stays for the history."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("capabilities", "0001_initial")]

    operations = []
