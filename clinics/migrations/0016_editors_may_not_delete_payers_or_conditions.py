"""
Editors no longer delete payers or conditions. Deleting one takes it off
every listing at once, in no listing's history and beyond undoing, and its
slug's links (/clinics/?insurance=tricare) then match nothing. They still add
new ones and rename them.
"""

from django.db import migrations

from ketamine_directory.editors import grant_to_editors

grant, revoke = grant_to_editors("clinics", ["delete_payer", "delete_condition"])


class Migration(migrations.Migration):
    dependencies = [
        ("clinics", "0015_one_line_names_and_addresses"),
        # Where the Editors group is made, with every clinics permission.
        ("articles", "0002_editors_group"),
    ]

    operations = [migrations.RunPython(revoke, grant)]
