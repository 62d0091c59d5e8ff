"""
Checks a clinic's fields pass on every form that edits them (the staff form,
the new-clinic form, the admin), as the model fields' validators.
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.deconstruct import deconstructible

# Generous for a directory listing, and a bound on what one save can store.
TEXT_LIMITS = {"description": 5000, "hours": 500, "providers": 2000}
# A US number with the usual separators, and an extension: "(512) 555-0100 ext. 12".
# Hyphens and dashes of every kind (copied from web pages and word processors)
# separate the digits as "-" does; so may a comma before the extension.
PHONE = re.compile(
    r"(?P<number>\+?[\d\s().\-\u2010-\u2015\u2212]+?)[\s,]*((ext\.?|extension|x)\s*\d{1,6})?",
    re.IGNORECASE,
)
# Ten digits (an optional leading 1, the country code): area codes and
# exchanges never start with 0 or 1, so "111 111 1111" is a typing slip.
US_NUMBER = re.compile(r"1?[2-9]\d\d[2-9]\d{6}")
PHONE_MESSAGE = (
    "Enter a phone number: a US number with its area code, like (512) 555-0100, "
    "and an extension after it if there is one (ext. 12)."
)


def validate_us_phone(phone):
    """Refuse a phone number that is not a US number with its area code (empty is fine)."""
    phone = phone.strip()
    typed = PHONE.fullmatch(phone)
    digits = "".join(filter(str.isdigit, typed["number"])) if typed else ""
    if phone and not US_NUMBER.fullmatch(digits):
        raise ValidationError(PHONE_MESSAGE, code="phone")


@deconstructible
class TextLimit(MaxLengthValidator):
    """
    A length limit on a text, said in words, with how long the text is
    ("Keep this under 5,000 characters (it has 6,120).").
    """

    def __init__(self, limit):
        super().__init__(limit, message=f"Keep this under {limit:,} characters.")
        self.limit = limit

    def __call__(self, value):
        length = self.clean(value)
        if self.compare(length, self.limit):
            raise ValidationError(
                f"Keep this under {self.limit:,} characters (it has {length:,}).",
                code=self.code,
                params={"limit_value": self.limit, "show_value": length, "value": value},
            )

    def __eq__(self, other):
        return isinstance(other, TextLimit) and other.limit == self.limit

    def deconstruct(self):
        return ("clinics.validators.TextLimit", (self.limit,), {})
