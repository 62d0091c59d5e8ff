import django_filters
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Case, Q, When

from articles.models import Guide
from articles.stop_words import meaningful_words


class TopicField(django_filters.fields.ChoiceField):
    """A guide category; an unknown one is explained as the directory explains its menus."""

    def validate(self, value):
        try:
            super().validate(value)
        except ValidationError as error:
            if error.code != "invalid_choice":
                raise
            if not value.isprintable() or len(value) > 40:
                # Junk from a tampered link is not worth repeating back.
                raise ValidationError("We don't know that topic.", code="invalid_choice") from None
            raise ValidationError(
                "We don't know the topic “%(value)s”.",
                code="invalid_choice",
                params={"value": value},
            ) from None


class TopicFilter(django_filters.ChoiceFilter):
    field_class = TopicField


class GuideFilter(django_filters.FilterSet):
    """The guide index: by category, and a search over title, summary and body."""

    category = TopicFilter(choices=Guide.Category.choices, label="Topic", empty_label="All topics")
    q = django_filters.CharFilter(
        label="Search guides",
        method="search",
        max_length=200,
        error_messages={"max_length": "That is more than 200 characters. Try a few words of it."},
    )

    class Meta:
        model = Guide
        fields = ["category"]

    @property
    def only_common_words(self):
        """Whether the search typed is made only of words too common to search for."""
        typed = self.form.cleaned_data.get("q", "").strip() if self.form.is_valid() else ""
        return bool(typed) and not meaningful_words(typed)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        words = meaningful_words(value)
        if not words:
            # PostgreSQL drops stop words: what is left is no query, not one
            # every guide matches. Said so by the page (only_common_words).
            return queryset.none()
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
        # SQLite: every word but the stop words PostgreSQL leaves out must
        # appear somewhere; the guides with more of them in the title first,
        # then in the summary, as PostgreSQL's weights rank them.
        words = words[:8]
        for word in words:
            queryset = queryset.filter(
                Q(title__icontains=word) | Q(dek__icontains=word) | Q(body__icontains=word)
            )
        in_title, in_dek = (
            sum(Case(When(**{f"{field}__icontains": word}, then=1), default=0) for word in words)
            for field in ("title", "dek")
        )
        return queryset.annotate(in_title=in_title, in_dek=in_dek).order_by(
            "-in_title", "-in_dek", "title"
        )
