"""Revisions: every save kept, who changed what, a readable body diff, restore."""

import pytest
from django.urls import reverse
from reversion.models import Version

from articles.diffs import body_diff
from articles.models import Article
from people.models import Person, Race
from tests.articles.test_workflow import story_form
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    CandidacyFactory,
    MentionFactory,
    editor,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    client.force_login(editor(username="ed"))
    return client


def save(client, article, **changes):
    article.refresh_from_db()
    response = client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        story_form(article, **changes),
    )
    assert response.status_code == 302, response.content.decode()[:500]


def test_every_admin_save_keeps_a_revision_with_its_author(editor_client):
    story = ArticleFactory(body="<p>First words.</p>")
    save(editor_client, story, body="<p>First words.</p>")
    save(editor_client, story, body="<p>Second words.</p>")

    versions = Version.objects.get_for_object(story)

    assert versions.count() == 2
    assert versions[0].revision.user.username == "ed"
    assert versions[0].field_dict["body"] == "<p>Second words.</p>"


def test_history_page_lists_saves_with_links(editor_client):
    story = ArticleFactory()
    save(editor_client, story, headline="New headline")

    page = editor_client.get(
        reverse("admin:articles_article_history", args=[story.pk])
    ).content.decode()

    assert "What changed" in page and "Restore this version" in page
    assert ">ed<" in page


def test_changes_page_shows_a_readable_body_diff(editor_client):
    story = ArticleFactory(body="<p>Handel won the runoff.</p>")
    save(editor_client, story, body="<p>Handel won the runoff.</p>")
    save(editor_client, story, body="<p>Karen Handel won the close runoff.</p>")
    version = Version.objects.get_for_object(story)[0]

    page = editor_client.get(
        reverse("admin:articles_article_changes", args=[story.pk, version.pk])
    ).content.decode()

    assert "<ins>Karen</ins> Handel won the <ins>close</ins> runoff." in page


def test_an_editor_restores_an_earlier_version(editor_client):
    story = ArticleFactory(headline="The original headline")
    save(editor_client, story, headline="The original headline")
    save(editor_client, story, headline="A worse headline")
    first = Version.objects.get_for_object(story).last()
    story.refresh_from_db()

    url = reverse("admin:articles_article_revision", args=[story.pk, first.pk])
    form = editor_client.get(url).content.decode()
    assert 'value="The original headline"' in form

    response = editor_client.post(
        url, story_form(story, headline="The original headline")
    )

    assert response.status_code == 302
    story.refresh_from_db()
    assert (story.headline, story.lock_version) == ("The original headline", 4)


def test_restoring_does_not_overwrite_a_save_made_meanwhile(editor_client):
    story = ArticleFactory(headline="The original headline")
    save(editor_client, story, headline="The original headline")
    first = Version.objects.get_for_object(story).last()
    stale = Article.objects.get(pk=story.pk)
    save(editor_client, story, headline="Saved meanwhile")

    response = editor_client.post(
        reverse("admin:articles_article_revision", args=[story.pk, first.pk]),
        story_form(stale, headline="The original headline"),
    )

    assert "Someone else" in response.content.decode()
    story.refresh_from_db()
    assert story.headline == "Saved meanwhile"


def test_body_diff_marks_words_and_skips_unchanged_paragraphs():
    changes = body_diff(
        "<p>Same.</p><p>Old words here.</p>", "<p>Same.</p><p>New words here.</p>"
    )

    assert changes == ["<del>Old</del> <ins>New</ins> words here."]


def test_body_diff_escapes_text():
    (change,) = body_diff("<p>a</p>", "<p>&lt;script&gt;</p>")

    assert "<script>" not in change


def test_deleting_a_person_linked_to_stories_is_refused_with_the_list(admin_client):
    mention = MentionFactory(article__headline="The runoff story")
    CandidacyFactory(person=mention.person)
    url = reverse("admin:people_person_delete", args=[mention.person.pk])

    page = admin_client.get(url).content.decode()
    admin_client.post(url, {"post": "yes"})

    assert "would require deleting the following protected related objects" in page
    assert "The runoff story" in page or "Mention" in page
    assert Person.objects.filter(pk=mention.person.pk).exists()


