"""The numbers check before publishing: the figures a story states about the
candidates of its races, checked against the stored results, and the style
notes of the same panel."""

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.urls import reverse

from articles.models import Article
from articles.numbers_check import (
    Candidate,
    Kind,
    Status,
    article_numbers_check,
    check_story,
    find_claims,
    stored_figures,
)
from people.models import Election
from tests.articles.test_admin import article_form
from tests.factories import (
    AliasFactory,
    ArticleFactory,
    BylineFactory,
    CandidacyFactory,
    ElectionFactory,
    PersonFactory,
    RaceFactory,
    byline_inline_data,
)

SEEDS = Path(__file__).resolve().parents[2] / "articles" / "demo" / "seeds"
HANDEL, OSSOFF, HILL = 1, 2, 3
CANDIDATES = [
    Candidate(HANDEL, "Karen Handel"),
    Candidate(OSSOFF, "Jon Ossoff", ("Jonathan Ossoff",)),
    Candidate(HILL, "Judson Hill"),
]
EASTERN = ZoneInfo("America/New_York")


def claims_in(text):
    return [
        (claim.kind, claim.value, claim.person_id)
        for claim in find_claims(text, CANDIDATES)
    ]


# --- The extractor, on crafted sentences (no database) ---


def test_a_share_goes_to_the_candidate_named_before_it():
    assert claims_in("Handel won 51.8% of the vote.") == [(Kind.SHARE, 51.8, HANDEL)]


def test_a_possessive_names_the_candidate():
    assert claims_in("Ossoff's 48 percent was not enough.") == [
        (Kind.SHARE, 48.0, OSSOFF)
    ]


def test_per_cent_and_an_alias_are_read():
    assert claims_in("Jonathan Ossoff took 48.1 per cent.") == [
        (Kind.SHARE, 48.1, OSSOFF)
    ]


def test_a_vote_count_with_thousands_separators():
    assert claims_in("Karen Handel received 134,799 votes.") == [
        (Kind.VOTES, 134_799, HANDEL)
    ]


def test_two_candidates_in_one_sentence_each_get_their_figure():
    assert claims_in("Handel beat Ossoff 51.8% to 48.2% on Tuesday.") == [
        (Kind.SHARE, 51.8, HANDEL),
        (Kind.SHARE, 48.2, OSSOFF),
    ]


def test_two_candidates_each_followed_by_their_figure():
    assert claims_in("Ossoff won 48% in April, and Handel 19.8%.") == [
        (Kind.SHARE, 48.0, OSSOFF),
        (Kind.SHARE, 19.8, HANDEL),
    ]


def test_a_figure_before_any_name_goes_to_the_name_after_it():
    assert claims_in("With 51.8%, Handel won.") == [(Kind.SHARE, 51.8, HANDEL)]


def test_a_point_margin_and_a_vote_margin_are_read():
    text = "Handel won by 9,282 votes, a 3.6-point margin."

    assert claims_in(text) == [
        (Kind.VOTE_MARGIN, 9_282, HANDEL),
        (Kind.POINT_MARGIN, 3.6, HANDEL),
    ]


def test_a_threshold_is_not_a_result():
    text = "Ossoff’ failure to reach the 50 percent threshold forced a runoff."

    assert claims_in(text) == []


def test_a_surname_inside_another_name_is_not_the_candidate():
    claims = claims_in("On Capitol Hill, 40 percent of aides agreed.")

    assert claims == [(Kind.SHARE, 40.0, None)]


def test_a_party_and_state_parenthesis_does_not_end_the_sentence():
    assert claims_in("Jon Ossoff (D-Ga.) had 48.2 percent.") == [
        (Kind.SHARE, 48.2, OSSOFF)
    ]


def test_the_sentence_words_that_name_a_round_are_kept():
    (claim,) = find_claims("In the April vote, Ossoff won 48%.", CANDIDATES)

    assert claim.round_words == ("april",)


def test_a_qualifier_before_the_figure_is_kept():
    (claim,) = find_claims("Handel had just over 52 percent.", CANDIDATES)

    assert claim.qualifier == "more than"


