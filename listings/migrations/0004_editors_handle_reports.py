"""Editors read visitors' reports of wrong listings, mark them dealt with and delete them."""

from django.db import migrations

from ketamine_directory.editors import grant_to_editors

grant, revoke = grant_to_editors(
    "listings", ["view_listingreport", "change_listingreport", "delete_listingreport"]
)


class Migration(migrations.Migration):
    dependencies = [("listings", "0003_listing_report")]

    operations = [migrations.RunPython(grant, revoke)]
