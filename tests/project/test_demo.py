"""The demo newsroom: the 2017 GA-06 special election and two seed stories."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils.html import escape

from articles.models import Article, Mention
from people.models import Candidacy, Election, Person, Race

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=None)


def roles_in(article, name):
    return set(
        article.mentions.filter(person__name=name).values_list("role", flat=True)
    )


def test_demo_loads_both_seed_stories(demo):
    assert Article.objects.count() == 2
    assert Article.objects.filter(
        headline="Hollywood came to Georgia, and lost."
    ).exists()


def test_every_published_demo_story_has_a_byline(demo):
    published = Article.objects.published()

    assert published.exists()
    for story in published:
        assert story.bylines.exists(), story.headline


def test_a_seed_that_names_no_writer_runs_under_the_staff_byline(demo):
    """Regression: the first seed story was loaded published with no byline."""
    story = Article.objects.get(slug="hollywood-came-to-georgia-and-lost")

    assert story.status == Article.Status.PUBLISHED
    assert [b.person.name for b in story.bylines.all()] == ["Newsroom staff"]


def test_the_staff_byline_is_a_journalist(demo):
    staff = Person.objects.get(name="Newsroom staff")

    assert staff.kind == Person.Kind.JOURNALIST


def test_demo_story_bodies_are_the_seed_text_as_paragraphs(demo):
    story = Article.objects.get(slug="hollywood-came-to-georgia-and-lost")

    assert story.body.startswith("<p>Democrat Jon Ossoff lost his bid on Tuesday night")
    assert "Hollywood came to Georgia, and lost." not in story.body
    assert story.body.count("<p>") > 15


def test_jerome_hudson_has_the_byline_where_the_story_says_so(demo):
    story = Article.objects.get(
        slug="hollywood-vs-georgia-celebrity-backed-ossoff-loses"
    )

    assert [b.person.name for b in story.bylines.all()] == ["Jerome Hudson"]
    assert "Follow Jerome Hudson" not in story.body
    assert Person.objects.get(name="Jerome Hudson").kind == Person.Kind.JOURNALIST


def test_demo_people_have_the_right_kinds_and_parties(demo):
    def kind_party(name):
        person = Person.objects.get(name=name)
        return person.kind, person.party

    assert kind_party("Jon Ossoff") == ("candidate", "D")
    assert kind_party("Karen Handel") == ("candidate", "R")
    assert kind_party("Tom Price") == ("official", "R")
    assert kind_party("Samuel L. Jackson") == ("celebrity", "")
    assert Person.objects.get(aliases__name="Sam Jackson").name == "Samuel L. Jackson"


@pytest.mark.parametrize(
    "name",
    [
        "Samuel L. Jackson",
        "Alyssa Milano",
        "Rosie O'Donnell",
        "Jane Fonda",
        "John Leguizamo",
        "Sarah Silverman",
        "Debra Messing",
        "Jessica Lange",
        "Connie Britton",
        "Sam Waterston",
        "Kyra Sedgwick",
        "Chelsea Handler",
        "George Takei",
        "Kathy Griffin",
        "Donald Trump",
        "Tom Price",
    ],
)
def test_every_named_celebrity_and_official_is_linked_to_a_story(demo, name):
    assert Mention.objects.filter(person__name=name).exists()


def test_mentions_carry_the_roles_the_stories_tell(demo):
    for story in Article.objects.all():
        assert "candidate" in roles_in(story, "Jon Ossoff")
        assert "candidate" in roles_in(story, "Karen Handel")
        assert "endorser" in roles_in(story, "Samuel L. Jackson")
        assert "donor" in roles_in(story, "Rosie O'Donnell")
        assert "donor" in roles_in(story, "Jane Fonda")


def test_every_person_in_the_demo_lists_their_stories_on_their_page(demo, client):
    """Regression: the loader bulk-created mentions without their story's publish
    time, and every demo person's page said no story mentions them."""
    published = Article.objects.published()
    for person in Person.objects.filter(mentions__article__in=published).distinct():
        page = client.get(person.get_absolute_url()).content.decode()

        for story in published.filter(mentions__person=person).distinct():
            assert escape(story.headline) in page, (person.name, story.headline)


