"""The classes of mistakes issue 31 lists, one test (or table) each: the finder on
its own, no database."""

import pytest

from people.mentions import KnownPerson, MentionFinder, name_variants, surname_of


def finder(*people):
    return MentionFinder(people)


def person(n, name, kind="official", aliases=(), **extra):
    return KnownPerson(n, name, kind, tuple(aliases), **extra)


def names(result):
    return [hit.person.name for hit in result.hits]


PRESIDENTS = finder(
    person(1, "Abraham Lincoln"),
    person(2, "Thomas Jefferson"),
    person(3, "Ronald Reagan"),
    person(4, "Martin Luther King Jr.", "other"),
    person(5, "Jimmy Carter"),
    person(6, "John F. Kennedy"),
    person(7, "George Mason", "other"),
)


# --- Names inside places and institutions ------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "She grew up near the Thomas Jefferson Memorial.",
        "Flights left Ronald Reagan Washington National Airport late.",
        "Students of Martin Luther King Jr. High School marched.",
        "He spoke at the Jimmy Carter Presidential Library on Friday.",
        "A panel at the John F. Kennedy School of Government met.",
        "Fees rose at George Mason University.",
    ],
)
def test_a_name_inside_a_place_or_institution_is_not_the_person(text):
    assert names(PRESIDENTS.scan(text)) == []


def test_a_surname_inside_a_place_is_not_another_mention():
    text = "Abraham Lincoln was born in Kentucky. Lincoln, Nebraska is named for him."

    (hit,) = PRESIDENTS.scan(text).hits

    assert hit.count == 1


def test_a_full_name_before_a_state_is_the_person():
    (hit,) = PRESIDENTS.scan("Ronald Reagan, California's governor, spoke.").hits

    assert hit.person.name == "Ronald Reagan"


@pytest.mark.parametrize(
    "text", ["the Carter Center opened", "at the Jefferson Memorial", "to Fort Carter"]
)
def test_a_lone_surname_in_a_place_name_is_nobody(text):
    assert names(PRESIDENTS.scan(f"President {text}.")) == []


# --- One-word names match capitalised -----------------------------------------------


@pytest.mark.parametrize(
    "text", ["They met in a warren of offices.", "Oil fell in price again."]
)
def test_a_one_word_alias_does_not_match_a_lowercase_word(text):
    people = finder(
        person(1, "Elizabeth Warren", aliases=["Warren"]),
        person(2, "Tom Price", aliases=["Price"]),
    )

    assert names(people.scan(text)) == []


def test_a_one_word_alias_matches_capitalised():
    people = finder(person(1, "Elizabeth Warren", aliases=["Warren"]))

    assert names(people.scan("Warren spoke first.")) == ["Elizabeth Warren"]


def test_a_one_word_alias_entered_lowercase_matches_lowercase():
    people = finder(person(1, "Donald Trump", aliases=["potus"]))

    assert names(people.scan("Then potus spoke.")) == ["Donald Trump"]


def test_a_surname_written_lowercase_after_the_full_name_is_not_counted():
    people = finder(person(1, "Elizabeth Warren"))

    (hit,) = people.scan("Elizabeth Warren toured a warren of offices.").hits

    assert hit.count == 1


# --- Two people with the same full name ---------------------------------------------

BAKERS = finder(
    person(1, "James Baker", clues=("secretary of state", "treasury"), party="R"),
    person(2, "James Baker", clues=("fbi", "general counsel")),
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Former Secretary of State James Baker backed the treaty.", 1),
        ("James Baker, then the FBI's general counsel, testified.", 2),
        ("James Baker, the Republican, spoke for the treaty.", 1),
    ],
)
def test_a_shared_full_name_is_told_apart_by_title_office_or_party(text, expected):
    (hit,) = BAKERS.scan(text).hits

    assert hit.person.person_id == expected


def test_a_shared_full_name_is_told_apart_by_state():
    people = finder(
        person(1, "Mike Johnson", clues=("representative", "louisiana")),
        person(2, "Mike Johnson", clues=("state senator", "texas")),
    )

    (hit,) = people.scan("Mike Johnson, the state senator from Texas, won.").hits

    assert hit.person.person_id == 2


def test_a_shared_full_name_with_nothing_to_tell_them_apart_is_asked():
    result = BAKERS.scan("James Baker arrived on Monday.")

    assert result.hits == []
    assert [p.person_id for p in result.ambiguous[0].candidates] == [1, 2]


def test_a_shared_full_name_goes_to_a_far_more_covered_person_less_certain():
    people = finder(
        person(1, "Gary Johnson", "candidate", coverage=80),
        person(2, "Gary Johnson", "other", coverage=2),
    )

    (hit,) = people.scan("Gary Johnson arrived on Monday.").hits

    assert (hit.person.person_id, hit.certain) == (1, False)


