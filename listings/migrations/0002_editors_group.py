"""Editors decide claims, manage who is on a clinic's staff and read listing history."""

from django.db import migrations

from ketamine_directory.editors import grant_to_editors

grant, revoke = grant_to_editors(
    "listings",
    [
        "view_claim",
        "change_claim",
        "view_membership",
        "add_membership",
        "change_membership",
        "delete_membership",
        "view_listingchange",
    ],
)


class Migration(migrations.Migration):
    dependencies = [
        ("listings", "0001_initial"),
        ("articles", "0002_editors_group"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
