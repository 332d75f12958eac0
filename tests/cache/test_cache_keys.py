"""Cache keys: every reader response declares what it is built from, and every
editorial change invalidates exactly the keys it touches, after its commit."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from taggit.models import Tag

from articles import services
from articles.models import Article, Mention, TaggedArticle
from core import cache_keys
from people.services import person_merge
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    CandidacyFactory,
    ElectionFactory,
    JournalistFactory,
    MentionFactory,
    PersonFactory,
    PersonRoleFactory,
    RaceFactory,
    SectionFactory,
    editor,
)

pytestmark = pytest.mark.django_db


class Purged:
    """What the purge backends were told, in order: (keys, hard) pairs."""

    def __init__(self):
        self.calls = []

    def __call__(self, keys, *, hard):
        self.calls.append((frozenset(keys), hard))

    @property
    def soft(self) -> set[str]:
        return set().union(*(keys for keys, hard in self.calls if not hard))

    @property
    def hard(self) -> set[str]:
        return set().union(*(keys for keys, hard in self.calls if hard))

    @property
    def all(self) -> set[str]:
        return self.soft | self.hard


@pytest.fixture
def purged(monkeypatch):
    """The keys invalidated, as the purge backends receive them after commit."""
    recorder = Purged()
    monkeypatch.setattr(cache_keys, "purge_backends", lambda: [recorder])
    return recorder


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """A context manager: what runs in it is delivered as at its commit. The
    set-up's keys wait for the test's own transaction, which never commits: they
    are dropped first, so only the change's are delivered."""

    def block():
        transaction.get_connection().__dict__.pop("newsroom_cache_keys", None)
        return django_capture_on_commit_callbacks(execute=True)

    return block


@pytest.fixture
def committed(commit, purged):
    """Run a change as a commit would: its invalidations delivered after it."""

    def run(change):
        purged.calls.clear()
        with commit():
            change()

    return run


@pytest.fixture
def world():
    """A published story with a section, tag, person, journalist and race."""
    story = ArticleFactory(
        published_at=timezone.make_aware(timezone.datetime(2026, 5, 10, 12))
    )
    story.tags.add("Georgia")
    mention = MentionFactory(article=story)
    byline = BylineFactory(article=story)
    race = RaceFactory()
    story.races.add(race)
    tag = Tag.objects.get(name="Georgia")
    return {
        "story": story,
        "tag": tag,
        "person": mention.person,
        "journalist": byline.person,
        "race": race,
        "section": story.section,
        "mention": mention,
    }


def listing_keys(w, month="2026-05"):
    s = w["story"].pk
    return {
        f"story-{s}",
        "list-front",
        "list-latest",
        f"list-section-{w['section'].pk}",
        f"list-tag-{w['tag'].pk}",
        f"list-person-{w['person'].pk}",
        f"list-person-{w['journalist'].pk}",
        f"list-race-{w['race'].pk}",
        f"sitemap-articles-{month}",
        "sitemap-index",
        "sitemap-news",
        "list-people",
        "list-races",
        "sitemap-people",
        "sitemap-races",
        "sitemap-tags",
    }


def edit_headline(w):
    w["story"].headline = "Edited"
    w["story"].save()


def unpublish(w):
    services.article_unpublish(article=w["story"], user=editor())


def back_to_draft(w):
    Article.objects.filter(pk=w["story"].pk).update(status="unpublished")
    story = Article.objects.get(pk=w["story"].pk)
    story.status = Article.Status.DRAFT
    story.save()


def reschedule(w):
    w["story"].published_at = timezone.now() + timedelta(days=1)
    w["story"].save()


def delete_story(w):
    w["gone"] = w["story"].pk
    w["story"].delete()


def move_section(w):
    w["old_section"] = w["story"].section
    w["story"].section = SectionFactory()
    w["story"].save()


def change_slug(w):
    w["story"].slug = "a-new-address"
    w["story"].save()


def move_month(w):
    w["story"].published_at = timezone.make_aware(timezone.datetime(2026, 4, 2, 12))
    w["story"].save()


def add_tag(w):
    w["story"].tags.add("Runoff")
    w["new_tag"] = Tag.objects.get(name="Runoff")


def remove_tag(w):
    w["story"].tags.remove(w["tag"])


