"""`get_FOO_display()` from a dict made once (`newsroom.choices`) gives what
Django's own gives, for every choice and for a value not among them."""

import pytest
from django.db.models import Model

from people.models import Candidacy, Election, Person, Race

DISPLAYED = [
    (Race, "state"),
    (Race, "office"),
    (Election, "kind"),
    (Person, "kind"),
    (Person, "party"),
    (Candidacy, "party"),
]


@pytest.mark.parametrize("model, field_name", DISPLAYED)
def test_every_value_shows_the_label_djangos_display_shows(model, field_name):
    field = model._meta.get_field(field_name)
    for value in [*(value for value, _ in field.flatchoices), "", "not-a-choice"]:
        instance = model(**{field.attname: value})

        ours = getattr(instance, f"get_{field_name}_display")()

        assert ours == Model._get_FIELD_display(instance, field)
        assert type(ours) is str


@pytest.mark.parametrize("model, field_name", DISPLAYED)
def test_the_models_keep_the_fast_display_not_djangos(model, field_name):
    method = model.__dict__[f"get_{field_name}_display"]

    assert method.__module__ == "newsroom.choices"
