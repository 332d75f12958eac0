from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, Mention
from people.models import Person, Race

pytestmark = pytest.mark.django_db


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
