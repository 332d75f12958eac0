"""Suggestions in the admin: the panel, decisions, the bulk action, backfill."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import search, services
from articles.models import Article, Mention, MentionDecision
from people.models import Person
from tests.articles.test_workflow import story_form
from tests.factories import (
    AliasFactory,
    ArticleFactory,
    MentionFactory,
    PersonFactory,
    person_form,
)

pytestmark = pytest.mark.django_db

BODY = (
    "<p>Jon Ossoff lost his bid for the seat. Jane Fonda donated to the campaign.</p>"
    "<p>With Matt Dababneh at the rally, Ossoff spoke.</p>"
)


@pytest.fixture
def story():
    PersonFactory(name="Jon Ossoff", kind="candidate")
    PersonFactory(name="Jane Fonda", kind="celebrity")
    return ArticleFactory(headline="Runoff night", body=BODY)


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def form_data(article, **extra):
    return story_form(article, **extra)


def test_panel_lists_people_found_with_roles_and_sentences(admin_client, story):
    page = admin_client.get(change_url(story)).content.decode()

    assert "People found in this story" in page
    assert 'data-person="Jon Ossoff"' in page
    assert 'data-person="Jane Fonda"' in page
    assert "Jane Fonda donated to the campaign." in page
    assert "Matt Dababneh" in page  # a new person?
    assert 'value="donor" checked' in page


def test_saving_never_links_anyone_without_a_click(admin_client, story):
    admin_client.post(change_url(story), form_data(story))

    assert not Mention.objects.exists()


def test_ticked_suggestions_are_linked_with_their_roles(admin_client, story):
    ossoff, fonda = (
        Person.objects.get(name="Jon Ossoff"),
        Person.objects.get(name="Jane Fonda"),
    )
    data = form_data(
        story,
        **{
            f"suggestion-{ossoff.pk}": "link",
            f"suggestion-{ossoff.pk}-role": "candidate",
            f"suggestion-{fonda.pk}": "link",
            f"suggestion-{fonda.pk}-role": "donor",
        },
    )

    response = admin_client.post(change_url(story), data)

    assert response.status_code == 302
    assert sorted(story.mentions.values_list("person__name", "role")) == [
        ("Jane Fonda", "donor"),
        ("Jon Ossoff", "candidate"),
    ]
    assert MentionDecision.objects.filter(decision="accepted").count() == 2


def test_linked_people_leave_the_panel(admin_client, story):
    MentionFactory(article=story, person=Person.objects.get(name="Jon Ossoff"))

    page = admin_client.get(change_url(story)).content.decode()

    assert 'data-person="Jon Ossoff"' not in page
    assert 'data-person="Jane Fonda"' in page


def test_a_rejected_suggestion_is_not_offered_again(admin_client, story):
    fonda = Person.objects.get(name="Jane Fonda")
    admin_client.post(
        change_url(story), form_data(story, **{f"suggestion-{fonda.pk}": "reject"})
    )

    page = admin_client.get(change_url(story)).content.decode()

    assert 'data-person="Jane Fonda"' not in page
    assert fonda.mention_decisions.get().decision == "rejected"


def test_a_rejection_lapses_when_the_text_about_the_person_changes(admin_client, story):
    fonda = Person.objects.get(name="Jane Fonda")
    admin_client.post(
        change_url(story), form_data(story, **{f"suggestion-{fonda.pk}": "reject"})
    )
    story.refresh_from_db()
    story.body = story.body.replace("donated to", "gave money to")
    story.save()

    page = admin_client.get(change_url(story)).content.decode()

    assert 'data-person="Jane Fonda"' in page


def test_a_new_person_is_created_and_linked_in_one_step(admin_client, story):
    data = form_data(
        story,
        **{
            "newname-0-name": "Matt Dababneh",
            "newname-0-kind": "official",
            "newname-0-role": "mentioned",
        },
    )

    admin_client.post(change_url(story), data)

    person = Person.objects.get(name="Matt Dababneh")
    assert person.kind == "official"
    assert story.mentions.get().person == person


def test_ambiguous_names_offer_both_people(admin_client):
    AliasFactory(person__name="Samuel L. Jackson", name="Jackson")
    AliasFactory(person__name="Jesse Jackson", name="Jackson")
    story = ArticleFactory(body="<p>Jackson spoke.</p>")

    page = admin_client.get(change_url(story)).content.decode()

    assert "ambiguous" in page
    assert "Samuel L. Jackson" in page and "Jesse Jackson" in page


def test_a_tampered_suggestion_is_a_clear_error_and_the_story_still_saves(
    admin_client, story
):
    data = form_data(story, headline="New headline", **{"suggestion-999999": "link"})

    response = admin_client.post(change_url(story), data, follow=True)

    assert (
        "were not linked: a suggested person no longer exists"
        in response.content.decode()
    )
    story.refresh_from_db()
    assert story.headline == "New headline"
    assert not Mention.objects.exists()


@pytest.mark.parametrize(
    "extra",
    [
        {"suggestion-1": "maybe"},
        {"suggestion-x": "link"},
        {"suggestion-1": "link", "suggestion-1-role": "king"},
        {"newname-0-name": "", "newname-0-kind": "official"},
        {"newname-0-name": "A B", "newname-0-kind": "wizard"},
        {"ambiguous-0": "abc"},
        # Digits to str.isdigit(), not to int(): a 500 once.
        {"suggestion-²": "link"},
        {"ambiguous-0": "①"},
        {"suggestion-99999999999999999999999": "link"},
    ],
)
def test_bad_panel_input_never_breaks_the_save(admin_client, story, extra):
    response = admin_client.post(change_url(story), form_data(story, **extra))

    assert response.status_code == 302
    assert not Mention.objects.exists()


def test_link_all_suggested_action(admin_client, story):
    response = admin_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "link_all_suggested", "_selected_action": [story.pk]},
    )

    assert response.status_code == 302
    assert sorted(story.mentions.values_list("person__name", "role")) == [
        ("Jane Fonda", "donor"),
        ("Jon Ossoff", "candidate"),
    ]


def test_panel_marks_a_lone_surname_as_less_certain(admin_client):
    PersonFactory(name="Ronald Reagan", kind="official")
    story = ArticleFactory(body="<p>The policy began under President Reagan.</p>")

    page = admin_client.get(change_url(story)).content.decode()

    assert 'data-person="Ronald Reagan"' in page
    assert "less certain" in page


def test_link_all_suggested_leaves_less_certain_people_to_the_editor(story):
    PersonFactory(name="Ronald Reagan", kind="official")
    story.body += "<p>The policy began under President Reagan.</p>"
    story.save()

    services.article_link_all_suggested(article=story)

    assert sorted(story.mentions.values_list("person__name", flat=True)) == [
        "Jane Fonda",
        "Jon Ossoff",
    ]


def test_link_all_suggested_respects_rejections(story):
    fonda = Person.objects.get(name="Jane Fonda")
    services.article_link_people(
        article=story,
        rejections=[fonda],
        fingerprints=services.article_suggestions(story).fingerprints,
    )

    services.article_link_all_suggested(article=story)

    assert list(story.mentions.values_list("person__name", flat=True)) == ["Jon Ossoff"]


def test_person_list_counts_accepted_and_rejected_suggestions(admin_client, story):
    fonda = Person.objects.get(name="Jane Fonda")
    services.article_link_people(article=story, rejections=[fonda])

    response = admin_client.get(reverse("admin:people_person_changelist"))

    row = next(p for p in response.context["cl"].result_list if p.pk == fonda.pk)
    assert (row.accepted_count, row.rejected_count) == (0, 1)


def test_adding_a_person_offers_the_earlier_stories_that_name_them(admin_client):
    ArticleFactory(headline="Ossoff story", body="<p>Jon Ossoff lost his bid.</p>")
    data = person_form(name="Jon Ossoff", kind="candidate", party="D")

    response = admin_client.post(reverse("admin:people_person_add"), data, follow=True)

    person = Person.objects.get(name="Jon Ossoff")
    backfill = reverse("admin:articles_article_backfill", args=[person.pk])
    assert backfill in response.content.decode()
    page = admin_client.get(backfill).content.decode()
    assert "found in <strong>1 published story</strong>" in page
    assert "Ossoff story" in page


def backfill_page_queries(client, stories: int) -> int:
    person = PersonFactory(name=f"Jon Ossoff {stories}")
    for _ in range(stories):
        ArticleFactory(body=f"<p>Jon Ossoff {stories} lost his bid.</p>")
    url = reverse("admin:articles_article_backfill", args=[person.pk])
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url)
    assert page.content.decode().count('name="article"') == stories
    return len(queries)


def test_the_backfill_page_takes_as_many_queries_for_many_stories_as_for_few(
    admin_client,
):
    assert backfill_page_queries(admin_client, 12) == backfill_page_queries(
        admin_client, 2
    )


def test_backfill_links_the_chosen_stories(admin_client):
    person = PersonFactory(name="Jon Ossoff", kind="candidate")
    chosen = ArticleFactory(body="<p>Jon Ossoff lost his bid.</p>")
    skipped = ArticleFactory(body="<p>Jon Ossoff spoke.</p>")
    ArticleFactory(body="<p>Nobody here.</p>")

    admin_client.post(
        reverse("admin:articles_article_backfill", args=[person.pk]),
        {"article": [str(chosen.pk)], "role": "suggested"},
    )

    assert list(person.mentions.values_list("article_id", "role")) == [
        (chosen.pk, "candidate")
    ]
    assert not skipped.mentions.exists()


@pytest.mark.parametrize("garbled", ["²", "99999999999999999999999", "-1", ""])
def test_backfill_ignores_a_ticked_story_that_is_no_id(admin_client, garbled):
    person = PersonFactory(name="Jon Ossoff", kind="candidate")
    chosen = ArticleFactory(body="<p>Jon Ossoff lost his bid.</p>")

    response = admin_client.post(
        reverse("admin:articles_article_backfill", args=[person.pk]),
        {"article": [garbled, str(chosen.pk)], "role": "suggested"},
    )

    assert response.status_code == 302
    assert list(person.mentions.values_list("article_id", flat=True)) == [chosen.pk]


def link_queries(stories: int) -> int:
    """Queries linking a person to `stories` stories from the backfill takes."""
    person = PersonFactory()
    articles = ArticleFactory.create_batch(stories)
    with CaptureQueriesContext(connection) as queries:
        services.person_link_stories(
            person=person, articles=articles, role="quoted", roles={}
        )
    assert person.mentions.count() == stories
    return len(queries)


def test_linking_many_stories_takes_as_many_queries_as_linking_few():
    """One by one, the backfill's 500 stories took 2.7 s."""
    assert link_queries(20) == link_queries(2)


