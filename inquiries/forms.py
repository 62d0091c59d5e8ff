from django import forms
from django.core.validators import RegexValidator

from clinics.models import ROUTE_ORDER, Route
from inquiries.models import MESSAGE_MAX_LENGTH, Inquiry
from ketamine_directory.forms import LimitsSaidNotCutMixin, PlainLabelsMixin

# The trap for bots: a field people never see (see .honeypot in site.css).
HONEYPOT = "website"


class MessageField(forms.CharField):
    """Counts a line break as one character, as people (and browsers) do."""

    def to_python(self, value):
        return super().to_python(value).replace("\r\n", "\n")


class InquiryForm(LimitsSaidNotCutMixin, PlainLabelsMixin, forms.ModelForm):
    message = MessageField(
        label="Your message",
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=(
            "Ask about treatments, prices, insurance or appointments. Share only what you are "
            "comfortable with: health details can wait until you talk to them."
        ),
        error_messages={
            "required": "Please write a message for the clinic.",
            "max_length": (
                "Please shorten your message to %(limit_value)d characters or fewer "
                "(it has %(show_value)d). The clinic can ask for more when they reply."
            ),
        },
    )
    routes = forms.MultipleChoiceField(
        label="Treatments you are interested in (optional)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    consent = forms.BooleanField(
        label=(
            "I understand this message goes to the clinic's staff, not to emergency services, "
            "and that it may be a few days before they read it."
        ),
        error_messages={"required": "Please tick this box to send your message."},
    )
    website = forms.CharField(
        label="Leave this field empty",
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    class Meta:
        model = Inquiry
        fields = ["name", "email", "phone", "routes", "message"]
        labels = {
            "name": "What should the clinic call you? (optional)",
            "email": "Your email",
            "phone": "Phone (optional)",
        }
        help_texts = {
            "name": "A first name is enough.",
            "email": "The clinic replies to this address.",
            "phone": "Only if you would like a call back.",
        }
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        }
        error_messages = {
            "email": {
                "required": "Please give an email address so the clinic can reply.",
                "invalid": "Please check the email address: it should look like name@example.com.",
            },
        }

    def __init__(self, clinic, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.clinic = clinic
        offered = [offering.route for offering in clinic.sorted_offerings()]
        self.fields["routes"].choices = [
            (route, Route(route).label) for route in offered or Route.values
        ]
        self.fields["phone"].validators.append(
            RegexValidator(
                r"^(?=(?:\D*\d){7})[\d\s+().\-extEXT]*$",
                "Please enter a phone number with its digits (spaces, +, ( ) and - are fine), "
                "or leave it empty.",
            )
        )

    @property
    def is_from_a_bot(self):
        """Whether the hidden trap field was filled in (people never see it)."""
        return bool(self.data.get(HONEYPOT, "").strip())

    def clean_routes(self):
        return ",".join(sorted(self.cleaned_data["routes"], key=ROUTE_ORDER.get))

    def save(self, commit=True):
        inquiry = super().save(commit=False)
        inquiry.clinic = self.clinic
        if commit:
            inquiry.save()
        return inquiry
