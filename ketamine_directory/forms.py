from django import forms


class PlainLabelsMixin:
    """
    Labels without Django's trailing colon: ours are phrases ("Your work
    email"). A box left empty says so in the same voice, unless the form
    says better what to put there.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if (
                field.error_messages.get("required")
                == forms.Field.default_error_messages["required"]
            ):
                field.error_messages["required"] = "Please fill this in."


class LimitsSaidNotCutMixin:
    """
    No `maxlength` on the page: a browser cuts pasted text at it without a
    word, and the cut-off part is lost. The form's own length check refuses
    it instead, saying how long it is, with everything typed kept.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.pop("maxlength", None)
            # In the words of the rest of the site, not "Ensure this value has at most...".
            field.error_messages.setdefault(
                "max_length", "Keep this under %(limit_value)s characters (it has %(show_value)s)."
            )
