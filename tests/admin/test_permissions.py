"""Every admin URL of the articles and people apps, walked as a reporter, against a
table of what a reporter may do."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.factories import (
    ArticleFactory,
    CandidacyFactory,
    MentionFactory,
    PersonFactory,
    SectionFactory,
    reporter,
)

pytestmark = pytest.mark.django_db

# (url name, object, method) -> status a reporter gets
TABLE = [
    ("admin:articles_article_changelist", None, "get", 200),
    ("admin:articles_article_add", None, "get", 200),
    ("admin:articles_article_change", "own_draft", "get", 200),
    ("admin:articles_article_change", "published", "get", 200),  # read-only
    ("admin:articles_article_change", "published", "post", 403),
    ("admin:articles_article_change", "others_draft", "post", 403),
    ("admin:articles_article_delete", "own_draft", "get", 403),
    ("admin:articles_article_delete", "published", "post", 403),
    ("admin:articles_article_history", "own_draft", "get", 200),
    ("admin:articles_article_preview", "own_draft", "get", 200),
    ("admin:articles_article_backfill", "person", "get", 200),
    ("admin:articles_section_changelist", None, "get", 200),
    ("admin:articles_section_add", None, "get", 403),
    ("admin:articles_section_change", "section", "post", 403),
    ("admin:articles_section_delete", "section", "get", 403),
    ("admin:people_person_changelist", None, "get", 200),
    ("admin:people_person_add", None, "get", 200),
    ("admin:people_person_change", "person", "get", 200),  # read-only
    ("admin:people_person_change", "person", "post", 403),
    ("admin:people_person_delete", "person", "get", 403),
    ("admin:people_race_changelist", None, "get", 200),
    ("admin:people_race_add", None, "get", 403),
    ("admin:people_race_change", "race", "post", 403),
    ("admin:people_race_delete", "race", "get", 403),
    ("admin:people_election_changelist", None, "get", 200),
    ("admin:people_election_add", None, "get", 403),
    ("admin:people_election_change", "election", "post", 403),
    ("admin:people_election_delete", "election", "get", 403),
]


@pytest.fixture
def objects():
    user = reporter(username="rita")
    candidacy = CandidacyFactory()
    return {
        "user": user,
        "own_draft": ArticleFactory(status="draft", published_at=None, created_by=user),
        "others_draft": ArticleFactory(status="draft", published_at=None),
        "published": MentionFactory().article,
        "section": SectionFactory(),
        "person": PersonFactory(),
        "race": candidacy.election.race,
        "election": candidacy.election,
    }


@pytest.mark.parametrize(("name", "target", "method", "expected"), TABLE)
def test_reporter_gets_what_the_table_says(
    client, objects, name, target, method, expected
):
    client.force_login(objects["user"])
    args = [objects[target].pk] if target else []

    response = getattr(client, method)(reverse(name, args=args))

    assert response.status_code == expected, (name, target, method)


@pytest.mark.parametrize(
    "model_admin",
    [
        model_admin
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in {"articles", "people", "taggit"}
    ],
    ids=lambda model_admin: model_admin.model.__name__,
)
def test_every_admin_list_answers_a_garbled_selection_with_a_warning(
    admin_client, model_admin
):
    """Django filtered by the ticked ids as sent: "abc" raised, a 500."""
    opts = model_admin.model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")

    response = admin_client.post(
        url,
        {"action": "delete_selected", "_selected_action": ["abc"], "post": "yes"},
        follow=True,
    )

    assert response.status_code == 200
    assert "The selection was not understood" in response.content.decode()
