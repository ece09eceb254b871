from django.db import migrations

from catalog.catalog_loader import load_catalog


def forwards(apps, schema_editor):
    load_catalog(
        apps.get_model("capabilities", "Capability"),
        apps.get_model("capabilities", "FunctionPack"),
        apps.get_model("capabilities", "IndustrySolution"),
    )


class Migration(migrations.Migration):
    dependencies = [("capabilities", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
