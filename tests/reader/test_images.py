"""Responsive renditions of lead images and photos, made once and cached."""

from io import BytesIO

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import ExifTags, Image, ImageFile

import core.cache
from articles.models import Article
from core import renditions
from core.renditions import renditions_for
from tests.factories import (
    ArticleFactory,
    MentionFactory,
    PersonFactory,
    RaceFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def jpeg(width=1600, height=900):
    buffer = BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, "JPEG")
    return ContentFile(buffer.getvalue(), name="lead.jpg")


def story_with_image(**kwargs):
    story = ArticleFactory(lead_image_alt="Karen Handel at her victory party", **kwargs)
    story.lead_image.save("lead.jpg", jpeg(), save=True)
    return story


def test_renditions_come_in_several_widths_as_webp_and_jpeg():
    story = story_with_image()

    rendition = renditions_for(story.lead_image)

    widths = [entry.split()[1] for entry in rendition.srcsets["webp"].split(", ")]
    assert widths == ["320w", "640w", "960w", "1280w"]
    assert rendition.srcsets["jpg"].endswith("1280w")
    assert (rendition.width, rendition.height) == (1280, 720)
    webp = rendition.srcsets["webp"].split(" ")[0].removeprefix("/media/")
    with default_storage.open(webp) as handle:
        assert Image.open(handle).format == "WEBP"


def test_small_images_are_not_enlarged():
    story = ArticleFactory(lead_image_alt="x")
    story.lead_image.save("small.jpg", jpeg(500, 250), save=True)

    rendition = renditions_for(story.lead_image)

    assert rendition.width == 500
    widths = [entry.split()[1] for entry in rendition.srcsets["jpg"].split(", ")]
    assert widths == ["320w", "500w"]


def test_renditions_are_made_once():
    story = story_with_image()
    renditions_for(story.lead_image)
    cache.clear()
    files_before = default_storage.listdir("renditions/articles")

    renditions_for(Article.objects.get(pk=story.pk).lead_image)

    assert default_storage.listdir("renditions/articles") == files_before


def test_story_page_serves_a_responsive_picture(client):
    story = story_with_image()

    page = client.get(story.get_absolute_url()).content.decode()

    assert '<source type="image/webp" srcset="' in page
    assert 'width="1280" height="720"' in page
    assert 'alt="Karen Handel at her victory party"' in page
    assert "sizes=" in page


def test_lead_image_on_the_story_page_is_not_lazy_but_list_thumbnails_are(client):
    story_with_image()
    story_with_image()

    front = client.get("/").content.decode()

    assert front.count('loading="lazy"') == 1  # the second story's thumbnail


def test_a_missing_image_file_never_breaks_a_page(client):
    story = ArticleFactory(lead_image="articles/gone.jpg", lead_image_alt="Gone")
    MentionFactory(article=story, person__photo="people/gone.jpg")

    for url in [story.get_absolute_url(), "/"]:
        response = client.get(url)
        assert response.status_code == 200
        assert "gone.jpg" not in response.content.decode()


def test_story_shares_its_lead_image_rendition(client):
    story = story_with_image()

    page = client.get(story.get_absolute_url()).content.decode()

    assert (
        '<meta property="og:image" content="http://testserver/media/renditions/' in page
    )
    assert '"image": ["http://testserver/media/renditions/' in page


def test_a_corrupt_image_file_never_breaks_a_page(client):
    story = ArticleFactory(lead_image_alt="Broken")
    story.lead_image.save("broken.jpg", ContentFile(b"not an image"), save=True)

    assert client.get(story.get_absolute_url()).status_code == 200


class CacheSpy:
    """The cache, with the names of the calls made to it for keys starting with
    one of `prefixes` recorded."""

    def __init__(self, wrapped, prefixes):
        self.wrapped = wrapped
        self.prefixes = prefixes
        self.calls = []

    def __getattr__(self, name):
        method = getattr(self.wrapped, name)

        def recorded(key_or_keys, *args, **kwargs):
            keys = [key_or_keys] if isinstance(key_or_keys, str) else key_or_keys
            if any(str(key).startswith(self.prefixes) for key in keys):
                self.calls.append(name)
            return method(key_or_keys, *args, **kwargs)

        return recorded


