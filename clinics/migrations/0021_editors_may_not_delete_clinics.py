"""
Editors no longer hold the permission to delete clinics. The admin never
deletes one (ClinicAdmin.has_delete_permission): deleting would take its
history, inquiries and old addresses with it, and hiding it is the undo.
"""

from django.db import migrations

from ketamine_directory.editors import grant_to_editors

grant, revoke = grant_to_editors("clinics", ["delete_clinic"])


class Migration(migrations.Migration):
    dependencies = [
        ("clinics", "0020_price_labels_in_words"),
        ("clinics", "0016_editors_may_not_delete_payers_or_conditions"),
    ]

    operations = [migrations.RunPython(revoke, grant)]
