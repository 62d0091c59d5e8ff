from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import slugify

from clinics.forms import DollarsField, StateField, ZipCodeField
from clinics.geo import locate_zip
from clinics.models import MAX_SESSION_PRICE, Clinic, Condition, Payer, Route, unify_line_breaks
from clinics.price_ranges import implausible, series_price_too_low
from clinics.states import STATE_CHOICES
from clinics.validators import TEXT_LIMITS, TextLimit, validate_us_phone
from ketamine_directory.forms import LimitsSaidNotCutMixin, PlainLabelsMixin
from listings import snapshots
from listings.editing import as_it_was, changes_since, merged_ticks
from listings.models import Claim, ListingReport

PRICE_ERRORS = {
    "min_value": "Enter a price of $0 or more.",
    "max_value": (
        f"Prices above ${MAX_SESSION_PRICE:,} a session look like a typing mistake. "
        "Enter the price of one session in whole dollars."
    ),
    "invalid": "Enter a whole number of dollars, like 450 (no cents).",
}


class ClaimForm(LimitsSaidNotCutMixin, PlainLabelsMixin, forms.ModelForm):
    class Meta:
        model = Claim
        fields = ["work_email", "job_title", "message"]
        labels = {"work_email": "Your work email"}
        error_messages = {
            "work_email": {
                "required": "Please give your work email: it is how we check that you work there."
            },
            "job_title": {
                "required": "Please say what you do at the clinic, like practice manager or nurse."
            },
        }
        help_texts = {
            "work_email": (
                "If it is on the clinic's website domain, we email it a link and you are "
                "verified as soon as you open it. Otherwise an editor checks your claim."
            ),
        }
        widgets = {
            "work_email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "message": forms.Textarea(attrs={"rows": 4}),
        }

    def clean_work_email(self):
        return self.cleaned_data["work_email"].strip().lower()


def us_phone(phone):
    """A clinic's phone number as typed, if it is a US number; else a clear error."""
    phone = phone.strip()
    validate_us_phone(phone)
    return phone


def price_field(label, **kwargs):
    """
    Whole dollars as people type them ("$1,200"). A text box, not a number
    box: with "1,000" typed, a browser's number box sends nothing at all, and
    the price typed was lost without a word.
    """
    kwargs.setdefault("max_value", MAX_SESSION_PRICE)
    kwargs.setdefault("error_messages", PRICE_ERRORS)
    return DollarsField(
        label=label,
        required=False,
        min_value=0,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        **kwargs,
    )


