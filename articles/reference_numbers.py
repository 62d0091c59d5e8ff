"""
Citations are the references' places in the list ([ref:2] is the second), so
taking one out or moving one would leave the text citing other works: the
citations are renumbered to follow them, and a cited one is not taken out.
"""

import re

from articles.rendering import CITATION

# Code spans and fenced blocks, where a citation is an example (shown as written).
CODE = re.compile(r"(`+)(.+?)\1", re.DOTALL)


def cited_numbers(text):
    """The reference numbers `text` cites, outside code."""
    return {
        int(number)
        for piece in CODE.split(text or "")[::3]
        for match in CITATION.finditer(piece)
        for number in match.group(1).split(",")
    }


def renumbered(text, numbers):
    """`text` with each citation's numbers mapped by `numbers` ({old: new}), outside code."""

    def cite(match):
        cited = [int(number) for number in match.group(1).split(",")]
        return "[ref:" + ", ".join(str(numbers.get(number, number)) for number in cited) + "]"

    pieces = CODE.split(text or "")
    # split() gives [text, fence, code, text, fence, code, ...].
    for index in range(0, len(pieces), 3):
        pieces[index] = CITATION.sub(cite, pieces[index])
    return "".join(
        piece if index % 3 != 2 else f"{pieces[index - 1]}{piece}{pieces[index - 1]}"
        for index, piece in enumerate(pieces)
        if index % 3 != 1
    )


def new_numbers(before, after):
    """{old number: new number} of the references in both lists of ids, where it moved."""
    return {
        old: after.index(pk) + 1
        for old, pk in enumerate(before, start=1)
        if pk in after and after.index(pk) + 1 != old
    }
