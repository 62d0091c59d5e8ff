import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.text import slugify

from clinics.geo import locate_zip
from clinics.states import STATE_CHOICES, US_STATES
from clinics.where import as_typed, read_city, read_where

# [0-9], not \d, which matches the digits of every script.
ZIP_PATTERN = re.compile(r"^[0-9]{5}$")
# A ZIP code as people type it, ZIP+4 included ("78701-1234"): its first five digits count.
TYPED_ZIP = re.compile(r"([0-9]{5})(?:[- ]?[0-9]{4})?")


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
            if not value.isprintable() or len(value) > 20:
                # Junk from a tampered link is not worth repeating back.
                raise ValidationError("That is not a US state code.", code="invalid_choice")
            raise ValidationError(
                "“%(value)s” is not a US state code.",
                code="invalid_choice",
                params={"value": value},
            )


class TypedTextField(forms.CharField):
    """A text box whose NUL-character error speaks plainly (pasted junk, not a real typo)."""

    null_message = "Remove the unusual characters from the text."

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators = [
            ProhibitNullCharactersValidator(message=self.null_message)
            if isinstance(validator, ProhibitNullCharactersValidator)
            else validator
            for validator in self.validators
        ]


class CityField(TypedTextField):
    null_message = "Remove the unusual characters from the city name."
    default_error_messages = {
        "max_length": "That is too long for a city name. Type just the city, like Austin.",
    }

    def clean(self, value):
        value = super().clean(value)
        # Cities are found by their slug: text with no letter or digit of the
        # Latin alphabet ("☃", "!!!", "北京") has none, and would search nowhere
        # while the heading said "in ☃".
        if value and not slugify(value):
            raise ValidationError(
                "We can't search for a city by that name. Type a US city, like Austin.",
                code="no_city",
            )
        return value


class ZipCodeField(TypedTextField):
    """
    A US ZIP code that we can place on the map, 5 digits or ZIP+4; cleans to
    the 5 digits, and shows them in the box. A ZIP in an address pasted into
    the box ("Austin, TX 78701") is read as the home page's search reads it.
    """

    null_message = "Enter a 5-digit ZIP code, like 78701."
    default_error_messages = {
        "unknown": "We don't know ZIP %(zip)s. Check the number, or search by city or state.",
        "max_length": "That is too long for a ZIP code. Enter 5 digits, like 78701.",
    }

    def __init__(self, **kwargs):
        # Room for a pasted address: a bound on what is read, not on a ZIP.
        kwargs.setdefault("max_length", 200)
        super().__init__(**kwargs)

    @staticmethod
    def five_digits(value):
        """
        '78701-1234', ' 78701 ', 'Austin, TX 78701', '７８７０１' and '٧٨٧٠١'
        -> '78701'; anything else as typed.
        """
        if not isinstance(value, str) or len(value) > 200:
            return value
        typed = as_typed(value)
        if match := TYPED_ZIP.fullmatch(typed):
            return match[1]
        return read_where(typed).zip_code or value

    def to_python(self, value):
        return self.five_digits(super().to_python(value))

    def bound_data(self, data, initial):
        return self.five_digits(super().bound_data(data, initial))

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        if not ZIP_PATTERN.match(value):
            raise ValidationError("Enter a 5-digit ZIP code, like 78701.", code="invalid")
        if locate_zip(value) is None:
            raise ValidationError(
                self.error_messages["unknown"], code="unknown", params={"zip": value}
            )
        return value


WHOLE_DOLLARS = re.compile(r"([0-9]+)(?:\.0*)?")


class DollarsField(forms.IntegerField):
    """
    Whole dollars, typed as people write them: "$400", "1,000", "$ 1,000" and
    "$1,000.00" are read (and shown back) as 400 and 1000. Cents that are not
    zero are refused by the field's own check ("no cents").
    """

    @staticmethod
    def plain(value):
        if not isinstance(value, str):
            return value
        digits = WHOLE_DOLLARS.fullmatch(re.sub(r"[\s$,]", "", value))
        return digits[1] if digits else value

    def to_python(self, value):
        return super().to_python(self.plain(value))

    def bound_data(self, data, initial):
        return self.plain(super().bound_data(data, initial))