@pytest.mark.parametrize("seed", sorted(p.name for p in SEEDS.glob("*.txt")))
def test_the_seed_stories_state_no_result_about_a_candidate(seed):
    """The seeds' figures are ages, money, followers and the 50 percent
    threshold: none is a candidate's result."""
    text = (SEEDS / seed).read_text()

    claims = find_claims(text, CANDIDATES)

    assert [c.text for c in claims if c.person_id is not None] == []


# --- Against stored results ---


@pytest.fixture
def ga06():
    """The 2017 GA-06 race: the April all-party round (Ossoff 48.12%, Handel
    19.77%) and the June runoff (Handel 51.78%, Ossoff 48.22%), certified."""
    race = RaceFactory(
        name="Georgia's 6th District special election", district="6", year=2017
    )
    april = ElectionFactory(
        race=race, date=date(2017, 4, 18), kind=Election.Kind.ALL_PARTY,
        is_certified=True,
    )  # fmt: skip
    runoff = ElectionFactory(
        race=race, date=date(2017, 6, 20), kind=Election.Kind.RUNOFF,
        is_certified=True,
    )  # fmt: skip
    handel = PersonFactory(name="Karen Handel", party="R")
    ossoff = PersonFactory(name="Jon Ossoff", party="D")
    AliasFactory(person=ossoff, name="Jonathan Ossoff")
    CandidacyFactory(election=april, person=ossoff, party="D", votes=92_673)
    CandidacyFactory(election=april, person=handel, party="R", votes=38_071)
    CandidacyFactory(election=april, votes=192_569 - 92_673 - 38_071)  # the rest
    CandidacyFactory(election=runoff, person=handel, party="R", votes=134_799)
    CandidacyFactory(election=runoff, person=ossoff, party="D", votes=125_517)
    return race


def check(text, races, day=date(2017, 6, 21), **kwargs):
    return check_story(
        headline="", dek="", body=f"<p>{text}</p>", races=races, day=day, **kwargs
    )


def verdicts(report):
    return [(item.claim.text, item.candidate, item.agrees) for item in report.claims]


@pytest.mark.django_db
def test_stored_figures_give_votes_share_status_and_round(ga06):
    figures = stored_figures(ga06)

    runoff = [f for f in figures if f.round_kind == Election.Kind.RUNOFF]
    assert [(f.name, f.votes, round(f.share, 2)) for f in runoff] == [
        ("Karen Handel", 134_799, 51.78),
        ("Jon Ossoff", 125_517, 48.22),
    ]
    assert {f.status for f in figures} == {Status.CERTIFIED}
    assert {f.as_of for f in runoff} == {date(2017, 6, 20)}


@pytest.mark.django_db
def test_a_round_not_certified_is_unofficial():
    candidacy = CandidacyFactory(election__is_certified=False)

    (figure,) = stored_figures(candidacy.election.race)

    assert figure.status == Status.UNOFFICIAL


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text",
    [
        "Handel won 51.8% of the vote.",  # 51.78
        "Handel won 52 percent.",  # rounded to the unit
        "Ossoff's 48.22 percent fell short.",
        "Karen Handel received 134,799 votes.",
        "Handel won by 9,282 votes.",
        "It was a 3.6-point margin for Handel.",  # 3.56
    ],
)
def test_figures_that_agree_within_rounding(ga06, text):
    report = check(text, [ga06])

    assert [item.agrees for item in report.claims] == [True]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text",
    [
        "Handel won 51.9% of the vote.",  # election night's 51.9
        "Handel had just over 52 percent.",  # AP/PBS on the night
        "Karen Handel received 134,595 votes.",  # DDHQ, superseded
        "Ossoff's 49 percent fell short.",
    ],
)
def test_figures_that_disagree_are_flagged(ga06, text):
    report = check(text, [ga06])

    assert [item.agrees for item in report.claims] == [False]
    assert report.disagreements == report.claims


@pytest.mark.django_db
def test_a_disagreement_names_the_stored_value_its_status_and_time(ga06):
    (item,) = check("Ossoff's 49 percent fell short.", [ga06]).claims

    assert item.stored_text == "48.22%"
    assert item.stored.status == Status.CERTIFIED
    assert item.stored.as_of == date(2017, 6, 20)
    assert item.candidate == "Jon Ossoff"


