import html
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.admin import RecentTagsFilter
from articles.models import Article, Mention
from tests.factories import (
    AliasFactory,
    ArticleFactory,
    BylineFactory,
    JournalistFactory,
    MentionFactory,
    PersonFactory,
    RaceFactory,
    RelationshipSourceFactory,
    SectionFactory,
    byline_inline_data,
)

pytestmark = pytest.mark.django_db

# The savepoint and its release around each admin view's revision block.
REVISION_BLOCK = 2


def inline_management(prefix, total=0, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def article_form(section, **overrides):
    data = {
        "headline": "Handel wins the runoff",
        "slug": "handel-wins-the-runoff",
        "dek": "The Republican holds the seat.",
        "body": "<p>Karen Handel won.</p>",
        "section": str(section.pk),
        "tags": "",
        "status": Article.Status.DRAFT,
        "published_at_0": "",
        "published_at_1": "",
        "lead_image_alt": "",
        "lead_image_caption": "",
        "lead_image_credit": "",
        **inline_management("bylines"),
        **inline_management("mentions"),
    }
    data.update(overrides)
    if data["status"] == Article.Status.PUBLISHED:
        data |= byline_inline_data()
    return data


def test_editor_adds_a_story_with_three_people_and_two_tags_in_one_form(admin_client):
    section = SectionFactory()
    handel, ossoff, jackson = (
        PersonFactory(name="Karen Handel"),
        PersonFactory(name="Jon Ossoff"),
        PersonFactory(name="Samuel L. Jackson"),
    )
    reporter = JournalistFactory(name="Jerome Hudson")
    race = RaceFactory()
    data = article_form(
        section,
        tags='"Georgia 6th District", Hollywood',
        covered_races=[str(race.pk)],
        **inline_management("mentions", total=3),
        **{
            "mentions-0-person": str(handel.pk),
            "mentions-0-role": "candidate",
            "mentions-1-person": str(ossoff.pk),
            "mentions-1-role": "candidate",
            "mentions-2-person": str(jackson.pk),
            "mentions-2-role": "endorser",
            "mentions-2-note": "recorded a radio ad",
        },
        **inline_management("bylines", total=1),
        **{"bylines-0-person": str(reporter.pk), "bylines-0-position": "0"},
    )

    response = admin_client.post(reverse("admin:articles_article_add"), data)

    story = Article.objects.get(slug="handel-wins-the-runoff")
    assert response.status_code == 302
    assert sorted(story.mentions.values_list("person__name", "role")) == [
        ("Jon Ossoff", "candidate"),
        ("Karen Handel", "candidate"),
        ("Samuel L. Jackson", "endorser"),
    ]
    assert sorted(story.tags.names()) == ["Georgia 6th District", "Hollywood"]
    assert list(story.races.all()) == [race]
    assert [b.person for b in story.bylines.all()] == [reporter]


def test_admin_form_strips_script_from_the_body(admin_client):
    data = article_form(SectionFactory(), body="<p>ok</p><script>alert(1)</script>")

    admin_client.post(reverse("admin:articles_article_add"), data)

    assert Article.objects.get().body == "<p>ok</p>"


def test_same_person_twice_in_the_same_role_is_a_form_error(admin_client):
    person = PersonFactory()
    data = article_form(
        SectionFactory(),
        **inline_management("mentions", total=2),
        **{
            "mentions-0-person": str(person.pk),
            "mentions-0-role": "quoted",
            "mentions-1-person": str(person.pk),
            "mentions-1-role": "quoted",
        },
    )

    response = admin_client.post(reverse("admin:articles_article_add"), data)

    assert response.status_code == 200
    assert "Please correct the duplicate data" in response.content.decode()
    assert not Article.objects.exists()


def test_a_non_journalist_cannot_get_a_byline(admin_client):
    celebrity = PersonFactory()
    data = article_form(
        SectionFactory(),
        **inline_management("bylines", total=1),
        **{"bylines-0-person": str(celebrity.pk), "bylines-0-position": "0"},
    )

    response = admin_client.post(reverse("admin:articles_article_add"), data)

    assert response.status_code == 200
    assert not Article.objects.exists()


def test_missing_headline_is_a_form_error_and_nothing_is_saved(admin_client):
    data = article_form(SectionFactory(), headline="")

    response = admin_client.post(reverse("admin:articles_article_add"), data)

    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not Article.objects.exists()


def test_change_page_shows_the_people_in_the_story(admin_client):
    mention = MentionFactory(person__name="Karen Handel", role="candidate")

    response = admin_client.get(
        reverse("admin:articles_article_change", args=[mention.article.pk])
    )

    assert response.status_code == 200
    assert "Karen Handel" in response.content.decode()


def test_editor_adds_a_mention_to_an_existing_story(admin_client):
    story = ArticleFactory(headline="Runoff night", slug="runoff-night")
    person = PersonFactory(name="Alyssa Milano")
    data = article_form(
        story.section,
        headline=story.headline,
        slug=story.slug,
        status=story.status,
        published_at_0=timezone.localtime(story.published_at).strftime("%Y-%m-%d"),
        published_at_1=timezone.localtime(story.published_at).strftime("%H:%M:%S"),
        **inline_management("mentions", total=1),
        **{"mentions-0-person": str(person.pk), "mentions-0-role": "endorser"},
    )

    response = admin_client.post(
        reverse("admin:articles_article_change", args=[story.pk]), data
    )

    assert response.status_code == 302
    assert Mention.objects.get(article=story).person == person


@pytest.mark.parametrize("rows", [1, 30])
def test_changelist_query_count_does_not_grow_with_rows(
    admin_client, django_assert_num_queries, rows
):
    section = SectionFactory()
    for _ in range(rows):
        MentionFactory(article__section=section)
    url = reverse("admin:articles_article_changelist")
    admin_client.get(url)  # warm up the session and content types

    # session, user, sections and tags for the filters, the capped count, the page
    # of stories, the people of the page (no date hierarchy: it scanned the archive)
    with django_assert_num_queries(7 + REVISION_BLOCK):
        response = admin_client.get(url)

    assert response.status_code == 200


@pytest.mark.parametrize("rows", [1, 30])
def test_change_page_query_count_does_not_grow_with_people(
    admin_client, django_assert_num_queries, rows
):
    story = ArticleFactory()
    for _ in range(rows):
        MentionFactory(article=story)
        BylineFactory(article=story)
        RelationshipSourceFactory(article=story)
    url = reverse("admin:articles_article_change", args=[story.pk])
    admin_client.get(url)

    # session, user, story, people listed, sections, tags, races, bylines, people
    # of the byline widgets, mentions, people of the mention widgets, relationships
    # reported with their relationships, the people of their subject and object
    # widgets; for the "people found" panel: the people version (2), linked
    # people, rejections, relationships reported; for the "numbers check" panel:
    # the story's races (none: no results to read)
    with django_assert_num_queries(20 + REVISION_BLOCK):
        response = admin_client.get(url)

    assert response.status_code == 200


def test_change_page_shows_the_selected_people_in_their_rows(admin_client):
    mention = MentionFactory(person__name="Jon Ossoff")

    response = admin_client.get(
        reverse("admin:articles_article_change", args=[mention.article.pk])
    )

    option = f'<option value="{mention.person.pk}" selected>Jon Ossoff</option>'
    assert option in response.content.decode()


def test_a_bad_person_id_in_a_row_is_a_form_error_not_a_crash(admin_client):
    data = article_form(
        SectionFactory(),
        **inline_management("mentions", total=1),
        **{"mentions-0-person": "not-a-number", "mentions-0-role": "quoted"},
    )

    response = admin_client.post(reverse("admin:articles_article_add"), data)

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Article.objects.exists()


def test_changelist_does_not_load_story_bodies(admin_client):
    ArticleFactory()

    response = admin_client.get(reverse("admin:articles_article_changelist"))

    assert "body" in response.context["cl"].result_list[0].get_deferred_fields()


def test_changelist_lists_people_of_each_story(admin_client):
    MentionFactory(person__name="Jon Ossoff", article__headline="Runoff results")

    response = admin_client.get(reverse("admin:articles_article_changelist"))

    assert "Jon Ossoff" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"status__exact": "published"},
        {"mentions__person__kind__exact": "celebrity"},
        {"q": "Ossoff"},
        {"q": "<script>"},
        {"published_at__year": "2017"},
    ],
)
def test_changelist_filters_and_search_work(admin_client, query):
    MentionFactory(person__name="Jon Ossoff")

    response = admin_client.get(reverse("admin:articles_article_changelist"), query)

    assert response.status_code == 200


