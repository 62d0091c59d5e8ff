"""Read what a page claims through its data hooks (data-clinic, data-route, ...)."""

from html.parser import HTMLParser


class _Results(HTMLParser):
    def __init__(self):
        super().__init__()
        self.clinics = []
        self._stack = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "data-clinic" in attrs and tag == "li":
            self.clinics.append(
                {"slug": attrs["data-clinic"], "distance": attrs.get("data-distance"), "prices": {}}
            )
        elif "data-route" in attrs and self.clinics:
            self.clinics[-1]["prices"][attrs["data-route"]] = (
                int(attrs["data-price-min"]),
                int(attrs["data-price-max"]),
            )


def results(html):
    """[{'slug', 'distance', 'prices': {route: (min, max)}}] in page order."""
    parser = _Results()
    parser.feed(html)
    return parser.clinics


def slugs(html):
    return [clinic["slug"] for clinic in results(html)]