def test_person_and_race_saves_keep_revisions(admin_client):
    candidacy = CandidacyFactory()
    race = candidacy.election.race
    data = {
        "name": "Renamed race",
        "slug": race.slug,
        "office": race.office,
        "state": race.state,
        "district": race.district,
        "year": race.year,
        "description": "",
        "tags": "",
        "elections-TOTAL_FORMS": "0",
        "elections-INITIAL_FORMS": "0",
        "elections-MIN_NUM_FORMS": "0",
        "elections-MAX_NUM_FORMS": "1000",
        "elections-empty-candidacies-TOTAL_FORMS": "0",
        "elections-empty-candidacies-INITIAL_FORMS": "0",
        "elections-empty-candidacies-MIN_NUM_FORMS": "0",
        "elections-empty-candidacies-MAX_NUM_FORMS": "1000",
    }

    admin_client.post(reverse("admin:people_race_change", args=[race.pk]), data)

    assert Race.objects.get(pk=race.pk).name == "Renamed race"
    assert Version.objects.get_for_object(race).count() == 1


def test_publish_action_keeps_a_revision(admin_client):
    story = ArticleFactory(status="review", published_at=None)
    BylineFactory(article=story)

    admin_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_now", "_selected_action": [story.pk]},
    )

    assert Article.objects.published().exists()
    assert Version.objects.get_for_object(story).exists()


def note(article):
    return Version.objects.get_for_object(article)[0].revision.get_comment()


def test_a_body_posted_with_crlf_line_endings_is_not_changed(editor_client):
    story = ArticleFactory(body="<p>One.</p>\n<p>Two.</p>")
    BylineFactory(article=story)  # a live story keeps its byline: no change there

    save(editor_client, story, headline="New", body="<p>One.</p>\r\n<p>Two.</p>")

    assert note(story) == "Changed Headline."


def test_a_changed_body_is_noted(editor_client):
    story = ArticleFactory(body="<p>One.</p>")

    save(editor_client, story, body="<p>Two.</p>")

    assert "Body" in note(story)


def test_a_person_linked_in_the_inline_is_noted(editor_client):
    story = ArticleFactory()
    person = Person.objects.create(name="Jon Ossoff", kind="candidate")

    save(
        editor_client,
        story,
        **{
            "mentions-TOTAL_FORMS": "1",
            "mentions-0-person": str(person.pk),
            "mentions-0-role": "candidate",
            "mentions-0-note": "",
        },
    )

    assert "Added person in this story “Jon Ossoff (Candidate)”" in note(story)


def test_a_person_unlinked_in_the_inline_is_noted(editor_client):
    mention = MentionFactory(person__name="Jon Ossoff", role="candidate")
    story = mention.article

    save(
        editor_client,
        story,
        **{
            "mentions-TOTAL_FORMS": "1",
            "mentions-INITIAL_FORMS": "1",
            "mentions-0-id": str(mention.pk),
            "mentions-0-article": str(story.pk),
            "mentions-0-person": str(mention.person.pk),
            "mentions-0-role": "candidate",
            "mentions-0-note": "",
            "mentions-0-DELETE": "on",
        },
    )

    assert "Deleted person in this story “Jon Ossoff (Candidate)”" in note(story)


def test_a_person_linked_from_the_people_found_panel_is_noted(editor_client):
    person = Person.objects.create(name="Jon Ossoff", kind="candidate")
    story = ArticleFactory(body="<p>Jon Ossoff spoke.</p>")

    save(
        editor_client,
        story,
        **{
            f"suggestion-{person.pk}": "link",
            f"suggestion-{person.pk}-role": "candidate",
        },
    )

    assert "Added person in this story “Jon Ossoff (Candidate)”" in note(story)


def test_the_demo_stories_start_with_an_initial_version():
    from django.core.management import call_command

    call_command("load_demo", "--force", stdout=None)

    story = Article.objects.order_by("pk").first()
    versions = Version.objects.get_for_object(story)
    assert versions.count() == 1
    assert "Initial version" in versions[0].revision.get_comment()