def test_search_finds_a_story_by_person_name(admin_client):
    MentionFactory(person__name="Jon Ossoff", article__headline="Runoff results")
    ArticleFactory(headline="Something else")

    response = admin_client.get(
        reverse("admin:articles_article_changelist"), {"q": "Ossoff"}
    )

    assert list(response.context["cl"].result_list) == [
        Article.objects.get(headline="Runoff results")
    ]


def test_filter_by_tag(admin_client):
    tagged = ArticleFactory()
    tagged.tags.add("Hollywood")
    ArticleFactory()

    response = admin_client.get(
        reverse("admin:articles_article_changelist"), {"tags__id__exact": "1"}
    )

    assert response.status_code == 200


def tag_filter_choices(page) -> list[str]:
    """The tag names the story list's tag filter offers."""
    spec = next(
        spec
        for spec in page.context["cl"].filter_specs
        if isinstance(spec, RecentTagsFilter)
    )
    return [name for _value, name in spec.lookup_choices]


def test_the_tag_filter_offers_the_tags_of_the_newest_stories_most_used_first(
    admin_client, monkeypatch
):
    monkeypatch.setattr(RecentTagsFilter, "NEWEST_STORIES", 2)
    now = timezone.now()
    ArticleFactory(published_at=now - timedelta(days=9)).tags.add("Old news")
    ArticleFactory(published_at=now - timedelta(days=2)).tags.add("Runoff", "Turnout")
    ArticleFactory(published_at=now - timedelta(days=1)).tags.add("Runoff")

    page = admin_client.get(reverse("admin:articles_article_changelist"))

    assert tag_filter_choices(page) == ["Runoff", "Turnout"]


