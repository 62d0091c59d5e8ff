"""Render stored guides again: each citation link is "Reference N" to a screen reader."""

from django.db import migrations

from articles.rendering import render_stored_again


def render_again(apps, schema_editor):
    render_stored_again(apps.get_model("articles", "Guide"), apps.get_model("articles", "FAQ"))


class Migration(migrations.Migration):
    dependencies = [("articles", "0011_render_again_citations")]

    operations = [migrations.RunPython(render_again, migrations.RunPython.noop, elidable=True)]
