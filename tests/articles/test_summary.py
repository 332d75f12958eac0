"""A page's description (`summary` filter) reads as the filters it replaced:
`default:''|striptags|truncatechars:200`, escaped the same way."""

from django.template import Context, Template
from django.utils.safestring import mark_safe
from hypothesis import given
from hypothesis import strategies as st

FILTERS = Template("{{ text|default:''|striptags|truncatechars:200 }}")
SUMMARY = Template("{% load newsroom %}{{ text|summary }}")

# Plain words, markup, accents written as combining marks, entities.
PIECES = st.sampled_from(
    ["Ossoff", " ", "<b>", "</b>", "e\u0301", "&amp;", "<", ">", '"', "é", "\u0301"]
)
TEXTS = st.one_of(
    st.text(),
    st.lists(PIECES, max_size=300).map("".join),
    st.integers(150, 260).map(lambda n: "a" * n),
    st.integers(150, 260).map(lambda n: "e\u0301" * n),
)


def both(value):
    context = {"text": value}
    return SUMMARY.render(Context(context)), FILTERS.render(Context(context))


@given(TEXTS)
def test_the_summary_is_the_filters_for_any_text(text):
    ours, theirs = both(text)
    assert ours == theirs


@given(TEXTS)
def test_text_marked_safe_stays_safe_as_with_the_filters(text):
    ours, theirs = both(mark_safe(text))
    assert ours == theirs


def test_no_description_gives_nothing():
    for value in (None, "", 0):
        ours, theirs = both(value)
        assert ours == theirs == ""