@pytest.fixture
def rendition_cache(monkeypatch):
    spy = CacheSpy(core.cache.cache, ("rendition:",))
    monkeypatch.setattr(core.cache, "cache", spy)
    return spy


@pytest.fixture
def story_page_cache(monkeypatch):
    """Calls for what a story page keeps in the cache: renditions, linked body."""
    spy = CacheSpy(core.cache.cache, ("rendition:", "linked-body:"))
    monkeypatch.setattr(core.cache, "cache", spy)
    return spy


def test_a_listing_finds_all_its_thumbnails_in_one_cache_call(client, rendition_cache):
    for _ in range(4):
        story_with_image()
    client.get("/")  # renditions made
    rendition_cache.calls.clear()

    front = client.get("/").content.decode()

    assert rendition_cache.calls == ["get_many"]
    assert front.count("<picture>") == 4


@pytest.mark.parametrize("listing", ["section", "tag", "person", "race", "search"])
def test_every_listing_finds_its_thumbnails_in_one_cache_call(
    client, rendition_cache, listing
):
    section = SectionFactory(slug="politics")
    person = PersonFactory(slug="karen-handel")
    race = RaceFactory()
    for n in range(3):
        story = story_with_image(section=section, headline=f"Runoff story {n}")
        story.tags.add("runoff")
        MentionFactory(article=story, person=person)
        story.races.add(race)
    url = {
        "section": "/sections/politics/",
        "tag": "/tags/runoff/",
        "person": person.get_absolute_url(),
        "race": race.get_absolute_url(),
        "search": "/search/?q=runoff",
    }[listing]
    client.get(url)  # renditions made
    rendition_cache.calls.clear()

    page = client.get(url).content.decode()

    assert rendition_cache.calls == ["get_many"]
    assert page.count("<picture>") == 3


def test_a_person_page_finds_the_portrait_with_the_thumbnails_in_one_cache_call(
    client, rendition_cache
):
    person = PersonFactory()
    person.photo.save("handel.jpg", jpeg(400, 400), save=True)
    for _ in range(2):
        MentionFactory(article=story_with_image(), person=person)
    client.get(person.get_absolute_url())  # renditions made
    rendition_cache.calls.clear()

    page = client.get(person.get_absolute_url()).content.decode()

    assert rendition_cache.calls == ["get_many"]
    assert page.count("<picture>") == 3
    assert '<meta property="og:image" content="http://testserver/media/' in page


def test_a_story_page_finds_its_lead_image_and_photos_in_one_cache_call(
    client, rendition_cache
):
    story = story_with_image()
    for name in ["Karen Handel", "Jon Ossoff"]:
        person = MentionFactory(article=story, person__name=name).person
        person.photo.save(f"{name}.jpg", jpeg(400, 400), save=True)
    client.get(story.get_absolute_url())  # renditions made
    rendition_cache.calls.clear()

    page = client.get(story.get_absolute_url()).content.decode()

    assert rendition_cache.calls == ["get_many"]
    assert page.count("<picture>") == 3
    assert '<meta property="og:image" content="http://testserver/media/' in page


def test_a_story_page_finds_its_pictures_and_linked_body_in_one_cache_call(
    client, story_page_cache
):
    story = story_with_image(body="<p>Karen Handel won.</p>")
    person = MentionFactory(article=story, person__name="Karen Handel").person
    person.photo.save("handel.jpg", jpeg(400, 400), save=True)
    client.get(story.get_absolute_url())  # renditions made, body linked
    story_page_cache.calls.clear()

    page = client.get(story.get_absolute_url()).content.decode()

    assert story_page_cache.calls == ["get_many"]
    assert (
        f'<a href="{person.get_absolute_url()}"' in page.split('<div class="body">')[1]
    )


def test_a_story_page_links_its_body_afresh_after_one_cache_call(
    client, story_page_cache
):
    story = story_with_image(body="<p>Karen Handel won.</p>")
    person = MentionFactory(article=story, person__name="Karen Handel").person
    client.get(story.get_absolute_url())
    person.slug = "karen-handel-georgia"  # the linked body's key changes
    person.save()
    story_page_cache.calls.clear()

    page = client.get(story.get_absolute_url()).content.decode()

    assert story_page_cache.calls == ["get_many", "set"]
    assert (
        f'<a href="{person.get_absolute_url()}"' in page.split('<div class="body">')[1]
    )