def test_a_tag_outside_the_newest_stories_still_filters_and_is_offered(
    admin_client, monkeypatch
):
    monkeypatch.setattr(RecentTagsFilter, "NEWEST_STORIES", 1)
    old = ArticleFactory(
        headline="Old story", published_at=timezone.now() - timedelta(days=9)
    )
    old.tags.add("Old news")
    ArticleFactory(headline="New story").tags.add("Runoff")
    tag = old.tags.get()

    page = admin_client.get(
        reverse("admin:articles_article_changelist"), {"tags__id__exact": tag.pk}
    )

    assert [story.headline for story in page.context["cl"].result_list] == ["Old story"]
    assert tag_filter_choices(page) == ["Runoff", "Old news"]


@pytest.mark.parametrize("value", ["abc", "-1", "1 OR 1=1", "²"])
def test_an_odd_tag_filter_gives_the_list_with_a_notice_not_a_500(admin_client, value):
    ArticleFactory().tags.add("Runoff")

    page = admin_client.get(
        reverse("admin:articles_article_changelist"), {"tags__id__exact": value}
    )

    assert page.status_code == 302
    assert page["Location"].endswith("?e=1")


@pytest.mark.parametrize("value", ["99999", "9" * 30])
def test_an_unknown_tag_filters_to_no_stories(admin_client, value):
    ArticleFactory().tags.add("Runoff")

    page = admin_client.get(
        reverse("admin:articles_article_changelist"), {"tags__id__exact": value}
    )

    assert page.status_code == 200
    assert list(page.context["cl"].result_list) == []


@pytest.mark.parametrize("tags", [3, 40])
def test_the_story_list_does_not_grow_with_the_newsrooms_tags(
    admin_client, django_assert_num_queries, tags
):
    for n in range(tags):
        ArticleFactory().tags.add(f"Topic {n}")
    url = reverse("admin:articles_article_changelist")
    admin_client.get(url)

    # session, user, sections and the tags of the newest stories for the filters,
    # the capped count, the page, its people
    with django_assert_num_queries(9):
        page = admin_client.get(url)

    assert len(tag_filter_choices(page)) == min(tags, RecentTagsFilter.SHOWN)


def test_add_page_and_section_pages_render(admin_client):
    assert admin_client.get(reverse("admin:articles_article_add")).status_code == 200
    assert (
        admin_client.get(reverse("admin:articles_section_changelist")).status_code
        == 200
    )
    assert admin_client.get(reverse("admin:articles_section_add")).status_code == 200


