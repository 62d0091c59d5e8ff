"""
The words a guide search leaves out, on every database.

PostgreSQL's English full-text configuration ignores these (its english.stop
list, copied here), so the SQLite fallback ignores them too: a search made
only of them asks for nothing, and is said to, on both.
"""

import re

_ENGLISH_STOP = """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his
    himself she her hers herself it its itself they them their theirs themselves what which
    who whom this that these those am is are was were be been being have has had having do
    does did doing a an the and but if or because as until while of at by for with about
    against between into through during before after above below to from up down in out on
    off over under again further then once here there when where why how all any both each
    few more most other some such no nor not only own same so than too very s t can will
    just don should now
"""
STOP_WORDS = frozenset(_ENGLISH_STOP.split())

_WORD = re.compile(r"[^\W_]+")


def meaningful_words(text):
    """The words of a search that are not stop words, as typed but for punctuation around them."""
    kept = []
    for word in text.split():
        if any(part not in STOP_WORDS for part in _WORD.findall(word.lower())):
            kept.append(word.strip("\"'()-!.,;:?"))
    return kept
