"""
Reading the home page's one search box: a ZIP code, a state, or a city (and
state), as people type them, pasted addresses included.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.utils.text import slugify

from clinics.geo import locate_zip, places_named
from clinics.states import US_STATES


def as_typed(text):
    """
    Text as a keyboard in another script types what we read: full-width
    letters and digits (East Asian keyboards) as their plain forms, and every
    script's digits ("٧٨٧٠١", Arabic-Indic) as 0-9, spaces collapsed.
    """
    text = unicodedata.normalize("NFKC", text)
    text = "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in text)
    # Phones and word processors turn "78701-1234" into "78701–1234".
    text = DASHES.sub("-", text)
    return " ".join(text.split())


DASHES = re.compile(r"[\u2010-\u2015\u2212]")
# ZIP+4 as written on envelopes, with a hyphen, or with a space.
ZIP_OR_ZIP4 = re.compile(r"(\d{5})(?:[- ]\d{4})?")
# A ZIP code anywhere in the text: "Austin, TX 78701", "78701 Austin", "78701-1234".
ZIP_IN_TEXT = re.compile(r"(?<![\d-])(\d{5})(?:-\d{4})?(?![\d-])")
DIGITS = re.compile(r"[\d\s-]+")
HOUSE_NUMBER = re.compile(r"\d+[a-z]?\b")
STATE_BY_NAME = {name.lower(): code for code, name in US_STATES.items()}
COUNTRY = {"us", "usa", "united states", "united states of america", "america"}
# What people call a city, when it is not the name the clinics are listed under.
CITY_ALIASES = {
    "nyc": ("New York", "NY"),
    "new york city": ("New York", "NY"),
    "ny city": ("New York", "NY"),
    "la": ("Los Angeles", "CA"),  # only as a city: "LA" alone is Louisiana
    "sf": ("San Francisco", "CA"),
    "san fran": ("San Francisco", "CA"),
    "philly": ("Philadelphia", "PA"),
    "vegas": ("Las Vegas", "NV"),
    "slc": ("Salt Lake City", "UT"),
    "nola": ("New Orleans", "LA"),
}
# How many trailing words of an address may name its city ("Salt Lake City").
CITY_WORDS = 4


@dataclass(frozen=True)
class Reading:
    """One way of reading the words as a city: its name, its state if named."""

    city: str
    state: str = ""
    # The whole of a part of what was typed, not the last words of one: only
    # then may it be taken for a town nobody lists (else "Bogus Beach" would
    # be Beach, North Dakota).
    whole: bool = True


@dataclass(frozen=True)
class Where:
    zip_code: str = ""
    state: str = ""  # two-letter code, when the words name a state
    # Readings as a city, most likely first.
    cities: tuple = ()
    bad_zip: bool = False
    # The words start with a house number: the last words of the street part
    # may be the city ("123 Congress Ave Austin").
    address: bool = False


def _plain(text):
    """Lower case, without full stops: 'N.Y.C.' -> 'nyc', 'D.C.' -> 'dc'."""
    return " ".join(text.replace(".", "").lower().split())


def state_code(text):
    """'TX', 'tx', 'T.X.', 'Texas' or 'texas' -> 'TX'; '' when it is not a state."""
    text = _plain(text)
    if text.upper() in US_STATES:
        return text.upper()
    return STATE_BY_NAME.get(text, "")


def read_where(text):
    """
    What someone typed, read as a place. 'Austin, TX', 'austin tx' and
    'Austin Texas' all give city Austin in TX; a city alone gives no state,
    and a state alone no city. A ZIP code anywhere in the text is that ZIP,
    unless the text names another state (then it is a house number).
    """
    text = as_typed(text)
    if match := ZIP_OR_ZIP4.fullmatch(text):
        return Where(zip_code=match[1])
    if DIGITS.fullmatch(text):
        return Where(bad_zip=True)
    zips = ZIP_IN_TEXT.findall(text)
    words = " ".join(ZIP_IN_TEXT.sub(" ", text).split()).strip(" ,")
    place = _read_place(words, address=bool(HOUSE_NUMBER.match(text))) if words else Where()
    for zip_code in reversed(zips):
        located = locate_zip(zip_code)
        if located and (not place.state or located[3] == place.state):
            return Where(zip_code=zip_code)
    if zips and not (place.state or place.cities):
        return Where(zip_code=zips[-1])  # the directory explains a ZIP it doesn't know
    return place


def read_city(text):
    """
    What someone typed in a box for a city, read as a city: 'Austin, TX' and
    'austin texas' give Austin in TX, 'NYC' and 'LA' New York and Los Angeles
    in their states, a city alone no state. None when the words name no city
    (a state alone, a ZIP code) or only a piece of them does, with no state
    ("1,000", "Austin, XX"): the box then takes them as typed.
    """
    text = as_typed(text)
    alias = _alias(Reading(text))
    if alias.state:
        return alias  # in a box for a city, "LA" is Los Angeles
    where = read_where(text)
    if where.zip_code or where.bad_zip or not where.cities or not where.cities[0].whole:
        return None
    city = where.cities[0]
    if not city.state and city.city != text:
        # Only a piece of the words ("000" of "1,000", "XX" of "Austin, XX"):
        # with no state read along with it, that is no reading to put in the box.
        return None
    return city


def _read_place(text, address=False):
    if state := state_code(text):
        return Where(state=state)
    parts = [part.strip() for part in text.split(",") if part.strip()]
    while parts and _plain(parts[-1]) in COUNTRY:
        parts.pop()  # "Austin, TX, USA"
    if not parts:
        return Where()
    if len(parts) == 1 and (state := state_code(parts[0])):
        return Where(state=state)
    if len(parts) > 1 and (state := state_code(parts[-1])):
        return _cities([parts[-2]], state, address)
    city, state = _split_state(parts[-1])
    if state:
        return _cities([city], state, address)
    # No state named: the city is the last part ("123 Congress Ave, Austin"),
    # or the one before a part we can't read ("Austin, XX").
    return _cities(parts[::-1][:2], "", address)


def _split_state(text):
    """'Austin TX' -> ('Austin', 'TX'); 'Austin' -> ('Austin', '')."""
    words = text.split(" ")
    while len(words) > 1 and _plain(words[-1]) in COUNTRY:
        words.pop()
    # A state at the end, as a code or a name of up to three words ("North Carolina").
    for size in (1, 2, 3):
        if len(words) > size and (state := state_code(" ".join(words[-size:]))):
            return " ".join(words[:-size]), state
    return " ".join(words), ""


def _cities(parts, state, address):
    readings = []
    for part in parts:
        words = part.split(" ")
        readings.append(_alias(Reading(part, state)))
        # The last words of an address's street part ("123 Congress Ave Austin").
        for size in range(min(len(words) - 1, CITY_WORDS), 0, -1):
            readings.append(_alias(Reading(" ".join(words[-size:]), state, whole=False)))
    return Where(state=state, cities=tuple(dict.fromkeys(readings)), address=address)


def _alias(reading):
    alias = CITY_ALIASES.get(_plain(reading.city))
    if alias and reading.state in ("", alias[1]):
        return Reading(alias[0], alias[1], reading.whole)
    return reading


# Abbreviations that postal names spell out, and the other way round.
SLUG_PREFIXES = [("st-", "saint-"), ("ft-", "fort-"), ("mt-", "mount-")]


def slug_variants(city):
    """A city's slug, and its spellings with 'St'/'Saint', 'Ft'/'Fort', 'Mt'/'Mount'."""
    slug = slugify(city)
    variants = [slug]
    for short, long in SLUG_PREFIXES:
        if slug.startswith(short):
            variants.append(long + slug.removeprefix(short))
        elif slug.startswith(long):
            variants.append(short + slug.removeprefix(long))
    return variants


def known_places(city):
    """{state: (postal name, [ZIP codes])} of the US cities and towns called this."""
    places = {}
    for slug in slug_variants(city):
        for state, place in places_named(slug).items():
            if state in US_STATES:
                places.setdefault(state, place)
    return places