# --- A surname alone ----------------------------------------------------------------

CLINTONS = finder(
    person(1, "Hillary Clinton", "candidate", clues=("secretary",), coverage=9),
    person(2, "Bill Clinton", clues=("president", "arkansas"), coverage=3),
)


@pytest.mark.parametrize(
    "text",
    [
        "The treaty was first proposed by President Reagan.",
        "Taxes fell in the Reagan years.",
        "Officials in the Reagan administration were told late.",
    ],
)
def test_a_lone_surname_after_a_title_or_before_years_is_linked_less_certain(text):
    (hit,) = PRESIDENTS.scan(text).hits

    assert (hit.person.name, hit.certain) == ("Ronald Reagan", False)


def test_a_lone_surname_without_title_is_not_linked():
    assert names(PRESIDENTS.scan("Reagan spoke first.")) == []


def test_a_lone_surname_goes_to_the_person_the_title_fits():
    (hit,) = CLINTONS.scan("Former President Clinton backed the treaty.").hits

    assert hit.person.name == "Bill Clinton"


def test_a_lone_surname_goes_to_the_most_covered_person():
    (hit,) = CLINTONS.scan("Aides recalled the Clinton years.").hits

    assert (hit.person.name, hit.certain) == ("Hillary Clinton", False)


def test_a_surname_that_begins_someone_elses_name_is_not_linked():
    people = finder(person(1, "Elizabeth Warren"))

    text = "Former Secretary of State Warren Christopher served Clinton."

    assert names(people.scan(text)) == []


def test_a_list_of_counties_names_nobody():
    people = finder(person(1, "Robert Gates"), person(2, "Elizabeth Warren"))

    assert names(people.scan("Gates, Granville and Warren counties qualify.")) == []


def test_a_full_name_is_certain():
    (hit,) = PRESIDENTS.scan("Ronald Reagan spoke. President Reagan left.").hits

    assert (hit.count, hit.certain) == (2, True)


# --- Roles --------------------------------------------------------------------------

SENATORS = finder(
    person(1, "Jane Roe", "official"),
    person(2, "John Doe", "official"),
    person(3, "Mary Major", "candidate"),
)


def role_of(text, person_id=1, people=SENATORS):
    return people.scan(text).hit_for(person_id).role


def test_subject_is_never_suggested():
    text = "Jane Roe wins. Jane Roe, Jane Roe and Jane Roe: a story about Jane Roe."

    assert "subject" not in SENATORS.scan(text).hit_for(1).roles
    assert role_of(text) != "subject"


@pytest.mark.parametrize(
    "text",
    [
        "According to Senator Jane Roe, the bill is dead.",
        "Jane Roe stated that the bill is dead.",
        "Jane Roe told reporters the bill is dead.",
        "Jane Roe wrote in a letter that the bill is dead.",
        "Jane Roe tweeted that the bill is dead.",
        "Jane Roe concluded that the bill is dead.",
        "Jane Roe referred to the bill as dead.",
        "Jane Roe made the following statement on Monday.",
        "The bill is dead, said Senator Jane Roe.",
    ],
)
def test_speech_without_quotation_marks_is_quoted(text):
    assert role_of(text) == "quoted"


@pytest.mark.parametrize(
    "text",
    [
        "John Doe condemned Jane Roe's remarks.",
        "John Doe said Jane Roe was wrong.",
        "“Jane Roe has a fine record,” said John Doe.",
        "Jane Roe was said to be ill, John Doe reported.",
    ],
)
def test_the_object_of_a_verb_of_speech_is_not_the_speaker(text):
    assert role_of(text) == "mentioned"
    assert role_of(text, 2) == "quoted"


def test_the_united_states_are_not_a_verb_of_speech():
    text = "General Jane Roe leads the United States Africa Command."

    assert role_of(text) == "mentioned"


@pytest.mark.parametrize(
    "text",
    [
        "Mary Major leads in the polls for the Senate race.",
        "Republican nominee Mary Major held a rally.",
        "Mary Major suspended her campaign on Tuesday.",
    ],
)
def test_a_candidate_in_the_race_is_a_candidate(text):
    assert role_of(text, 3) == "candidate"


def test_candidate_comes_from_the_persons_kind_not_the_text():
    text = "Jane Roe, who is running for governor, is the Republican candidate."

    assert role_of(text) != "candidate"


def test_a_past_candidate_named_in_passing_is_mentioned():
    text = (
        "He spoke about Mary Major's view of the war; and a write-in candidate "
        "hopes to run a long campaign."
    )

    assert role_of(text, 3) == "mentioned"


def test_an_appointment_is_not_an_election():
    text = "Mary Major urged colleagues to back the nomination of a new judge."

    assert role_of(text, 3) != "candidate"


