"""Each worker keeps the teasers it drew (`articles.teasers.kept_teasers`), by what
they are made of: a listing drawn from kept teasers must be the listing drawn
afresh, and an edit to anything a teaser shows must show on the next request."""

from io import BytesIO

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from PIL import Image

from articles import teasers
from articles.teasers import KeptTeasers
from tests.factories import ArticleFactory, BylineFactory, MentionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tagged_stories():
    stories = [ArticleFactory(headline=f"Runoff story {n}") for n in range(3)]
    for story in stories:
        story.tags.add("Runoff")
    BylineFactory(article=stories[0], person__name="Greg Bluestein")
    return stories


def tag_page(client):
    response = client.get("/tags/runoff/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_listing_of_kept_teasers_is_the_listing_drawn_afresh(
    client, settings, tagged_stories
):
    settings.NEWSROOM_TEASERS_KEPT = 0
    afresh = tag_page(client)
    settings.NEWSROOM_TEASERS_KEPT = 100

    drawn, kept = tag_page(client), tag_page(client)

    assert kept == drawn == afresh
    assert len(teasers.kept_teasers._drawn) == len(tagged_stories)


def test_an_edited_headline_shows_on_the_next_request(client, tagged_stories):
    tag_page(client)
    story = tagged_stories[1]
    story.headline = "Handel wins the runoff"
    story.save()

    page = tag_page(client)

    assert "Handel wins the runoff" in page
    assert "Runoff story 1<" not in page


def test_a_renamed_byline_shows_on_the_next_request(client, tagged_stories):
    tag_page(client)
    journalist = tagged_stories[0].bylines.get().person
    journalist.name = "Greg Bluestein Jr."
    journalist.save()

    assert "By Greg Bluestein Jr." in tag_page(client)


def test_a_renamed_section_shows_on_the_next_request(client, tagged_stories):
    tag_page(client)
    section = tagged_stories[2].section
    section.name = "Runoff desk"
    section.save()

    assert ">Runoff desk</a>" in tag_page(client)


def test_the_same_story_on_a_persons_page_names_their_roles(client, tagged_stories):
    story = tagged_stories[0]
    person = MentionFactory(article=story, role="candidate").person
    tag_page(client)  # the story's teaser kept without roles

    page = client.get(person.get_absolute_url()).content.decode()

    assert "Role in this story: candidate" in page


def test_a_changed_role_shows_on_the_next_request(client, tagged_stories):
    mention = MentionFactory(article=tagged_stories[0], role="candidate")
    client.get(mention.person.get_absolute_url())
    mention.role = "endorser"
    mention.save()

    page = client.get(mention.person.get_absolute_url()).content.decode()

    assert "Role in this story: endorser" in page


def picture_with_its_file_gone(story) -> bytes:
    """Give `story` a lead picture, then remove its file (and every cached
    rendition): the picture's bytes, to put back."""
    from core.cache import worker_copies

    buffer = BytesIO()
    Image.new("RGB", (800, 450), (200, 30, 30)).save(buffer, "JPEG")
    original = buffer.getvalue()
    story.lead_image.save("lead.jpg", ContentFile(original), save=True)
    story.lead_image.storage.delete(story.lead_image.name)
    cache.clear()
    worker_copies.clear()
    return original


def test_a_story_whose_picture_file_is_gone_has_no_empty_thumbnail(
    client, tagged_stories
):
    picture_with_its_file_gone(tagged_stories[0])

    page = tag_page(client)

    assert 'class="thumb"' not in page
    assert "has-thumb" not in page


def test_the_memo_forgets_the_first_kept_when_full():
    kept = KeptTeasers(2)
    for story in (1, 2, 3):
        kept.keep((story, 0), ("row", story), f"<article>{story}</article>")

    assert kept.get((1, 0), ("row", 1)) is None
    assert kept.get((3, 0), ("row", 3)) == "<article>3</article>"


def test_the_memo_gives_nothing_for_a_slot_drawn_from_another_row():
    kept = KeptTeasers(10)
    kept.keep((1, 0), ("old headline",), "<article>old</article>")

    assert kept.get((1, 0), ("new headline",)) is None


def test_a_memo_of_no_size_keeps_nothing(client, settings, tagged_stories):
    settings.NEWSROOM_TEASERS_KEPT = 0

    tag_page(client)

    assert teasers.kept_teasers._drawn == {}


def test_a_picture_made_after_its_file_was_missing_shows_on_the_next_request(
    client, tagged_stories
):
    """A kept teaser is drawn again when its picture's renditions change."""
    from core.cache import worker_copies

    story = tagged_stories[0]
    original = picture_with_its_file_gone(story)
    assert "has-thumb" not in tag_page(client)  # kept without a thumbnail
    story.lead_image.storage.save(story.lead_image.name, ContentFile(original))
    cache.clear()
    worker_copies.clear()

    page = tag_page(client)

    assert 'class="teaser has-thumb"' in page
    assert "<picture>" in page


def tag_listing(tag_slug):
    """The first page of a tag's stories as `TagView` lists them."""
    from django.utils import timezone
    from taggit.models import Tag

    from articles.views import TAG_STORIES

    tag = Tag.objects.get(slug=tag_slug)
    return TAG_STORIES.bind(tag=tag.pk, now=timezone.now())(None, None, 21)


def test_a_kept_teaser_is_drawn_without_making_its_story(tagged_stories):
    page = teasers.ListingContext.current()
    teasers.render_teasers(tag_listing("runoff"), page)
    listing = tag_listing("runoff")

    teasers.render_teasers(listing, page)

    assert [story for story in listing if "story" in story.__dict__] == []


def test_a_listed_story_answers_as_its_story(tagged_stories):
    newest = tagged_stories[-1]

    listed = tag_listing("runoff")[0]

    assert listed == newest and listed.pk == newest.pk
    assert listed.headline == newest.headline
    assert listed.section.name == newest.section.name
    assert listed.get_absolute_url() == newest.get_absolute_url()
    assert [credit.name for credit in tag_listing("runoff")[-1].credits] == [
        "Greg Bluestein"
    ]


def test_a_copied_listed_story_is_still_its_story(tagged_stories):
    import copy

    listed = tag_listing("runoff")[0]

    assert copy.copy(listed).headline == tagged_stories[-1].headline
