"""Helpers for models whose save() works some fields out from others."""


def with_derived_fields(save_kwargs, derived):
    """
    save() arguments that also store the fields worked out from those being saved.

    `derived` maps a field to the fields computed from it. A save limited to
    some fields (update_or_create passes update_fields) would otherwise store
    a new value beside what was worked out from the old one.
    """
    update_fields = save_kwargs.get("update_fields")
    if update_fields is None:
        return save_kwargs
    extra = {
        field for source, fields in derived.items() if source in update_fields for field in fields
    }
    return {**save_kwargs, "update_fields": {*update_fields, *extra}}