def test_backfill_linking_keeps_existing_links_and_overturns_a_rejection():
    person = PersonFactory(name="Jon Ossoff")
    linked = MentionFactory(person=person, role="candidate").article
    rejected = ArticleFactory()
    services.article_link_people(article=rejected, rejections=[person])

    services.person_link_stories(
        person=person,
        articles=[linked, rejected],
        role="suggested",
        roles={linked.pk: "candidate", rejected.pk: "donor"},
    )

    assert sorted(person.mentions.values_list("article_id", "role")) == sorted(
        [(linked.pk, "candidate"), (rejected.pk, "donor")]
    )
    assert set(
        MentionDecision.objects.filter(person=person).values_list("decision", flat=True)
    ) == {"accepted"}


def test_stories_linked_by_the_backfill_appear_on_the_persons_page_at_once(
    client, settings, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 300
    person = PersonFactory(name="Jon Ossoff")
    story = ArticleFactory(headline="Ossoff concedes")
    draft = ArticleFactory(headline="Ossoff draft", status=Article.Status.DRAFT)
    client.get(person.get_absolute_url())  # cached without them

    with django_capture_on_commit_callbacks(execute=True):
        services.person_link_stories(
            person=person, articles=[story, draft], role="quoted", roles={}
        )
    page = client.get(person.get_absolute_url()).content.decode()

    assert "Ossoff concedes" in page
    assert "Ossoff draft" not in page


def test_backfill_finds_curly_apostrophes_and_aliases():
    person = AliasFactory(person__name="Rosie O'Donnell", name="Rosie").person
    story = ArticleFactory(body="<p>Rosie O’Donnell gave money.</p>")

    found = services.person_backfill_candidates(person=person)

    assert [article for article, _hit in found] == [story]


@pytest.mark.parametrize(
    "body",
    [
        "<p>Jon Ossoff’s campaign raised more.</p>",
        "<p>The campaign of Jon Ossoff raised more.</p>",
        "<p>JON OSSOFF raised more.</p>",
    ],
)
def test_backfill_finds_a_name_however_the_story_writes_it(body):
    person = PersonFactory(name="Jon Ossoff")
    story = ArticleFactory(body=body)

    found = services.person_backfill_candidates(person=person)

    assert [article for article, _hit in found] == [story]


def test_backfill_finds_a_name_of_stop_words_only():
    person = PersonFactory(name="The Who", kind="celebrity")
    story = ArticleFactory(body="<p>The Who played the rally.</p>")
    ArticleFactory(body="<p>Nobody played.</p>")

    found = services.person_backfill_candidates(person=person)

    assert [article for article, _hit in found] == [story]


def test_backfill_skips_stories_that_only_contain_the_name_inside_a_word():
    person = PersonFactory(name="Handel")
    ArticleFactory(body="<p>Handelsman spoke.</p>")

    assert services.person_backfill_candidates(person=person) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text index")
def test_backfill_reads_the_full_text_index_not_every_body():
    """A LIKE on every body took 2.3 s at 100,000 stories."""
    ArticleFactory(body="<p>Jon Ossoff lost.</p>")
    stories = Article.objects.filter(search.naming_any(["Jon Ossoff"]))
    sql, params = stories.query.sql_with_params()

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        explained = "\n".join(row[0] for row in cursor.fetchall())

    assert "article_search_vector_idx" in explained
    assert "~~*" not in explained  # no LIKE left to run on the bodies


def test_backfill_of_an_unknown_person_is_404(admin_client):
    url = reverse("admin:articles_article_backfill", args=[999999])

    assert admin_client.get(url).status_code == 404


def test_add_page_explains_the_panel_and_looks_people_up_as_typed(admin_client):
    page = admin_client.get(reverse("admin:articles_article_add")).content.decode()

    assert "Type or paste the story: the people it names appear here" in page
    assert f'data-url="{reverse("admin:articles_article_people_found")}"' in page
    assert "articles/people_found.js" in page


def test_suggestions_skip_people_already_linked_in_another_role(story):
    MentionFactory(
        article=story, person=Person.objects.get(name="Jane Fonda"), role="quoted"
    )

    names = [h.person.name for h in services.article_suggestions(story).hits]

    assert names == ["Jon Ossoff"]


def test_article_is_untouched_when_nothing_is_decided(admin_client, story):
    before = Article.objects.get(pk=story.pk).updated_at

    admin_client.get(change_url(story))

    assert Article.objects.get(pk=story.pk).updated_at == before