def test_a_replaced_image_gets_its_own_renditions():
    story = story_with_image()
    assert renditions_for(story.lead_image).width == 1280

    story.lead_image.save("smaller.jpg", jpeg(500, 250), save=True)

    assert renditions_for(story.lead_image).width == 500


def test_pictures_are_still_shown_while_the_cache_is_down(client, monkeypatch):
    story = story_with_image()
    person = MentionFactory(article=story, person__name="Karen Handel").person
    person.photo.save("handel.jpg", jpeg(400, 400), save=True)
    client.get(story.get_absolute_url())  # renditions made

    def down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    for method in ("get", "get_many", "set", "set_many", "add"):
        monkeypatch.setattr(cache, method, down)
    for url in ["/", story.get_absolute_url()]:
        response = client.get(url)
        assert response.status_code == 200
        assert "<picture>" in response.content.decode()


def test_renditions_in_storage_are_found_without_decoding_the_original(monkeypatch):
    """After the cache lost them (a Redis restart), finding them is cheap."""
    story = story_with_image()
    made = renditions_for(story.lead_image)
    cache.clear()

    def decode(*args, **kwargs):
        raise AssertionError("the original was decoded")

    monkeypatch.setattr(renditions._Original, "resized", decode)
    found = renditions_for(Article.objects.get(pk=story.pk).lead_image)

    assert found == made


def test_a_sideways_photo_gets_upright_renditions():
    """A camera's EXIF orientation 6 (turned a quarter): 1600x900 stored, 900x1600
    seen."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    buffer = BytesIO()
    Image.new("RGB", (1600, 900), (10, 20, 30)).save(buffer, "JPEG", exif=exif)
    story = ArticleFactory(lead_image_alt="x")
    story.lead_image.save("sideways.jpg", ContentFile(buffer.getvalue()), save=True)

    rendition = renditions_for(story.lead_image)

    assert (rendition.width, rendition.height) == (900, 1600)
    largest = rendition.srcsets["jpg"].split(", ")[-1].split(" ")[0]
    with default_storage.open(largest.removeprefix("/media/")) as handle:
        assert Image.open(handle).size == (900, 1600)


def upload(name, width=1600, height=900):
    from django.core.files.uploadedfile import SimpleUploadedFile

    buffer = BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def readers_make_nothing(monkeypatch):
    """From here on, a reader's lookup that had to make renditions fails the test."""

    def made_for_a_reader(*args, **kwargs):
        raise AssertionError("a reader's request made the renditions")

    monkeypatch.setattr(renditions, "_make", made_for_a_reader)


def test_a_lead_image_uploaded_in_the_admin_has_its_renditions_before_any_reader(
    admin_client, django_capture_on_commit_callbacks, monkeypatch
):
    from tests.articles.test_admin import article_form

    section = SectionFactory()
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            "/admin/articles/article/add/",
            article_form(
                section, lead_image=upload("handel.jpg"), lead_image_alt="Handel"
            ),
        )
    story = Article.objects.get()

    readers_make_nothing(monkeypatch)
    assert renditions_for(story.lead_image).width == 1280


def test_a_photo_uploaded_in_the_admin_has_its_renditions_before_any_reader(
    admin_client, django_capture_on_commit_callbacks, monkeypatch
):
    from people.models import Person
    from tests.factories import person_form

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            "/admin/people/person/add/",
            person_form(name="Jon Ossoff", kind="candidate", photo=upload("o.jpg")),
        )
    person = Person.objects.get()

    readers_make_nothing(monkeypatch)
    assert renditions_for(person.photo).width == 1280


def test_an_unreadable_image_never_fails_the_editors_save(
    django_capture_on_commit_callbacks,
):
    story = ArticleFactory(lead_image="articles/gone.jpg", lead_image_alt="Gone")

    with django_capture_on_commit_callbacks(execute=True):
        renditions.prepare_after_commit([story.lead_image])

    assert renditions_for(story.lead_image) is None


def test_an_edited_alt_text_shows_on_the_next_page(client):
    story = story_with_image(headline="Runoff")
    assert 'alt="Karen Handel at her victory party"' in client.get("/").content.decode()

    story.lead_image_alt = "Karen Handel & supporters"
    story.save()

    assert 'alt="Karen Handel &amp; supporters"' in client.get("/").content.decode()


