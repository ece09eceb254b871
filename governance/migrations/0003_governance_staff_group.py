"""The ``governance`` group: what platform governance staff may see and do in Django admin.

Staff view everything they govern; they act (change) on ISVs, apps, subscriptions, merchants
and governance actions only through admin actions that call services; they keep the negative
list (add, change, delete) and issue governance actions (add). Nothing on users or groups.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "governance"

VIEW_ONLY = "view"
# (app label, model name) -> permission actions beyond "view".
GOVERNANCE_PERMISSIONS = {
    ("capabilities", "capability"): (),
    ("capabilities", "functionpack"): (),
    ("capabilities", "industrysolution"): (),
    ("isv", "isv"): ("change",),
    ("isv", "isvmember"): (),
    ("isv", "app"): ("change",),
    ("isv", "subscription"): ("change",),
    ("merchants", "merchant"): ("change",),
    ("merchants", "store"): (),
    ("merchants", "merchantuser"): (),
    ("merchants", "authorization"): (),
    ("governance", "negativelistentry"): ("add", "change", "delete"),
    ("governance", "governanceaction"): ("add", "change"),
    ("governance", "auditevent"): (),
    ("events", "event"): (),
}


def create_governance_group(apps, schema_editor):
    using = schema_editor.connection.alias
    # Permissions are normally created after all migrations (post_migrate); create them now so
    # the group can hold them on a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0, using=using)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = []
    for (app_label, model_name), actions in GOVERNANCE_PERMISSIONS.items():
        for action in (VIEW_ONLY, *actions):
            permissions.append(
                Permission.objects.using(using).get(
                    content_type__app_label=app_label,
                    content_type__model=model_name,
                    codename=f"{action}_{model_name}",
                )
            )
    group, _created = Group.objects.using(using).get_or_create(name=GROUP_NAME)
    group.permissions.set(permissions)


def delete_governance_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("capabilities", "0002_load_catalog"),
        ("events", "0002_initial"),
        ("governance", "0002_initial"),
        ("isv", "0002_initial"),
        ("merchants", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_governance_group, delete_governance_group)]
