"""
Saving a form whose page was opened before someone else saved the same object.

The rule is the listing editor's (listings/editing.py): only what this person
changed since opening the page is written, so other people's changes to the
rest are kept; a part someone else changed too is refused once, with their
change shown and this person's typing kept, and saving again (having read
it) puts this person's in place. Guides keep no history to compare against,
so the page carries it: a hidden `opened` field holds each field's value as
the page showed it, and when it was opened.

On save, for each field:
- changed here only: written;
- changed by someone else only: what is stored now is kept, and shown if the
  page comes back;
- changed by both, differently: an error on the field with their value. The
  page then counts as opened now, so the next save is a choice.

MergingModelForm does this for one object (a guide, an FAQ row); a row
deleted meanwhile is the formset's to handle (articles/forms.py).

The clinic admin merges the fields outside a listing's history by the same
rule with Django's per-field hidden initial values (ClinicAdminForm in
listings/admin.py). One record is kept here instead because Django does not
carry a split date and time field's hidden initial value over when the page
is shown again (its inputs are named `initial-x_0`, `_1`), so a changed
publish date would read as unchanged after any other error; and because the
record says when the page was opened, which names who saved since.
"""

import difflib
import json
from datetime import datetime, time

from django import forms
from django.core.serializers.json import DjangoJSONEncoder
from django.forms.models import construct_instance
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.text import capfirst

# The opened record of a row its editor has been told was deleted meanwhile.
SEEN_DELETED = "seen deleted"


def _norm(model_field, value):
    """A value in a form comparable whichever side it came from (typed, stored, opened)."""
    if model_field.many_to_many:
        return sorted(str(getattr(item, "pk", item)) for item in value or [])
    if model_field.is_relation:
        value = getattr(value, "pk", value)
        return None if value in (None, "") else str(value)
    if isinstance(value, str):
        # Browsers send \r\n from a textarea; stored text may have \n, and fields strip.
        value = value.replace("\r\n", "\n").replace("\r", "\n").strip()
        return value or None
    if isinstance(value, datetime | time):
        return value.replace(microsecond=0)  # the admin's widgets show whole seconds
    return value


def _stored(model_field, instance):
    """A field's value on an object, as a form's cleaned_data would hold it."""
    if model_field.many_to_many:
        return list(getattr(instance, model_field.name).all()) if instance.pk else []
    if model_field.is_relation:
        return getattr(instance, model_field.name)
    return model_field.value_from_object(instance)


def _recorded(value):
    if isinstance(value, list):
        return [getattr(item, "pk", item) for item in value]
    return getattr(value, "pk", value)


def _from_record(model_field, value):
    if model_field.many_to_many or model_field.is_relation or value is None:
        return value
    return model_field.to_python(value)


class Change:
    """One field someone else changed after the page was opened, for the page and messages."""

    def __init__(self, label, opened, theirs, *, conflict, lines=None):
        self.label, self.opened, self.theirs = label, opened, theirs
        self.conflict, self.lines = conflict, lines

    def __str__(self):
        return self.label


class DeletedRowsReadAsSent:
    """
    For an inline formset: a row someone deleted after the page was opened is
    read as what the editor sent, not refused as "not one of the available
    choices" on its hidden id (an error nobody could see). Such a row's form
    is marked `vanished`; keeping the deletion or putting the row back is the
    formset's to decide. A page shown again shows every row as it was sent.
    """

    def add_fields(self, form, index):
        super().add_fields(form, index)
        vanished = index is not None and index < self.initial_form_count()
        if vanished and form.is_bound and form.instance._state.adding:
            pk = self.model._meta.pk.name
            form.fields[pk] = forms.IntegerField(widget=forms.HiddenInput, required=False)
            form.vanished = True

    def get_queryset(self):
        if self.is_bound and "forms" in self.__dict__:
            # The admin pairs each row on the page with the object at the same
            # place in this list. Rows deleted or added meanwhile would shift
            # that, and a row the editor typed in would not be shown at all.
            return [form.instance for form in self.initial_forms]
        return super().get_queryset()

    def stored_rows(self):
        """The rows stored now, whatever the page was opened with."""
        return super().get_queryset()


