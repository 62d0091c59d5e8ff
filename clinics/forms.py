import re

from django import forms
from django.core.exceptions import ValidationError

from clinics.geo import locate_zip
from clinics.states import STATE_CHOICES, US_STATES

ZIP_PATTERN = re.compile(r"^\d{5}$")


class StateField(forms.ChoiceField):
    """A two-letter state code, accepted in either case."""

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", [("", "Any state"), *STATE_CHOICES])
        super().__init__(**kwargs)

    def to_python(self, value):
        return super().to_python(value).strip().upper()

    def validate(self, value):
        super(forms.ChoiceField, self).validate(value)
        if value and value not in US_STATES:
            raise ValidationError(
                "“%(value)s” is not a US state code.",
                code="invalid_choice",
                params={"value": value},
            )


class ZipCodeField(forms.CharField):
    """A 5-digit US ZIP code that we can place on the map; cleans to the ZIP itself."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 10)
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        if not ZIP_PATTERN.match(value):
            raise ValidationError("Enter a 5-digit ZIP code, like 78701.", code="invalid")
        if locate_zip(value) is None:
            raise ValidationError(
                "We don't know ZIP %(zip)s. Check the number, or search by city or state.",
                code="unknown",
                params={"zip": value},
            )
        return value


DEFAULT_RADIUS = 25
RADIUS_CHOICES = [(10, "10 miles"), (25, "25 miles"), (50, "50 miles"), (100, "100 miles")]


class RadiusField(forms.IntegerField):
    """Miles from the ZIP code: a menu of common distances, but any 1-500 is accepted."""

    widget = forms.Select

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 500)
        super().__init__(**kwargs)
        self.widget.choices = RADIUS_CHOICES

    def widget_attrs(self, widget):
        return {}


class ClinicFilterForm(forms.Form):
    """The directory's filter form; django-filter adds the fields."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        radius = self.fields.get("radius")
        value = self.data.get("radius", "") if self.is_bound else ""
        if radius and value.isdigit() and int(value) not in dict(RADIUS_CHOICES):
            # Show a shared URL's own radius rather than silently a different one.
            radius.widget.choices = sorted([*RADIUS_CHOICES, (int(value), f"{value} miles")])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("sort") == "distance" and not cleaned.get("near"):
            self.add_error(
                "sort", "Sorting by distance needs a ZIP code, so results are sorted by name."
            )
        return cleaned


class FindForm(forms.Form):
    """The home page's single 'ZIP code or city' box."""

    where = forms.CharField(max_length=100, required=False)
