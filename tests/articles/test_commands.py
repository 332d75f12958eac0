"""scan_mentions and import_story."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, Mention
from people.models import Person
from tests.factories import ArticleFactory, PersonFactory

pytestmark = pytest.mark.django_db

SEEDS = Path(__file__).resolve().parents[2] / "articles" / "demo" / "seeds"


@pytest.fixture
def people():
    PersonFactory(name="Jon Ossoff", kind="candidate")
    PersonFactory(name="Karen Handel", kind="candidate")
    PersonFactory(name="Jane Fonda", kind="celebrity")
    PersonFactory(name="Samuel L. Jackson", kind="celebrity")
    PersonFactory(name="Rosie O'Donnell", kind="celebrity")


def run(*args):
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue()


def test_scan_mentions_is_a_dry_run_by_default(people):
    ArticleFactory(body="<p>Jon Ossoff lost his bid for the seat.</p>")

    output = run("scan_mentions", "--all")

    assert "Would link 1 people" in output
    assert "Dry run" in output
    assert not Mention.objects.exists()


def test_scan_mentions_apply_links_suggestions(people):
    story = ArticleFactory(body="<p>Jon Ossoff lost his bid for the seat.</p>")

    output = run("scan_mentions", str(story.pk), "--apply")

    assert "Linked 1 people" in output
    assert story.mentions.get().role == "candidate"


def test_scan_mentions_reports_new_names(people):
    ArticleFactory(body="<p>With Matt Dababneh at the rally.</p>")

    assert "Matt Dababneh (1)" in run("scan_mentions", "--all")


def test_scan_mentions_needs_ids_or_all():
    with pytest.raises(CommandError, match="--all"):
        run("scan_mentions")


def test_scan_mentions_refuses_unknown_ids():
    with pytest.raises(CommandError, match="No story with id 424242"):
        run("scan_mentions", "424242")


def test_import_story_takes_the_short_first_line_as_headline(people):
    output = run("import_story", str(SEEDS / "hollywood-came-to-georgia.txt"))

    story = Article.objects.get()
    assert story.headline == "Hollywood came to Georgia, and lost."
    assert story.status == Article.Status.DRAFT
    assert story.body.startswith("<p>Democrat Jon Ossoff lost his bid")
    assert "’" in story.body  # curly quotes kept
    assert "People found" in output and "Jon Ossoff (candidate)" in output
    new_people = output.split("New people?: ")[1]
    assert "Matt Dababneh" in new_people and "Brad Sherman" in new_people
    assert "Trump" not in new_people
    assert not Mention.objects.exists()


def test_import_story_links_with_link_and_publishes_with_publish(people):
    run(
        "import_story",
        str(SEEDS / "hollywood-vs-georgia.txt"),
        "--headline",
        "Hollywood vs. Georgia",
        "--byline",
        "Jerome Hudson",
        "--section",
        "Elections",
        "--publish",
        "--link",
    )

    story = Article.objects.published().get()
    assert story.section.name == "Elections"
    assert [b.person.name for b in story.bylines.all()] == ["Jerome Hudson"]
    roles = dict(story.mentions.values_list("person__name", "role"))
    assert roles["Samuel L. Jackson"] == "endorser"
    assert roles["Rosie O'Donnell"] == "donor"
    assert roles["Karen Handel"] == "candidate"


def test_import_story_without_a_headline_is_refused(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text("A long first paragraph that goes on and on " * 5 + "\n\nMore.")

    with pytest.raises(CommandError, match="no headline"):
        run("import_story", str(path))

    assert not Article.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"   \n\n  ", "is empty"),
        (b"\x00\x01binary", "binary"),
        (b"Headline\n\n\xff\xfe not utf-8", "not UTF-8"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_imported(tmp_path, content, message):
    good = tmp_path / "good.txt"
    good.write_text("Headline\n\nA fine story.")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)

    with pytest.raises(CommandError, match=message):
        run("import_story", str(good), str(bad))

    assert not Article.objects.exists()


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="cannot be read"):
        run("import_story", str(tmp_path / "nope.txt"))


def test_byline_must_be_a_journalist(people, tmp_path):
    path = tmp_path / "story.txt"
    path.write_text("Headline\n\nText.")

    with pytest.raises(CommandError, match="not a journalist"):
        run("import_story", str(path), "--byline", "Jane Fonda")

    assert not Article.objects.exists()
    assert Person.objects.filter(name="Jane Fonda").count() == 1


@pytest.mark.parametrize("ids", [[], "story"])
def test_refresh_story_links_brings_mentions_and_tags_back_in_step(ids):
    from io import StringIO

    from django.utils import timezone

    from articles.models import TaggedArticle
    from tests.factories import MentionFactory

    story = MentionFactory(article__status="draft", article__published_at=None).article
    story.tags.add("Georgia")
    Article.objects.filter(pk=story.pk).update(  # skips save()
        status="published", published_at=timezone.now()
    )
    story.refresh_from_db()
    assert Mention.objects.get(article=story).published_at is None

    call_command("refresh_story_links", *([story.pk] if ids else []), stdout=StringIO())

    assert Mention.objects.get(article=story).published_at == story.published_at
    assert TaggedArticle.objects.get(content_object=story).published_at == (
        story.published_at
    )
