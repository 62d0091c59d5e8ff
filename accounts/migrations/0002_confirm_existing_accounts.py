"""
Accounts made before sign-up asked for a confirmed email count as confirmed.

Their people may already manage clinics; asking them now would stop them
claiming more with no warning. New accounts confirm through the emailed link.
"""

from django.conf import settings
from django.db import migrations


def confirm_existing(apps, schema_editor):
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    ConfirmedEmail = apps.get_model("accounts", "ConfirmedEmail")
    ConfirmedEmail.objects.bulk_create(
        ConfirmedEmail(user_id=pk, email=email)
        for pk, email in User.objects.exclude(email="").values_list("pk", "email")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_confirmed_email"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(confirm_existing, migrations.RunPython.noop)]
