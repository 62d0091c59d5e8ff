from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy

from articles.models import Guide


class LatestGuidesFeed(Feed):
    title = "Ketamine Clinic Guide: guides"
    link = reverse_lazy("articles:list")
    description = "Medically reviewed guides on ketamine treatment for depression."

    def items(self):
        return Guide.objects.visible().select_related("author").order_by("-published_at")[:20]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.dek

    def item_pubdate(self, item):
        return item.published_at

    def item_author_name(self, item):
        return item.author.name
