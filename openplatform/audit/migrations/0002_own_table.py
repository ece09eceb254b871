from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0001_initial"),
        ("governance", "0005_auditevent_moves_to_the_kernel"),
    ]

    operations = [
        migrations.AlterModelTable(name="auditevent", table=None),
        migrations.RenameIndex(model_name="auditevent", new_name="audit_event_target_idx",
                               old_name="governance__target__9e6caf_idx"),
    ]
