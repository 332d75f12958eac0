"""Plain-text model fields that never store control characters.

Word processors paste vertical tabs and form feeds, PostgreSQL refuses NUL, and XML
(feeds, sitemaps) refuses every C0 control but tab, newline and carriage return, lone
surrogates and U+FFFE/U+FFFF. The fields strip them, and DEL and the C1 block that no
reader means either, on the way into the database, whatever path writes the row:
save, bulk_create and queryset update().
"""

import re

from django.db import connections, models

# C0 controls other than tab, newline and carriage return, DEL, the C1 block, and
# what XML 1.0 has no character for (surrogates, U+FFFE and U+FFFF).
CONTROL_CHARACTERS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]"
)


def strip_control_characters(text: str) -> str:
    return CONTROL_CHARACTERS.sub("", text)


def clean_stored_text(model, using) -> None:
    """Strip control characters from the text `model`'s rows already hold (for a
    data migration: rows written before their fields cleaned what they stored).
    Only rows that hold one are read, found by the database."""
    # A surrogate cannot be sent to the database, nor a NUL to PostgreSQL (it
    # could never store either).
    nul = "" if connections[using].vendor == "postgresql" else "\x00"
    pattern = f"[{nul}\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]"
    rows = model._default_manager.using(using)
    for field in model._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField):
            continue
        dirty = rows.filter(**{f"{field.attname}__regex": pattern})
        for pk, value in dirty.values_list("pk", field.attname).iterator():
            cleaned = strip_control_characters(value)
            rows.filter(pk=pk).update(**{field.attname: cleaned})


class _StripsControlCharacters:
    def pre_save(self, model_instance, add):
        value = super().pre_save(model_instance, add)
        if isinstance(value, str):
            value = strip_control_characters(value)
            setattr(model_instance, self.attname, value)
        return value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return strip_control_characters(value) if isinstance(value, str) else value


class PlainCharField(_StripsControlCharacters, models.CharField):
    pass


class PlainTextField(_StripsControlCharacters, models.TextField):
    pass


class PlainSlugField(_StripsControlCharacters, models.SlugField):
    """A slug set through the ORM is not validated: a control character in one
    would make its address impossible to reverse (a 500 on every page linking it)."""


class PlainURLField(_StripsControlCharacters, models.URLField):
    pass