class MergingModelForm(forms.ModelForm):
    """
    A model form that merges with what is stored now (see the module's doc).
    `merging` is False where a form is only read, never saved (a preview).
    """

    opened = forms.CharField(widget=forms.HiddenInput, required=False)
    merging = True
    # Set by a formset: this row was deleted after the page was opened; and
    # by clean: its editor was told so, and saved it again to put it back.
    vanished = restore = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        opts = self._meta.model._meta
        self.merged_fields = {
            name: opts.get_field(name)
            for name in self.fields
            if name != "opened" and name in {f.name for f in opts.get_fields()}
        }
        if self.instance.pk is not None:
            self.fields["opened"].initial = self._record(self.instance)
        # Filled in by clean: who changed what. `mine` are the fields changed
        # here since the page was opened; `changes` those someone else changed.
        self.mine, self.changes, self.conflicts = None, [], []
        self.opened_at = None
        self.unknown = False  # the page did not say what it was opened with

    def _record(self, instance):
        values = {
            name: _recorded(_stored(field, instance)) for name, field in self.merged_fields.items()
        }
        return json.dumps(
            {"at": timezone.now().isoformat(), "values": values}, cls=DjangoJSONEncoder
        )

    def stored_now(self):
        """The object as stored now (a subclass may lock it until the save ends)."""
        return self.instance

    def _read_opened(self):
        raw = self.data.get(self.add_prefix("opened"), "")
        if raw == SEEN_DELETED:
            return SEEN_DELETED
        try:
            record = json.loads(raw)
            for name, field in self.merged_fields.items():
                if field.many_to_many and not isinstance(record["values"][name], list):
                    raise ValueError(name)
            values = {
                name: _from_record(field, record["values"][name])
                for name, field in self.merged_fields.items()
            }
            self.opened_at = parse_datetime(record["at"])
        except (ValueError, KeyError, TypeError, forms.ValidationError):
            return None
        return values

    @property
    def changed_data(self):
        # What this person changed since opening the page, not since what is stored now.
        if self.mine is None:
            return super().changed_data
        others = [name for name in super().changed_data if name not in self.merged_fields]
        return [*self.mine, *(name for name in others if name != "opened")]

    def clean(self):
        cleaned = super().clean()
        if (
            not self.merging
            or not self.is_bound
            or (self.instance.pk is None and not self.vanished)
        ):
            return cleaned
        opened = self._read_opened()
        if self.vanished:
            self._clean_vanished(cleaned, opened)
            return cleaned
        stored = self.stored_now()
        if stored is None:
            raise forms.ValidationError(
                "This was deleted after you opened the page; what you typed is below, not saved.",
                code="deleted",
            )
        self.unknown = opened is None or opened == SEEN_DELETED
        self._merge(cleaned, stored, None if self.unknown else opened)
        return cleaned

    def _merge(self, cleaned, stored, opened):
        self.mine = []
        seen_since = False
        for name, field in self.merged_fields.items():
            now = _norm(field, _stored(field, stored))
            was = now if opened is None else _norm(field, opened[name])
            if name not in cleaned:  # refused for its own sake: typed here
                self.mine.append(name)
                seen_since |= now != was
                continue
            yours = _norm(field, cleaned[name])
            mine = opened is None or yours != was
            theirs = now != was
            if mine:
                self.mine.append(name)
            if opened is None and yours != now:
                self._conflict(name, field, None, stored)
            elif theirs and not mine:
                # Theirs stays, and the page (if shown again) shows it.
                cleaned[name] = _stored(field, stored)
                self._set_data(name, _stored(field, stored))
                self.changes.append(self._change(name, opened[name], stored, conflict=False))
            elif theirs and yours != now:
                self._conflict(name, field, opened[name], stored)
            seen_since |= theirs
        if self.conflicts or seen_since or opened is None:
            # Shown again, the page counts as opened now: saving it is a choice.
            self._set_data("opened", self._record(stored))
        if self.conflicts:
            self.add_error(None, forms.ValidationError(self.conflict_message(), code="conflict"))

    def conflict_message(self):
        if self.unknown:
            return (
                "The site could not tell what this page showed when it was opened (it was "
                "opened before an update, or the page was changed), so it cannot tell "
                "whether someone else saved since. Nothing is saved yet. Each field marked "
                "below differs from what is saved now; check them and save again to put "
                "yours in place."
            )
        return (
            f"Someone saved this {self._meta.model._meta.verbose_name} after you opened "
            "it, changing what you changed too (marked below, with what they saved). "
            "Nothing is saved yet; what you typed is kept. Save again to put yours in "
            "place of theirs, or change it to take in both."
        )

    def _conflict(self, name, field, opened_value, stored):
        change = self._change(name, opened_value, stored, conflict=True)
        self.conflicts.append(name)
        self.changes.append(change)
        if change.lines:
            message = (
                "Someone else changed this after you opened the page (their changes are "
                "listed at the top of the page). Yours is below, not saved yet."
            )
        else:
            message = (
                f"Someone else changed this to “{change.theirs}” after you opened the "
                "page. Yours is below, not saved yet."
            )
        self.add_error(name, forms.ValidationError(message, code="conflict"))

    def _change(self, name, opened_value, stored, *, conflict):
        form_field = self.fields[name]
        theirs = _stored(self.merged_fields[name], stored)
        label = capfirst(form_field.label or name)
        lines = None
        if isinstance(form_field.widget, forms.Textarea):
            before = (opened_value or "").replace("\r\n", "\n").splitlines()
            after = (theirs or "").replace("\r\n", "\n").splitlines()
            diff = difflib.unified_diff(before, after, lineterm="", n=1)
            # "+ added", "- removed", and a line either side where they are.
            lines = [
                f"{line[0]} {line[1:]}".rstrip()
                for line in diff
                if line and not line.startswith(("---", "+++", "@@"))
            ]
        return Change(
            label,
            self._shown(form_field, opened_value),
            self._shown(form_field, theirs),
            conflict=conflict,
            lines=lines,
        )

    @staticmethod
    def _shown(form_field, value):
        """A value in words, as the form would show it."""
        if value in (None, "", []):
            return "(empty)"
        if isinstance(form_field, forms.ModelMultipleChoiceField):
            chosen = form_field.queryset.filter(pk__in=_recorded(value))
            return ", ".join(str(item) for item in chosen) or "(empty)"
        if isinstance(form_field, forms.ModelChoiceField):
            if hasattr(value, "pk"):
                return str(value)
            return str(form_field.queryset.filter(pk=value).first() or "(deleted)")
        if getattr(form_field, "choices", None) and not isinstance(value, bool):
            return str(dict(form_field.choices).get(value, value))
        if isinstance(value, datetime):
            return date_format(timezone.localtime(value), "DATETIME_FORMAT")
        if hasattr(value, "isoformat"):
            return date_format(value)
        if isinstance(value, bool):
            return "yes" if value else "no"
        text = " ".join(str(value).split())
        return text if len(text) <= 120 else text[:119] + "…"

    def _set_data(self, name, value):
        """Put a value in what the page shows again, as its browser would send it."""
        if getattr(self.data, "_mutable", True) is False:  # a request's own QueryDict
            self.data = self.data.copy()
        key = self.add_prefix(name)
        form_field = self.fields[name]
        widget = getattr(form_field.widget, "widget", form_field.widget)  # admin wrappers
        value = form_field.prepare_value(value)
        if isinstance(widget, forms.MultiWidget):
            parts = value if isinstance(value, list) else widget.decompress(value)
            for suffix, part_widget, part in zip(
                widget.widgets_names, widget.widgets, parts, strict=False
            ):
                self.data[key + suffix] = part_widget.format_value(part) or ""
        elif getattr(widget, "allow_multiple_selected", False):
            self.data.setlist(key, [str(item) for item in value or []])
        elif isinstance(widget, forms.CheckboxInput):
            if value:
                self.data[key] = "on"
            else:
                self.data.pop(key, None)
        else:
            shown = widget.format_value(value)
            if isinstance(shown, list):  # a menu's format_value lists the chosen
                shown = shown[0] if shown else ""
            self.data[key] = "" if shown is None else str(shown)

    def _clean_vanished(self, cleaned, opened):
        """A row deleted after the page was opened (its instance is a new one)."""
        self.mine = []
        if opened == SEEN_DELETED:
            self.restore = True  # told, and saved again: put it back
            return
        if opened is None:
            self.mine = list(self.merged_fields)
        else:
            self.mine = [
                name
                for name, field in self.merged_fields.items()
                if name not in cleaned or _norm(field, cleaned[name]) != _norm(field, opened[name])
            ]
        name = self._meta.model._meta.verbose_name
        label = str(construct_instance(self, self._meta.model())) or name
        self.changes.append(
            Change(
                f"{capfirst(name)} “{label}” (deleted)", label, "deleted", conflict=bool(self.mine)
            )
        )
        if self.mine:
            self._set_data("opened", SEEN_DELETED)
            self.add_error(
                None,
                forms.ValidationError(
                    f"Someone deleted this {name} after you opened the page. What you typed "
                    "is kept here, not saved: save again to put it back, or tick “Delete” "
                    "to let it go.",
                    code="conflict",
                ),
            )
