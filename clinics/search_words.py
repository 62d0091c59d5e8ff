"""A directory search in words: the page's title names what was searched."""

from clinics.models import Route
from clinics.stats import vocabulary
from clinics.templatetags.directory import dollars


def in_sentence(name):
    """'Payment plans' mid-sentence is 'payment plans'; 'PTSD' and 'FSA/HSA cards' stay."""
    if len(name) > 1 and name[1].islower():
        return name[0].lower() + name[1:]
    return name


def routes_words(routes):
    return " or ".join(Route(route).label_in_sentence for route in routes)


def search_title(cleaned, searched_place):
    """
    'IV ketamine infusion clinics for PTSD accepting Medicare in Austin, Texas',
    for the page's title (the tab, the browser's history, a search engine's
    result); '' for a search with no filter on.
    """
    routes = cleaned.get("route") or []
    words = vocabulary()
    parts = []
    if condition := cleaned.get("condition"):
        parts.append(f"for {in_sentence(dict(words['conditions']).get(condition, condition))}")
    if insurance := cleaned.get("insurance"):
        # An insurer's name is a name ("Medicare"); a way of paying is words.
        self_pay = dict(words["self_pay"])
        if insurance == "self-pay":
            name = "self-pay options"
        elif insurance in self_pay:
            name = in_sentence(self_pay[insurance])
        else:
            name = dict(words["payers"]).get(insurance, insurance)
        parts.append(f"accepting {name}")
    if cleaned.get("telehealth"):
        parts.append("with telehealth")
    if (price := cleaned.get("max_price")) is not None:
        # A session at that price, as the heading says: not every session.
        parts.append(f"with a session at {dollars(price)} or less")
    if searched_place:
        parts.append(f"in {searched_place}")
    if near := cleaned.get("near"):
        parts.append(f"near {near}")
    if not routes and not parts:
        return ""
    if len(routes) == 1:
        subject = f"{Route(routes[0]).label} clinics"
    elif routes:
        subject = f"Clinics offering {' or '.join(Route(route).short_label for route in routes)}"
    else:
        subject = "Ketamine clinics"
    return " ".join([subject, *parts])
