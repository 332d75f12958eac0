import os
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from articles.models import Article, Mention
from people.models import Person, Race

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="only PostgreSQL fills in parallel"
)


def make(*args):
    call_command("make_synthetic", *args, stdout=StringIO(), stderr=StringIO())


def test_fills_the_database_with_realistic_shapes():
    make("--articles", "60", "--people", "40", "--races", "5", "--tags", "10")

    assert Article.objects.count() == 60
    assert Person.objects.count() == 40
    assert Race.objects.count() == 5
    per_story = [a.mentions.count() for a in Article.objects.all()]
    assert min(per_story) >= 3 and max(per_story) <= 8
    assert 3 <= Article.objects.first().tags.count() <= 5
    assert Article.objects.published().count() < 60  # some drafts and scheduled
    assert Mention.objects.exists()


def test_refuses_to_run_twice_without_replace():
    make("--articles", "5", "--people", "5", "--races", "1", "--tags", "3")

    with pytest.raises(CommandError, match="--replace"):
        make("--articles", "5", "--people", "5", "--races", "1", "--tags", "3")


def test_replace_starts_again():
    make("--articles", "5", "--people", "5", "--races", "1", "--tags", "3")

    make("--articles", "7", "--people", "5", "--races", "1", "--tags", "3", "--replace")

    assert Article.objects.count() == 7


def test_synthetic_stories_carry_their_bylines_as_readers_see_them():
    make("--articles", "8", "--people", "20", "--races", "1", "--tags", "3")

    for story in Article.objects.prefetch_related("bylines__person"):
        assert story.byline_credits == [
            [byline.person.name, byline.person.slug] for byline in story.bylines.all()
        ]
        assert len(story.byline_credits) == 1


def test_replacing_does_not_write_the_credits_of_stories_it_deletes():
    """Their bylines go with the stories, not one by one, each writing its
    story's credits again first."""
    from django.test.utils import CaptureQueriesContext

    from articles.management.commands.make_synthetic import Command

    make("--articles", "12", "--people", "5", "--races", "1", "--tags", "3")
    with CaptureQueriesContext(connection) as queries:
        Command().delete_synthetic()

    assert not Article.objects.exists()
    writes = [q["sql"] for q in queries.captured_queries]
    assert not [sql for sql in writes if sql.startswith('UPDATE "articles_article"')]


def test_story_text_has_common_and_rare_words_like_real_text():
    """Search benchmarks mean something only if a word is not in every story."""
    make("--articles", "200", "--people", "10", "--races", "1", "--tags", "5")
    bodies = list(Article.objects.values_list("body", flat=True))

    def share(word):
        return sum(f" {word} " in f" {body} " for body in bodies) / len(bodies)

    assert share("election") > 0.9  # the commonest word
    assert 0.01 < share("runoff") < 0.6


def test_synthetic_tag_links_carry_their_storys_publish_state():
    from articles.models import TaggedArticle

    make("--articles", "40", "--people", "10", "--races", "2", "--tags", "5")

    for link in TaggedArticle.objects.select_related("content_object"):
        assert link.published_at == link.content_object.published_time_for_links()


def test_synthetic_mentions_carry_their_storys_publish_state():
    from articles.models import Mention

    make("--articles", "40", "--people", "10", "--races", "2", "--tags", "5")

    for mention in Mention.objects.select_related("article"):
        assert mention.published_at == mention.article.published_time_for_links()


def test_synthetic_coverage_has_headliners_as_real_coverage_does():
    """One person in about 30% of the stories: the benchmark must see the page of
    someone in a large share of the archive, not only evenly spread people."""
    from django.db.models import Count

    from people.models import Person

    make("--articles", "400", "--people", "50", "--races", "2", "--tags", "5")

    most = Person.objects.annotate(n=Count("mentions")).order_by("-n").first()
    assert 0.25 < most.n / 400 < 0.5


def test_most_stories_have_a_lead_image_and_many_people_a_photo():
    """Thumbnails and avatars cost a page time; the benchmark must pay it too."""
    from django.core.files.storage import default_storage

    make("--articles", "100", "--people", "40", "--races", "1", "--tags", "3")

    with_image = Article.objects.exclude(lead_image="")
    assert 60 <= with_image.count() <= 95
    assert all(story.lead_image_alt for story in with_image)
    assert 8 <= Person.objects.exclude(photo="").count() <= 32
    assert default_storage.exists(with_image.first().lead_image.name)


def newsroom_made(*args):
    make("--people", "12", "--races", "2", "--tags", "6", *args)
    return (
        list(
            Article.objects.order_by("slug").values_list("slug", "headline", "status")
        ),
        sorted(Mention.objects.values_list("article__slug", "person__slug")),
    )


def test_the_same_seed_makes_the_same_newsroom():
    """A benchmark run can be repeated: the seed decides every story and link."""
    first = newsroom_made("--articles", "40")

    assert newsroom_made("--articles", "40", "--replace") == first


@pytest.fixture
def parallel_fill(monkeypatch):
    """A fill big enough to be split between processes: here, anything over 10
    stories, in batches of 7."""
    from articles.management.commands import make_synthetic

    monkeypatch.setattr(make_synthetic, "PARALLEL_FROM", 10)
    monkeypatch.setattr(make_synthetic, "BATCH", 7)
    return make_synthetic


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_big_fill_split_between_processes_makes_the_same_newsroom(parallel_fill):
    """Whichever process makes which batch, the seed decides the newsroom: the
    same stories and links as one process makes."""
    assert parallel_fill.Command().workers(40) > 1 or os.cpu_count() == 1

    in_parallel = newsroom_made("--articles", "40")
    parallel_fill.PARALLEL_FROM = 10**9
    in_one_process = newsroom_made("--articles", "40", "--replace")

    assert len(in_parallel[0]) == 40
    assert in_parallel == in_one_process


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_failed_parallel_fill_says_so_and_keeps_whole_batches(
    parallel_fill, monkeypatch
):
    make_batch = parallel_fill.StoryPlan.make

    def fails_after_the_first_batch(plan, start, stop):
        if start:
            raise RuntimeError("the disk is full")
        return make_batch(plan, start, stop)

    monkeypatch.setattr(parallel_fill.StoryPlan, "make", fails_after_the_first_batch)

    with pytest.raises(CommandError, match="the disk is full.*--replace"):
        make("--articles", "40", "--people", "12", "--races", "2", "--tags", "6")

    assert Article.objects.count() % 7 == 0  # whole batches only
    assert not Article.objects.filter(mentions=None).exists()
