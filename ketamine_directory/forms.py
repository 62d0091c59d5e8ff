class PlainLabelsMixin:
    """Labels without Django's trailing colon: ours are phrases ("Your work email")."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
