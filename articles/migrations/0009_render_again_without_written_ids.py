"""
Render stored guides again (rendering.py): an id written in a guide's HTML
(`<h2 id="main">`, `<a id="ref-1">`) is left out, so it cannot clash with the
page's own ids, and an FAQ answer's headings take no id (they could repeat a
body heading's). The text is unchanged, so no dates move.
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
        FAQ.objects.filter(pk=faq.pk).update(
            answer_html=render_markdown(faq.answer, anchors=False).html
        )


class Migration(migrations.Migration):
    dependencies = [("articles", "0008_route_link_message")]

    operations = [migrations.RunPython(render_again, migrations.RunPython.noop, elidable=True)]