def test_demo_stories_are_tagged_and_cover_the_race(demo):
    race = Race.objects.get(slug="2017-ga-06-special")
    for story in Article.objects.all():
        assert "Georgia 6th District" in story.tags.names()
        assert list(story.races.all()) == [race]


def test_race_has_two_rounds_with_certified_figures(demo):
    race = Race.objects.get(slug="2017-ga-06-special")
    april, runoff = race.elections.all()

    assert (april.date.isoformat(), april.kind) == (
        "2017-04-18",
        Election.Kind.ALL_PARTY,
    )
    assert (runoff.date.isoformat(), runoff.kind) == (
        "2017-06-20",
        Election.Kind.RUNOFF,
    )
    assert april.candidacies.count() == 18
    assert "Secretary of State" in runoff.source and runoff.is_certified


def test_runoff_results_match_the_certified_export(demo):
    runoff = Election.objects.get(kind=Election.Kind.RUNOFF)
    results = {
        c.person.name: (c.votes, round(c.vote_share, 2), c.is_winner)
        for c in runoff.candidacies.with_share().select_related("person")
    }

    assert results == {
        "Karen Handel": (134_799, 51.78, True),
        "Jon Ossoff": (125_517, 48.22, False),
    }


def test_april_results_match_the_certified_export(demo):
    april = Election.objects.get(kind=Election.Kind.ALL_PARTY)
    top = list(april.candidacies.with_share().select_related("person")[:5])

    assert sum(c.votes for c in april.candidacies.all()) == 192_569
    assert [(c.person.name, c.votes, round(c.vote_share, 2)) for c in top] == [
        ("Jon Ossoff", 92_673, 48.12),
        ("Karen Handel", 38_071, 19.77),
        ("Bob Gray", 20_802, 10.80),
        ("Dan Moody", 17_028, 8.84),
        ("Judson Hill", 16_870, 8.76),
    ]
    advanced = april.candidacies.filter(advanced=True).values_list(
        "person__name", flat=True
    )
    assert sorted(advanced) == ["Jon Ossoff", "Karen Handel"]
    assert not april.candidacies.filter(is_winner=True).exists()


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Article,
            Mention,
            Person,
            Race,
            Election,
            Candidacy,
            get_user_model(),
        )
    }


def test_loading_twice_changes_nothing(settings):
    settings.DEBUG = True
    call_command("load_demo")
    before = counts()
    stamps = list(Article.objects.values_list("updated_at", flat=True))
    people_stamps = list(Person.objects.values_list("updated_at", flat=True))

    call_command("load_demo")

    assert counts() == before
    assert list(Article.objects.values_list("updated_at", flat=True)) == stamps
    assert list(Person.objects.values_list("updated_at", flat=True)) == people_stamps


def test_demo_editor_can_log_in_to_the_admin(settings, client, capsys):
    settings.DEBUG = True
    call_command("load_demo")
    printed = capsys.readouterr().out
    password = printed.split("editor / ")[1].split()[0]

    response = client.post(
        "/admin/login/?next=/admin/", {"username": "editor", "password": password}
    )
    assert response.status_code == 302
    assert client.get("/admin/articles/article/").status_code == 200
    assert (
        settings.NEWSROOM_DEMO_LOGIN_FILE.read_text().strip() == f"editor / {password}"
    )


def test_demo_editor_login_is_printed_only_once(settings, capsys):
    settings.DEBUG = True
    call_command("load_demo")
    capsys.readouterr()

    call_command("load_demo")

    assert "editor / " not in capsys.readouterr().out


def test_demo_refuses_to_load_with_debug_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo")

    assert not Article.objects.exists()


def test_demo_loads_with_debug_off_when_forced(settings):
    settings.DEBUG = False

    call_command("load_demo", "--force")

    assert Article.objects.count() == 2
