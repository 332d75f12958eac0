"""Properties of the mention finder, tried on many generated texts (hypothesis)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from people.mentions import KnownPerson, MentionFinder, fold

PEOPLE = [
    KnownPerson(1, "Jon Ossoff", "candidate"),
    KnownPerson(2, "Karen Handel", "candidate"),
    KnownPerson(3, "Rosie O'Donnell", "celebrity"),
    KnownPerson(4, "Samuel L. Jackson", "celebrity", ("Sam Jackson",)),
]
FINDER = MentionFinder(PEOPLE)
NAMES = [p.name for p in PEOPLE]

# Ordinary prose: letters, digits, punctuation, spaces, curly quotes, accents.
prose = st.text(
    alphabet=st.characters(
        categories=["Lu", "Ll", "Nd", "Po", "Zs", "Pi", "Pf"], max_codepoint=0x2FFF
    ),
    max_size=300,
)
separator = st.sampled_from([" ", ". ", ", ", "\n\n", " (", "“", " — "])


@settings(max_examples=300, deadline=None)
@given(prose)
def test_offsets_always_point_at_the_matched_text(text):
    result = FINDER.scan(text)

    for hit in result.hits:
        for occurrence in hit.occurrences:
            assert text[occurrence.start : occurrence.end] == occurrence.text
    for name in result.ambiguous:
        assert text[name.start : name.end] == name.text


@settings(max_examples=300, deadline=None)
@given(prose, prose, st.sampled_from(NAMES), separator, separator)
def test_a_name_inserted_anywhere_between_words_is_found(
    before, after, name, left, right
):
    text = before + left + name + right + after

    hit = next(h for h in FINDER.scan(text).hits if h.person.name == name)

    assert any(o.text == name for o in hit.occurrences)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(NAMES), st.text(alphabet="abcdefghxyz0123456789", min_size=1))
def test_a_name_glued_to_other_letters_is_not_found(name, glue):
    for text in (glue + name, name + glue):
        for hit in FINDER.scan(text).hits:
            for occurrence in hit.occurrences:
                start, end = occurrence.start, occurrence.end
                assert start == 0 or not fold(text[start - 1]).isalnum()
                assert end == len(text) or not fold(text[end]).isalnum()


@settings(max_examples=200, deadline=None)
@given(prose)
def test_fold_keeps_every_offset(text):
    assert len(fold(text)) == len(text)
