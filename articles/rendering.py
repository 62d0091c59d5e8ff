"""
Markdown to safe HTML, once, when a guide is saved.

Whoever wrote the Markdown, the result goes through nh3 (an allow-list
sanitiser): no scripts, event handlers, `javascript:` URLs, iframes or styles
reach a page. Citations `[ref:N]` become links to the reference list. Live
directory blocks (`[[price iv]]`) are left as text here and filled in when the
page is shown (see live_blocks.py), so their figures are never stale.
"""

import html
import re
from dataclasses import dataclass, field

import markdown
import nh3

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr", "li", "ol", "p",
    "pre", "strong", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "id"},
    "abbr": {"title"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "sup": {"class"},
    "th": {"scope", "align"},
    "td": {"align"},
}
ALIGNMENTS = {"left", "right", "center"}
# A column's alignment (`| ---: |`) as a class: the policy allows no style attributes.
ALIGN = re.compile(r'<(t[hd])([^>]*?) align="(left|right|center)"')
CITATION = re.compile(r"\[ref:(\d{1,3})\]")
TABLE = re.compile(r"<table>|</table>")
HEADER_CELL = re.compile(r"<th[^>]*>(.*?)</th>", re.DOTALL)
TAG = re.compile(r"<[^>]+>")


@dataclass
class Rendered:
    html: str
    toc: list = field(default_factory=list)


def _cite(match):
    number = int(match.group(1))
    return f'<sup class="cite"><a href="#ref-{number}">[{number}]</a></sup>'


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
        headings = [
            html.unescape(TAG.sub("", cell)).strip() for cell in HEADER_CELL.findall(first_row)
        ]
        label = "Table: " + ", ".join(filter(None, headings)) if any(headings) else "Table"
        return (
            f'<div class="table-scroll" role="region" tabindex="0" '
            f'aria-label="{html.escape(label)}">\n<table>'
        )

    return TABLE.sub(wrap, clean)


def _flatten(tokens):
    for token in tokens:
        if token["level"] <= 3:
            yield {"id": token["id"], "name": html.unescape(token["name"]), "level": token["level"]}
        yield from _flatten(token["children"])


def _keep_alignment(tag, attribute, value):
    if attribute == "align":
        return value if value in ALIGNMENTS else None
    return value


def render_markdown(text):
    """Markdown to sanitised HTML with anchored headings, plus the table of contents."""
    md = markdown.Markdown(
        extensions=["toc", "tables", "sane_lists"],
        extension_configs={"toc": {"toc_depth": "2-3"}, "tables": {"use_align_attribute": True}},
        output_format="html",
    )
    body = md.convert(text or "")
    body = CITATION.sub(_cite, body)
    clean = nh3.clean(
        body,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener",
        attribute_filter=_keep_alignment,
    )
    clean = ALIGN.sub(r'<\1\2 class="align-\3"', clean)
    return Rendered(html=_scrollable_tables(clean), toc=list(_flatten(md.toc_tokens)))