def test_the_story_list_stops_counting_at_the_cap(admin_client, monkeypatch):
    from core import admin_paging

    monkeypatch.setattr(admin_paging, "CAP", 2)
    ArticleFactory.create_batch(3)

    page = admin_client.get(reverse("admin:articles_article_changelist"))

    assert page.status_code == 200
    assert "More than 2 articles" in page.content.decode()


def test_the_story_list_counts_exactly_below_the_cap(admin_client):
    ArticleFactory.create_batch(3)

    page = admin_client.get(reverse("admin:articles_article_changelist"))

    assert "3 articles" in page.content.decode()
    assert "More than" not in page.content.decode()


@pytest.mark.parametrize("column", ["1", "-1", "2", "3", "-3"])
def test_the_story_list_counts_in_no_order_whatever_column_it_is_sorted_by(
    admin_client, column
):
    """Counted in the list's order, a sort by headline or section sorted the
    whole archive once more just to count it (160 ms at 100,000 stories)."""
    ArticleFactory.create_batch(3)

    with CaptureQueriesContext(connection) as queries:
        page = admin_client.get(
            reverse("admin:articles_article_changelist"), {"o": column}
        )

    counts = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("SELECT COUNT(*)")
    ]
    assert page.status_code == 200
    assert counts
    assert not [sql for sql in counts if "ORDER BY" in sql]


def test_the_story_list_sorted_by_status_is_newest_first_within_each(admin_client):
    now = timezone.now()
    # Created first, published last: the story id alone would put it second.
    ArticleFactory(headline="Newer published", published_at=now - timedelta(days=1))
    ArticleFactory(headline="Older published", published_at=now - timedelta(days=2))
    ArticleFactory(headline="A draft", status=Article.Status.DRAFT, published_at=None)

    page = admin_client.get(reverse("admin:articles_article_changelist"), {"o": "2"})

    text = page.content.decode()
    order = ["A draft", "Newer published", "Older published"]
    assert sorted(order, key=text.index) == order


def test_the_story_list_filters_by_publish_date(admin_client):
    ArticleFactory(headline="Fresh story")
    ArticleFactory(headline="Old story", published_at=timezone.now() - timedelta(30))
    url = reverse("admin:articles_article_changelist")
    page = admin_client.get(url).content.decode()
    past_week = re.search(r'href="(\?published_at__gte=[^"]+)"[^>]*>Past 7 days', page)

    filtered = admin_client.get(url + html.unescape(past_week.group(1)))

    listed = [story.headline for story in filtered.context["cl"].result_list]
    assert listed == ["Fresh story"]


def test_the_story_search_finds_headline_body_and_linked_people(admin_client):
    ArticleFactory(headline="Runoff night", body="<p>Turnout was high.</p>")
    ArticleFactory(headline="Fundraising", body="<p>Money poured in.</p>")
    jackson = MentionFactory(
        article__headline="Endorsement", person__name="Samuel L. Jackson"
    ).person
    AliasFactory(person=jackson, name="Mace Windu")

    def found(term):
        page = admin_client.get(
            reverse("admin:articles_article_changelist"), {"q": term}
        )
        return sorted(story.headline for story in page.context["cl"].result_list)

    assert found("Runoff") == ["Runoff night"]
    assert found("turnout") == ["Runoff night"]
    assert found("Jackson") == ["Endorsement"]
    assert found("Windu") == ["Endorsement"]
    assert found("Ossoff") == []


@pytest.mark.parametrize(
    "term", ["!!!", "ossoff:* & | ! ()", "' OR 1=1 --", "a" * 300, "Ossoff\x00"]
)
def test_odd_story_searches_give_a_normal_list(admin_client, term):
    ArticleFactory(headline="Ossoff concedes")

    page = admin_client.get(reverse("admin:articles_article_changelist"), {"q": term})

    assert page.status_code == 200


