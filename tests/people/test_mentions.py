"""The mention finder, on its own: no database."""

import pytest

from articles.demo import data
from articles.services import article_plain_text
from people.mentions import KnownPerson, MentionFinder, fold, sentence_spans


def finder(*people):
    return MentionFinder(
        KnownPerson(n, name, kind, tuple(aliases))
        for n, (name, kind, aliases) in enumerate(people, start=1)
    )


def names(result):
    return [hit.person.name for hit in result.hits]


def test_fold_keeps_length_and_folds_case_accents_and_apostrophes():
    text = "Rosie O’Donnell, JOSÉ Ñúñez “quoted”"

    folded = fold(text)

    assert len(folded) == len(text)
    assert folded == 'rosie o\'donnell, jose nunez "quoted"'


def test_finds_a_full_name_with_offsets_and_count():
    text = "Yesterday Jon Ossoff spoke. Later Jon Ossoff left."

    (hit,) = finder(("Jon Ossoff", "candidate", [])).scan(text).hits

    assert (hit.matched_text, hit.start, hit.end, hit.count) == (
        "Jon Ossoff",
        10,
        20,
        2,
    )
    assert text[hit.start : hit.end] == "Jon Ossoff"


def test_surname_counts_only_after_the_full_name():
    people = finder(("Jon Ossoff", "candidate", []))

    assert names(people.scan("Ossoff spoke first.")) == []
    hit = people.scan("Jon Ossoff spoke. Then Ossoff left.").hits[0]
    assert hit.count == 2
    assert hit.occurrences[1].how == "surname"


@pytest.mark.parametrize(
    "text", ["Jon Ossoff's bid", "Jon Ossoff’s bid", "JON OSSOFF won"]
)
def test_possessives_and_case_still_match(text):
    assert names(finder(("Jon Ossoff", "candidate", [])).scan(text)) == ["Jon Ossoff"]


def test_curly_and_straight_apostrophes_in_names_are_the_same():
    people = finder(("Rosie O'Donnell", "celebrity", []))

    assert names(people.scan("Rosie O’Donnell gave.")) == ["Rosie O'Donnell"]


def test_diacritics_do_not_matter():
    people = finder(("José Núñez", "official", []))

    assert names(people.scan("Jose Nunez said no.")) == ["José Núñez"]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Tom Price spoke about prices. Price left.", 2),
        ("Karen Handel met Mr. Handelsman. Handel won.", 2),
    ],
)
def test_whole_words_only(text, found):
    people = finder(("Tom Price", "official", []), ("Karen Handel", "candidate", []))

    assert sum(hit.count for hit in people.scan(text).hits) == found


def test_lowercase_common_word_is_not_a_surname():
    people = finder(("Donald Trump", "official", []))

    assert people.scan("Donald Trump played his trump card.").hits[0].count == 1


def test_aliases_are_found():
    people = finder(("Samuel L. Jackson", "celebrity", ["Sam Jackson"]))

    assert names(people.scan("Sam Jackson cut an ad.")) == ["Samuel L. Jackson"]


def test_an_alias_shared_by_two_people_is_ambiguous_not_linked():
    people = finder(
        ("Samuel L. Jackson", "celebrity", ["Jackson"]),
        ("Jesse Jackson", "official", ["Jackson"]),
    )

    result = people.scan("Jackson spoke.")

    assert result.hits == []
    (name,) = result.ambiguous
    assert [p.name for p in name.candidates] == ["Jesse Jackson", "Samuel L. Jackson"]


def test_a_shared_surname_after_both_full_names_is_ambiguous():
    people = finder(
        ("Samuel L. Jackson", "celebrity", []), ("Jesse Jackson", "official", [])
    )

    result = people.scan("Samuel L. Jackson and Jesse Jackson met. Jackson left.")

    assert [a.text for a in result.ambiguous] == ["Jackson"]
    assert all(hit.count == 1 for hit in result.hits)


def test_a_shared_full_name_is_ambiguous():
    people = finder(("John Smith", "official", []), ("John Smith", "celebrity", []))

    result = people.scan("John Smith won.")

    assert result.hits == [] and len(result.ambiguous[0].candidates) == 2


def test_sentences_do_not_end_at_initials():
    text = "Samuel L. Jackson cut an ad. Then he left."

    assert [text[s:e].strip() for s, e in sentence_spans(text)] == [
        "Samuel L. Jackson cut an ad.",
        "Then he left.",
    ]


@pytest.mark.parametrize(
    ("text", "name", "role"),
    [
        ("Jane Fonda donated to the campaign.", "Jane Fonda", "donor"),
        (
            "Samuel L. Jackson cut a radio ad endorsing Ossoff.",
            "Samuel L. Jackson",
            "endorser",
        ),
        (
            "He got online support from actress Debra Messing.",
            "Debra Messing",
            "endorser",
        ),
        (
            'Alyssa Milano said she wanted "to puke" after the vote.',
            "Alyssa Milano",
            "quoted",
        ),
        ("Jon Ossoff lost his bid for the seat.", "Jon Ossoff", "candidate"),
        ("Jane Fonda watched the news.", "Jane Fonda", "mentioned"),
    ],
)
def test_roles_the_text_states_plainly(text, name, role):
    people = finder(
        ("Jane Fonda", "celebrity", []),
        ("Samuel L. Jackson", "celebrity", []),
        ("Debra Messing", "celebrity", []),
        ("Alyssa Milano", "celebrity", []),
        ("Jon Ossoff", "candidate", []),
    )

    hit = next(h for h in people.scan(text).hits if h.person.name == name)

    assert hit.role == role
    assert hit.sentence