def add_mention(w):
    w["new_person"] = PersonFactory()
    Mention.objects.create(article=w["story"], person=w["new_person"], role="quoted")


def delete_mention(w):
    w["mention"].delete()


def move_mention(w):
    w["new_person"] = PersonFactory()
    w["mention"].person = w["new_person"]
    w["mention"].save()


def add_byline(w):
    w["new_person"] = JournalistFactory()
    BylineFactory(article=w["story"], person=w["new_person"], position=1)


def cover_race(w):
    w["new_race"] = RaceFactory()
    w["story"].races.add(w["new_race"])


def uncover_race(w):
    w["story"].races.remove(w["race"])


def clear_races(w):
    w["story"].races.clear()


def rename_person(w):
    w["person"].name = "Renamed"
    w["person"].save()


def rename_journalist(w):
    w["journalist"].name = "Renamed"
    w["journalist"].save()


def rename_tag(w):
    w["tag"].name = "Peach State"
    w["tag"].save()


def rename_section(w):
    w["section"].name = "Politics desk"
    w["section"].save()


def rename_race(w):
    w["race"].name = "Renamed race"
    w["race"].save()


def hide_person(w):
    w["person"].show_without_stories = False  # the factory's people are shown
    w["person"].save()


def hide_race(w):
    w["race"].show_without_stories = False
    w["race"].save()


def add_result(w):
    election = ElectionFactory(race=w["race"])
    w["candidacy"] = CandidacyFactory(election=election, person=w["person"])


def merge_people(w):
    w["duplicate"] = PersonFactory()
    MentionFactory(article=w["story"], person=w["duplicate"], role="subject")
    w["duplicate_story"] = MentionFactory(person=w["duplicate"]).article
    w["gone"] = w["duplicate"].pk
    person_merge(duplicate=w["duplicate"], into=w["person"])


def merge_tags(w):
    other = ArticleFactory()
    other.tags.add("Georgia runoff")
    w["duplicate"] = Tag.objects.get(name="Georgia runoff")
    w["other"] = other
    w["gone"] = w["duplicate"].pk
    services.tag_merge(duplicate=w["duplicate"], into=w["tag"])


def link_stories(w):
    w["new_person"] = PersonFactory()
    services.person_link_stories(
        person=w["new_person"], articles=[w["story"]], role="quoted", roles={}
    )


def publish_draft(w):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    BylineFactory(article=draft)
    draft.tags.add("Georgia")
    w["draft"] = draft
    services.article_publish(article=draft, user=editor())


def schedule_draft(w):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    BylineFactory(article=draft)
    w["draft"] = draft
    when = timezone.now() + timedelta(hours=2)
    services.article_publish(article=draft, user=editor(), when=when)


def edit_draft(w):
    draft = ArticleFactory(
        status=Article.Status.DRAFT, published_at=None, section=w["section"]
    )
    w["draft"] = draft
    draft.headline = "Still a draft"
    draft.save()


