"""Plain-text model fields that never store control characters.

Word processors paste vertical tabs and form feeds, PostgreSQL refuses NUL, and XML
(feeds, sitemaps) refuses every C0 control but tab, newline and carriage return. The
fields strip them on the way into the database, whatever path writes the row.
"""

import re

from django.db import models

# C0 controls other than tab, newline and carriage return, DEL, and the C1 block.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def strip_control_characters(text: str) -> str:
    return CONTROL_CHARACTERS.sub("", text)


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
