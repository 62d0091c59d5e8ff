"""
Render stored guides again: citations written as [Ref: 2] or [ref:1, 2]
become links, one in code stays as written, and a heading's citation is
left out of its id and of "In this guide".
"""

from django.db import migrations

from articles.rendering import render_stored_again


def render_again(apps, schema_editor):
    render_stored_again(apps.get_model("articles", "Guide"), apps.get_model("articles", "FAQ"))


class Migration(migrations.Migration):
    dependencies = [("articles", "0010_people_who_may_review")]

    operations = [migrations.RunPython(render_again, migrations.RunPython.noop, elidable=True)]
