"""The words that changed between two versions of a text, for the editors' history lists."""

from difflib import SequenceMatcher

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

# Words of unchanged text kept either side of a change, so it can be found.
CONTEXT = 4
# Texts shorter than this are shown whole, before → after.
SHORT = 80


def changed_words(old, new):
    """
    HTML (escaped) of a long text's change: the removed words in <del>, the
    added ones in <ins>, with a few unchanged words around each; None when
    both texts are short enough to show whole.
    """
    if len(old) <= SHORT and len(new) <= SHORT:
        return None
    before, after = old.split(), new.split()
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    parts = []
    for group in matcher.get_grouped_opcodes(CONTEXT):
        pieces = []
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                pieces.append(format_html("{}", " ".join(before[i1:i2])))
                continue
            if i2 > i1:
                pieces.append(format_html("<del>{}</del>", " ".join(before[i1:i2])))
            if j2 > j1:
                pieces.append(format_html("<ins>{}</ins>", " ".join(after[j1:j2])))
        parts.append(mark_safe(" ".join(pieces)))
    if not parts:  # only spacing or line breaks changed
        return mark_safe("(only spacing or line breaks)")
    return format_html_join(" … ", "{}", ((part,) for part in parts))
