"""
What a session of each route plausibly costs, so that a typing slip (IV at $1,
a $600,000 package) is refused before it reaches the price sort, the
max-price filter and the guides' live medians.

The figures widen PRODUCT.md's "Facts to draw on" a long way, so that no real
price is refused:
- IV: typically $350-$600 a session, some clinics up to $800.
- IM: about $275-$600.
- Spravato: $600-$900 list, $1,000 and more without insurance. The floor is
  low because a clinic may list what patients pay with insurance, which the
  manufacturer's savings programme can bring down to a small copay ($10 a
  treatment), but not $0: free would read as a mistake.
- At-home: about $130-$250 a session-equivalent.
- KAP: about $400-$800, longer sessions up to about $1,250.
A package under half its sessions at the lowest price is refused too
(series_price_too_low). A real price outside these is for the editors to confirm with the clinic and
then widen the range here: the same rule holds on the staff form and in the
admin (Offering.clean), so nothing slips past either.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class PriceRange:
    low: int
    high: int

    def __contains__(self, price):
        return self.low <= price <= self.high

    def __str__(self):
        return f"${self.low:,} to ${self.high:,}"


# Dollars per session, by route slug (clinics.models.Route).
PLAUSIBLE_SESSION_PRICES = {
    "iv": PriceRange(100, 3_000),
    "im": PriceRange(50, 2_000),
    "spravato": PriceRange(10, 3_000),
    "at-home": PriceRange(25, 1_000),
    "kap": PriceRange(100, 3_000),
}

# Sessions in an initial series sold as a package. The longest first course
# in the brief is Spravato's, about 21 sessions in six months; KAP is often 6
# dosing and 6 integration sessions. More is maintenance, or a slip.
MAX_SERIES_SESSIONS = 24


def implausible(route, price_min, price_max, series_sessions, series_price, sessions):
    """
    {field name: why its value is implausible for the route}, in plain words
    for the person who typed it; empty when all is plausible. `sessions` is
    the number a package price covers (series_sessions, or the route's usual
    number). Values still None (missing or refused already) are not judged.
    """
    from clinics.models import Route  # the models use this module

    if route not in PLAUSIBLE_SESSION_PRICES:
        return {}
    allowed = PLAUSIBLE_SESSION_PRICES[route]
    treatment = Route(route).label_in_sentence
    problems = {}
    for name, price in (("price_min", price_min), ("price_max", price_max)):
        if price is not None and price not in allowed:
            problems[name] = (
                f"${price:,} a session is outside what {treatment} costs ({allowed} a "
                "session), so it looks like a typing mistake. Enter the price of one "
                "session in whole dollars."
            )
    if series_sessions is not None and series_sessions > MAX_SERIES_SESSIONS:
        problems["series_sessions"] = (
            f"{series_sessions} sessions is more than a first series of {treatment} "
            f"usually has (we list up to {MAX_SERIES_SESSIONS}). Enter the sessions in the "
            "initial series only, without maintenance."
        )
    elif series_price is not None:
        package = PriceRange(allowed.low * sessions, allowed.high * sessions)
        if series_price not in package:
            problems["series_price"] = (
                f"${series_price:,} for {sessions} sessions of {treatment} is outside what "
                f"that many sessions cost ({package}), so it looks like a typing mistake. "
                "Enter the price of the whole series in whole dollars."
            )
        elif price_max is not None and series_price > price_max * sessions:
            # A package is what a series costs bought at once: never more than
            # its sessions one by one.
            problems["series_price"] = (
                f"${series_price:,} for {sessions} sessions is more than they cost one by one "
                f"at the highest price ({sessions} × ${price_max:,} = ${price_max * sessions:,}). "
                "Enter the price of the whole series in whole dollars."
            )
    return problems


def series_price_too_low(price_min, series_price, sessions):
    """
    Why a package price reads as one session's price rather than the series'
    (under half its sessions at the lowest price), or None. Not a range to
    widen: a package that cheap is a slip on the staff form and in the admin.
    """
    if None in (price_min, series_price) or series_price * 2 >= price_min * sessions:
        return None
    return (
        f"That is less than half the price of {sessions} sessions at the lowest price "
        f"(${price_min:,} each). Enter the price of the whole series."
    )
