"""No story goes out without a byline; readers see "Updated" (and a correction
note) after a substantive edit, on the page, in JSON-LD and in the feeds."""

import json
import re
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.services import article_publish
from tests.articles.test_admin import article_form
from tests.articles.test_workflow import story_form
from tests.factories import ArticleFactory, BylineFactory, SectionFactory, editor

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def editor_client(client):
    user = editor(username="ed")
    client.force_login(user)
    client.user = user
    return client


def draft(**fields):
    return ArticleFactory(status="draft", published_at=None, **fields)


def no_byline_form(**overrides):
    data = article_form(SectionFactory(), **overrides)
    return data | {"bylines-TOTAL_FORMS": "0", "bylines-INITIAL_FORMS": "0"}


def test_the_publish_service_refuses_a_story_without_a_byline(editor_client):
    story = draft()

    with pytest.raises(ValidationError, match="without a byline"):
        article_publish(article=story, user=editor_client.user)

    assert Article.objects.get(pk=story.pk).status == "draft"


def test_the_publish_service_publishes_a_story_with_a_byline(editor_client):
    story = draft()
    BylineFactory(article=story)

    article_publish(article=story, user=editor_client.user)

    assert Article.objects.published().get() == story


def test_scheduling_without_a_byline_is_refused(editor_client):
    story = draft()

    with pytest.raises(ValidationError, match="without a byline"):
        article_publish(
            article=story,
            user=editor_client.user,
            when=timezone.now() + timedelta(days=1),
        )


def test_the_admin_form_refuses_to_publish_without_a_byline(admin_client):
    response = admin_client.post(
        reverse("admin:articles_article_add"),
        no_byline_form(
            status="published", published_at_0="2017-06-20", published_at_1="22:15"
        ),
    )

    assert response.status_code == 200
    assert "cannot be published or scheduled without a byline" in (
        response.content.decode()
    )
    assert not Article.objects.exists()


def test_the_admin_form_saves_a_draft_without_a_byline(admin_client):
    admin_client.post(reverse("admin:articles_article_add"), no_byline_form())

    assert Article.objects.get().status == "draft"


def test_the_publish_action_reports_a_story_without_a_byline(editor_client):
    story = draft()

    response = editor_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_now", "_selected_action": [story.pk]},
        follow=True,
    )

    assert "without a byline" in response.content.decode()
    assert not Article.objects.published().exists()


def test_import_story_refuses_to_publish_without_a_byline(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text("Runoff night\n\nKaren Handel won.")

    with pytest.raises(CommandError, match="without a byline"):
        call_command("import_story", str(path), "--publish", stdout=None)

    assert not Article.objects.exists()


def test_editing_a_live_storys_text_marks_it_updated():
    story = ArticleFactory(body="<p>Handel leads.</p>")
    story = Article.objects.get(pk=story.pk)

    story.body = "<p>Handel wins.</p>"
    story.save()

    assert story.revised_at is not None
    assert Article.objects.get(pk=story.pk).revised_at == story.revised_at


@pytest.mark.parametrize("field", ["headline", "dek"])
def test_editing_a_live_storys_headline_or_dek_marks_it_updated(field):
    story = Article.objects.get(pk=ArticleFactory().pk)

    setattr(story, field, "Something else entirely")
    story.save(update_fields=[field])

    assert Article.objects.get(pk=story.pk).revised_at is not None


@pytest.mark.parametrize(
    "change",
    [
        {"body": "<p><em>Body</em> text.</p>"},  # markup only
        {"correction": "A note."},
        {"lead_image_caption": "A caption."},
    ],
)
def test_a_save_that_changes_no_words_is_not_an_update(change):
    story = Article.objects.get(pk=ArticleFactory(body="<p>Body text.</p>").pk)

    for name, value in change.items():
        setattr(story, name, value)
    story.save()
    story.tags.add("Georgia")

    assert Article.objects.get(pk=story.pk).revised_at is None


def test_editing_a_draft_is_not_an_update():
    story = Article.objects.get(pk=draft().pk)

    story.body = "<p>New words.</p>"
    story.save()

    assert story.revised_at is None


def test_publishing_is_not_an_update(editor_client):
    story = draft()
    BylineFactory(article=story)

    published = article_publish(article=story, user=editor_client.user)

    assert published.revised_at is None


def test_an_admin_edit_of_a_live_storys_body_shows_updated_to_readers(
    editor_client,
):
    story = ArticleFactory(body="<p>Handel leads.</p>")

    editor_client.post(
        reverse("admin:articles_article_change", args=[story.pk]),
        story_form(story, body="<p>Handel wins.</p>", correction="We misnamed her."),
    )

    page = editor_client.get(story.get_absolute_url()).content.decode()
    story.refresh_from_db()
    assert story.revised_at is not None
    assert re.search(r" · Updated <time datetime=", page)
    assert (
        '<p class="correction"><strong>Correction:</strong> We misnamed her.</p>'
    ) in page


def test_jsonld_date_modified_is_the_last_substantive_edit(client):
    published = timezone.now() - timedelta(days=2)
    revised = published + timedelta(hours=5)
    story = ArticleFactory(published_at=published)
    Article.objects.filter(pk=story.pk).update(revised_at=revised)

    page = client.get(story.get_absolute_url()).content.decode()

    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    data = json.loads(block[1])
    assert data["dateModified"] == revised.isoformat()
    assert data["datePublished"] == published.isoformat()


def test_jsonld_date_modified_of_an_unrevised_story_is_its_publish_time(client):
    story = ArticleFactory()

    page = client.get(story.get_absolute_url()).content.decode()

    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert json.loads(block[1])["dateModified"] == story.published_at.isoformat()


def test_feeds_give_the_last_substantive_edit_as_updated(client):
    published = timezone.now() - timedelta(days=2)
    revised = published + timedelta(hours=5)
    story = ArticleFactory(published_at=published)
    Article.objects.filter(pk=story.pk).update(revised_at=revised)

    atom = ElementTree.fromstring(client.get(reverse("articles:feed-atom")).content)
    rss = ElementTree.fromstring(client.get(reverse("articles:feed")).content)

    stamp = revised.isoformat()
    assert atom.find(f"{ATOM}entry/{ATOM}updated").text == stamp
    assert rss.find(f"channel/item/{ATOM}updated").text == stamp