DEFAULT_RADIUS = 25
MAX_RADIUS = 500
# Up to 250: far from any city the nearest clinic may be a few hours' drive.
RADIUS_CHOICES = [
    (10, "10 miles"),
    (25, "25 miles"),
    (50, "50 miles"),
    (100, "100 miles"),
    (250, "250 miles"),
]


class RadiusField(forms.IntegerField):
    """Miles from the ZIP code: a menu of common distances, but any 1-500 is accepted."""

    widget = forms.Select

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_RADIUS)
        kwargs.setdefault(
            "error_messages",
            {
                "invalid": "Choose a distance in miles, like 25.",
                "min_value": "Choose a distance of 1 to 500 miles.",
                "max_value": "Choose a distance of 1 to 500 miles.",
            },
        )
        super().__init__(**kwargs)
        self.widget.choices = RADIUS_CHOICES

    def widget_attrs(self, widget):
        return {}

    def miles(self, value):
        """
        The whole miles the search reads from what was sent ("+250", " 250 ",
        "٢٥٠" and "250.0" are 250), whether in range or not; None if no number.
        """
        try:
            return self.to_python(value)
        except ValidationError:
            return None

    def bound_data(self, data, initial):
        # The menu compares the value it shows with its options as text: "+250"
        # marked none, and the browser showed (and htmx then sent) 10 miles.
        # Refused, a distance below 1 or no number searches the default, so the
        # menu shows that beside the error; one above 500 is shown as sent.
        miles = self.miles(data)
        return str(DEFAULT_RADIUS) if miles is None or miles < 1 else str(miles)


class ClinicFilterForm(forms.Form):
    """
    The directory's filter form; django-filter adds the fields. `notes` lists
    what was left out of the search without being an error of a field.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.notes = []
        route = self.fields.get("route")
        if route and self.is_bound and hasattr(self.data, "getlist"):
            # A route nobody can tick (a mistyped shared link) should not throw
            # away the routes that are real.
            known = dict(route.choices)
            asked = self.data.getlist("route")
            unknown = [value for value in asked if value not in known]
            if unknown:
                self.data = self.data.copy()
                self.data.setlist("route", [value for value in asked if value in known])
                self.notes += [f"“{value}” is not a treatment we list." for value in unknown]
        typed_city = self.data.get("city", "") if self.is_bound and "city" in self.fields else ""
        if isinstance(typed_city, str) and typed_city.strip():
            # "Austin, TX" or "NYC" in the City box, as on the home page: the
            # city, and its state. Typed with the city, a state is the newer
            # choice than the menu's (which a state page sets for the visitor):
            # "Austin, TX" with Colorado chosen searches Texas, and says so.
            city = read_city(typed_city)
            chosen = str(self.data.get("state", "")).strip().upper()
            if city:
                self.data = self.data.copy()
                self.data["city"] = city.city
                if city.state:
                    self.data["state"] = city.state
                if city.state and chosen in US_STATES and city.state != chosen:
                    self.notes.append(
                        f"Searched {US_STATES[city.state]}, the state typed with the city, "
                        f"rather than {US_STATES[chosen]}."
                    )
        radius = self.fields.get("radius")
        miles = radius.miles(self.data.get("radius")) if radius and self.is_bound else None
        if miles is not None and miles >= 1 and miles not in dict(RADIUS_CHOICES):
            # Show a shared URL's own radius rather than silently a different one.
            radius.widget.choices = sorted([*RADIUS_CHOICES, (miles, f"{miles} miles")])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("sort") == "distance" and not cleaned.get("near"):
            self.add_error(
                "sort", "Sorting by distance needs a ZIP code, so results are sorted by name."
            )
        return cleaned


class FindForm(forms.Form):
    """The home page's single 'ZIP code or city' box."""

    where = forms.CharField(
        max_length=100,
        required=False,
        error_messages={
            "max_length": (
                "That is more than 100 characters. Type a ZIP code, or a city and its state."
            ),
            "null_characters_not_allowed": (
                "Remove the unusual characters, and type a ZIP code or a city."
            ),
        },
    )


class CompareFindForm(forms.Form):
    """The compare page's 'add a clinic' box: part of a clinic's name, or its city."""

    find = forms.CharField(
        label="Clinic name or city",
        max_length=100,
        required=False,
        error_messages={
            "max_length": "That is too long for a clinic's name. Type a few words of it.",
            "null_characters_not_allowed": "Type the clinic's name or city in letters.",
        },
    )