# (change, keys it must invalidate soft, keys it must invalidate hard, keys it
# must leave alone); each a function of the world after the change.
CASES = {
    "edit": (
        edit_headline,
        lambda w: {f"story-{w['story'].pk}", "sitemap-articles-2026-05"},
        lambda w: set(),
        lambda w: {"list-front", f"list-section-{w['section'].pk}", "site"},
    ),
    "unpublish": (
        unpublish,
        lambda w: set(),
        listing_keys,
        lambda w: {"site"},
    ),
    "back to draft": (back_to_draft, lambda w: set(), lambda w: set(), lambda w: set()),
    "reschedule": (
        reschedule,
        lambda w: set(),
        lambda w: listing_keys(w) | {"schedule"},
        lambda w: {"site"},
    ),
    "delete": (
        delete_story,
        lambda w: set(),
        lambda w: {f"story-{w['gone']}", "list-front", "sitemap-articles-2026-05"},
        lambda w: {"site"},
    ),
    "move section (leaves the old one)": (
        move_section,
        lambda w: {
            f"list-section-{w['old_section'].pk}",
            f"list-section-{w['story'].section_id}",
            f"list-tag-{w['tag'].pk}",
        },
        lambda w: set(),
        lambda w: {"site"},
    ),
    "change slug": (
        change_slug,
        lambda w: {f"story-{w['story'].pk}", "sitemap-articles-2026-05"},
        lambda w: set(),
        lambda w: {"site"},
    ),
    "move month (leaves the old sitemap)": (
        move_month,
        lambda w: {"sitemap-articles-2026-05", "sitemap-articles-2026-04"},
        lambda w: set(),
        lambda w: {"site"},
    ),
    "add tag": (
        add_tag,
        lambda w: {
            f"story-{w['story'].pk}",
            f"list-tag-{w['new_tag'].pk}",
            "sitemap-tags",
        },
        lambda w: set(),
        lambda w: {f"list-tag-{w['tag'].pk}", "site"},
    ),
    "remove tag": (
        remove_tag,
        lambda w: {f"story-{w['story'].pk}", f"list-tag-{w['tag'].pk}"},
        lambda w: set(),
        lambda w: {"site"},
    ),
    "add mention": (
        add_mention,
        lambda w: {
            f"story-{w['story'].pk}",
            f"person-{w['new_person'].pk}",
            f"list-person-{w['new_person'].pk}",
            "list-people",
        },
        lambda w: set(),
        lambda w: {f"list-person-{w['person'].pk}", "site"},
    ),
    "delete mention": (
        delete_mention,
        lambda w: {f"story-{w['story'].pk}", f"list-person-{w['person'].pk}"},
        lambda w: set(),
        lambda w: {"site"},
    ),
    "move mention to another person (leaves the old one)": (
        move_mention,
        lambda w: {
            f"list-person-{w['person'].pk}",
            f"list-person-{w['new_person'].pk}",
        },
        lambda w: set(),
        lambda w: {"site"},
    ),
    "add byline": (
        add_byline,
        lambda w: {f"story-{w['story'].pk}", f"list-person-{w['new_person'].pk}"},
        lambda w: set(),
        lambda w: {"site"},
    ),
    "cover race": (
        cover_race,
        lambda w: {
            f"story-{w['story'].pk}",
            f"race-{w['new_race'].pk}",
            f"list-race-{w['new_race'].pk}",
            "list-races",
            "list-front",  # its sidebar: the races in the news
        },
        lambda w: set(),
        lambda w: {f"list-race-{w['race'].pk}", "site"},
    ),
    "uncover race": (
        uncover_race,
        lambda w: {f"story-{w['story'].pk}", f"list-race-{w['race'].pk}"},
        lambda w: set(),
        lambda w: {"site"},
    ),
    "clear races": (
        clear_races,
        lambda w: {f"story-{w['story'].pk}", f"list-race-{w['race'].pk}"},
        lambda w: set(),
        lambda w: {"site"},
    ),
    "rename person": (
        rename_person,
        lambda w: {f"person-{w['person'].pk}", "list-people", "sitemap-people"},
        lambda w: set(),
        lambda w: {f"story-{w['story'].pk}", "site"},
    ),
    "rename journalist (their bylines)": (
        rename_journalist,
        lambda w: {f"person-{w['journalist'].pk}", f"story-{w['story'].pk}"},
        lambda w: set(),
        lambda w: {"site"},
    ),
    "rename tag": (
        rename_tag,
        lambda w: {f"tag-{w['tag'].pk}", f"list-tag-{w['tag'].pk}", "sitemap-tags"},
        lambda w: set(),
        lambda w: {f"story-{w['story'].pk}", "site"},
    ),
    "rename section": (
        rename_section,
        lambda w: {f"section-{w['section'].pk}", "sitemap-sections", "list-front"},
        lambda w: set(),
        lambda w: {f"story-{w['story'].pk}", "site"},
    ),
    "rename race": (
        rename_race,
        lambda w: {f"race-{w['race'].pk}", "list-races", "sitemap-races"},
        lambda w: set(),
        lambda w: {f"story-{w['story'].pk}", "site"},
    ),
    "switch a person's 'show without stories' off": (
        hide_person,
        lambda w: set(),
        lambda w: {f"person-{w['person'].pk}", "list-people", "sitemap-people"},
        lambda w: {"site"},
    ),
    "switch a race's 'show without stories' off": (
        hide_race,
        lambda w: set(),
        lambda w: {f"race-{w['race'].pk}", "list-races", "sitemap-races"},
        lambda w: {"site"},
    ),
    "add a result": (
        add_result,
        lambda w: {f"race-{w['race'].pk}", f"person-{w['person'].pk}"},
        lambda w: set(),
        lambda w: {"site"},
    ),
    "merge people": (
        merge_people,
        lambda w: {
            f"story-{w['story'].pk}",
            f"story-{w['duplicate_story'].pk}",
            f"list-person-{w['person'].pk}",
        },
        lambda w: {f"person-{w['gone']}", f"list-person-{w['gone']}"},
        lambda w: {"site"},
    ),
    "merge tags": (
        merge_tags,
        lambda w: {f"story-{w['other'].pk}", f"list-tag-{w['tag'].pk}"},
        lambda w: {f"tag-{w['gone']}", f"list-tag-{w['gone']}"},
        lambda w: {"site"},
    ),
    "link stories in bulk": (
        link_stories,
        lambda w: {
            f"story-{w['story'].pk}",
            f"person-{w['new_person'].pk}",
            f"list-person-{w['new_person'].pk}",
        },
        lambda w: set(),
        lambda w: {"site"},
    ),
    "publish a draft (enters its listings)": (
        publish_draft,
        lambda w: {
            f"story-{w['draft'].pk}",
            "list-front",
            f"list-section-{w['draft'].section_id}",
            f"list-tag-{w['tag'].pk}",
            "sitemap-index",
            cache_keys.address(w["draft"].slug),  # the 404 kept there before
        },
        lambda w: set(),
        lambda w: {f"story-{w['story'].pk}", "site"},
    ),
    "schedule a draft": (
        schedule_draft,
        lambda w: {"schedule", "list-front", f"story-{w['draft'].pk}"},
        lambda w: set(),
        lambda w: {"site"},
    ),
    "edit a draft": (edit_draft, lambda w: set(), lambda w: set(), lambda w: set()),
}


