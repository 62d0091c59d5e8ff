import django_filters
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Q

from articles.models import Guide


class GuideFilter(django_filters.FilterSet):
    """The guide index: by category, and a search over title, summary and body."""

    category = django_filters.ChoiceFilter(
        choices=Guide.Category.choices, label="Topic", empty_label="All topics"
    )
    q = django_filters.CharFilter(
        label="Search guides",
        method="search",
        max_length=200,
        error_messages={"max_length": "That is more than 200 characters. Try a few words of it."},
    )

    class Meta:
        model = Guide
        fields = ["category"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        if connection.vendor == "postgresql":
            # Full-text search with ranking: title matters most, then the summary.
            vector = (
                SearchVector("title", weight="A", config="english")
                + SearchVector("dek", weight="B", config="english")
                + SearchVector("body", weight="C", config="english")
            )
            query = SearchQuery(value, config="english", search_type="websearch")
            return (
                queryset.annotate(rank=SearchRank(vector, query))
                .filter(rank__gt=0)
                .order_by("-rank", "title")
            )
        # SQLite: every word must appear somewhere; titles first.
        for word in value.split()[:8]:
            queryset = queryset.filter(
                Q(title__icontains=word) | Q(dek__icontains=word) | Q(body__icontains=word)
            )
        return queryset
