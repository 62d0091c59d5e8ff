"""
Render stored guides again (rendering.py): an image's description is kept as
text, a link to a refused address is plain words, a body heading never takes
an id the page uses for its own parts, and reading times glance at tables
instead of counting every cell. The text is unchanged, so no dates move.
"""

from django.db import migrations

from articles.rendering import render_markdown


def render_again(apps, schema_editor):
    Guide = apps.get_model("articles", "Guide")
    FAQ = apps.get_model("articles", "FAQ")
    for guide in Guide.objects.only("pk", "body").iterator():
        rendered = render_markdown(guide.body)
        Guide.objects.filter(pk=guide.pk).update(
            body_html=rendered.html, toc=rendered.toc, reading_minutes=rendered.reading_minutes
        )
    for faq in FAQ.objects.only("pk", "answer").iterator():
        FAQ.objects.filter(pk=faq.pk).update(answer_html=render_markdown(faq.answer).html)


class Migration(migrations.Migration):
    dependencies = [("articles", "0004_render_tables_stacked")]

    operations = [migrations.RunPython(render_again, migrations.RunPython.noop, elidable=True)]