@pytest.mark.parametrize("case", CASES)
def test_each_change_invalidates_the_keys_it_touches(world, committed, purged, case):
    change, soft, hard, untouched = CASES[case]

    committed(lambda: change(world))

    assert soft(world) <= purged.soft, case
    assert hard(world) <= purged.hard, case
    assert not (untouched(world) & purged.all), case


def test_editing_a_draft_invalidates_nothing(world, committed, purged):
    committed(lambda: edit_draft(world))

    assert purged.calls == []


def test_putting_an_unpublished_story_back_to_draft_invalidates_nothing(
    world, committed, purged
):
    unpublish(world)
    committed(lambda: back_to_draft(world))

    assert purged.calls == []


def test_nothing_is_invalidated_before_the_commit(world, purged):
    purged.calls.clear()

    edit_headline(world)  # the test's transaction never commits

    assert purged.calls == []


def test_a_transaction_delivers_its_keys_once_hard_before_soft(
    world, committed, purged
):
    other = PersonFactory()

    def several():
        edit_headline(world)
        other.name = "Renamed"
        other.save()
        services.article_unpublish(article=world["story"], user=editor())

    committed(several)

    assert [hard for _keys, hard in purged.calls] == [True, False]
    assert f"story-{world['story'].pk}" not in purged.soft  # hard already


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("refresh_story_links", lambda w: {"site"}),
        ("fold_tags", lambda w: {f"tag-{w['tag'].pk}", f"list-tag-{w['tag'].pk}"}),
    ],
)
def test_commands_that_write_invalidate_what_they_wrote(
    world, committed, purged, command, expected
):
    committed(lambda: call_command(command, stdout=StringIO()))

    assert expected(world) <= purged.all


def test_refreshing_some_stories_invalidates_their_keys_only(world, committed, purged):
    pk = world["story"].pk
    committed(lambda: call_command("refresh_story_links", str(pk), stdout=StringIO()))

    assert {f"story-{pk}", f"list-tag-{world['tag'].pk}"} <= purged.soft
    assert "site" not in purged.all


def test_importing_a_published_story_invalidates_its_listings(
    committed, purged, tmp_path
):
    path = tmp_path / "story.txt"
    path.write_text("Ossoff forces a runoff\n\nThe race goes on.\n")

    committed(
        lambda: call_command(
            "import_story",
            str(path),
            "--publish",
            "--byline",
            "Jerome Hudson",
            stdout=StringIO(),
        )
    )

    story = Article.objects.get()
    assert {f"story-{story.pk}", "list-front", "list-latest"} <= purged.soft


