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


class _Form(HTMLParser):
    """The fields of one form, as a browser would send it (no button pressed)."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.data = form_id, False, {}
        self._textarea = self._select = None

    def _add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or (not attrs.get("name") and tag != "option"):
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self._add(attrs["name"], attrs.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "textarea":
            self._textarea = [attrs["name"], ""]
        elif tag == "select":
            self._select = [attrs["name"], "multiple" in attrs, [], None]
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            if self._select[3] is None:
                self._select[3] = value  # what a single menu sends with nothing selected
            if "selected" in attrs:
                self._select[2].append(value)

    def handle_data(self, data):
        if self._textarea:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self._textarea:
            name, text = self._textarea
            # A browser drops the one line break that follows <textarea>.
            self._add(name, text[1:] if text.startswith("\n") else text)
            self._textarea = None
        elif tag == "select" and self._select:
            name, multiple, chosen, first = self._select
            for value in chosen or ([] if multiple or first is None else [first]):
                self._add(name, value)
            self._select = None


def form_data(html, form_id):
    """{name: [values]} of the form with this id, ready for the test client to post."""
    parser = _Form(form_id)
    parser.feed(html)
    return parser.data


def error_summary(html):
    """The error summary's HTML: what a form sent back wrong says first, and takes focus."""
    assert html.count('id="form-errors"') == 1, "one summary per page"
    start = html.index('id="form-errors"')
    return html[html.rindex("<div", 0, start) : html.index("</div>", start)]


def title(html):
    return html.split("<title>", 1)[1].split("</title>", 1)[0]
