"""The fixed vocabularies: conditions treated, insurers and self-pay options."""

from django.db import migrations

from clinics.vocabulary import ensure_vocabulary


def create(apps, schema_editor):
    ensure_vocabulary(apps.get_model("clinics", "Condition"), apps.get_model("clinics", "Payer"))


class Migration(migrations.Migration):
    dependencies = [("clinics", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