def test_removing_a_tag_link_row_leaves_the_tag_listing(world, committed, purged):
    link = TaggedArticle.objects.get(content_object=world["story"])

    committed(link.delete)

    assert f"list-tag-{world['tag'].pk}" in purged.soft


# --- Responses ------------------------------------------------------------------


def reader_pages(world):
    story = world["story"]
    return {
        "front": ("/", {"list-front", f"story-{story.pk}"}),
        "story": (
            story.get_absolute_url(),
            {
                f"story-{story.pk}",
                f"section-{world['section'].pk}",
                f"tag-{world['tag'].pk}",
                f"person-{world['person'].pk}",
                f"race-{world['race'].pk}",
            },
        ),
        "section": (
            world["section"].get_absolute_url(),
            {f"list-section-{world['section'].pk}", f"story-{story.pk}"},
        ),
        "tag": ("/tags/georgia/", {f"list-tag-{world['tag'].pk}", f"story-{story.pk}"}),
        "person": (
            world["person"].get_absolute_url(),
            {f"person-{world['person'].pk}", f"list-person-{world['person'].pk}"},
        ),
        "race": (
            world["race"].get_absolute_url(),
            {f"race-{world['race'].pk}", f"list-race-{world['race'].pk}"},
        ),
        "people": ("/people/", {"list-people", f"person-{world['person'].pk}"}),
        "races": ("/races/", {"list-races", f"race-{world['race'].pk}"}),
        "feed": ("/feeds/latest/", {"list-latest", f"story-{story.pk}"}),
        "atom feed": ("/feeds/latest/atom/", {"list-latest", f"story-{story.pk}"}),
        "tag feed": ("/feeds/tags/georgia/", {f"list-tag-{world['tag'].pk}"}),
        "person feed": (
            f"/feeds/people/{world['person'].slug}/",
            {f"list-person-{world['person'].pk}", f"story-{story.pk}"},
        ),
        "section feed": (
            f"/feeds/sections/{world['section'].slug}/",
            {f"list-section-{world['section'].pk}"},
        ),
        "race feed": (
            f"/feeds/races/{world['race'].slug}/",
            {f"list-race-{world['race'].pk}"},
        ),
        "sitemap index": ("/sitemap.xml", {"sitemap-index"}),
        "month sitemap": (
            "/sitemap-articles-2026-05.xml",
            {"sitemap-articles-2026-05"},
        ),
        "news sitemap": ("/sitemap-news.xml", {"sitemap-news"}),
        "people sitemap": ("/sitemap-people.xml", {"sitemap-people"}),
        "races sitemap": ("/sitemap-races.xml", {"sitemap-races"}),
        "sections sitemap": ("/sitemap-sections.xml", {"sitemap-sections"}),
        "tags sitemap": ("/sitemap-tags.xml", {"sitemap-tags"}),
        "robots": ("/robots.txt", set()),
    }


PAGES = [
    "front", "story", "section", "tag", "person", "race", "people", "races", "feed",
    "atom feed", "tag feed", "person feed", "section feed", "race feed",
    "sitemap index", "month sitemap", "news sitemap", "people sitemap",
    "races sitemap", "sections sitemap", "tags sitemap", "robots",
]  # fmt: skip


@pytest.mark.parametrize("page", PAGES)
def test_every_reader_response_carries_its_keys_in_three_headers(
    client, world, page, settings
):
    settings.NEWSROOM_SHARED_MAX_AGE = 300
    url, expected = reader_pages(world)[page]

    response = client.get(url)

    assert response.status_code == 200
    xkey = set(response["xkey"].split())
    assert expected | {"site"} <= xkey
    assert set(response["Surrogate-Key"].split()) == xkey
    assert set(response["Cache-Tag"].split(",")) == xkey
    control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"public", "max-age=0", "s-maxage=300"} <= control


def test_search_results_carry_no_keys_and_a_short_shared_lifetime(client, world):
    response = client.get("/search/", {"q": "story"})

    assert "xkey" not in response and "Cache-Tag" not in response
    assert "s-maxage=30" in response["Cache-Control"]