class ListingForm(LimitsSaidNotCutMixin, PlainLabelsMixin, forms.ModelForm):
    """The clinic's own details; prices and insurance have forms of their own."""

    # The listing's edit_version when the form was loaded, and the latest one
    # whose changes were shown (they differ after a conflict was shown).
    started = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    conditions = forms.ModelMultipleChoiceField(
        queryset=Condition.objects.all(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Conditions treated",
    )
    confirm_prices = forms.BooleanField(
        required=False,
        label="These prices are correct today",
        help_text="Updates the “prices updated” date on your listing even if nothing changed.",
    )

    class Meta:
        model = Clinic
        # No website: its domain decides whose work email verifies a claim on
        # its own (listings.domains), so, like the name and address, editors set it.
        fields = ["telehealth", "description", "phone", "email", "hours", "providers"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "hours": forms.Textarea(attrs={"rows": 4}),
            "providers": forms.Textarea(attrs={"rows": 4}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.edit_version
        self.fields["started"].initial = self.instance.edit_version
        self.fields["conditions"].initial = [c.slug for c in self.instance.conditions.all()]
        for name, limit in TEXT_LIMITS.items():
            field = self.fields[name]
            field.max_length = limit
            # The model's own check, which says how long the text is, with
            # thousands written as such ("5,000"), which the form's message can't.
            field.validators.append(TextLimit(limit))
            field.error_messages.pop("max_length", None)

    def clean_phone(self):
        return us_phone(self.cleaned_data["phone"])

    def values(self):
        values = {name: self.cleaned_data[name] for name in self.Meta.fields}
        for name, value in values.items():
            if isinstance(value, str):
                # Compared with what is stored: without this, saving an untouched
                # form recorded changes nobody made.
                values[name] = unify_line_breaks(value)
        values["conditions"] = sorted(c.slug for c in self.cleaned_data["conditions"])
        return values


class OfferingForm(LimitsSaidNotCutMixin, PlainLabelsMixin, forms.Form):
    """One route's prices; both prices empty means the clinic does not offer it."""

    price_min = price_field("Lowest price per session, in dollars")
    price_max = price_field("Highest price per session, in dollars")
    series_sessions = forms.IntegerField(
        label="Sessions in the first series",
        required=False,
        min_value=1,
        max_value=60,
        help_text="Leave empty for the usual number.",
        error_messages={
            "invalid": "Enter a whole number of sessions, like 6.",
            "min_value": "Enter at least 1 session, or leave it empty for the usual number.",
            "max_value": "Enter at most 60 sessions in the first series.",
        },
        # A text box, as the prices are: a number box sends nothing for "6 sessions".
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    series_price = price_field(
        "Package price for the series, in dollars",
        max_value=MAX_SESSION_PRICE * 60,
        error_messages=PRICE_ERRORS
        | {"max_value": "That is more than 60 sessions at the highest price."},
        help_text="Only if you sell the series as a package.",
    )
    notes = forms.CharField(
        label="Notes",
        max_length=300,
        required=False,
        error_messages={"max_length": "Keep this under 300 characters (it has %(show_value)d)."},
    )

    def __init__(self, route, *args, **kwargs):
        self.route = Route(route)
        super().__init__(*args, prefix=route, **kwargs)

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("price_min"), cleaned.get("price_max")
        if self.errors:
            return cleaned
        others = [cleaned.get(name) for name in ("series_sessions", "series_price", "notes")]
        if low is None and high is None:
            if any(value not in (None, "") for value in others):
                raise forms.ValidationError(
                    "Add the price per session, or clear this row if you don't offer it."
                )
        elif low is None or high is None:
            raise forms.ValidationError(
                "Enter both the lowest and the highest price per session "
                "(the same number twice if there is one price)."
            )
        elif low > high:
            self.add_error("price_max", "The highest price can't be below the lowest.")
        elif high == 0:
            self.add_error(
                "price_max",
                "A price of $0 would read as free treatment. Enter what a patient pays "
                "per session.",
            )
        else:
            self._check_plausible(cleaned)
        return cleaned

    def _check_plausible(self, cleaned):
        low, sessions = cleaned["price_min"], cleaned.get("series_sessions")
        series_price = cleaned.get("series_price")
        in_series = sessions or self.route.default_series_sessions
        too_low = series_price_too_low(low, series_price, in_series)
        if too_low:
            self.add_error("series_price", too_low)
            return
        problems = implausible(
            self.route.value, low, cleaned["price_max"], sessions, series_price, in_series
        )
        for name, message in problems.items():
            # Plain text, no link: the error summary links each message to its field.
            self.add_error(
                name,
                f"{message} If it really is right, email the editors at {settings.EDITORS_EMAIL}.",
            )

    def value(self):
        if self.cleaned_data.get("price_min") is None:
            return None
        return {
            "price_min": self.cleaned_data["price_min"],
            "price_max": self.cleaned_data["price_max"],
            "series_sessions": self.cleaned_data["series_sessions"],
            "series_price": self.cleaned_data["series_price"],
            "notes": self.cleaned_data["notes"].strip(),
        }


ALL_ROUTES = ""
PRICE_NAMES = ("price_min", "price_max")


class InsuranceForm(forms.Form):
    """
    Payers accepted, each for every route or for chosen routes (a grid of
    checkboxes), with a column for each of `routes`: the treatments the clinic
    lists. Any route stays a valid choice, so a tick for a route the clinic
    doesn't list gets ListingEditForms' explanation, not "Select a valid choice".
    """

    accepted = forms.MultipleChoiceField(required=False)

    def __init__(self, *args, routes=(), initial_accepted=(), **kwargs):
        super().__init__(*args, initial={"accepted": list(initial_accepted)}, **kwargs)
        self.payers = list(Payer.objects.all())
        # A payer taken off the site since the page was opened is no choice now:
        # its tick is left out, and said, not refused as "not one of the choices".
        self.payers_gone = False
        if self.is_bound and hasattr(self.data, "getlist"):
            known = {payer.slug for payer in self.payers}
            sent = self.data.getlist(self.add_prefix("accepted"))
            kept = [item for item in sent if item.split(":")[0] in known]
            if len(kept) != len(sent):
                self.data = self.data.copy()
                self.data.setlist(self.add_prefix("accepted"), kept)
                self.payers_gone = True
        every_route = [(route.value, route.short_label) for route in Route]
        self.fields["accepted"].choices = [
            (f"{payer.slug}:{route}", f"{payer.name}, {label}")
            for payer in self.payers
            for route, label in [(ALL_ROUTES, "All treatments"), *every_route]
        ]
        # Every route has a column; those the clinic doesn't list are hidden
        # until prices are typed for them (listing_edit.js), so a treatment and
        # its insurance can be added in one save when JavaScript runs.
        self.columns = [(ALL_ROUTES, "All treatments", True)] + [
            (route, label, route in routes) for route, label in every_route
        ]
        self.routes_not_listed = not all(shown for _, _, shown in self.columns)

    def rows(self):
        """[(payer, [(value, route, route label, shown, checked)])] for the template's grid."""
        chosen = set(self["accepted"].value() or [])
        return [
            (
                payer,
                [
                    (value, route, label, shown, value in chosen)
                    for route, label, shown in self.columns
                    for value in [f"{payer.slug}:{route}"]
                ],
            )
            for payer in self.payers
        ]

    def value(self):
        accepted = set(self.cleaned_data["accepted"])
        # "All treatments" covers the single routes: keep the plainer record.
        every = {item.split(":")[0] for item in accepted if item.endswith(":")}
        return sorted(
            item for item in accepted if item.endswith(":") or item.split(":")[0] not in every
        )


def typed_into_edit_page(data):
    """
    What an edit page sent, as (label, text) pairs: the boxes filled in, for a
    page that cannot save them to show, so that nothing typed is lost.
    """
    boxes = [
        (name, field.label)
        for name, field in ListingForm.base_fields.items()
        if isinstance(field, forms.CharField)
    ]
    for route in Route:
        boxes += [
            (f"{route}-{name}", f"{route.label}: {field.label[0].lower()}{field.label[1:]}")
            for name, field in OfferingForm.base_fields.items()
        ]
    return [(label, data[name]) for name, label in boxes if str(data.get(name, "")).strip()]


class ListingEditForms:
    """The edit page's forms together: details, one per route, insurance."""

    def __init__(self, clinic, data=None, snapshot=None):
        self.clinic = clinic
        # Without the versions it was opened at, a save can't tell the person's
        # changes from other people's, and might undo theirs. The hidden fields
        # can't show an error: the page says so itself, and starts from the
        # listing as it is now, so that saving again is deliberate.
        self.version_unknown = data is not None and not self._knows_version(data)
        if self.version_unknown:
            data = data.copy()
            data["started"] = data["version"] = str(clinic.edit_version)
        self.details = ListingForm(data, instance=clinic)
        self.offerings = [
            OfferingForm(route, data, initial=(snapshot or {}).get(f"offering:{route}") or {})
            for route in Route.values
        ]
        initial_accepted = (snapshot or {}).get("insurance", [])
        self.insurance = InsuranceForm(
            data,
            routes=self._routes_listed(data, snapshot or {}),
            initial_accepted=initial_accepted,
        )

    @staticmethod
    def _routes_listed(data, snapshot):
        """
        The routes the insurance grid has a column for: those the listing (or
        the form sent back) gives prices for, and any with a payer ticked, so
        that a tick can always be seen and taken off, never silently dropped.
        """
        if data is None:
            priced = {route for route in Route.values if snapshot.get(f"offering:{route}")}
            ticked = snapshot.get("insurance", [])
        else:
            priced = {
                route
                for route in Route.values
                if any(str(data.get(f"{route}-{name}", "")).strip() for name in PRICE_NAMES)
            }
            ticked = data.getlist("accepted") if hasattr(data, "getlist") else []
        return priced | {item.partition(":")[2] for item in ticked}

    def _knows_version(self, data):
        """Whether the page says which versions of the listing it was opened at and shown."""
        try:
            started, version = int(data.get("started", "")), int(data.get("version", ""))
        except (TypeError, ValueError):
            return False
        return 0 <= started <= version <= self.clinic.edit_version

    @property
    def all(self):
        return [self.details, *self.offerings, self.insurance]

    def is_valid(self):
        # Every form, not up to the first invalid one: all errors show at once.
        results = [form.is_valid() for form in self.all]
        if all(results):
            self._check_insurance_routes()
            self._check_some_treatment_listed()
        return (
            all(results)
            and not self.insurance.errors
            and not self.details.errors
            and not self.version_unknown
        )

    def _check_some_treatment_listed(self):
        # A listing without a single price reads as a clinic with nothing to
        # offer, and would still show as verified with "prices updated today".
        # A new listing without prices yet may save its other details first.
        priced = any(form.value() for form in self.offerings)
        if not priced and self.clinic.offerings.exists():
            self.details.add_error(
                None,
                "Keep at least one treatment with its prices: a listing needs one. If the "
                f"clinic has stopped offering ketamine treatment, email the editors at "
                f"{settings.EDITORS_EMAIL} and they will take the listing down.",
            )
        elif not priced and self.details.cleaned_data.get("confirm_prices"):
            # "Prices updated today" over no prices, and no reminder to add them.
            self.details.add_error(
                "confirm_prices",
                "There are no prices to confirm yet: add a treatment and its prices first.",
            )

    def _check_insurance_routes(self):
        """Insurance for one treatment only makes sense if the clinic lists that treatment."""
        offered = {form.route.value for form in self.offerings if form.value()}
        listed_before = set(self.clinic.offerings.values_list("route", flat=True))
        names = {payer.slug: payer.name for payer in self.insurance.payers}
        for item in self.insurance.cleaned_data["accepted"]:
            slug, route = item.split(":", 1)
            if not route or route in offered:
                continue
            label = Route(route).short_label
            if route in listed_before:
                # Cleared in this save: refused rather than dropped, in case
                # clearing the prices was the slip.
                message = (
                    f"You ticked {names[slug]} for {label}, whose prices you cleared. Untick "
                    f"it if you no longer offer {label}, or put the prices back."
                )
            else:
                message = (
                    f"You ticked {names[slug]} for {label}, which you don't list. Untick it, "
                    "or add that treatment's prices above."
                )
            self.insurance.add_error("accepted", message)

    @property
    def has_errors(self):
        return self.version_unknown or self.has_field_errors

    @property
    def has_field_errors(self):
        return any(form.errors for form in self.all)

    @property
    def version(self):
        return self.details.cleaned_data["version"]

    @property
    def started(self):
        return self.details.cleaned_data["started"]

    def values(self):
        values = self.details.values()
        for form in self.offerings:
            values[f"offering:{form.route.value}"] = form.value()
        values["insurance"] = self.insurance.value()
        return values

    def rebase(self, version):
        """
        After a conflict: start again from the listing as it is now (`version`),
        with this person's own changes on top, so that saving again is
        deliberate and whatever they left alone shows what others saved: an
        edit of it then starts from those words, not from an old copy.
        """
        current = snapshots.take(self.clinic)
        opened = as_it_was(current, changes_since(self.clinic, self.started))
        mine = self.values()
        data = self.details.data.copy()
        for part, value in mine.items():
            if part in snapshots.TICK_PARTS:
                _put(data, part, merged_ticks(current[part], value, opened[part]))
            elif value == opened.get(part):
                _put(data, part, current[part])
        data["started"] = data["version"] = str(version)
        self.__init__(self.clinic, data)


def _put(data, part, value):
    """Write one part of a listing snapshot into the edit page's form data."""
    if part.startswith("offering:"):
        route = part.split(":", 1)[1]
        for name in snapshots.OFFERING_FIELDS:
            field_value = value.get(name) if value else None
            data[f"{route}-{name}"] = "" if field_value is None else str(field_value)
    elif part == "insurance":
        data.setlist("accepted", value)
    elif part == "conditions":
        data.setlist("conditions", value)
    elif part == "telehealth":
        if value:
            data["telehealth"] = "on"
        else:
            data.pop("telehealth", None)
    else:
        data[part] = value


class NewClinicForm(LimitsSaidNotCutMixin, PlainLabelsMixin, forms.ModelForm):
    """A clinic that is not in the directory yet, as its staff describe it."""

    state = StateField(label="State")
    zip_code = ZipCodeField(
        label="ZIP code", error_messages={"unknown": "We don't know ZIP %(zip)s. Check the number."}
    )

    class Meta:
        model = Clinic
        fields = [
            "name", "street_address", "city", "state", "zip_code",
            "phone", "website", "email", "telehealth", "description",
        ]  # fmt: skip
        labels = {
            "name": "Clinic name",
            "website": "Clinic website",
            "email": "Clinic email for patients",
            "telehealth": "Offers telehealth or at-home care",
        }
        help_texts = {"description": "Plain text. What patients should know about the clinic."}
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", "Choose a state"), *STATE_CHOICES]
        self.fields["street_address"].required = True
        for name, message in {
            "name": "Please give the clinic's name.",
            "street_address": "Please give the clinic's street address.",
            "city": "Please give the city the clinic is in.",
            "state": "Please choose the state the clinic is in.",
            "zip_code": "Please give the clinic's ZIP code.",
        }.items():
            self.fields[name].error_messages["required"] = message

    def clean_phone(self):
        return us_phone(self.cleaned_data["phone"])

    def clean(self):
        cleaned = super().clean()
        name, city, state = cleaned.get("name"), cleaned.get("city"), cleaned.get("state")
        zip_code = cleaned.get("zip_code")
        zip_state = locate_zip(zip_code)[3] if zip_code else None
        if state and zip_state and zip_state != state:
            self.add_error(
                "zip_code",
                forms.ValidationError(
                    "ZIP %(zip)s is in %(zip_state)s, not %(state)s. Check the ZIP or the state.",
                    code="wrong-state",
                    params={"zip": zip_code, "zip_state": zip_state, "state": state},
                ),
            )
        if not (name and city and state):
            return cleaned
        listed = (
            Clinic.objects.exclude(status=Clinic.Status.HIDDEN)
            .filter(name__iexact=name.strip(), city_slug=slugify(city), state=state)
            .first()
        )
        if listed and listed.status == Clinic.Status.PUBLISHED:
            raise forms.ValidationError(
                format_html(
                    "{} in {} is in the directory already. If you work there, "
                    '<a href="{}">claim its listing</a> instead.',
                    listed.name,
                    listed.city,
                    reverse("listings:claim", args=[listed.slug]),
                ),
                code="already-listed",
            )
        if listed:
            raise forms.ValidationError(
                "%(name)s in %(city)s has been added already and is waiting for an editor. "
                "If you added it, you'll find it under Your clinics.",
                code="already-proposed",
                params={"name": listed.name, "city": listed.city},
            )
        return cleaned


class NewClinicClaimForm(ClaimForm):
    """Who is adding the clinic: an editor checks every new listing by hand."""

    class Meta(ClaimForm.Meta):
        help_texts = {
            "work_email": "An address at the clinic helps the editors check you work there.",
        }


class ReportForm(LimitsSaidNotCutMixin, PlainLabelsMixin, forms.ModelForm):
    """A visitor telling the editors that a listing looks wrong."""

    class Meta:
        model = ListingReport
        fields = ["problem", "details"]
        widgets = {"problem": forms.RadioSelect, "details": forms.Textarea(attrs={"rows": 5})}
        error_messages = {
            "problem": {"required": "Please choose what is wrong."},
            "details": {
                "max_length": (
                    "Please keep it to %(limit_value)d characters (it has %(show_value)d)."
                )
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A radio list with no blank "---------" choice.
        self.fields["problem"].choices = ListingReport.Problem.choices
