"""Factories for real rows in the test database."""

import importlib
from datetime import date, timedelta

import factory
from django.utils import timezone

from articles.models import Article, Byline, Mention, RelationshipSource, Section
from people.models import (
    Alias,
    Candidacy,
    Election,
    Person,
    PersonRole,
    Race,
    Relationship,
)


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.Sequence(lambda n: f"section-{n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person Number{n}")
    kind = Person.Kind.CELEBRITY
    # Shown to readers by an editor's switch, as a page test needs; a test of who
    # readers may see says `show_without_stories=False`.
    show_without_stories = True


class JournalistFactory(PersonFactory):
    kind = Person.Kind.JOURNALIST


class AliasFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Alias

    person = factory.SubFactory(PersonFactory)
    name = factory.Sequence(lambda n: f"Alias {n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    """A published story, an hour old."""

    class Meta:
        model = Article

    headline = factory.Sequence(lambda n: f"Story number {n}")
    slug = factory.Sequence(lambda n: f"story-number-{n}")
    dek = "A short standfirst."
    body = "<p>Body text.</p>"
    section = factory.SubFactory(SectionFactory)
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))


class MentionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mention

    article = factory.SubFactory(ArticleFactory)
    person = factory.SubFactory(PersonFactory)
    role = Mention.Role.MENTIONED


class BylineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Byline

    article = factory.SubFactory(ArticleFactory)
    person = factory.SubFactory(JournalistFactory)
    position = 0


def byline_inline_data(article=None) -> dict:
    """The story form's byline inline, as the admin would post it: the story's
    bylines, or a new journalist's when it has none (a published story needs one)."""
    bylines = list(article.bylines.all()) if article is not None else []
    initial = len(bylines)
    if not bylines:
        bylines = [Byline(person=JournalistFactory())]
    data = {
        "bylines-TOTAL_FORMS": str(len(bylines)),
        "bylines-INITIAL_FORMS": str(initial),
        "bylines-MIN_NUM_FORMS": "0",
        "bylines-MAX_NUM_FORMS": "1000",
    }
    for number, byline in enumerate(bylines):
        data |= {
            f"bylines-{number}-id": str(byline.pk or ""),
            f"bylines-{number}-article": str(article.pk) if article else "",
            f"bylines-{number}-person": str(byline.person_id),
            f"bylines-{number}-position": str(byline.position),
        }
    return data


class RaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Race

    name = factory.Sequence(lambda n: f"Race {n}")
    slug = factory.Sequence(lambda n: f"race-{n}")
    office = Race.Office.US_HOUSE
    state = "GA"
    district = factory.Sequence(lambda n: str(n + 1))
    year = 2017
    show_without_stories = True  # as PersonFactory's


class ElectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Election

    race = factory.SubFactory(RaceFactory)
    date = factory.LazyFunction(lambda: timezone.localdate())
    kind = Election.Kind.GENERAL


class CandidacyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidacy

    election = factory.SubFactory(ElectionFactory)
    person = factory.SubFactory(PersonFactory, kind=Person.Kind.CANDIDATE)
    votes = 100


class RelationshipFactory(factory.django.DjangoModelFactory):
    """A person endorsed another person."""

    class Meta:
        model = Relationship

    subject = factory.SubFactory(PersonFactory)
    kind = Relationship.Kind.ENDORSED
    object_person = factory.SubFactory(PersonFactory, kind=Person.Kind.CANDIDATE)


class RelationshipSourceFactory(factory.django.DjangoModelFactory):
    """A published story reporting a relationship, its primary source."""

    class Meta:
        model = RelationshipSource

    relationship = factory.SubFactory(RelationshipFactory)
    article = factory.SubFactory(ArticleFactory)
    quote = factory.Sequence(lambda n: f"Reported sentence number {n}.")
    is_primary = True


class PersonRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PersonRole

    person = factory.SubFactory(PersonFactory)
    title = factory.Sequence(lambda n: f"Role {n}")
    start_date = date(2017, 2, 13)


def newsroom_group(name):
    """The Reporter or Editor group as the data migration makes it; made again
    when a transactional test's flush has removed what migrations made."""
    from django.contrib.auth.models import Group

    if not Group.objects.filter(name=name).exists():
        create_newsroom_groups()
    return Group.objects.get(name=name)


def create_newsroom_groups():
    """Run the data migration's `create_groups` on the project's own app registry.
    It sets each app's `models_module` to None when done, as it may on a
    migration's registry; here that would stop every later flush from making the
    content types and permissions again, so each is put back."""
    from django.apps import apps

    modules = {config: config.models_module for config in apps.get_app_configs()}
    migration = importlib.import_module("articles.migrations.0008_newsroom_groups")
    relationships = importlib.import_module(
        "articles.migrations.0024_relationship_permissions"
    )
    try:
        migration.create_groups(apps, None)
        relationships.grant(apps, None)
    finally:
        for config, module in modules.items():
            config.models_module = module


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "auth.User"
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "a-long-test-password")
    is_staff = True

    @factory.post_generation
    def group(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(newsroom_group(extracted))
        if create:
            self.save()


def reporter(**kwargs):
    return UserFactory(group="Reporter", **kwargs)


def editor(**kwargs):
    return UserFactory(group="Editor", **kwargs)


def person_form(**overrides):
    """The person admin form's POST data: an empty person plus `overrides`."""
    data = {
        "name": "",
        "slug": "",
        "kind": "other",
        "party": "",
        "bio": "",
        "tags": "",
        "photo_credit": "",
        "website": "",
        "social_handle": "",
        "aliases-TOTAL_FORMS": "0",
        "aliases-INITIAL_FORMS": "0",
        "aliases-MIN_NUM_FORMS": "0",
        "aliases-MAX_NUM_FORMS": "1000",
        "roles-TOTAL_FORMS": "0",
        "roles-INITIAL_FORMS": "0",
        "roles-MIN_NUM_FORMS": "0",
        "roles-MAX_NUM_FORMS": "1000",
        "wikidata_id": "",
        "fec_candidate_id": "",
        "ballotpedia_slug": "",
        "ap_candidate_id": "",
    }
    return data | overrides
