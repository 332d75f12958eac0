"""Relationships a story states plainly, proposed from the people it names
(`people.relationships_found`): crafted sentences, and the seed stories."""

from decimal import Decimal
from pathlib import Path

import pytest

from people.mentions import KnownPerson, MentionFinder
from people.models import Relationship
from people.relationships_found import LABELS, find_relationships

SEEDS = Path(__file__).resolve().parents[2] / "articles" / "demo" / "seeds"

PEOPLE = [
    KnownPerson(1, "Samuel L. Jackson", "celebrity", ("Sam Jackson",)),
    KnownPerson(2, "Jon Ossoff", "candidate", ("Jonathan Ossoff",)),
    KnownPerson(3, "Karen Handel", "candidate"),
    KnownPerson(4, "Jane Fonda", "celebrity"),
    KnownPerson(5, "Alyssa Milano", "celebrity"),
    KnownPerson(6, "Debra Messing", "celebrity"),
    KnownPerson(7, "Sarah Silverman", "celebrity"),
    KnownPerson(8, "Rosie O'Donnell", "celebrity"),
    KnownPerson(9, "Chelsea Handler", "celebrity"),
    KnownPerson(10, "Donald Trump", "official", ("President Trump",)),
    KnownPerson(11, "Jessica Lange", "celebrity"),
    KnownPerson(12, "Kyra Sedgwick", "celebrity"),
    KnownPerson(13, "Sean Daniel", "celebrity"),
    KnownPerson(14, "Connie Britton", "celebrity"),
    KnownPerson(15, "Sam Waterston", "celebrity"),
]
NAMES = {person.person_id: person.name for person in PEOPLE}


def found_in(text: str) -> set[tuple]:
    """(subject, kind, object, amount) of each relationship found in `text`."""
    finder = MentionFinder(PEOPLE)
    return {
        (found.subject.name, found.kind, found.object.name, found.amount)
        for found in find_relationships(text, finder.scan(text).hits)
    }


def test_the_kinds_read_as_the_models_labels():
    assert LABELS == {kind.value: kind.label for kind in Relationship.Kind}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Samuel L. Jackson cut a radio ad endorsing Jon Ossoff.",
            {
                ("Samuel L. Jackson", "recorded-ad-for", "Jon Ossoff", None),
                ("Samuel L. Jackson", "endorsed", "Jon Ossoff", None),
            },
        ),
        (
            "Samuel L. Jackson recorded an ad for Jon Ossoff.",
            {("Samuel L. Jackson", "recorded-ad-for", "Jon Ossoff", None)},
        ),
        (
            "Jane Fonda donated $2,700 to Jon Ossoff's campaign.",
            {("Jane Fonda", "donated-to", "Jon Ossoff", Decimal("2700"))},
        ),
        (
            "Jane Fonda gave $1,000.50 to Jon Ossoff.",
            {("Jane Fonda", "donated-to", "Jon Ossoff", Decimal("1000.50"))},
        ),
        (
            "Alyssa Milano knocked on doors for Jon Ossoff.",
            {("Alyssa Milano", "campaigned-for", "Jon Ossoff", None)},
        ),
        (
            "Donald Trump endorsed Karen Handel.",
            {("Donald Trump", "endorsed", "Karen Handel", None)},
        ),
        (
            "Chelsea Handler invited her followers to get out and vote for Jon Ossoff.",
            {("Chelsea Handler", "endorsed", "Jon Ossoff", None)},
        ),
        (
            "Debra Messing attacked Karen Handel on social media.",
            {("Debra Messing", "attacked", "Karen Handel", None)},
        ),
        (
            "Donald Trump opposed Jon Ossoff.",
            {("Donald Trump", "opposed", "Jon Ossoff", None)},
        ),
    ],
)
def test_a_plain_statement_is_proposed(text, expected):
    assert found_in(text) == expected


def test_an_alias_names_the_person():
    assert found_in("Sam Jackson endorsed Jonathan Ossoff.") == {
        ("Samuel L. Jackson", "endorsed", "Jon Ossoff", None)
    }


def test_everyone_of_a_list_shares_the_statement():
    found = found_in(
        "Jane Fonda, Jessica Lange, and Kyra Sedgwick donated to Jon Ossoff."
    )

    assert {subject for subject, *_ in found} == {
        "Jane Fonda",
        "Jessica Lange",
        "Kyra Sedgwick",
    }


def test_an_attack_on_someones_opponent_is_on_the_opponent():
    text = "Jon Ossoff ran. Debra Messing attacked Ossoff's opponent, Karen Handel."

    assert found_in(text) == {("Debra Messing", "attacked", "Karen Handel", None)}


@pytest.mark.parametrize(
    "text",
    [
        "Jane Fonda never donated to Jon Ossoff.",
        "Jane Fonda did not endorse Jon Ossoff.",
        "Jane Fonda said Alyssa Milano endorsed nobody, and met Jon Ossoff.",
        "Jane Fonda might have endorsed Jon Ossoff.",
        "Jon Ossoff's campaign endorsed Karen Handel.",
        "Jane Fonda met Jon Ossoff.",
        "Jane Fonda endorsed a plan. Jon Ossoff agreed.",
    ],
)
def test_nothing_less_than_plain_is_proposed(text):
    assert found_in(text) == set()


def test_a_statement_with_someone_else_between_is_not_proposed():
    # "endorsed" is about Milano's friend, not about Jackson and Ossoff.
    assert ("Samuel L. Jackson", "endorsed", "Jon Ossoff", None) not in found_in(
        "Samuel L. Jackson, a friend of Alyssa Milano, endorsed Jon Ossoff."
    )


def test_the_sentence_that_says_so_is_attached():
    text = "Intro. Jane Fonda donated to Jon Ossoff. Outro."
    finder = MentionFinder(PEOPLE)

    (found,) = find_relationships(text, finder.scan(text).hits)

    assert found.sentence == "Jane Fonda donated to Jon Ossoff."


def seed(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


def test_the_seed_story_of_the_runoff_states_its_relationships():
    found = found_in(seed("hollywood-vs-georgia.txt"))

    assert found == {
        ("Rosie O'Donnell", "donated-to", "Jon Ossoff", None),
        ("Jane Fonda", "donated-to", "Jon Ossoff", None),
        ("Samuel L. Jackson", "donated-to", "Jon Ossoff", None),
        ("Samuel L. Jackson", "recorded-ad-for", "Jon Ossoff", None),
        ("Samuel L. Jackson", "endorsed", "Jon Ossoff", None),
        ("Sarah Silverman", "attacked", "Karen Handel", None),
        ("Debra Messing", "attacked", "Karen Handel", None),
    }


def test_the_seed_story_of_the_first_round_states_its_donors_and_an_appeal():
    found = found_in(seed("hollywood-came-to-georgia.txt"))

    donors = {
        "Rosie O'Donnell", "Jane Fonda", "Jessica Lange", "Sean Daniel",
        "Connie Britton", "Sam Waterston", "Kyra Sedgwick",
    }  # fmt: skip
    assert found == {
        *((name, "donated-to", "Jon Ossoff", None) for name in donors),
        ("Chelsea Handler", "endorsed", "Jon Ossoff", None),
    }
