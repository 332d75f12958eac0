"""The "People found in this story" panel before the first save: an admin-only
endpoint finds the people in text as it is typed, and the add form links the
people ticked, with one or more roles each, when the story is first saved."""

import pytest
from django.urls import reverse

from articles.models import Article, Mention
from people.models import Person
from tests.articles.test_workflow import story_form
from tests.factories import (
    ArticleFactory,
    MentionFactory,
    PersonFactory,
    SectionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

URL = reverse("admin:articles_article_people_found")
ADD = reverse("admin:articles_article_add")
TEXT = {
    "headline": "Stars lose in Georgia",
    "dek": "",
    "body": "<p>Actor Samuel L. Jackson recorded an ad.</p>"
    "<p>Former state Sen. DuBose Porter said so.</p>",
}


@pytest.fixture
def jackson():
    return PersonFactory(name="Samuel L. Jackson", kind="celebrity")


def test_unsaved_text_finds_known_people_and_new_names(admin_client, jackson):
    answer = admin_client.post(URL, TEXT).json()

    assert [p["name"] for p in answer["people"]] == ["Samuel L. Jackson"]
    assert answer["new_names"] == ["DuBose Porter"]
    assert 'data-person="Samuel L. Jackson"' in answer["html"]
    assert 'name="newname-0-name" value="DuBose Porter"' in answer["html"]


def test_the_panel_offers_every_role_to_tick(admin_client, jackson):
    html = admin_client.post(URL, TEXT).json()["html"]

    for role in Mention.Role.values:
        assert f'name="suggestion-{jackson.pk}-role" value="{role}"' in html


def test_a_saved_story_leaves_out_the_people_it_links(admin_client, jackson):
    story = ArticleFactory(body=TEXT["body"])
    MentionFactory(article=story, person=jackson)

    answer = admin_client.post(URL, {**TEXT, "article": story.pk}).json()

    assert answer["people"] == []


def test_no_text_finds_nobody(admin_client, jackson):
    answer = admin_client.post(URL, {"headline": "", "body": ""}).json()

    assert answer["people"] == [] and answer["new_names"] == []
    assert "Type or paste the story" in answer["html"]


def test_only_post_is_answered(admin_client):
    response = admin_client.get(URL)

    assert response.status_code == 405
    assert response["Allow"] == "POST"


def test_readers_are_sent_to_log_in(client):
    response = client.post(URL, TEXT)

    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_staff_who_may_not_write_stories_are_refused(client):
    client.force_login(UserFactory(is_staff=True))

    assert client.post(URL, TEXT).status_code == 403


def test_an_unknown_story_is_404_and_a_bad_id_400(admin_client):
    assert admin_client.post(URL, {**TEXT, "article": "999999"}).status_code == 404
    assert admin_client.post(URL, {**TEXT, "article": "x"}).status_code == 400


def test_a_nul_in_the_text_is_no_error(admin_client, jackson):
    answer = admin_client.post(URL, {**TEXT, "body": "Samuel L.\x00 Jackson"})

    assert answer.status_code == 200


def test_the_first_save_links_a_person_ticked_with_two_roles(admin_client, jackson):
    data = story_form(
        section=SectionFactory(),
        **TEXT,
        slug="stars-lose",
        **{f"suggestion-{jackson.pk}": "link"},
    )
    data[f"suggestion-{jackson.pk}-role"] = ["endorser", "quoted"]

    response = admin_client.post(ADD, data)

    assert response.status_code == 302
    story = Article.objects.get(slug="stars-lose")
    assert sorted(story.mentions.values_list("person__name", "role")) == [
        ("Samuel L. Jackson", "endorser"),
        ("Samuel L. Jackson", "quoted"),
    ]


def test_a_new_person_is_created_under_the_corrected_name_and_hidden(admin_client):
    data = story_form(
        section=SectionFactory(),
        **TEXT,
        slug="stars-lose",
        **{
            "newname-0-name": "DuBose  Porter Sr.",
            "newname-0-kind": "official",
        },
    )
    data["newname-0-role"] = ["quoted", "subject"]

    admin_client.post(ADD, data)

    person = Person.objects.get(name="DuBose Porter Sr.")
    assert sorted(person.mentions.values_list("role", flat=True)) == [
        "quoted",
        "subject",
    ]
    assert not Person.objects.visible_to_readers().filter(pk=person.pk).exists()


def test_a_created_person_is_not_offered_again_as_new(admin_client, jackson):
    PersonFactory(name="DuBose Porter", kind="official")

    answer = admin_client.post(URL, TEXT).json()

    assert answer["new_names"] == []
    assert sorted(p["name"] for p in answer["people"]) == [
        "DuBose Porter",
        "Samuel L. Jackson",
    ]
