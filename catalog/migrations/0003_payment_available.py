from django.db import migrations

from catalog.catalog_loader import load_catalog


def forwards(apps, schema_editor):
    # The payment capabilities are built (capabilities/payment/): reload their status.
    load_catalog(
        apps.get_model("capabilities", "Capability"),
        apps.get_model("capabilities", "FunctionPack"),
        apps.get_model("capabilities", "IndustrySolution"),
    )


class Migration(migrations.Migration):
    dependencies = [("capabilities", "0002_load_catalog")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
