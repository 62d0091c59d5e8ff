"""
Markdown to safe HTML, once, when a guide is saved.

Whoever wrote the Markdown, the result goes through nh3 (an allow-list
sanitiser): no scripts, event handlers, `javascript:` URLs, iframes or styles
reach a page. Citations `[ref:N]` become links to the reference list. Live
directory blocks (`[[price iv]]`) are left as text here and filled in when the
page is shown (see live_blocks.py), so their figures are never stale; one
written inside a tag (an attribute) is never filled in, and the editor is told.

What the sanitiser leaves out is said in `Rendered.removed`, in words for the
editor (the admin shows it on save and in the preview): a reader should never
meet a gap the editor did not know about.
"""

import html
import math
import re
import secrets
from dataclasses import dataclass, field
from html.parser import HTMLParser

import markdown
import nh3
from markdown.extensions.toc import slugify
from markdown.treeprocessors import Treeprocessor

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr", "li", "ol", "p",
    "pre", "strong", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "sup": {"class"},
    "th": {"scope", "align"},
    "td": {"align"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# nh3 drops these with everything inside them; other tags lose only the tag.
DROPPED_WITH_CONTENT = {"script", "style"}
ALIGNMENTS = {"left", "right", "center"}
# A column's alignment (`| ---: |`) as a class: the policy allows no style attributes.
ALIGN = re.compile(r'<(t[hd])([^>]*?) align="(left|right|center)"')
# [ref:2], and as people also write it: [Ref: 2], [ref:1, 2].
CITATION = re.compile(r"\[ref:\s*(\d{1,3}(?:\s*,\s*\d{1,3})*)\s*\]", re.IGNORECASE)
# What an editor meant as a citation, read or not ([ref:one], [ref:1000]).
LOOKS_LIKE_CITATION = re.compile(r"\[\s*ref\s*:[^\]\n]{0,40}\]", re.IGNORECASE)
# Code is shown as written: a citation in it is an example, not a citation.
CODE = re.compile(r"(<pre>.*?</pre>|<code>.*?</code>)", re.DOTALL)
TABLE = re.compile(r"<table>|</table>")
TABLE_ROW = re.compile(r"<tr[ >]")
HEADER_CELL = re.compile(r"<th[^>]*>(.*?)</th>", re.DOTALL)
TAG = re.compile(r"<[^>]+>")
WHOLE_TABLE = re.compile(r"<table>(.*?)</table>", re.DOTALL)
ROW = re.compile(r"<tr>(.*?)</tr>", re.DOTALL)
CELL = re.compile(r"<(t[hd])([^>]*)>(.*?)</\1>", re.DOTALL)
CLASS = re.compile(r' class="([^"]*)"')
IMAGE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
LINK = re.compile(r"<a\b([^>]*)>(.*?)</a>", re.DOTALL)
# A live directory block (live_blocks.py fills it in when the page is shown).
# Only in text: a tag of sanitised HTML (whose attribute values have `<`, `>`
# and quotes escaped) keeps a marker as written, or a clinic list would be
# poured into an attribute and break the page's markup.
LIVE_BLOCK = re.compile(
    r"\[\[(?P<kind>price|series|count|clinics) (?P<route>[a-z-]+)"
    r"(?P<options>(?: [a-z]+=[a-z0-9]+)*)\]\]"
)

# Ids the guide page gives its own parts (guide_detail.html, and base.html's
# skip link target). A body heading with the same name gets a different id, or
# the page would have two elements with one id and its links would go astray.
# Only the ids the renderer gives headings reach a page: an id written in the
# Markdown's HTML (`<h2 id="main">`, `<a id="ref-1">`) is left out, whatever it
# is, since nothing here could tell it from the page's own ids or another's.
PAGE_IDS = {"main", "toc-heading", "offering-heading", "faq", "references", "related-heading"}
PAGE_ID = re.compile(r"ref-\d+")
# Body headings named like the sections the page adds after the body.
PAGE_SECTIONS = {"references": "References", "faq": "Questions people ask"}

WORDS_PER_MINUTE = 200
# Tables are looked up rather than read word by word: a row costs a glance.
SECONDS_PER_TABLE_ROW = 3


@dataclass
class Rendered:
    html: str
    toc: list = field(default_factory=list)
    reading_minutes: int = 1
    # What the page leaves out of the Markdown, in words for the editor.
    removed: list = field(default_factory=list)
    # The N of each [ref:N], in order of first use.
    citations: list = field(default_factory=list)


def _heading_id(value, separator):
    slug = slugify(CITATION.sub("", value), separator)
    if slug in PAGE_IDS or PAGE_ID.fullmatch(slug):
        return f"{slug}-section"
    return slug


def _cited(match):
    return [int(number) for number in match.group(1).split(",")]


def _cite(match):
    # "Reference 1" to a screen reader, which would otherwise say only "link, 1".
    links = "".join(
        f'<a href="#ref-{number}"><span class="visually-hidden">Reference </span>[{number}]</a>'
        for number in _cited(match)
    )
    return f'<sup class="cite">{links}</sup>'


def _cite_outside_code(body):
    """
    Citations made links (outside code), the numbers cited in order, and
    what looks like a citation but could not be read, as editor notes.
    """
    pieces = CODE.split(body)
    citations, unread = [], []
    for index in range(0, len(pieces), 2):  # the odd pieces are code
        for match in CITATION.finditer(pieces[index]):
            citations += _cited(match)
        pieces[index] = CITATION.sub(_cite, pieces[index])
        unread += LOOKS_LIKE_CITATION.findall(pieces[index])
    notes = [
        f"“{html.unescape(text)}” is not read as a citation, and readers see it as typed: "
        "write [ref:N] with the reference's number, like [ref:2], or [ref:1, 2] for two."
        for text in dict.fromkeys(unread)
    ]
    return "".join(pieces), list(dict.fromkeys(citations)), notes


def _scrollable_tables(clean):
    """
    Wrap each table in a region that scrolls sideways on its own.

    A wide table would otherwise make the whole page scroll sideways on a
    phone. The region is focusable, so it can be scrolled from the keyboard,
    and named after the table's column headings. Runs on sanitised HTML,
    whose tables are balanced and whose text is already escaped.
    """

    def wrap(match):
        if match.group() == "</table>":
            return "</table>\n</div>"
        first_row = clean[match.end() : clean.find("</tr>", match.end())]
        # A live block in a heading is filled in in the cell, not in this name (an attribute).
        headings = [
            " ".join(html.unescape(LIVE_BLOCK.sub("", TAG.sub("", cell))).split())
            for cell in HEADER_CELL.findall(first_row)
        ]
        label = "Table: " + ", ".join(filter(None, headings)) if any(headings) else "Table"
        return (
            f'<div class="table-scroll" role="region" tabindex="0" '
            f'aria-label="{html.escape(label)}">\n<table>'
        )

    return TABLE.sub(wrap, clean)


def _stacked_tables(clean):
    """
    Let each table stack into one block per row on a phone, each cell with its
    column's name (`.stacked-table` in site.css): a table scrolled sideways
    hides its last columns, and nothing says they are there.

    The first cell of a row becomes its header, and explicit roles keep the
    table a table for screen readers once CSS changes its display; the names
    repeated in each cell are hidden from them, since the headers say it.
    Runs on sanitised HTML, whose tables are balanced and text escaped.
    """

    def table(match):
        if "</thead>" not in match.group(1):
            return match.group()  # written as HTML without headings: nothing to label with
        head, _, body = match.group(1).partition("</thead>")
        headings = [TAG.sub("", cell).strip() for _, _, cell in CELL.findall(head)]

        def header_row(row):
            cells = CELL.sub(r'<\1\2 scope="col" role="columnheader">\3</\1>', row.group(1))
            return f'<tr role="row">{cells}</tr>'

        def body_row(row):
            cells = []
            for number, (_, attrs, content) in enumerate(CELL.findall(row.group(1))):
                if number == 0:
                    cells.append(f'<th{attrs} scope="row" role="rowheader">{content}</th>')
                    continue
                heading = headings[number] if number < len(headings) else ""
                if not content.strip():
                    cells.append(f"<td{_with_class(attrs, 'empty-cell')}>{content}</td>")
                    continue
                label = (
                    f'<span class="cell-label" aria-hidden="true">{heading}: </span>'
                    if heading
                    else ""
                )
                cells.append(f'<td{attrs} role="cell">{label}{content}</td>')
            return f'<tr role="row">{"".join(cells)}</tr>'

        head = ROW.sub(header_row, head.replace("<thead>", '<thead role="rowgroup">'))
        body = ROW.sub(body_row, body.replace("<tbody>", '<tbody role="rowgroup">'))
        return f'<table class="stacked-table" role="table">{head}</thead>{body}</table>'

    return WHOLE_TABLE.sub(table, clean)


def _with_class(attrs, name):
    """A cell's attributes with `role="cell"` and one more class."""
    if CLASS.search(attrs):
        return CLASS.sub(lambda m: f' class="{m.group(1)} {name}"', attrs) + ' role="cell"'
    return f'{attrs} role="cell" class="{name}"'


def _flatten(tokens):
    for token in tokens:
        if token["level"] <= 3:
            # Without its citations: "Response rates", not "Response rates [ref:1]".
            name = " ".join(CITATION.sub("", html.unescape(token["name"])).split())
            yield {"id": token["id"], "name": name, "level": token["level"]}
        yield from _flatten(token["children"])


class _MarkGeneratedIds(Treeprocessor):
    """
    Runs after the table of contents has given each heading its id: marks those
    ids with a prefix nobody can guess (or, for an FAQ answer, which has no
    table of contents, removes them), so the sanitiser can tell them from ids
    written in the Markdown's HTML, which are left out.
    """

    def __init__(self, md, prefix, anchors):
        super().__init__(md)
        self.prefix, self.anchors = prefix, anchors

    def run(self, root):
        for element in root.iter():
            if "id" in element.attrib:
                if self.anchors:
                    element.attrib["id"] = self.prefix + element.attrib["id"]
                else:
                    del element.attrib["id"]


def _attribute_filter(prefix):
    def keep(tag, attribute, value):
        if attribute == "align":
            return value if value in ALIGNMENTS else None
        if attribute == "id":
            return value.removeprefix(prefix) if value.startswith(prefix) else None
        return value

    return keep


def _sanitise(body, prefix):
    return nh3.clean(
        body,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener",
        attribute_filter=_attribute_filter(prefix),
    )


def _link_allowed(href):
    """Whether the sanitiser keeps this link's address (asked of nh3 itself)."""
    kept = nh3.clean(
        f'<a href="{html.escape(href)}">x</a>',
        tags={"a"},
        attributes={"a": {"href"}},
        url_schemes=URL_SCHEMES,
        link_rel=None,
    )
    return "href=" in kept


def _shorten(text, limit=60):
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Inspector(HTMLParser):
    """What in the Markdown's HTML the sanitiser is about to drop."""

    def __init__(self, generated_id_prefix):
        super().__init__(convert_charrefs=True)
        self.removed = []
        self._link = None  # [href, words] of a link whose address will be dropped
        self._tags = {}
        self._prefix = generated_id_prefix
        self._ids = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        written_id = attrs.get("id")
        if tag in ALLOWED_TAGS and written_id and not written_id.startswith(self._prefix):
            self._ids.setdefault(written_id, tag)
        if tag == "a" and attrs.get("href") is not None and not _link_allowed(attrs["href"]):
            self._link = [attrs["href"], []]
        elif tag not in ALLOWED_TAGS and tag != "img":  # images are described on their own
            self._tags.setdefault(tag, tag in DROPPED_WITH_CONTENT)

    def handle_endtag(self, tag):
        if tag == "a" and self._link:
            href, words = self._link
            self.removed.append(
                f"The link “{_shorten(''.join(words)) or href}” goes to "
                f"“{_shorten(href)}”, which is not a web, email or phone address: "
                "its words are kept, as plain text."
            )
            self._link = None

    def handle_data(self, data):
        if self._link:
            self._link[1].append(data)

    def close(self):
        super().close()
        for written_id, tag in self._ids.items():
            self.removed.append(
                f"The id “{_shorten(written_id)}” on <{tag}> is left out: the page gives "
                "ids itself (a heading's comes from "
                "its words), and one written in HTML could be an id the page already uses, "
                "sending its links astray."
            )
        for tag, with_content in self._tags.items():
            self.removed.append(
                f"HTML <{tag}> is not allowed in guides: "
                + ("it is left out with everything in it." if with_content else "its text is kept.")
            )


class _Attributes(HTMLParser):
    def handle_starttag(self, tag, attrs):
        self.found = dict(attrs)


def _attributes(tag_html):
    """The attributes of one tag, unescaped, as a browser would read them."""
    parser = _Attributes(convert_charrefs=True)
    parser.found = {}
    parser.feed(tag_html)
    parser.close()
    return parser.found


def _unwrap_dead_link(match):
    """A link whose address the sanitiser refused would be link-coloured words going nowhere."""
    attributes = match.group(1)
    if "href=" in attributes:
        return match.group()
    return match.group(2)


def _images_as_text(body, removed):
    """
    Images are not shown: one from another site would tell it who reads the
    guide (the site has no trackers), and guides have no images of their own.
    The description (alt text) stays, so what the image said is not lost.
    """

    def describe(match):
        found = _attributes(match.group())
        alt, src = (found.get("alt") or "").strip(), found.get("src") or ""
        if alt:
            removed.append(
                f"The image “{_shorten(alt)}” ({_shorten(src)}) is not shown: guides "
                "show no images, so that no other site learns who reads them. Its "
                "description is kept as text."
            )
            return html.escape(alt)
        removed.append(
            f"An image ({_shorten(src)}) is not shown: guides show no images, so that "
            "no other site learns who reads them. It had no description to keep: "
            "say in words what it showed."
        )
        return ""

    return IMAGE.sub(describe, body)


def _blocks_in_tags(clean):
    """Notes on the live blocks written inside a tag (an attribute), which stay as written."""
    markers = dict.fromkeys(
        marker.group()
        for tag in TAG.finditer(clean)
        for marker in LIVE_BLOCK.finditer(html.unescape(tag.group()))
    )
    return [
        f"The live block “{marker}” is inside an HTML tag (in an attribute, such as a "
        "link's title), so it is shown there as written, not filled in: live blocks "
        "work in the text only."
        for marker in markers
    ]


def _reading_minutes(clean):
    """Minutes to read the prose at an adult's pace, plus a glance per table row."""
    rows = len(TABLE_ROW.findall(clean))
    prose = html.unescape(TAG.sub(" ", WHOLE_TABLE.sub(" ", clean)))
    seconds = len(prose.split()) * 60 / WORDS_PER_MINUTE + rows * SECONDS_PER_TABLE_ROW
    return max(1, math.floor(seconds / 60 + 0.5))


def render_markdown(text, *, anchors=True):
    """
    Markdown to sanitised HTML with anchored headings, plus the table of contents.
    Without `anchors` (an FAQ answer, shown among the page's own headings and
    with no table of contents) headings have no id at all.
    """
    md = markdown.Markdown(
        extensions=["toc", "tables", "sane_lists"],
        extension_configs={
            "toc": {"toc_depth": "2-3", "slugify": _heading_id},
            "tables": {"use_align_attribute": True},
        },
        output_format="html",
    )
    prefix = f"generated-{secrets.token_hex(8)}-"
    md.treeprocessors.register(_MarkGeneratedIds(md, prefix, anchors), "mark_generated_ids", 4)
    body = md.convert(text or "")
    removed = []
    body = _images_as_text(body, removed)
    inspector = _Inspector(prefix)
    inspector.feed(body)
    inspector.close()
    removed += inspector.removed
    clean = _sanitise(body, prefix)
    # After the sanitiser, which keeps the citations' text as it is: their
    # links are the site's own markup, hidden words for screen readers and all.
    clean, citations, unread = _cite_outside_code(clean)
    removed += unread
    clean = LINK.sub(_unwrap_dead_link, clean)
    clean = ALIGN.sub(r'<\1\2 class="align-\3"', clean)
    removed += _blocks_in_tags(clean)
    toc = list(_flatten(md.toc_tokens))
    for item in toc:
        section = PAGE_SECTIONS.get(item["id"].removesuffix("-section"))
        if item["id"].endswith("-section") and section:
            removed.append(
                f"The heading “{item['name']}” has the name of a section the page adds "
                f"itself after the guide (“{section}”): readers will see both. "
                "FAQs and references have their own places under the guide."
            )
    return Rendered(
        html=_stacked_tables(_scrollable_tables(clean)),
        toc=toc,
        reading_minutes=_reading_minutes(clean),
        removed=removed,
        citations=citations,
    )


def missing_citations(citations, reference_count):
    """The [ref:N] that point past the end of the reference list, as a sentence (or "")."""
    missing = [number for number in citations if not 1 <= number <= reference_count]
    if not missing:
        return ""
    cited = ", ".join(f"[ref:{number}]" for number in missing)
    has = (
        "has no references"
        if reference_count == 0
        else f"has {reference_count} reference{'s' if reference_count != 1 else ''}"
    )
    return (
        f"{cited} {'points' if len(missing) == 1 else 'point'} to no reference: the guide "
        f"{has}, and [ref:N] cites the N-th. Add the reference, or correct the number."
    )


def render_stored_again(Guide, FAQ):
    """
    Render every stored guide body and FAQ answer again, from a data
    migration (its historical models) after the rendering changed. The text
    is unchanged, so no dates move.
    """
    for guide in Guide.objects.only("pk", "body").iterator():
        rendered = render_markdown(guide.body)
        Guide.objects.filter(pk=guide.pk).update(
            body_html=rendered.html, toc=rendered.toc, reading_minutes=rendered.reading_minutes
        )
    for faq in FAQ.objects.only("pk", "answer").iterator():
        FAQ.objects.filter(pk=faq.pk).update(
            answer_html=render_markdown(faq.answer, anchors=False).html
        )
