"""`newsroom.escaping` gives what Django's escaping functions give."""

from django.utils import html as django_html
from django.utils.functional import lazy
from django.utils.safestring import SafeString, mark_safe
from hypothesis import given
from hypothesis import strategies as st

from newsroom import escaping

lazy_str = lazy(str, str)


@given(st.text())
def test_escape_is_djangos_for_any_text(text):
    assert escaping.escape(text) == django_html.escape(text)


@given(st.text())
def test_conditional_escape_is_djangos_for_any_text(text):
    assert escaping.conditional_escape(text) == django_html.conditional_escape(text)


@given(st.text())
def test_text_marked_safe_is_left_alone_and_escape_escapes_it_anyway(text):
    safe = mark_safe(text)

    assert escaping.conditional_escape(safe) == text
    assert escaping.escape(safe) == django_html.escape(safe)


def test_lazy_strings_and_other_values_are_escaped_as_django_does():
    for value in (lazy_str("<b>Ossoff & Handel</b>"), 42, None, 3.5):
        assert escaping.escape(value) == django_html.escape(value)
        assert escaping.conditional_escape(value) == django_html.conditional_escape(
            value
        )


def test_a_lazy_safe_string_is_left_alone():
    lazy_safe = lazy(mark_safe, SafeString)("<em>ok</em>")

    assert escaping.conditional_escape(lazy_safe) == "<em>ok</em>"


@given(st.one_of(st.text(), st.text().map(mark_safe), st.text().map(lazy_str)))
def test_the_templates_finalize_is_djangos_conditional_escape_safe_string_and_all(
    text,
):
    ours = escaping.conditional_escape_safe(text)
    djangos = django_html.conditional_escape(text)

    assert ours == djangos
    assert isinstance(ours, SafeString)
