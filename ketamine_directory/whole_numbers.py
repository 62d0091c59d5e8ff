"""Whole numbers read from addresses, forms and guides' markers."""

# Far longer than any page, distance or list length anyone means, and far
# shorter than the 4,300 digits past which int() raises instead of reading.
MAX_DIGITS = 100


def whole_number(text):
    """
    The number that ASCII digits spell ("25", "007"), or None: for a sign,
    spaces, other scripts' digits ("²", "٣", which isdigit() accepts and int()
    may not), or more digits than MAX_DIGITS.
    """
    if isinstance(text, str) and text.isascii() and text.isdigit() and len(text) <= MAX_DIGITS:
        return int(text)
    return None
