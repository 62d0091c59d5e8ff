"""The guide admin's forms: a save from a page opened before someone else's merges with it."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms import ModelChoiceField
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.text import capfirst

from articles.models import FAQ, Guide, Person, Reference
from articles.reference_numbers import cited_numbers
from ketamine_directory.edit_merge import Change, DeletedRowsReadAsSent, MergingModelForm


class ReviewerChoiceField(ModelChoiceField):
    """
    The guide's medical reviewer, among the people marked as reviewers. Anyone
    else sent is refused with their name and why, not "Select a valid choice".
    """

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError:
            person = Person.objects.filter(pk=value).first() if str(value).isdigit() else None
            if person is None or person.reviews_medically:
                raise
            raise ValidationError(Guide.not_a_reviewer(person), code="not_a_reviewer") from None


class GuideAdminForm(MergingModelForm):
    # A guide on the site leaves it only on purpose: a status (or a publish time
    # to come) that would hide it is refused until this is ticked. Shown only
    # then, under the status; hidden (and unticked) otherwise.
    take_off_site = forms.BooleanField(
        label="Take this guide off the site",
        required=False,
        help_text=(
            "Readers then get “not found” at its address, and at its old addresses; "
            "search engines drop it. It comes back once it is published again."
        ),
    )

    class Meta:
        model = Guide
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("medical_reviewer")
        named = self.instance.medical_reviewer_id
        if field is not None and named:
            # A reviewer un-marked after being named stays on the page (not
            # dropped unseen on the next save): Guide.clean then says why they
            # can't stay.
            field.queryset = Person.objects.filter(Q(reviews_medically=True) | Q(pk=named))
        # Whether the guide is on the site as this page opens (visitors see it now).
        self.was_live = self.instance.pk is not None and self.instance.is_visible
        self.withdrawn = False
        self.fields["take_off_site"].widget = forms.HiddenInput()

    def clean(self):
        cleaned = super().clean()
        if not (self.merging and self.was_live) or "status" not in cleaned:
            return cleaned
        status = cleaned["status"]
        published_at = cleaned.get("published_at")
        later = status == Guide.Status.PUBLISHED and published_at and published_at > timezone.now()
        if status == Guide.Status.PUBLISHED and not later:
            return cleaned
        # Leaving the site: the box shows, ticked or not, with any other error too.
        self.fields["take_off_site"].widget = forms.CheckboxInput()
        if cleaned.get("take_off_site"):
            self.withdrawn = True
            return cleaned
        address = self.instance.get_absolute_url()
        if later:
            self.add_error(
                "published_at",
                "This guide is on the site now: a publish time still to come takes it off "
                f"until then, and readers at {address} get “not found” meanwhile. To do "
                "that, tick “Take this guide off the site” and save again; to keep it "
                "live, keep a publish time that has passed.",
            )
        else:
            self.add_error(
                "status",
                f"This guide is on the site now: as “{Guide.Status(status).label}” it would "
                f"be taken off, and readers at {address} (and its old addresses) would get "
                "“not found”. To withdraw it, tick “Take this guide off the site” below "
                "and save again; to keep it live, set the status back to Published. (A "
                "published guide that needs reviewing again can stay live meanwhile.)",
            )
        return cleaned

    def stored_now(self):
        # Locked until the save commits, so nobody's save lands between this
        # comparison and the write. Every admin save of the guide, its rows'
        # included, passes here first, before the rows are read.
        return Guide.objects.select_for_update().filter(pk=self.instance.pk).first()


class RowForm(MergingModelForm):
    """An FAQ, reference or treatment link of a guide (the inline sets the model)."""


class RowFormSet(DeletedRowsReadAsSent, BaseInlineFormSet):
    """
    A guide's rows (FAQs, references, treatment links), each merged like the
    guide. A row someone deleted after the page was opened, left alone, stays
    deleted; edited, the editor is told and may put it back.
    """

    def clean(self):
        super().clean()
        on_page = {form.instance.pk for form in self.initial_forms}
        name = self.model._meta.verbose_name
        self.added_meanwhile = [
            Change(f"{capfirst(name)} “{row}” (added)", "", "added", conflict=False)
            for row in self.stored_rows()
            if row.pk not in on_page
        ]

    @property
    def changes(self):
        """What someone else changed in these rows after the page was opened."""
        rows = [change for form in self.forms for change in getattr(form, "changes", [])]
        return [*rows, *getattr(self, "added_meanwhile", [])]

    def save_new_objects(self, commit=True):
        super().save_new_objects(commit)
        for form in self.initial_forms:
            # Deleted meanwhile, and put back by its editor: a new row.
            if form.restore and not self._should_delete_form(form):
                self.new_objects.append(self.save_new(form, commit=commit))
        return self.new_objects


class ReferenceFormSet(RowFormSet):
    """
    A guide's references. One the text cites is not taken out while the text
    is saved unchanged: the citations would point to the works after it
    (GuideAdmin renumbers them when references move or uncited ones go).
    """

    def clean(self):
        super().clean()
        guide = self.instance
        if guide.pk is None:
            return  # a new guide: nothing cited yet
        stored = Guide.objects.filter(pk=guide.pk).values_list("body", flat=True).first()
        if stored is None or guide.body != stored:
            return  # the editor changes the citations too
        before = list(
            Reference.objects.filter(guide=guide).order_by("order", "pk").values_list("pk", "title")
        )
        deleted = {
            form.instance.pk
            for form in self.initial_forms
            if form.instance.pk and self._should_delete_form(form)
        }
        texts = [guide.body, *FAQ.objects.filter(guide=guide).values_list("answer", flat=True)]
        cited = sorted({number for text in texts for number in cited_numbers(text)})
        refused = [
            f"Reference {number}, “{before[number - 1][1]}”, is cited in the guide "
            f"([ref:{number}]): take out its citations first, or keep the reference."
            for number in cited
            if number <= len(before) and before[number - 1][0] in deleted
        ]
        if refused:
            raise ValidationError(refused)
