"""Delete confirmations in the admin stay small however much hangs off an object:
past a few related rows they count instead of listing (core.admin_deletion)."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from taggit.models import Tag

from articles.models import Article, TaggedArticle
from core import admin_deletion
from people.models import Candidacy, Election, Person, Race
from tests.factories import (
    ArticleFactory,
    CandidacyFactory,
    ElectionFactory,
    MentionFactory,
    PersonFactory,
    RaceFactory,
    SectionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_limit(monkeypatch):
    """Three related rows are "many" here; tests make a few more than that."""
    monkeypatch.setattr(admin_deletion, "DETAIL_LIMIT", 3)


def delete_page(client, obj):
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[obj.pk])
    return url, client.get(url)


def test_a_section_with_many_stories_is_protected_with_a_count_and_examples(
    admin_client,
):
    section = SectionFactory(name="Politics")
    stories = ArticleFactory.create_batch(8, section=section)

    _url, page = delete_page(admin_client, section)

    text = page.content.decode()
    assert "Cannot delete section" in text
    assert "8 articles, such as: " in text
    linked = [s for s in stories if f"/admin/articles/article/{s.pk}/change/" in text]
    assert len(linked) == admin_deletion.EXAMPLES


def test_the_delete_page_does_not_grow_with_the_stories(admin_client):
    section = SectionFactory()
    ArticleFactory.create_batch(5, section=section)
    _url, few = delete_page(admin_client, section)
    ArticleFactory.create_batch(45, section=section)

    _url, many = delete_page(admin_client, section)

    assert "50 articles, such as: " in many.content.decode()
    assert abs(len(many.content) - len(few.content)) < 100


def delete_page_queries(client, stories: int) -> int:
    section = SectionFactory()
    ArticleFactory.create_batch(stories, section=section)
    with CaptureQueriesContext(connection) as queries:
        delete_page(client, section)
    return len(queries)


def test_the_delete_page_takes_as_many_queries_for_many_stories_as_for_few(
    admin_client,
):
    assert delete_page_queries(admin_client, 40) == delete_page_queries(admin_client, 5)


def test_a_protected_section_survives_the_confirmation(admin_client):
    section = SectionFactory()
    ArticleFactory.create_batch(5, section=section)
    url, _page = delete_page(admin_client, section)

    response = admin_client.post(url, {"post": "yes"})

    assert response.status_code == 200
    assert "Cannot delete section" in response.content.decode()
    assert section.articles.count() == 5


def test_a_person_in_many_stories_is_protected(admin_client):
    person = PersonFactory(name="Karen Handel")
    for _ in range(5):
        MentionFactory(person=person)
    url, page = delete_page(admin_client, person)

    admin_client.post(url, {"post": "yes"})

    assert "5 mentions, such as: " in page.content.decode()
    assert Person.objects.filter(pk=person.pk).exists()


def test_a_tag_on_many_stories_goes_with_its_links_and_not_the_stories(admin_client):
    stories = ArticleFactory.create_batch(5)
    for story in stories:
        story.tags.add("Runoff")
    tag = Tag.objects.get(name="Runoff")
    url, page = delete_page(admin_client, tag)

    response = admin_client.post(url, {"post": "yes"})

    text = page.content.decode()
    assert "5 tagged articles" in text
    assert "Cannot delete" not in text
    assert response.status_code == 302
    assert not Tag.objects.filter(pk=tag.pk).exists()
    assert not TaggedArticle.objects.exists()
    assert Article.objects.count() == 5


def test_a_race_counts_what_its_rounds_take_with_them(admin_client):
    race = RaceFactory()
    for kind in ["primary", "runoff"]:
        election = ElectionFactory(race=race, kind=kind)
        CandidacyFactory.create_batch(2, election=election)
    url, page = delete_page(admin_client, race)

    response = admin_client.post(url, {"post": "yes"})

    text = page.content.decode()
    assert "2 elections" in text
    assert "4 candidacies" in text
    assert response.status_code == 302
    assert not Race.objects.exists()
    assert not Election.objects.exists()
    assert not Candidacy.objects.exists()
    assert Person.objects.count() == 4  # candidates stay


def test_few_related_rows_get_djangos_own_list(admin_client):
    story = ArticleFactory(headline="Lone story")
    story.tags.add("Runoff")

    _url, page = delete_page(admin_client, Tag.objects.get(name="Runoff"))

    assert "Tagged article: " in page.content.decode()
    assert "With them:" not in page.content.decode()


def test_bulk_deleting_many_stories_lists_some_and_counts_the_rest(
    admin_client, monkeypatch
):
    monkeypatch.setattr(admin_deletion, "LISTED", 2)
    stories = [MentionFactory().article for _ in range(4)]
    changelist = reverse("admin:articles_article_changelist")
    chosen = {"action": "delete_selected", "_selected_action": [s.pk for s in stories]}

    page = admin_client.post(changelist, chosen)
    done = admin_client.post(changelist, {**chosen, "post": "yes"})

    text = page.content.decode()
    assert "… and 2 more articles" in text
    assert "4 mentions" in text
    assert done.status_code == 302
    assert not Article.objects.exists()


def test_the_summary_still_needs_permission_for_what_goes_with_the_object(client):
    user = UserFactory(username="races-only")
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_race", "delete_race"])
    )
    client.force_login(user)
    race = RaceFactory()
    for kind in ["primary", "all-party", "runoff", "general"]:
        ElectionFactory(race=race, kind=kind)
    url, page = delete_page(client, race)

    response = client.post(url, {"post": "yes"})

    assert "election" in page.context["perms_lacking"]
    assert response.status_code == 403
    assert Race.objects.filter(pk=race.pk).exists()