def test_the_person_endorsed_is_not_the_endorser():
    people = finder(
        ("Samuel L. Jackson", "celebrity", []), ("Jon Ossoff", "celebrity", [])
    )

    result = people.scan("Samuel L. Jackson cut an ad endorsing Jon Ossoff.")

    assert result.hit_for(2).role == "mentioned"


def test_everyone_in_a_list_before_the_verb_gets_the_role():
    people = finder(
        ("Rosie O'Donnell", "celebrity", []), ("Jane Fonda", "celebrity", [])
    )

    result = people.scan("Rosie O'Donnell, and Jane Fonda donated money.")

    assert [hit.role for hit in result.hits] == ["donor", "donor"]


def test_names_not_in_the_database_are_offered_as_new_people():
    people = finder(("Alyssa Milano", "celebrity", []))
    text = "With Matt Dababneh at the Brad Sherman #Townhall. A post by Alyssa Milano."

    assert [n.name for n in people.scan(text).new_names] == [
        "Matt Dababneh",
        "Brad Sherman",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "The Congressional Leadership Fund ran it.",
        "He moved to the White House on Monday.",
        "DEMOCRAT JON OSSOFF GETS HOLLYWOOD HELP",
        "Georgia’s Sixth District voted.",
        "The New Yorker reported it.",
        "However, Tuesday came.",
        "President Trump’s Secretary of Health spoke.",
    ],
)
def test_organisations_places_and_sentence_starts_are_not_new_people(text):
    assert finder().scan(text).new_names == []


def test_an_empty_finder_finds_nothing():
    assert finder().scan("Jon Ossoff").hits == []


# --- The seed stories --------------------------------------------------------------


def demo_finder(*, leave_out=()):
    people = []
    for n, person in enumerate(data.PEOPLE, start=1):
        if person["name"] not in leave_out:
            people.append(
                KnownPerson(
                    n, person["name"], person["kind"], tuple(person.get("aliases", []))
                )
            )
    return MentionFinder(people)


def seed_text(name):
    from articles.demo.loader import SEEDS_DIR

    return (SEEDS_DIR / name).read_text()


@pytest.fixture(scope="module")
def runoff_story():
    return demo_finder(leave_out={"Matt Dababneh", "Brad Sherman"}).scan(
        seed_text("hollywood-vs-georgia.txt")
    )


@pytest.fixture(scope="module")
def celebrities_story():
    return demo_finder(leave_out={"Matt Dababneh", "Brad Sherman"}).scan(
        seed_text("hollywood-came-to-georgia.txt")
    )


def roles(result):
    return {hit.person.name: set(hit.roles) | {hit.role} for hit in result.hits}


def test_seed_runoff_story_roles(runoff_story):
    found = roles(runoff_story)

    assert "endorser" in found["Samuel L. Jackson"]
    assert "donor" in found["Rosie O'Donnell"]
    assert "donor" in found["Jane Fonda"]
    assert found["Jon Ossoff"] == {"candidate"}
    assert found["Karen Handel"] == {"candidate"}


def test_seed_celebrity_story_roles(celebrities_story):
    found = roles(celebrities_story)

    assert "endorser" in found["Samuel L. Jackson"]
    assert "donor" in found["Jane Fonda"]
    # "Ossoff insisted on his campaign site that…": reported speech, without quotes
    assert found["Jon Ossoff"] == {"candidate", "quoted"}
    assert celebrities_story.hit_for(1).role == "candidate"


def test_seed_stories_name_every_expected_person(runoff_story, celebrities_story):
    named = set(roles(runoff_story)) | set(roles(celebrities_story))

    assert {
        "Jon Ossoff", "Karen Handel", "Tom Price", "Donald Trump", "Samuel L. Jackson",
        "Alyssa Milano", "Rosie O'Donnell", "Jane Fonda", "John Leguizamo",
        "Sarah Silverman", "Debra Messing", "Jessica Lange", "Connie Britton",
        "Sam Waterston", "Kyra Sedgwick", "Chelsea Handler", "George Takei",
        "Kathy Griffin", "Sean Daniel",
    } <= named  # fmt: skip


def test_seed_stories_have_no_false_positives(runoff_story, celebrities_story):
    known = {person["name"] for person in data.PEOPLE}

    for result in (runoff_story, celebrities_story):
        assert {hit.person.name for hit in result.hits} <= known
        assert result.ambiguous == []
        for hit in result.hits:
            for occurrence in hit.occurrences:
                assert occurrence.text[0].isupper()


def test_seed_story_offers_the_two_unknown_congressmen(celebrities_story, runoff_story):
    assert [n.name for n in celebrities_story.new_names] == [
        "Matt Dababneh",
        "Brad Sherman",
    ]
    assert runoff_story.new_names == []


def test_plain_text_of_a_story_keeps_paragraphs_apart():
    text = article_plain_text(
        headline="Head", dek="Dek", body="<p>One</p><p>Two &amp; three</p>"
    )

    assert text == "Head\n\nDek\n\nOne\n\nTwo & three"
