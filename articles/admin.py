from datetime import timedelta

from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.defaultfilters import pluralize
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

from articles.editor_notes import markdown_notes, posted_reference_count
from articles.forms import (
    GuideAdminForm,
    ReferenceFormSet,
    ReviewerChoiceField,
    RowForm,
    RowFormSet,
)
from articles.models import FAQ, Guide, GuideRedirect, GuideRoute, Person, Reference
from articles.reference_numbers import new_numbers, renumbered
from articles.views import render_guide

# The guide's field that only people marked as medical reviewers may fill.
REVIEWER_FIELD = ("guide", "medical_reviewer")

# A publish date further back than this is backdating, not a correction.
BACKDATING = timedelta(days=7)


class GuideRouteInline(admin.TabularInline):
    model = GuideRoute
    form = RowForm
    formset = RowFormSet
    extra = 0
    verbose_name = "treatment route"
    fields = ["route", "opened"]


class FAQInline(admin.StackedInline):
    model = FAQ
    form = RowForm
    formset = RowFormSet
    extra = 0
    fields = ["order", "question", "answer", "opened"]


class ReferenceInline(admin.StackedInline):
    model = Reference
    form = RowForm
    formset = ReferenceFormSet
    extra = 0
    fields = ["order", "authors", "title", "publisher", "year", "url", "doi", "opened"]


