"""Control characters in any text a feed or sitemap shows: cleaned on the way in,
whatever path writes them, and never a 500 or invalid XML on the way out, even
from rows stored before they were cleaned."""

import importlib
import types
from xml.etree import ElementTree

import pytest
from django.apps import apps
from django.db import connection, models
from django.urls import reverse
from taggit.models import Tag

from articles.models import Article, Byline, Mention, Section
from articles.sanitizer import SanitizedHTMLField
from articles.sitemaps import month_path
from core.text import PlainCharField, PlainSlugField, PlainTextField, PlainURLField
from people.models import Person, Race
from tests.articles.test_workflow import story_form
from tests.factories import ArticleFactory, PersonFactory, RaceFactory

pytestmark = pytest.mark.django_db

# Every character of each class XML 1.0 cannot hold or no reader means: the C0
# controls but tab, newline and carriage return; DEL; the C1 block; the code
# points XML has no character for.
CONTROLS = {
    "C0": "".join(chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"),
    "DEL": "\x7f",
    "C1": "".join(chr(c) for c in range(0x80, 0xA0)),
    "non-characters": "\ud800\udfff\ufffe\uffff",
}

# The text of the one story every feed and sitemap shows, by the field it is in.
CLEAN = {
    "headline": "Runoff night",
    "dek": "Who won.",
    "story slug": "runoff-night",
    "section name": "Politics",
    "section slug": "politics",
    "tag name": "Hollywood",
    "byline name": "Jerome Hudson",
    "person name": "Karen Handel",
    "person slug": "karen-handel",
    "race name": "Georgia 6th",
    "race slug": "ga-06",
}


def dirty(text: str, controls: str) -> str:
    """`text` with `controls` in its middle."""
    middle = len(text) // 2
    return text[:middle] + controls + text[middle:]


def make_story(values) -> Article:
    """A published story, in a section, with a byline, a person, a race and a tag,
    each text from `values`, through the ORM as a service or command writes."""
    section = Section.objects.create(
        name=values["section name"], slug=values["section slug"]
    )
    story = ArticleFactory(
        headline=values["headline"],
        dek=values["dek"],
        slug=values["story slug"],
        section=section,
    )
    journalist = PersonFactory(name=values["byline name"], kind="journalist")
    Byline.objects.create(article=story, person=journalist)
    person = PersonFactory(
        name=values["person name"], slug=values["person slug"], kind="candidate"
    )
    Mention.objects.create(article=story, person=person, role="candidate")
    race = RaceFactory(name=values["race name"], slug=values["race slug"])
    story.races.add(race)
    story.tags.add(values["tag name"])
    return story


def reader_xml_urls() -> list[str]:
    """Every feed, RSS and Atom, and every sitemap, for the one story's subjects."""
    subjects = [
        ("articles:feed", []),
        ("articles:person-feed", [Person.objects.get(kind="candidate").slug]),
        ("articles:tag-feed", [Tag.objects.get().slug]),
        ("articles:section-feed", [Section.objects.get().slug]),
        ("articles:race-feed", [Race.objects.get().slug]),
    ]
    urls = []
    for name, args in subjects:
        urls += [reverse(name, args=args), reverse(f"{name}-atom", args=args)]
    urls += [
        reverse("articles:sitemap"),
        reverse("articles:sitemap-news"),
        month_path(Article.objects.get().published_at),
    ]
    for section in ["people", "races", "sections", "tags"]:
        urls.append(reverse("articles:sitemap-section", args=[section]))
    return urls


def assert_well_formed(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    ElementTree.fromstring(response.content)  # raises on invalid XML
    return response.content.decode()


@pytest.mark.parametrize("controls", CONTROLS.values(), ids=CONTROLS.keys())
@pytest.mark.parametrize("field", CLEAN.keys())
def test_every_feed_and_sitemap_is_well_formed_with_controls_in_any_field(
    client, field, controls
):
    make_story(CLEAN | {field: dirty(CLEAN[field], controls)})

    for url in reader_xml_urls():
        content = assert_well_formed(client, url)
        assert not any(c in content for c in controls), url
    assert CLEAN["headline"] in assert_well_formed(client, reverse("articles:feed"))


@pytest.mark.parametrize("controls", CONTROLS.values(), ids=CONTROLS.keys())
@pytest.mark.parametrize("field", CLEAN.keys())
def test_controls_are_stripped_on_the_way_in(field, controls):
    make_story(CLEAN | {field: dirty(CLEAN[field], controls)})

    stored = {
        "headline": Article.objects.get().headline,
        "dek": Article.objects.get().dek,
        "story slug": Article.objects.get().slug,
        "section name": Section.objects.get().name,
        "section slug": Section.objects.get().slug,
        "tag name": Tag.objects.get().name,
        "byline name": Person.objects.get(kind="journalist").name,
        "person name": Person.objects.get(kind="candidate").name,
        "person slug": Person.objects.get(kind="candidate").slug,
        "race name": Race.objects.get().name,
        "race slug": Race.objects.get().slug,
    }
    assert stored == CLEAN


# Text a row could hold from before its field cleaned it: written past the ORM.
LEGACY = {
    "headline": (Article, "headline"),
    "dek": (Article, "dek"),
    "section name": (Section, "name"),
    "tag name": (Tag, "name"),
    "byline name": (Person, "name"),
    "person name": (Person, "name"),
    "race name": (Race, "name"),
}


def store_raw(model, column, pk, text) -> None:
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {connection.ops.quote_name(column)} = %s "
            "WHERE id = %s",
            [text, pk],
        )


def storable(controls: str) -> str:
    """What of `controls` a database can hold at all: no surrogates, and no NUL
    on PostgreSQL."""
    kept = "".join(c for c in controls if not "\ud800" <= c <= "\udfff")
    return kept.replace("\x00", "") if connection.vendor == "postgresql" else kept


@pytest.mark.parametrize("controls", CONTROLS.values(), ids=CONTROLS.keys())
@pytest.mark.parametrize("field", LEGACY.keys())
def test_every_feed_and_sitemap_is_well_formed_with_controls_stored_before(
    client, field, controls
):
    story = make_story(CLEAN)
    model, column = LEGACY[field]
    row = {
        "byline name": lambda: Person.objects.get(kind="journalist"),
        "person name": lambda: Person.objects.get(kind="candidate"),
    }.get(field, lambda: model.objects.get())()
    text = dirty(CLEAN[field], storable(controls))
    store_raw(model, column, row.pk, text)
    if field == "byline name":
        # The byline as listings read it, stored with the name.
        Article.objects.filter(pk=story.pk).update(byline_credits=[[text, row.slug]])

    for url in reader_xml_urls():
        content = assert_well_formed(client, url)
        assert not any(c in content for c in storable(controls)), url


@pytest.mark.parametrize("controls", CONTROLS.values(), ids=CONTROLS.keys())
def test_a_tag_typed_in_the_admin_is_stored_without_controls(admin_client, controls):
    # A NUL is refused by the form itself (next test); no request carries a
    # surrogate (UTF-8 has none).
    controls = "".join(
        c for c in controls if c != "\x00" and not "\ud800" <= c <= "\udfff"
    )
    story = ArticleFactory()

    response = admin_client.post(
        reverse("admin:articles_article_change", args=[story.pk]),
        story_form(story, tags=f"Holly{controls}wood, {controls}"),
    )

    assert response.status_code == 302
    assert list(story.tags.names()) == ["Hollywood"]


def test_a_nul_typed_in_the_tags_field_is_a_form_error(admin_client):
    story = ArticleFactory()

    response = admin_client.post(
        reverse("admin:articles_article_change", args=[story.pk]),
        story_form(story, tags="Holly\x00wood"),
    )

    assert response.status_code == 200
    assert "Null characters are not allowed" in response.content.decode()
    assert not Tag.objects.exists()


@pytest.mark.parametrize("controls", CONTROLS.values(), ids=CONTROLS.keys())
def test_a_tag_created_directly_is_stored_without_controls(controls):
    tag = Tag.objects.create(name=f"Holly{controls}wood", slug=f"holly{controls}wood")

    tag.refresh_from_db()
    assert (tag.name, tag.slug) == ("Hollywood", "hollywood")


# Text fields that hold a code chosen from a list, never typed by an editor.
CODES = {
    ("articles", "Article", "status"),
    ("articles", "MentionDecision", "decision"),
    ("articles", "MentionDecision", "fingerprint"),
    ("people", "Person", "kind"),
    ("people", "Person", "party"),
    ("people", "Race", "office"),
    ("people", "Race", "state"),
    ("people", "Election", "kind"),
    ("people", "Candidacy", "party"),
    ("people", "Relationship", "kind"),
    ("people", "ReportingUnit", "kind"),
    ("people", "ResultSnapshot", "status"),
}
# The story body's field strips them as it sanitises.
PLAIN = (
    PlainCharField,
    PlainTextField,
    PlainSlugField,
    PlainURLField,
    SanitizedHTMLField,
)


@pytest.mark.parametrize("app", ["articles", "people"])
def test_every_text_field_strips_control_characters(app):
    """Whatever path writes a row (form, admin, service, command), its text is
    cleaned by its field: no text field of the apps is left out."""
    unclean = [
        f"{model.__name__}.{field.name}"
        for model in apps.get_app_config(app).get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
        and not isinstance(field, PLAIN)
        and (app, model.__name__, field.name) not in CODES
    ]
    assert unclean == []


@pytest.mark.parametrize("controls", CONTROLS.values(), ids=CONTROLS.keys())
def test_the_migrations_clean_rows_stored_before(controls):
    story = make_story(CLEAN)
    text = storable(controls)
    candidate = Person.objects.get(kind="candidate")
    for model, column, pk, clean in [
        (Article, "headline", story.pk, CLEAN["headline"]),
        (Article, "dek", story.pk, CLEAN["dek"]),
        (Section, "name", story.section_id, CLEAN["section name"]),
        (Person, "name", candidate.pk, CLEAN["person name"]),
        (Race, "name", Race.objects.get().pk, CLEAN["race name"]),
    ]:
        store_raw(model, column, pk, dirty(clean, text))
    database = types.SimpleNamespace(connection=connection)

    for module in [
        "articles.migrations.0019_clean_control_characters",
        "people.migrations.0007_clean_control_characters",
    ]:
        importlib.import_module(module).clean_rows(apps, database)

    story.refresh_from_db()
    assert (story.headline, story.dek, story.section.name) == (
        CLEAN["headline"],
        CLEAN["dek"],
        CLEAN["section name"],
    )
    assert Person.objects.get(pk=candidate.pk).name == CLEAN["person name"]
    assert Race.objects.get().name == CLEAN["race name"]


@pytest.mark.parametrize(
    ("model_name", "field_name", "term"),
    [
        ("mention", "person", "\x00"),
        ("mention", "person", "Os\x00soff"),
        ("byline", "person", "Ossoff\x07"),
        ("article", "races", "\x00"),
        ("article", "races", "Geo\x00rgia"),
    ],
)
def test_the_admin_autocomplete_drops_controls_from_what_is_typed(
    admin_client, model_name, field_name, term
):
    # Django's list search refuses a NUL (its form's validator), its autocomplete
    # passes the term as typed: PostgreSQL could not compare it (DataError, 500).
    PersonFactory(name="Jon Ossoff", kind="journalist")
    RaceFactory(name="Georgia 6th")

    response = admin_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "articles",
            "model_name": model_name,
            "field_name": field_name,
            "term": term,
        },
    )

    assert response.status_code == 200
    assert response.json()["results"]
