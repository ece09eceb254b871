"""Governance staff (the ``governance`` group) see webhook endpoints, deliveries and their
attempts in Django admin, to answer an ISV's "we never got it"; they change none of them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "governance"
VIEWED_MODELS = ("webhookendpoint", "delivery", "deliveryattempt")


def _view_permissions(apps, using):
    # Permissions are normally created after all migrations (post_migrate): create them now.
    app_config = apps.get_app_config("events")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0, using=using)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.using(using).filter(
        content_type__app_label="events",
        codename__in=[f"view_{model}" for model in VIEWED_MODELS])


def grant_view(apps, schema_editor):
    using = schema_editor.connection.alias
    group = apps.get_model("auth", "Group").objects.using(using).filter(name=GROUP_NAME).first()
    if group is not None:
        group.permissions.add(*_view_permissions(apps, using))


def revoke_view(apps, schema_editor):
    using = schema_editor.connection.alias
    group = apps.get_model("auth", "Group").objects.using(using).filter(name=GROUP_NAME).first()
    if group is not None:
        group.permissions.remove(*_view_permissions(apps, using))


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0003_webhooks"),
        ("governance", "0003_governance_staff_group"),
    ]

    operations = [migrations.RunPython(grant_view, revoke_view)]
