"""
Render stored guides again so their tables stack on a phone (rendering.py).

Guides keep their HTML from when they were saved; without this, only guides
edited after the change would get it. The text is unchanged, so no dates move.
"""

from django.db import migrations

from articles.rendering import render_markdown


def render_again(apps, schema_editor):
    Guide = apps.get_model("articles", "Guide")
    FAQ = apps.get_model("articles", "FAQ")
    for guide in Guide.objects.only("pk", "body").iterator():
        rendered = render_markdown(guide.body)
        Guide.objects.filter(pk=guide.pk).update(body_html=rendered.html, toc=rendered.toc)
    for faq in FAQ.objects.only("pk", "answer").iterator():
        FAQ.objects.filter(pk=faq.pk).update(answer_html=render_markdown(faq.answer).html)


class Migration(migrations.Migration):
    dependencies = [("articles", "0003_render_tables_scrollable")]

    operations = [migrations.RunPython(render_again, migrations.RunPython.noop, elidable=True)]
