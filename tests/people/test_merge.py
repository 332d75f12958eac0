import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import MentionDecision
from people.models import Alias, Candidacy, Person
from people.services import person_merge
from tests.factories import (
    AliasFactory,
    BylineFactory,
    CandidacyFactory,
    MentionFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair():
    right = PersonFactory(name="Samuel L. Jackson", slug="samuel-l-jackson")
    duplicate = PersonFactory(name="Sam Jackson", slug="sam-jackson")
    return duplicate, right


def test_merge_moves_mentions_candidacies_and_aliases(pair):
    duplicate, right = pair
    mention = MentionFactory(person=duplicate, role="endorser")
    candidacy = CandidacyFactory(person=duplicate)
    AliasFactory(person=duplicate, name="Samuel Jackson")

    person_merge(duplicate=duplicate, into=right)

    assert list(right.mentions.all()) == [mention]
    assert list(right.candidacies.all()) == [candidacy]
    assert set(right.aliases.values_list("name", flat=True)) == {
        "Sam Jackson",
        "Samuel Jackson",
    }
    assert not Person.objects.filter(pk=duplicate.pk).exists()


def test_merge_keeps_one_link_where_both_had_it(pair):
    duplicate, right = pair
    story = MentionFactory(person=right, role="endorser").article
    MentionFactory(person=duplicate, article=story, role="endorser")
    MentionFactory(person=duplicate, article=story, role="donor")
    election = CandidacyFactory(person=right).election
    CandidacyFactory(person=duplicate, election=election)

    person_merge(duplicate=duplicate, into=right)

    assert sorted(story.mentions.values_list("role", flat=True)) == [
        "donor",
        "endorser",
    ]
    assert Candidacy.objects.filter(election=election).count() == 1


def test_merge_keeps_one_byline_and_one_decision_where_both_had_them(pair):
    duplicate, right = pair
    story = BylineFactory(person=right).article
    BylineFactory(person=duplicate, article=story)
    MentionDecision.objects.create(article=story, person=right, decision="accepted")
    MentionDecision.objects.create(article=story, person=duplicate, decision="rejected")

    person_merge(duplicate=duplicate, into=right)

    assert list(story.bylines.values_list("person", flat=True)) == [right.pk]
    assert list(
        MentionDecision.objects.filter(article=story).values_list("person", "decision")
    ) == [(right.pk, "accepted")]


def merge_queries(mentions: int) -> int:
    """Queries a merge of a person linked to `mentions` stories takes (half of
    them also linked to the kept person)."""
    duplicate, kept = PersonFactory(), PersonFactory()
    for n in range(mentions):
        story = MentionFactory(person=duplicate).article
        if n % 2:
            MentionFactory(person=kept, article=story)
    with CaptureQueriesContext(connection) as queries:
        person_merge(duplicate=duplicate, into=kept)
    assert kept.mentions.count() == mentions
    return len(queries)


def test_a_merge_takes_as_many_queries_for_many_mentions_as_for_few():
    """One by one, a headliner's 30,000 mentions took 46 s to move."""
    assert merge_queries(20) == merge_queries(2)


def test_merge_moves_bylines():
    into = PersonFactory(kind="journalist")
    duplicate = PersonFactory(kind="journalist")
    byline = BylineFactory(person=duplicate)

    person_merge(duplicate=duplicate, into=into)

    assert list(into.bylines.all()) == [byline]


def test_the_old_page_redirects_to_the_kept_person(client, pair):
    duplicate, right = pair

    person_merge(duplicate=duplicate, into=right)
    response = client.get("/people/sam-jackson/")

    assert response.status_code == 301
    assert response["Location"] == right.get_absolute_url()


def test_merging_into_oneself_is_refused(pair):
    with pytest.raises(ValueError):
        person_merge(duplicate=pair[1], into=pair[1])


def test_merge_action_asks_which_person_to_keep_then_merges(admin_client, pair):
    duplicate, right = pair
    url = reverse("admin:people_person_changelist")
    selection = {"action": "merge_people", "_selected_action": [duplicate.pk, right.pk]}

    page = admin_client.post(url, selection).content.decode()
    assert "Choose the person to keep" in page

    admin_client.post(url, {**selection, "into": str(right.pk)})

    assert list(Person.objects.values_list("name", flat=True)) == ["Samuel L. Jackson"]
    assert Alias.objects.get().name == "Sam Jackson"


def test_merge_action_with_one_person_explains(admin_client, pair):
    response = admin_client.post(
        reverse("admin:people_person_changelist"),
        {"action": "merge_people", "_selected_action": [pair[0].pk]},
        follow=True,
    )

    assert "Select two or more people" in response.content.decode()
    assert Person.objects.count() == 2


def test_merge_action_with_a_foreign_choice_changes_nothing(admin_client, pair):
    other = PersonFactory()

    admin_client.post(
        reverse("admin:people_person_changelist"),
        {
            "action": "merge_people",
            "_selected_action": [pair[0].pk, pair[1].pk],
            "into": str(other.pk),
        },
    )

    assert Person.objects.count() == 3