@pytest.mark.django_db
def test_the_round_is_the_latest_held_by_the_story_date(ga06):
    text = "Ossoff won 48% of the vote."

    in_april = check(text, [ga06], day=date(2017, 4, 19))
    in_june = check(text, [ga06], day=date(2017, 6, 21))

    assert verdicts(in_april) == [("48%", "Jon Ossoff", True)]  # 48.12
    assert verdicts(in_june) == [("48%", "Jon Ossoff", True)]  # 48.22
    assert in_april.claims[0].stored.round_date == date(2017, 4, 18)
    assert in_june.claims[0].stored.round_date == date(2017, 6, 20)


@pytest.mark.django_db
def test_a_round_the_sentence_names_wins_over_the_story_date(ga06):
    report = check("In April, Handel won 19.8%.", [ga06], day=date(2017, 6, 21))

    assert verdicts(report) == [("19.8%", "Karen Handel", True)]  # 19.77


@pytest.mark.django_db
def test_two_candidates_in_one_sentence_are_checked_each(ga06):
    report = check("Handel beat Ossoff 51.8% to 49% in the runoff.", [ga06])

    assert verdicts(report) == [
        ("51.8%", "Karen Handel", True),
        ("49%", "Jon Ossoff", False),
    ]


@pytest.mark.django_db
def test_a_story_before_every_round_is_not_checked(ga06):
    report = check("Ossoff polled 40% of likely voters.", [ga06], day=date(2017, 3, 1))

    assert [(item.agrees, item.note) for item in report.claims] == [
        (None, "No results stored by then.")
    ]


@pytest.mark.django_db
def test_without_a_linked_race_nothing_is_checked(ga06):
    report = check("Handel won 60% of the vote.", [])

    assert report.claims == []
    assert report.races == []


@pytest.mark.django_db
def test_a_figure_about_no_candidate_is_left_out(ga06):
    report = check("Turnout rose, and 58 percent of them were women.", [ga06])

    assert report.claims == []


# --- Style notes ---


@pytest.mark.django_db
def test_a_candidates_first_reference_without_party_and_state_is_noted(ga06):
    report = check("Karen Handel won. Later, Karen Handel (R-Ga.) spoke.", [ga06])

    assert [note.message for note in report.style if note.kind == "party-state"] == [
        "Karen Handel: the first reference (“Karen Handel”) has no party and "
        "state; write “Karen Handel (R-Ga.)”."
    ]


@pytest.mark.django_db
def test_a_first_reference_with_party_and_state_passes(ga06):
    report = check("Karen Handel (R-Ga.) won; Jon Ossoff (D-GA) lost.", [ga06])

    assert [note for note in report.style if note.kind == "party-state"] == []


@pytest.mark.django_db
def test_a_person_named_but_not_linked_is_noted(ga06):
    handel = ga06.elections.first().candidacies.get(person__name="Karen Handel")
    text = "Karen Handel (R-Ga.) beat Jon Ossoff (D-Ga.)."

    report = check(text, [ga06], linked_people={handel.person_id})

    assert [n.message for n in report.style if n.kind == "person-not-linked"] == [
        "Jon Ossoff is named (“Jon Ossoff”) but not linked to the story."
    ]


@pytest.mark.django_db
def test_a_race_named_but_not_linked_is_noted(ga06):
    text = "The race for Georgia’s Sixth District drew millions."

    linked = check(text, [ga06])
    unlinked = check(text, [])

    assert [n for n in linked.style if n.kind == "race-not-linked"] == []
    assert [n.message for n in unlinked.style if n.kind == "race-not-linked"] == [
        "The story names “Georgia’s Sixth District” but does not list the race "
        "Georgia's 6th District special election (2017)."
    ]


@pytest.mark.django_db
def test_a_race_of_another_year_with_the_same_seat_is_not_proposed(ga06):
    RaceFactory(name="Georgia's 6th District", district="6", year=2018)

    report = check("GA-06 voted.", [], day=date(2017, 6, 21))

    races = [n.message for n in report.style if n.kind == "race-not-linked"]
    assert len(races) == 1
    assert "(2017)" in races[0]


