"""
Mark who may medically review guides; only they can be named as a guide's reviewer.

The people already named as the medical reviewer of a guide are marked, so
every guide stays valid and no published page loses its reviewer. An editor
who finds one of them is not a clinician un-marks them under People, once
their guides have another reviewer.
"""

import django.db.models.deletion
from django.db import migrations, models


def mark_existing_reviewers(apps, schema_editor):
    Person = apps.get_model("articles", "Person")
    Person.objects.filter(reviewed_guides__isnull=False).update(reviews_medically=True)


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0009_render_again_without_written_ids'),
    ]

    operations = [
        migrations.AddField(
            model_name='person',
            name='reviews_medically',
            field=models.BooleanField(default=False, help_text='Only for a licensed clinician (physician, psychiatrist, nurse practitioner, pharmacist…): only people marked so can be named as a guide’s medical reviewer, and readers see “Medically reviewed by” with their name.', verbose_name='may medically review guides'),
        ),
        migrations.AlterField(
            model_name='guide',
            name='medical_reviewer',
            field=models.ForeignKey(blank=True, help_text='Needed to publish: the clinician who reviewed the guide. Only people marked “May medically review guides” (under People) can be chosen.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='reviewed_guides', to='articles.person'),
        ),
        migrations.RunPython(mark_existing_reviewers, migrations.RunPython.noop),
    ]