@pytest.mark.parametrize("page", ["front", "story", "person", "feed", "sitemap index"])
def test_staff_responses_carry_no_keys_and_are_private(admin_client, world, page):
    url, _expected = reader_pages(world)[page]

    response = admin_client.get(url)

    assert "xkey" not in response and "Surrogate-Key" not in response
    assert "Cache-Tag" not in response
    assert "private" in response["Cache-Control"]
    assert "s-maxage" not in response["Cache-Control"]


@pytest.mark.parametrize("url", ["/admin/", "/healthz"])
def test_admin_and_health_check_carry_no_keys(admin_client, url):
    response = admin_client.get(url)

    assert "xkey" not in response


def test_a_404_carries_no_keys(client, world):
    response = client.get("/tags/no-such-tag/")

    assert response.status_code == 404 and "xkey" not in response


def test_a_404_at_a_story_address_is_kept_under_that_address(client, world):
    story = world["story"]
    services.article_unpublish(article=story, user=editor())

    response = client.get(story.get_absolute_url())

    assert response.status_code == 404
    assert response["xkey"].split() == sorted(["site", cache_keys.address(story.slug)])
    assert "s-maxage" in response["Cache-Control"]


def test_publishing_again_invalidates_the_404_kept_at_its_address(
    world, committed, purged
):
    story = world["story"]
    committed(lambda: services.article_unpublish(article=story, user=editor()))

    committed(lambda: services.article_publish(article=story, user=editor()))

    assert cache_keys.address(story.slug) in purged.all


def test_renaming_a_story_invalidates_the_404_kept_at_its_new_address(
    world, committed, purged
):
    story = world["story"]

    def rename():
        story.slug = "a-new-address"
        story.save()

    committed(rename)

    assert cache_keys.address("a-new-address") in purged.all


def test_a_404_elsewhere_carries_no_shared_lifetime(client, world):
    response = client.get("/no/such/page/")

    assert response.status_code == 404
    assert "xkey" not in response and "s-maxage" not in response.get(
        "Cache-Control", ""
    )


def test_a_story_preview_carries_no_keys(admin_client):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)

    response = admin_client.get(f"/admin/articles/article/{draft.pk}/preview/")

    assert "xkey" not in response


# --- The in-app page cache, by keys ---------------------------------------------