# --- The seed stories, as the demo loads them ---


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("load_demo")


@pytest.mark.django_db
def test_the_demo_stories_state_no_figure_to_check(demo):
    reports = [article_numbers_check(story) for story in Article.objects.all()]

    assert len(reports) == 2
    assert [report.claims for report in reports] == [[], []]


@pytest.mark.django_db
def test_the_demo_story_first_names_its_candidates_without_party_and_state(demo):
    story = Article.objects.get(slug="hollywood-came-to-georgia-and-lost")

    report = article_numbers_check(story)

    # "Democrat Jon Ossoff … Republican Karen Handel": no "(D-Ga.)", "(R-Ga.)"
    assert sorted(
        n.message.split(":")[0] for n in report.style if n.kind == "party-state"
    ) == [
        "Jon Ossoff",
        "Karen Handel",
    ]
    assert [n for n in report.style if n.kind == "race-not-linked"] == []


# --- The panel in the admin ---


def story_with_figures(ga06, body):
    story = ArticleFactory(
        body=body, published_at=datetime(2017, 6, 21, 9, tzinfo=EASTERN)
    )
    story.races.add(ga06)
    return story


@pytest.mark.django_db
def test_the_change_page_shows_the_numbers_check_panel(admin_client, ga06):
    story = story_with_figures(ga06, "<p>Ossoff's 49 percent fell short.</p>")

    page = admin_client.get(
        reverse("admin:articles_article_change", args=[story.pk])
    ).content.decode()

    assert 'id="numbers-check"' in page
    assert "Disagrees" in page
    assert "48.22%" in page
    assert "certified, as of June 20, 2017" in page


@pytest.mark.django_db
def test_the_panel_checks_unsaved_text_with_the_races_chosen(admin_client, ga06):
    url = reverse("admin:articles_article_numbers_check")

    answer = admin_client.post(
        url,
        {
            "headline": "Handel wins",
            "dek": "",
            "body": "<p>Handel won 51.8% of the vote.</p>",
            "covered_races": [str(ga06.pk)],
            "published_at_0": "2017-06-21",
        },
    ).json()

    assert answer["disagreements"] == 0
    assert "Agrees" in answer["html"]
    assert "51.78%" in answer["html"]


@pytest.mark.django_db
def test_the_panel_says_when_no_race_is_linked(admin_client):
    url = reverse("admin:articles_article_numbers_check")

    answer = admin_client.post(url, {"body": "<p>Handel won 51.8%.</p>"}).json()

    assert "No race is linked to this story" in answer["html"]


@pytest.mark.django_db
def test_the_panel_endpoint_answers_post_only(admin_client):
    url = reverse("admin:articles_article_numbers_check")

    assert admin_client.get(url).status_code == 405


@pytest.mark.django_db
def test_the_panel_endpoint_refuses_a_malformed_story_id(admin_client):
    url = reverse("admin:articles_article_numbers_check")

    response = admin_client.post(url, {"article": "abc", "body": "x"})

    assert response.status_code == 400


@pytest.mark.django_db
def test_a_bad_date_falls_back_to_today_not_an_error(admin_client, ga06):
    url = reverse("admin:articles_article_numbers_check")

    response = admin_client.post(
        url,
        {
            "body": "<p>Handel won 51.8%.</p>",
            "covered_races": [str(ga06.pk), "nonsense"],
            "published_at_0": "June 31st",
        },
    )

    assert response.status_code == 200


@pytest.mark.django_db
def test_a_disagreeing_figure_does_not_block_publishing(admin_client, ga06):
    body = "<p>Handel won 60% of the vote.</p>"
    story = ArticleFactory(status=Article.Status.DRAFT, published_at=None, body=body)
    BylineFactory(article=story)
    story.races.add(ga06)
    data = article_form(
        story.section,
        headline=story.headline,
        slug=story.slug,
        body=body,
        covered_races=[str(ga06.pk)],
        opened_version=str(story.lock_version),
        _action="publish",
    ) | byline_inline_data(story)

    response = admin_client.post(
        reverse("admin:articles_article_change", args=[story.pk]), data
    )

    assert response.status_code == 302
    story.refresh_from_db()
    assert story.is_published
