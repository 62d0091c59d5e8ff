"""Editors can read inquiries and delete them (a complaint, a request to erase); never change them."""

from django.db import migrations

from ketamine_directory.editors import grant_to_editors

grant, revoke = grant_to_editors("inquiries", ["view_inquiry", "delete_inquiry"])


class Migration(migrations.Migration):
    dependencies = [
        ("inquiries", "0001_initial"),
        ("listings", "0002_editors_group"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