@pytest.fixture
def page_cache(settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


def test_an_edit_of_one_story_leaves_a_page_not_showing_it_a_hit(
    client, page_cache, commit
):
    shown = ArticleFactory(headline="On the page")
    elsewhere = ArticleFactory(headline="Elsewhere")
    client.get(shown.get_absolute_url())

    with commit():
        elsewhere.headline = "Elsewhere, edited"
        elsewhere.save()

    assert client.get(shown.get_absolute_url())["X-Page-Cache"] == "hit"


def test_an_edit_of_a_listed_story_makes_its_listing_fresh(client, page_cache, commit):
    story = ArticleFactory(headline="Before")
    client.get(story.section.get_absolute_url())

    with commit():
        story.headline = "After"
        story.save()
    response = client.get(story.section.get_absolute_url())

    assert response["X-Page-Cache"] == "miss" and "After" in response.content.decode()


@pytest.mark.parametrize("page", ["front", "story", "section", "tag", "person", "feed"])
def test_nothing_unpublished_is_served_from_the_page_cache(
    client, page_cache, world, page, commit
):
    url, _expected = reader_pages(world)[page]
    world["story"].headline = "Soon gone"
    world["story"].save()
    assert "Soon gone" in client.get(url).content.decode()

    with commit():
        unpublish(world)
    response = client.get(url)

    assert "Soon gone" not in response.content.decode()


def test_a_person_page_is_not_invalidated_by_an_unrelated_story(
    client, page_cache, world, commit
):
    url = world["person"].get_absolute_url()
    client.get(url)

    with commit():
        ArticleFactory(headline="Unrelated")

    assert client.get(url)["X-Page-Cache"] == "hit"


def test_the_purge_call_site_adds_shared_caches_when_configured(
    settings, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr(
        cache_keys, "send_purges", lambda keys, *, hard: sent.append((set(keys), hard))
    )
    settings.NEWSROOM_PURGE_URLS = ["http://127.0.0.1:6081/"]

    with django_capture_on_commit_callbacks(execute=True):
        cache_keys.invalidate({"story-1"}, hard=True)

    assert sent == [({"story-1"}, True)]


def test_a_delivery_that_fails_is_logged_and_the_other_tiers_still_told(
    monkeypatch, caplog, commit
):
    told = []

    def broken(keys, *, hard):
        raise ConnectionError("purge refused")

    monkeypatch.setattr(
        cache_keys,
        "purge_backends",
        lambda: [broken, lambda keys, *, hard: told.append(set(keys))],
    )
    with commit():
        cache_keys.invalidate({"story-1"}, hard=False)

    assert told == [{"story-1"}]
    assert "Cache keys not invalidated" in caplog.text and "story-1" in caplog.text


def test_shared_caches_keep_listings_no_later_than_the_next_scheduled_story(
    client, settings
):
    settings.NEWSROOM_PURGE_URLS = ["http://127.0.0.1:6081/"]
    settings.NEWSROOM_SHARED_MAX_AGE = 300
    ArticleFactory(published_at=timezone.now() + timedelta(seconds=60))

    response = client.get("/")

    max_age = int(response["Cache-Control"].split("s-maxage=")[1].split(",")[0])
    assert max_age <= 60


REDIS_CACHE = {
    "default": {
        "BACKEND": "core.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/6",
        "KEY_PREFIX": "test-cache-keys",
    }
}


@pytest.fixture
def redis_page_cache(settings):
    """The page cache on a real Redis (database 6), emptied around the test."""
    settings.CACHES = REDIS_CACHE
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


def test_redis_moves_the_clock_and_the_generations_in_one_step(redis_page_cache):
    from core.page_cache import CLOCK_KEY, generation_key, invalidate_keys

    invalidate_keys({"story-1", "list-front"}, hard=False)
    invalidate_keys({"story-1"}, hard=False)

    found = cache.get_many(
        [CLOCK_KEY, generation_key("story-1"), generation_key("list-front")]
    )
    assert found == {
        CLOCK_KEY: 2,
        generation_key("story-1"): 2,
        generation_key("list-front"): 1,
    }


def test_with_redis_an_edit_leaves_unrelated_pages_hits_and_unpublishing_misses(
    client, redis_page_cache, commit
):
    shown = ArticleFactory(headline="Shown")
    other = ArticleFactory(headline="Other")
    client.get(shown.get_absolute_url())
    client.get("/")

    with commit():
        other.headline = "Other, edited"
        other.save()
    assert client.get(shown.get_absolute_url())["X-Page-Cache"] == "hit"
    with commit():
        services.article_unpublish(article=shown, user=editor())

    assert "Shown" not in client.get("/").content.decode()
    assert client.get(shown.get_absolute_url()).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_keys_of_a_rolled_back_transaction_are_not_delivered(purged):
    with pytest.raises(ValueError), transaction.atomic():
        cache_keys.invalidate({"story-1"}, hard=False)
        raise ValueError("the save failed")
    with transaction.atomic():
        cache_keys.invalidate({"story-2"}, hard=False)

    assert purged.calls == [(frozenset({"story-2"}), False)]


@pytest.mark.django_db(transaction=True)
def test_keys_from_a_savepoint_rolled_back_still_leave_the_rest_delivered(purged):
    with transaction.atomic():
        cache_keys.invalidate({"story-1"}, hard=False)
        with pytest.raises(ValueError), transaction.atomic():
            cache_keys.invalidate({"story-2"}, hard=True)
            raise ValueError("an inline failed")

    assert frozenset({"story-1"}) in {keys for keys, _hard in purged.calls}


def test_an_old_address_redirect_carries_its_story_key(client, world):
    story = world["story"]
    old = story.get_absolute_url()
    story.slug = "a-new-address"
    story.save()

    response = client.get(old)

    assert response.status_code == 301
    assert f"story-{story.pk}" in response["xkey"].split()


def test_a_page_whose_key_generation_was_evicted_is_a_miss(client, page_cache):
    from core.page_cache import generation_key, invalidate_keys

    story = ArticleFactory(headline="Kept")
    client.get(story.get_absolute_url())  # kept before `site` was ever purged
    invalidate_keys({"site"}, hard=False)
    cache.delete(generation_key("site"))  # evicted under memory pressure

    assert client.get(story.get_absolute_url())["X-Page-Cache"] == "miss"


# --- Admin actions, revisions and the commands that write -------------------------


def test_scan_mentions_apply_invalidates_the_story_and_the_person(committed, purged):
    ossoff = PersonFactory(name="Jon Ossoff", kind="candidate")
    story = ArticleFactory(body="<p>Jon Ossoff lost his bid for the seat.</p>")

    committed(
        lambda: call_command(
            "scan_mentions", str(story.pk), "--apply", stdout=StringIO()
        )
    )

    assert {f"story-{story.pk}", f"list-person-{ossoff.pk}"} <= purged.soft


def test_load_demo_invalidates_every_page(committed, purged, settings):
    settings.DEBUG = True

    committed(lambda: call_command("load_demo", stdout=StringIO()))

    assert "site" in purged.all


# Transactional: the command ANALYZEs, and the statistics of its few rows outlive a
# rollback (PostgreSQL writes them in place); the flush after the test clears them,
# so later plan tests do not see a three-story archive.
@pytest.mark.django_db(transaction=True)
def test_make_synthetic_invalidates_every_page_hard(committed, purged):
    committed(
        lambda: call_command(
            "make_synthetic",
            *("--articles", "3", "--people", "3", "--races", "1", "--tags", "2"),
            stdout=StringIO(),
            stderr=StringIO(),
        )
    )

    assert "site" in purged.hard


def test_the_admin_unpublish_action_invalidates_hard(
    admin_client, world, committed, purged
):
    from django.urls import reverse

    story = world["story"]
    committed(
        lambda: admin_client.post(
            reverse("admin:articles_article_changelist"),
            {"action": "unpublish", "_selected_action": [story.pk]},
        )
    )

    assert {f"story-{story.pk}", "list-front"} <= purged.hard


def test_the_admin_publish_action_invalidates_the_listings_entered(
    admin_client, committed, purged
):
    from django.urls import reverse

    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    BylineFactory(article=draft)
    committed(
        lambda: admin_client.post(
            reverse("admin:articles_article_changelist"),
            {"action": "publish_now", "_selected_action": [draft.pk]},
        )
    )

    assert {f"story-{draft.pk}", "list-front", "list-latest"} <= purged.soft


def test_restoring_a_revision_invalidates_the_story(committed, purged):
    import reversion
    from reversion.models import Version

    story = ArticleFactory(headline="The original headline")
    with reversion.create_revision():
        story.save()
    story.headline = "A worse headline"
    story.save()
    first = Version.objects.get_for_object(story).last()

    committed(first.revision.revert)

    assert f"story-{story.pk}" in purged.soft


def test_hiding_image_names_invalidates_every_page(committed, purged):
    from io import BytesIO

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, "JPEG")
    old = default_storage.save(
        "articles/2026/12/leak.jpg", ContentFile(buffer.getvalue())
    )
    ArticleFactory(lead_image=old, lead_image_alt="A picture")

    committed(lambda: call_command("hide_image_names", stdout=StringIO()))

    assert "site" in purged.soft


# --- People through time: dated roles and identifiers ---


def test_adding_a_role_purges_the_person_and_their_story_pages(committed, purged):
    person = PersonFactory()

    committed(lambda: PersonRoleFactory(person=person))

    # story pages that show the person carry the person's key
    assert cache_keys.person(person.pk) in purged.soft


def test_editing_a_role_purges_the_person(committed, purged):
    role = PersonRoleFactory()

    def edit():
        role.end_date = role.start_date + timedelta(days=30)
        role.save()

    committed(edit)

    assert cache_keys.person(role.person_id) in purged.soft


def test_deleting_a_role_purges_the_person(committed, purged):
    role = PersonRoleFactory()

    committed(role.delete)

    assert cache_keys.person(role.person_id) in purged.soft


def test_changing_an_identifier_purges_the_person_page(committed, purged):
    person = PersonFactory()

    def change():
        person.wikidata_id = "Q123"
        person.save()

    committed(change)

    assert cache_keys.person(person.pk) in purged.soft