class StatusFilter(admin.SimpleListFilter):
    """The statuses, with published guides whose time is still to come apart as scheduled."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [
            (Guide.Status.DRAFT, "Draft"),
            (Guide.Status.IN_REVIEW, "In medical review"),
            ("scheduled", "Scheduled"),
            (Guide.Status.PUBLISHED, "Published"),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "scheduled":
            return queryset.filter(status=Guide.Status.PUBLISHED, published_at__gt=now)
        if self.value() == Guide.Status.PUBLISHED:
            return queryset.visible()
        if self.value() in (Guide.Status.DRAFT, Guide.Status.IN_REVIEW):
            return queryset.filter(status=self.value())
        return queryset


@admin.register(Guide)
class GuideAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "state", "published_at", "last_reviewed", "preview"]
    list_filter = [StatusFilter, "category", "medical_reviewer"]
    list_select_related = ["medical_reviewer"]
    search_fields = ["title", "dek", "body"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["author", "medical_reviewer"]
    filter_horizontal = ["conditions"]
    readonly_fields = ["preview", "reading_minutes", "created_at", "modified_at"]
    date_hierarchy = "published_at"
    inlines = [GuideRouteInline, FAQInline, ReferenceInline]
    actions = ["publish_now", "send_to_review"]
    form = GuideAdminForm
    fieldsets = [
        (None, {"fields": ["title", "slug", "dek", "category", "body", "preview", "opened"]}),
        (
            "Review and publishing",
            {
                "fields": [
                    "status",
                    "take_off_site",
                    "published_at",
                    "updated_on",
                    "author",
                    "medical_reviewer",
                    "last_reviewed",
                ]
            },
        ),
        ("Search and linking", {"fields": ["meta_description", "conditions"]}),
        ("Generated", {"fields": ["reading_minutes", "created_at", "modified_at"]}),
    ]

    # Adds "Preview unsaved changes" under the form, and what someone else
    # saved after the page was opened above it.
    change_form_template = "admin/articles/guide/change_form.html"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "medical_reviewer":
            # Only people marked as medical reviewers are offered (the search
            # asks PersonAdmin.get_search_results); anyone else is refused,
            # by name (GuideAdminForm keeps the guide's own reviewer on it).
            kwargs["queryset"] = Person.objects.filter(reviews_medically=True)
            kwargs["form_class"] = ReviewerChoiceField
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        # Merged with what is stored only when saving a change (the preview reads the form).
        form.merging = change
        return form

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        formsets = [inline.formset for inline in context["inline_admin_formsets"]]
        context["stale"] = self._saved_meanwhile(context["adminform"].form, formsets, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _saved_meanwhile(self, form, formsets, guide):
        """What others saved after this page was opened, and who they are (or None)."""
        changes = [*form.changes, *(c for formset in formsets for c in formset.changes)]
        if not changes and not form.unknown:
            return None
        who = []
        if guide is not None and form.opened_at:
            entries = LogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(Guide),
                object_id=str(guide.pk),
                action_time__gte=form.opened_at,
            ).select_related("user")
            for entry in entries.order_by("action_time"):
                name = entry.user.get_full_name() or entry.user.get_username()
                if name not in who:
                    who.append(name)
        return {
            "changes": changes,
            "who": ", ".join(who) or "someone else",
            "unknown": form.unknown,
            "conflict": any(change.conflict for change in changes),
        }

    def get_urls(self):
        preview = path(
            "preview/",
            self.admin_site.admin_view(self.preview_unsaved),
            name="articles_guide_preview",
        )
        return [preview, *super().get_urls()]

    def preview_unsaved(self, request):
        """
        The guide as the change form has it, without saving: an edit to a
        published guide can be read before visitors see it. The form posts
        here (in a new tab) instead of to its own page.
        """
        if request.method != "POST":
            return redirect("admin:articles_guide_changelist")
        guide = None
        if request.GET.get("guide"):
            guide = self.get_object(request, request.GET["guide"])
            if guide is None:
                raise Http404("That guide has been deleted.")
        allowed = (
            self.has_change_permission(request, guide)
            if guide
            else self.has_add_permission(request)
        )
        if not allowed:
            raise PermissionDenied
        form = self.get_form(request, guide)(request.POST, instance=guide or Guide())
        form.is_valid()  # puts what was typed on the instance; errors are for saving, not reading
        form.instance.render_body()
        # The FAQs shown are those saved; the references counted are the form's own.
        references = posted_reference_count(request.POST)
        if references is None:
            references = guide.references.count() if guide else 0
        notes = markdown_notes(
            form.instance.rendered, guide.faqs.all() if guide else [], references
        )
        response = render_guide(request, form.instance, preview=True, unsaved=True, notes=notes)
        response["X-Robots-Tag"] = "noindex"
        return response

    def save_model(self, request, obj, form, change):
        # The references' order as stored, for the citations to follow (save_related).
        request._references_before = (
            list(obj.references.order_by("order", "pk").values_list("pk", flat=True))
            if change
            else []
        )
        super().save_model(request, obj, form, change)
        if getattr(form, "withdrawn", False):
            self.message_user(
                request,
                f"“{obj}” is no longer on the site: readers at {obj.get_absolute_url()} and "
                "its old addresses now get “not found”. Publish it again to bring it back.",
                messages.WARNING,
            )
        self._warn_if_text_outran_review(request, obj, form, change)
        dated = {"published_at", "status"} & set(form.changed_data)
        published = obj.status == Guide.Status.PUBLISHED
        if dated and published and obj.published_at < timezone.now() - BACKDATING:
            when = date_format(timezone.localtime(obj.published_at))
            self.message_user(
                request,
                f"The publish date, {when}, is more than a week ago: readers, the feed "
                "and search engines take the guide as published then. If it was not, "
                "correct the date, or empty it to publish now.",
                messages.WARNING,
            )

    def _warn_if_text_outran_review(self, request, guide, form, change):
        """
        A published guide whose text changed without a new review date still
        says "Last reviewed" with the old date. The save is not refused (a typo
        fixed needs no review), but the editor is told.
        """
        edited = {"body"} <= set(form.changed_data) and "last_reviewed" not in form.changed_data
        if not (change and edited and guide.status == Guide.Status.PUBLISHED):
            return
        reviewer = guide.medical_reviewer.name if guide.medical_reviewer else "the reviewer"
        self.message_user(
            request,
            "The text of this published guide has changed since its last medical review, "
            f"on {date_format(guide.last_reviewed)}, and readers still see that date as "
            "“Last reviewed”. Unless the change is only a correction, ask "
            f"{reviewer} to review it, then update the review date.",
            messages.WARNING,
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        guide = form.instance
        if change and "body" not in form.changed_data:
            # FAQ answers the editor changed keep the numbers they typed.
            typed = {
                row.instance.pk
                for formset in formsets
                if formset.model is FAQ
                for row in formset.forms
                if row.has_changed()
            }
            self._renumber_citations(request, guide, leave=typed)
        meanwhile = self._saved_meanwhile(form, formsets, guide) if change else None
        if meanwhile:
            kept = "; ".join(str(change) for change in meanwhile["changes"])
            self.message_user(
                request,
                f"After you opened this guide, {meanwhile['who']} saved it too. Kept from "
                f"their save, alongside yours: {kept}.",
                messages.WARNING,
            )
        for note in markdown_notes(guide.rendered, guide.faqs.all(), guide.references.count()):
            self.message_user(request, note, messages.WARNING)

    def _renumber_citations(self, request, guide, leave=()):
        """Citations follow their references after some moved or uncited ones went."""
        after = list(guide.references.order_by("order", "pk").values_list("pk", flat=True))
        numbers = new_numbers(request._references_before, after)
        if not numbers:
            return
        guide.body = renumbered(guide.body, numbers)
        guide.save()
        for faq in guide.faqs.exclude(pk__in=leave):
            answer = renumbered(faq.answer, numbers)
            if answer != faq.answer:
                faq.answer = answer
                faq.save()
        moved = ", ".join(f"[ref:{old}] is now [ref:{new}]" for old, new in sorted(numbers.items()))
        self.message_user(
            request,
            f"The citations were renumbered to follow their references: {moved}.",
            messages.INFO,
        )

    @admin.display(description="status", ordering="status")
    def state(self, guide):
        """The status, with a published guide whose date is still to come called scheduled."""
        if guide.status == Guide.Status.PUBLISHED and guide.published_at > timezone.now():
            return "Scheduled"
        return guide.get_status_display()

    @admin.display(description="Preview")
    def preview(self, guide):
        if not guide.pk:
            return "Save the guide to preview it."
        label = "View on site" if guide.is_visible else "Preview (only staff can see it)"
        return format_html('<a href="{}">{}</a>', guide.get_absolute_url(), label)

    # Both change what visitors see: only for those who may change guides (an
    # action without permissions is offered to anyone who can view the list).
    @admin.action(description="Publish the selected guides now", permissions=["change"])
    def publish_now(self, request, queryset):
        now = timezone.now()
        published, refused = 0, []
        for guide in queryset:
            guide.status = Guide.Status.PUBLISHED
            if guide.published_at is None or guide.published_at > now:
                guide.published_at = now  # "now" includes guides scheduled for later
            try:
                # What the form checks: reviewed first, with a reviewer and a date.
                guide.full_clean()
            except ValidationError as error:
                refused.append(f"“{guide}”: {' '.join(error.messages)}")
                continue
            guide.save()
            self.log_change(request, guide, "Published now.")
            published += 1
        self.message_user(request, f"Published {published} guide{pluralize(published)}.")
        if refused:
            self.message_user(request, f"Not published: {' '.join(refused)}", messages.ERROR)

    @admin.action(description="Send the selected drafts to medical review", permissions=["change"])
    def send_to_review(self, request, queryset):
        """
        Drafts only. A published guide that needs reviewing again stays live
        meanwhile (its page would otherwise be gone at once, with no
        confirmation); its review date is updated once the review is done.
        """
        by_status = {}
        for guide in queryset:
            by_status.setdefault(guide.status, []).append(guide)
        count, refused = 0, []
        for guide in by_status.get(Guide.Status.DRAFT, []):
            guide.status = Guide.Status.IN_REVIEW
            try:
                # What the form checks: a reviewer named is one who may review.
                guide.full_clean()
            except ValidationError as error:
                refused.append(f"“{guide}”: {' '.join(error.messages)}")
                continue
            guide.save()
            self.log_change(request, guide, "Sent to medical review.")
            count += 1
        self.message_user(
            request,
            f"Sent {count} draft{pluralize(count)} to medical review."
            if count
            else "Sent no guide to medical review.",
        )
        if refused:
            self.message_user(
                request, f"Not sent to medical review: {' '.join(refused)}", messages.ERROR
            )
        in_review = by_status.get(Guide.Status.IN_REVIEW, [])
        if in_review:
            names = ", ".join(f"“{guide}”" for guide in in_review)
            self.message_user(
                request,
                f"{names} {'was' if len(in_review) == 1 else 'were'} in medical review already.",
            )
        published = by_status.get(Guide.Status.PUBLISHED, [])
        if published:
            names = ", ".join(f"“{guide}”" for guide in published)
            self.message_user(
                request,
                f"Left {len(published)} published guide{pluralize(len(published))} as "
                f"{'it was' if len(published) == 1 else 'they were'} ({names}): only drafts "
                "go to medical review, since a published guide sent there would vanish "
                "from the site at once. One that needs reviewing again stays live while "
                "it is reviewed; once the reviewer has signed it off, update its "
                "“Last reviewed” date.",
                messages.WARNING,
            )


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "credentials", "reviews_medically", "is_sample"]
    list_filter = ["reviews_medically", "is_sample"]
    search_fields = ["name", "credentials"]
    prepopulated_fields = {"slug": ["name"]}

    def get_search_results(self, request, queryset, search_term):
        """
        The guide form's medical reviewer search (its autocomplete asks here)
        offers only people marked as medical reviewers.
        """
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        asked_for = (request.GET.get("model_name"), request.GET.get("field_name"))
        if request.path.endswith("/autocomplete/") and asked_for == REVIEWER_FIELD:
            queryset = queryset.filter(reviews_medically=True)
        return queryset, may_have_duplicates

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Un-marking the reviewer of published guides is refused (Person.clean);
        # guides not yet published may still name them, and are told about.
        if not (change and "reviews_medically" in form.changed_data) or obj.reviews_medically:
            return
        waiting = list(obj.reviewed_guides.exclude(status=Guide.Status.PUBLISHED))
        if waiting:
            names = ", ".join(f"“{guide}”" for guide in waiting)
            self.message_user(
                request,
                f"{obj.name} is still named as the medical reviewer of {names}, not yet "
                f"published: {'it' if len(waiting) == 1 else 'they'} can't be saved, sent "
                "to medical review or published until another medical reviewer is named.",
                messages.WARNING,
            )


@admin.register(GuideRedirect)
class GuideRedirectAdmin(admin.ModelAdmin):
    list_display = ["old_slug", "guide"]
    list_select_related = ["guide"]
    search_fields = ["old_slug", "guide__title"]
