"""The guide admin's forms: a save from a page opened before someone else's merges with it."""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms import ModelChoiceField
from django.forms.models import BaseInlineFormSet
from django.utils.text import capfirst

from articles.models import Guide, Person
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
