"""A page's description (`articles.page_meta.summary_of`) reads as the filters it
replaced: `default:''|striptags|truncatechars:200`."""

from django.template import Context, Template
from django.utils.html import conditional_escape
from hypothesis import given
from hypothesis import strategies as st

from articles.page_meta import summary_of

FILTERS = Template("{{ text|default:''|striptags|truncatechars:200 }}")

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
    # The page escapes the description as the template escaped the filters' text.
    ours = conditional_escape(summary_of(value))
    return ours, FILTERS.render(Context({"text": value}))


@given(TEXTS)
def test_the_summary_is_the_filters_for_any_text(text):
    ours, theirs = both(text)
    assert ours == theirs


def test_no_description_gives_nothing():
    for value in (None, "", 0):
        ours, theirs = both(value)
        assert ours == theirs == ""
