"""`get_FOO_display()` without rebuilding the field's choices on every call.

Django's own flattens the field's choices and makes each hashable on every call:
50 µs for a race's state (52 choices), 13 for its office, paid by every race page,
by the front page's races in the news and by every row of the people list. These
look the label up in a dict made once per model and field, and give what Django's
gives (the label of the value, else the value itself): `tests/test_choices.py`.
"""

from functools import cache

from django.utils.encoding import force_str
from django.utils.hashable import make_hashable


def choice_display(field_name: str):
    """A `get_<field_name>_display()` method, to assign in the model's class body
    (Django then leaves it in place of its own)."""

    def display(self):
        field = self._meta.get_field(field_name)
        value = getattr(self, field.attname)
        label = _labels(type(self), field_name).get(make_hashable(value), value)
        return force_str(label, strings_only=True)

    display.__name__ = display.__qualname__ = f"get_{field_name}_display"
    display.__doc__ = f"The label of {field_name}'s value (see `newsroom.choices`)."
    return display


@cache
def _labels(model, field_name) -> dict:
    return dict(make_hashable(model._meta.get_field(field_name).flatchoices))
