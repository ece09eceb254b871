"""Governance staff (the ``governance`` group) see trades, refunds, statements and the ledger
in Django admin; they change none of them (closing trades needs the change permission)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "governance"
VIEWED_MODELS = ("trade", "refund", "statement", "ledgeraccount", "ledgertransaction",
                 "ledgerentry", "sandboxbuyer")


def _view_permissions(apps, using):
    # Permissions are normally created after all migrations (post_migrate): create them now.
    app_config = apps.get_app_config("payment")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0, using=using)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.using(using).filter(
        content_type__app_label="payment",
        codename__in=[f"view_{model}" for model in VIEWED_MODELS])


def grant_view(apps, schema_editor):
    using = schema_editor.connection.alias
    Group = apps.get_model("auth", "Group")
    group = Group.objects.using(using).filter(name=GROUP_NAME).first()
    if group is not None:
        group.permissions.add(*_view_permissions(apps, using))


def revoke_view(apps, schema_editor):
    using = schema_editor.connection.alias
    Group = apps.get_model("auth", "Group")
    group = Group.objects.using(using).filter(name=GROUP_NAME).first()
    if group is not None:
        group.permissions.remove(*_view_permissions(apps, using))


class Migration(migrations.Migration):
    dependencies = [
        ("payment", "0001_initial"),
        ("governance", "0003_governance_staff_group"),
    ]

    operations = [migrations.RunPython(grant_view, revoke_view)]
