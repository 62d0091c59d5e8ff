from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from articles.rendering import render_markdown
from clinics.models import Condition, Route
from ketamine_directory.saving import with_derived_fields


class Person(models.Model):
    """An author or medical reviewer of guides."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(unique=True)
    credentials = models.CharField(
        max_length=160, help_text="e.g. “MD, board-certified psychiatrist”"
    )
    bio = models.TextField(blank=True)
    is_sample = models.BooleanField(
        "fictional sample staff", default=False, help_text="Shown as sample staff on the site."
    )
    reviews_medically = models.BooleanField(
        "may medically review guides",
        default=False,
        help_text=(
            "Only for a licensed clinician (physician, psychiatrist, nurse practitioner, "
            "pharmacist…): only people marked so can be named as a guide’s medical "
            "reviewer, and readers see “Medically reviewed by” with their name."
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self):
        return f"{self.name}, {self.credentials}" if self.credentials else self.name

    def clean(self):
        # Un-marking someone who is the medical reviewer of published (or
        # scheduled) guides is refused: their pages would go on saying
        # "Medically reviewed by" them. The editor names another reviewer on
        # those guides first. Drafts and guides in review may keep them: those
        # are refused on their next save until another reviewer is chosen
        # (Guide.clean), and readers do not see them.
        if self.reviews_medically or not self.pk:
            return
        published = list(
            Guide.objects.filter(medical_reviewer_id=self.pk, status=Guide.Status.PUBLISHED)
        )
        if published:
            names = ", ".join(f"“{guide}”" for guide in published)
            raise ValidationError(
                {
                    "reviews_medically": (
                        f"{self.name} is the medical reviewer of {len(published)} published "
                        f"guide{pluralize(len(published))} ({names}), whose "
                        f"page{pluralize(len(published))} say{pluralize(len(published), 's,')} "
                        f"“Medically reviewed by {self.name}”. Name another medical reviewer "
                        "on those guides first, then save this again."
                    )
                }
            )


class GuideQuerySet(models.QuerySet):
    def visible(self):
        """Published guides whose publish time has come."""
        return self.filter(status=Guide.Status.PUBLISHED, published_at__lte=timezone.now())

    def for_routes(self, routes):
        return self.filter(route_links__route__in=routes).distinct()

    def topic_rows(self):
        """
        (title, slug, dek, category, published_at, condition slug, route) of every
        published guide, once per condition and route it is about (None for
        none): what the directory needs to offer guides beside any search, in
        one query.
        """
        return (
            self.filter(status=Guide.Status.PUBLISHED)
            .values_list(
                "title",
                "slug",
                "dek",
                "category",
                "published_at",
                "conditions__slug",
                "route_links__route",
            )
            .order_by("title", "pk")
        )


class Guide(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "review", "In medical review"
        PUBLISHED = "published", "Published"

    class Category(models.TextChoices):
        BASICS = "basics", "Basics"
        EFFECTIVENESS = "effectiveness", "Effectiveness"
        TREATMENT_OPTIONS = "treatment-options", "Treatment options"
        COST_INSURANCE = "cost-insurance", "Cost and insurance"
        WHAT_TO_EXPECT = "what-to-expect", "What to expect"
        SAFETY = "safety", "Safety"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    dek = models.CharField(
        "summary under the title",
        max_length=300,
        help_text="One sentence, shown under the title and with the guide in lists of guides.",
    )
    body = models.TextField(
        help_text=(
            "Markdown. Cite with [ref:1]. Live blocks: [[price iv]] (“$400 to $575”), "
            "[[series iv]], [[count iv]] (“56 clinics”, the word included), and on a line "
            "of its own [[clinics iv state=tx limit=4]]."
        )
    )
    body_html = models.TextField(editable=False, blank=True)
    toc = models.JSONField(editable=False, default=list, blank=True)
    reading_minutes = models.PositiveSmallIntegerField(editable=False, default=1)
    category = models.CharField(max_length=20, choices=Category)
    conditions = models.ManyToManyField(Condition, blank=True, related_name="guides")
    meta_description = models.CharField(
        max_length=160,
        help_text=(
            "What search engines show under the title in their results, and link previews "
            "too: what the guide answers, in about 155 characters (160 at most; longer "
            "is cut off). Readers of the page do not see it."
        ),
    )
    author = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="authored_guides")
    # Both left empty while a guide is a draft (nobody has reviewed it yet);
    # both needed to publish it (clean, and the constraint below).
    medical_reviewer = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="reviewed_guides",
        null=True,
        blank=True,
        help_text=(
            "Needed to publish: the clinician who reviewed the guide. Only people marked "
            "“May medically review guides” (under People) can be chosen."
        ),
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When it goes live. A future time schedules it; empty means now on publish.",
    )
    updated_on = models.DateField(
        null=True, blank=True, help_text="Last meaningful update, shown to readers."
    )
    last_reviewed = models.DateField(
        null=True,
        blank=True,
        help_text="Needed to publish: the date of the last medical review (not a future one).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    objects = GuideQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        indexes = [
            # The guide index: visible guides by category.
            models.Index(fields=["status", "published_at"], name="guide_visible_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="published_guides_have_a_date",
            ),
            # Every guide readers see names its medical reviewer and review date.
            models.CheckConstraint(
                condition=~Q(status="published")
                | Q(medical_reviewer__isnull=False, last_reviewed__isnull=False),
                name="published_guides_are_reviewed",
                violation_error_message=(
                    "A published guide names its medical reviewer and the date of its review."
                ),
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        self.render_body()
        previous = None
        if self.pk:
            previous = Guide.objects.filter(pk=self.pk).values_list("slug", flat=True).first()
        # The old address redirects only once the new one is saved: a save
        # refused by the database leaves the redirects as they were.
        with transaction.atomic():
            super().save(
                *args,
                **with_derived_fields(kwargs, {"body": ["body_html", "toc", "reading_minutes"]}),
            )
            # A slug taken again belongs to whoever has it now.
            GuideRedirect.objects.filter(old_slug=self.slug).delete()
            if previous and previous != self.slug:
                GuideRedirect.objects.update_or_create(
                    old_slug=previous, defaults={"guide_id": self.pk}
                )

    def get_absolute_url(self):
        return reverse("articles:detail", args=[self.slug])

    def clean(self):
        # "Empty means now on publish", before the constraint that a published
        # guide has a date is checked.
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        errors = {}
        if self.author_id and self.author_id == self.medical_reviewer_id:
            errors["medical_reviewer"] = (
                "The medical reviewer must be someone other than the author."
            )
        elif (reviewer := self._reviewer_not_marked()) is not None:
            errors["medical_reviewer"] = self.not_a_reviewer(reviewer)
        today = timezone.localdate()
        if self.last_reviewed and self.last_reviewed > today:
            errors["last_reviewed"] = (
                f"The last review cannot be in the future: {date_format(self.last_reviewed)} "
                f"is after today, {date_format(today)}. Enter the date the medical review "
                "was done."
            )
        # Readers see it as the date of the last update: not one to come, unless
        # the guide itself goes live later (scheduled), with that update.
        goes_live = timezone.localdate(self.published_at) if self.published_at else today
        if self.updated_on and self.updated_on > max(today, goes_live):
            errors["updated_on"] = (
                f"“Updated on” cannot be after the day the guide goes live: "
                f"{date_format(self.updated_on)} is after {date_format(max(today, goes_live))}. "
                "Enter the date of the last meaningful update."
            )
        if self.status == self.Status.PUBLISHED:
            errors |= self._publishing_errors(errors)
        if self.slug and (taken := self._old_address_of_another()):
            errors["slug"] = taken
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def not_a_reviewer(person):
        """Why `person`, not marked as a medical reviewer, can't be a guide's."""
        return (
            f"{person} may not be named as the medical reviewer: they are not marked "
            "“May medically review guides” under People, and the guide's page says "
            "“Medically reviewed by” its reviewer. Choose a licensed clinician; if "
            f"{person.name} is one, mark them so under People first."
        )

    def _reviewer_not_marked(self):
        """
        The medical reviewer, if they are not marked as someone who may review
        guides (as stored now: the mark may have changed since this guide was
        read). Whatever the status: the field names the clinician who reviewed
        the guide, and the guide goes to review and is published with it.
        """
        if not self.medical_reviewer_id:
            return None
        return Person.objects.filter(pk=self.medical_reviewer_id, reviews_medically=False).first()

    def _old_address_of_another(self):
        """
        Why this slug is refused, if it is another guide's old address. Taking it
        would end that redirect: links and search results still using the address
        would lead that guide's readers here instead. An editor who means it
        deletes the redirect first, on purpose.
        """
        redirect = (
            GuideRedirect.objects.filter(old_slug=self.slug)
            .exclude(guide_id=self.pk)
            .select_related("guide")
            .first()
        )
        if redirect is None:
            return None
        return (
            f"“{self.slug}” is the old address of the guide “{redirect.guide}”: links and "
            "search results that still use it lead readers there. Choose another slug; or, "
            "if that address should lead to this guide from now on, delete its redirect "
            "under Guide redirects first, then save this again."
        )

    def _publishing_errors(self, errors):
        """Why this guide may not be published (yet), if it may not."""
        publishing = {}
        was = Guide.objects.filter(pk=self.pk).values_list("status", flat=True).first()
        if was not in (self.Status.IN_REVIEW, self.Status.PUBLISHED):
            # Draft → in medical review → published (or scheduled): no skipping the review.
            publishing["status"] = (
                "A guide is published after its medical review: set it to “In medical "
                "review” first, and publish it once the reviewer has signed it off."
            )
        if not self.medical_reviewer_id and "medical_reviewer" not in errors:
            publishing["medical_reviewer"] = (
                "Name the medical reviewer before publishing: every published guide says "
                "who reviewed it."
            )
        if not self.last_reviewed and "last_reviewed" not in errors:
            publishing["last_reviewed"] = (
                "Enter the date of the medical review before publishing: every published "
                "guide says when it was reviewed."
            )
        return publishing

    def render_body(self):
        """
        Work out the HTML, table of contents and reading time from the Markdown.
        `rendered` keeps the rest (what was left out, the citations) for the editor.
        """
        self.rendered = render_markdown(self.body)
        self.body_html, self.toc = self.rendered.html, self.rendered.toc
        self.reading_minutes = self.rendered.reading_minutes

    @property
    def is_visible(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def routes(self):
        return [link.route for link in self.route_links.all()]


class GuideRoute(models.Model):
    """A treatment route a guide is about (it then links to clinics offering it)."""

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="route_links")
    route = models.CharField(max_length=10, choices=Route)

    class Meta:
        ordering = ["guide", "route"]
        constraints = [
            models.UniqueConstraint(
                fields=["guide", "route"],
                name="one_link_per_guide_route",
                violation_error_message=(
                    "The guide already links to this treatment route (someone may have added "
                    "it after you opened the page). Remove this row, or choose another route."
                ),
            )
        ]
        indexes = [models.Index(fields=["route", "guide"], name="guide_route_idx")]

    def __str__(self):
        return self.get_route_display()


class FAQ(models.Model):
    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="faqs")
    question = models.CharField(max_length=300)
    answer = models.TextField(help_text="Markdown.")
    answer_html = models.TextField(editable=False, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["guide", "order", "pk"]
        verbose_name = "FAQ"
        verbose_name_plural = "FAQs"

    def __str__(self):
        return self.question

    def save(self, *args, **kwargs):
        self.answer_html = render_markdown(self.answer, anchors=False).html
        super().save(*args, **with_derived_fields(kwargs, {"answer": ["answer_html"]}))


class Reference(models.Model):
    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="references")
    authors = models.CharField("authors or organisation", max_length=300)
    title = models.CharField(max_length=400)
    publisher = models.CharField("journal or publisher", max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    url = models.URLField(max_length=500, blank=True)
    doi = models.CharField("DOI", max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(
        default=0, help_text="Position in the list; [ref:N] cites the N-th reference."
    )

    class Meta:
        ordering = ["guide", "order", "pk"]

    def __str__(self):
        return f"{self.authors} ({self.year}). {self.title}" if self.year else self.title

    @property
    def link(self):
        return self.url or (f"https://doi.org/{self.doi}" if self.doi else "")


class GuideRedirect(models.Model):
    """An old slug of a guide; its URL redirects permanently to the current one."""

    old_slug = models.SlugField(max_length=200, unique=True)
    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="redirects")

    class Meta:
        ordering = ["old_slug"]

    def __str__(self):
        return f"{self.old_slug} → {self.guide.slug}"

    def clean(self):
        # A guide's page is found before any redirect: one from a current
        # address would never be used.
        holder = Guide.objects.filter(slug=self.old_slug).first() if self.old_slug else None
        if holder is not None:
            raise ValidationError(
                {
                    "old_slug": (
                        f"“{self.old_slug}” is the current address of the guide “{holder}”: "
                        "visitors there see that guide, so a redirect from it would never "
                        "be used. A redirect is for an address no guide has any more."
                    )
                }
            )
