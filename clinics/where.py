"""Reading the home page's one search box: a ZIP code, a state, or a city (and state)."""

import re
from dataclasses import dataclass

from clinics.states import US_STATES

ZIP_OR_ZIP4 = re.compile(r"(\d{5})(?:-\d{4})?")
# A ZIP code ending an address: "Austin, TX 78701", "12 Oak Ave, Austin TX 78701-1234".
ZIP_ENDING = re.compile(r"[\s,](\d{5})(?:-\d{4})?$")
DIGITS = re.compile(r"[\d\s-]+")
STATE_BY_NAME = {name.lower(): code for code, name in US_STATES.items()}


@dataclass(frozen=True)
class Where:
    zip_code: str = ""
    state: str = ""  # two-letter code
    city: str = ""
    bad_zip: bool = False


def state_code(text):
    """'TX', 'tx', 'Texas' or 'texas' -> 'TX'; '' when it is not a state."""
    text = text.strip().lower()
    if text.upper() in US_STATES:
        return text.upper()
    return STATE_BY_NAME.get(text, "")


def read_where(text):
    """
    What someone typed, read as a place. 'Austin, TX', 'austin tx' and
    'Austin Texas' all give city Austin in TX; a city alone gives no state,
    and a state alone no city. An address ending in a ZIP code is that ZIP.
    """
    text = " ".join(text.split())
    if match := ZIP_OR_ZIP4.fullmatch(text):
        return Where(zip_code=match[1])
    if DIGITS.fullmatch(text):
        return Where(bad_zip=True)
    if match := ZIP_ENDING.search(text):
        return Where(zip_code=match[1])
    if state := state_code(text):
        return Where(state=state)
    if "," in text:
        city, _, tail = text.rpartition(",")
        return Where(city=city.strip(), state=state_code(tail))
    words = text.split(" ")
    # A state at the end, as a code or a name of up to three words ("North Carolina").
    for size in (1, 2, 3):
        if len(words) > size and (state := state_code(" ".join(words[-size:]))):
            return Where(city=" ".join(words[:-size]), state=state)
    return Where(city=text)
