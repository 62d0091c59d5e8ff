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
WHOLE_TABLE = re.compile(r"<table>(.*?)</table>", re.DOTALL)
ROW = re.compile(r"<tr>(.*?)</tr>", re.DOTALL)
CELL = re.compile(r"<(t[hd])([^>]*)>(.*?)</\1>", re.DOTALL)
CLASS = re.compile(r' class="([^"]*)"')


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
    html_out = _stacked_tables(_scrollable_tables(clean))
    return Rendered(html=html_out, toc=list(_flatten(md.toc_tokens)))