def test_a_safe_alt_text_is_not_mistaken_for_the_same_text_unsafe():
    from django.utils.safestring import mark_safe

    from tests.reference_templates import macro

    story = story_with_image()
    plain = macro("includes/_picture.html", "picture", story.lead_image, "A &amp; B")
    safe = macro(
        "includes/_picture.html", "picture", story.lead_image, mark_safe("A &amp; B")
    )

    assert 'alt="A &amp;amp; B"' in plain
    assert 'alt="A &amp; B"' in safe


def animated_gif(frames, size=(400, 300)):
    """Red, green and blue frames in turn."""
    colours = [(200, 30, 30), (30, 200, 30), (30, 30, 200)]
    images = [Image.new("RGB", size, colours[n % 3]) for n in range(frames)]
    buffer = BytesIO()
    images[0].save(
        buffer, "GIF", save_all=True, append_images=images[1:], duration=100, loop=0
    )
    return buffer.getvalue()


def test_an_animated_gif_uploaded_in_the_admin_gets_renditions_of_its_first_frame(
    admin_client, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.articles.test_admin import article_form

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            "/admin/articles/article/add/",
            article_form(
                SectionFactory(),
                lead_image=SimpleUploadedFile("wave.gif", animated_gif(3)),
                lead_image_alt="A wave",
            ),
        )
    story = Article.objects.get()

    rendition = renditions_for(story.lead_image)

    for srcset in rendition.srcsets.values():
        largest = srcset.split(", ")[-1].split(" ")[0]
        with default_storage.open(largest.removeprefix("/media/")) as handle:
            still = Image.open(handle)
            assert getattr(still, "n_frames", 1) == 1
            red, green, blue = still.convert("RGB").getpixel((200, 150))
            assert red > 150 and green < 80 and blue < 80  # the first, red frame


def test_a_frame_bomb_stored_another_way_gets_no_renditions(settings, monkeypatch):
    """An image that did not come through the upload form (an import, a restored
    file): its frames are counted before any is decoded, as an upload's are."""
    settings.NEWSROOM_MAX_IMAGE_FRAMES = 5
    story = ArticleFactory(lead_image_alt="x")
    story.lead_image.save("bomb.gif", ContentFile(animated_gif(10)), save=True)

    def decode(*args, **kwargs):
        raise AssertionError("a frame was decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", decode)

    assert renditions_for(story.lead_image) is None


def test_an_animation_with_too_many_pixels_in_all_gets_no_renditions(settings):
    settings.NEWSROOM_MAX_IMAGE_PIXELS = 400 * 300 * 5
    story = ArticleFactory(lead_image_alt="x")
    story.lead_image.save("bomb.gif", ContentFile(animated_gif(10)), save=True)

    assert renditions_for(story.lead_image) is None


LEAK = "candidate-x-withdraws"


def test_a_drafts_renditions_do_not_carry_the_uploaded_name(admin_client):
    """Renditions are named from neither the uploader's name nor the stored one."""
    story = ArticleFactory(status=Article.Status.DRAFT, lead_image_alt="Candidate X")
    story.lead_image.save(f"{LEAK}.jpg", jpeg(), save=True)
    stored_stem = story.lead_image.name.rsplit("/", 1)[1].rsplit(".", 1)[0]

    page = admin_client.get(
        f"/admin/articles/article/{story.pk}/preview/"
    ).content.decode()

    rendition = renditions_for(story.lead_image)
    urls = [rendition.fallback_url, *rendition.srcsets.values()]
    assert "/media/renditions/" in page
    assert not [url for url in urls if LEAK in url or stored_stem in url]
    assert LEAK not in page


def test_an_image_stored_under_its_uploaded_name_before_keeps_working_unguessably(
    client,
):
    """A row from before random names: its picture is shown, its renditions are
    not named after it."""
    name = default_storage.save(f"articles/2026/12/{LEAK}.jpg", jpeg())
    story = ArticleFactory(lead_image=name, lead_image_alt="Candidate X")

    page = client.get(story.get_absolute_url()).content.decode()

    assert "<picture>" in page
    rendition = renditions_for(story.lead_image)
    assert LEAK not in rendition.fallback_url
    assert not [s for s in rendition.srcsets.values() if LEAK in s]