def test_the_quick_row_checkbox_is_the_markup_django_would_render():
    from django.contrib import admin as django_admin

    from articles.admin import ArticleAdmin
    from people.admin import PersonAdmin
    from people.models import Person

    story = ArticleFactory(headline='Ossoff <b>"wins"</b> & more')
    person = PersonFactory(name="Karen O'Handel")
    for model_admin, obj in [
        (ArticleAdmin(Article, django_admin.site), story),
        (PersonAdmin(Person, django_admin.site), person),
    ]:
        quick = model_admin.action_checkbox(obj)
        django = django_admin.ModelAdmin.action_checkbox(model_admin, obj)

        assert quick == django


def test_the_story_list_rows_carry_the_action_checkboxes(admin_client):
    stories = ArticleFactory.create_batch(3)

    page = admin_client.get(reverse("admin:articles_article_changelist"))

    listing = page.content.decode()
    for story in stories:
        assert f'name="_selected_action" value="{story.pk}" class="action-' in listing


@pytest.mark.parametrize("page_number", [1, 2, 3])
def test_the_story_list_sorted_by_section_pages_in_section_order(
    admin_client, monkeypatch, page_number
):
    """A page's ids are sorted first, then its rows read: the rows must come in the
    list's order, page after page."""
    from articles.admin import ArticleAdmin

    monkeypatch.setattr(ArticleAdmin, "list_per_page", 4)
    for name in ("Politics", "Elections", "Opinion"):
        section = SectionFactory(name=name)
        ArticleFactory.create_batch(3, section=section)
    expected = list(
        Article.objects.order_by("section__name", "-pk").values_list("pk", flat=True)
    )

    page = admin_client.get(
        reverse("admin:articles_article_changelist"), {"o": "3", "p": page_number}
    )

    shown = [story.pk for story in page.context["cl"].result_list]
    start = (page_number - 1) * 4
    assert shown == expected[start : start + 4]


def test_the_story_list_reads_the_pages_ids_before_its_rows(admin_client, monkeypatch):
    from articles.admin import ArticleAdmin

    monkeypatch.setattr(ArticleAdmin, "list_per_page", 2)
    ArticleFactory.create_batch(3)

    with CaptureQueriesContext(connection) as queries:
        admin_client.get(reverse("admin:articles_article_changelist"), {"o": "3"})

    (page,) = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith('SELECT "articles_article"."id", "articles_article"."h')
    ]
    assert 'WHERE "articles_article"."id" IN (SELECT' in page
    assert "LIMIT 2" in page


def test_the_story_list_filtered_across_people_still_pages(admin_client, monkeypatch):
    # A filter through the people makes the list DISTINCT: its pages read as before.
    from articles.admin import ArticleAdmin

    monkeypatch.setattr(ArticleAdmin, "list_per_page", 1)
    for headline in ("First candidate story", "Second candidate story"):
        story = MentionFactory(person__kind="candidate", article__headline=headline)
        MentionFactory(article=story.article, person__kind="candidate")
    ArticleFactory(headline="Without")

    shown = [
        story.headline
        for number in (1, 2)
        for story in admin_client.get(
            reverse("admin:articles_article_changelist"),
            {"mentions__person__kind": "candidate", "o": "-1", "p": number},
        )
        .context["cl"]
        .result_list
    ]

    assert shown == ["Second candidate story", "First candidate story"]


@pytest.mark.parametrize("page_number", ["999", "-1"])
def test_the_story_list_sorted_by_section_sends_a_page_past_the_end_to_the_list(
    admin_client, monkeypatch, page_number
):
    from articles.admin import ArticleAdmin

    monkeypatch.setattr(ArticleAdmin, "list_per_page", 2)
    ArticleFactory.create_batch(3)

    page = admin_client.get(
        reverse("admin:articles_article_changelist"), {"o": "3", "p": page_number}
    )

    # As Django's admin answers a page that does not exist: the list, with a notice.
    assert page.status_code == 302
    assert page["Location"].endswith("?e=1")


def test_the_story_list_sorted_by_section_reads_a_page_that_is_no_number_as_the_first(
    admin_client, monkeypatch
):
    from articles.admin import ArticleAdmin

    monkeypatch.setattr(ArticleAdmin, "list_per_page", 2)
    ArticleFactory.create_batch(3)

    page = admin_client.get(
        reverse("admin:articles_article_changelist"), {"o": "3", "p": "abc"}
    )

    assert page.status_code == 200
    assert len(page.context["cl"].result_list) == 2