# --- Name variants ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("Rosie O'Donnell", "Rosie O’ Donnell gave money."),
        ("Rosie O'Donnell", "Rosie O' Donnell gave money."),
        ("John Public", "John Q. Public gave money."),
        ("George H. W. Bush", "George H.W. Bush signed it."),
        ("George H.W. Bush", "George H. W. Bush signed it."),
        ("Ron DeSantis", "Ron De Santis signed it."),
        ("Kevin McCarthy", "Kevin Mc Carthy signed it."),
        ("Cindy Hyde-Smith", "Cindy Hyde Smith signed it."),
        ("José Núñez", "Jose Nunez signed it."),
        ("Osama bin Laden", "Osama Bin Laden was found."),
    ],
)
def test_a_name_is_found_in_its_variants(name, text):
    assert names(finder(person(1, name)).scan(text)) == [name]


def test_a_middle_initial_is_not_taken_for_a_different_name():
    people = finder(person(1, "Richard M. Daley"), person(2, "Richard J. Daley"))

    assert names(people.scan("Mayor Richard M. Daley spoke.")) == ["Richard M. Daley"]


@pytest.mark.parametrize(
    ("name", "surname"),
    [
        ("Osama bin Laden", "bin Laden"),
        ("Martin Luther King Jr.", "King"),
        ("Cindy Hyde-Smith", "Hyde-Smith"),
        ("Butch O'Hare", "O'Hare"),
    ],
)
def test_the_surname_keeps_particles_and_hyphens(name, surname):
    assert surname_of(name) == surname


def test_a_name_without_particles_or_initials_has_one_form():
    assert name_variants("Donald Trump") == {"Donald Trump"}


def test_a_hyphenated_modifier_still_names_the_person():
    people = finder(person(1, "Jim Lehrer", "journalist"))

    assert names(people.scan("Millions watched the Jim Lehrer-moderated debate.")) == [
        "Jim Lehrer"
    ]


# --- New people? ---------------------------------------------------------------------

NOBODY = finder(person(1, "Jane Roe"))


def new_names(text):
    return [name.name for name in NOBODY.scan(text).new_names]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Notus Elementary School Principal Tyson Carter said so.", ["Tyson Carter"]),
        ("Run by Belfer Center Director Graham Allison.", ["Graham Allison"]),
        ("The nomination of General C. Robert Kehler passed.", ["C. Robert Kehler"]),
        ("He clerked for the Honorable G. Thomas Eisele then.", ["G. Thomas Eisele"]),
        ("Irene Basaldua helped.", ["Irene Basaldua"]),
    ],
)
def test_new_people_are_proposed_without_their_titles(text, expected):
    assert new_names(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "He is the Chief Executive Officer of Summit Bank.",
        "The Consumer Price Index did not rise.",
        "He was admitted to Walter Reed Hospital as a precaution.",
        "The Northwest Straits Commission met in Puget Sound.",
        "Its Sesame Street character Big Bird is loved.",
        "They repealed Don’t Ask, Don’t Tell at last.",
    ],
)
def test_organisations_and_phrases_are_not_proposed_as_people(text):
    assert new_names(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Former state Sen. DuBose Porter spoke.", ["DuBose Porter"]),
        ("Florida Gov. Ron DeSantis agreed.", ["Ron DeSantis"]),
        ("House Speaker Kevin McCarthy said no.", ["Kevin McCarthy"]),
        ("Democrat Beto O'Rourke ran for Senate.", ["Beto O'Rourke"]),
        ("Beto O’Rourke ran for Senate.", ["Beto O’Rourke"]),
        ("Sen. J.D. Vance of Ohio said yes.", ["J.D. Vance"]),
        ("J.D. Vance of Ohio said yes.", ["J.D. Vance"]),
        ("Mary Ann MacDonald came.", ["Mary Ann MacDonald"]),
        ("Then Alexandria Ocasio-Cortez said hi.", ["Alexandria Ocasio-Cortez"]),
        ("José Díaz-Balart wrote.", ["José Díaz-Balart"]),
        ("Ted Di Marco said so.", ["Ted Di Marco"]),
        ("Mike St. Pierre said so.", ["Mike St. Pierre"]),
        ("Rep. Chris Van Hollen voted.", ["Chris Van Hollen"]),
        ("Congressman Jamie Raskin and Chairman Bennie Thompson met.",
         ["Jamie Raskin", "Bennie Thompson"]),
        ("Later Kevin McCarthy said no.", ["Kevin McCarthy"]),
        ("Jean-Luc Picard arrived.", ["Jean-Luc Picard"]),
        ("The Florida Gov. signed it.", []),
        ("She met Florida Gov", []),
    ],
)  # fmt: skip
def test_new_people_keep_name_particles_initials_and_accents(text, expected):
    assert new_names(text) == expected
