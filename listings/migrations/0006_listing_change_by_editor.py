from django.db import migrations, models
from django.db.models import Q


def mark_editors_changes(apps, schema_editor):
    # What is known now: changes by someone who is an editor today, or whose
    # account is gone (shown as "an editor" until now).
    ListingChange = apps.get_model("listings", "ListingChange")
    ListingChange.objects.filter(Q(user__isnull=True) | Q(user__is_staff=True)).update(
        by_editor=True
    )


class Migration(migrations.Migration):
    dependencies = [
        ("listings", "0005_report_dealt_with_by_and_note"),
    ]

    operations = [
        migrations.AddField(
            model_name="listingchange",
            name="by_editor",
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(mark_editors_changes, migrations.RunPython.noop),
    ]
