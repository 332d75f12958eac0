"""Story bodies: plain text stored as paragraphs, social embeds' leftovers made
embed blocks, on every write (form, import, demo, migration)."""

import importlib
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from articles.body_text import story_text_to_html
from articles.models import Article
from articles.sanitizer import sanitize_html
from tests.articles.test_admin import article_form
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db

SEEDS = Path(__file__).resolve().parents[2] / "articles" / "demo" / "seeds"
SHARED_SEEDS = Path("/work/shared/seeds")
INSTAGRAM_LEFTOVER = (
    "With Matt Dababneh at the Brad Sherman #Townhall today. A post shared by "
    "Alyssa Milano (@milano_alyssa) on Apr 22, 2017 at 3:42pm PDT"
)
VIDEO_TITLE = "DEMOCRAT JON OSSOFF GETS HOLLYWOOD HELP IN GEORGIA SPECIAL ELECTION"

# Every element the body editor writes (static/articles/body_editor.js).
EDITOR_OUTPUT = (
    "<h2>Heading</h2><h3>Sub</h3><h4>Minor</h4>"
    "<p>Text with <strong>bold</strong>, <em>italic</em>, <u>underline</u>, "
    "<s>struck</s>, H<sub>2</sub>O, x<sup>2</sup>, a line<br>break and "
    '<a href="https://example.com/" rel="noopener noreferrer">a link</a>.</p>'
    "<ul><li><p>One</p></li></ul><ol><li><p>Two</p></li></ol>"
    "<blockquote><p>Quoted.</p></blockquote><hr>"
    '<figure class="embed"><blockquote><p>Post.</p></blockquote>'
    "<figcaption>Video: <cite>Title</cite></figcaption></figure>"
)


def seed_texts():
    folder = SHARED_SEEDS if SHARED_SEEDS.is_dir() else SEEDS
    return {path.name: path.read_text() for path in sorted(folder.glob("*.txt"))}


def test_plain_text_saved_to_a_body_becomes_paragraphs():
    story = ArticleFactory(body="First paragraph.\n\nSecond one\nwrapped.\n\nThird.")

    story.refresh_from_db()
    assert story.body == (
        "<p>First paragraph.</p>\n<p>Second one wrapped.</p>\n<p>Third.</p>"
    )


def test_plain_text_without_blank_lines_is_a_paragraph_a_line():
    story = ArticleFactory(body="One.\nTwo.\nThree.")

    assert story.body.count("<p>") == 3


def test_a_body_with_block_tags_is_not_split_again():
    story = ArticleFactory(body="<p>One\n\nstill one.</p><h2>Head</h2>")

    assert story.body == "<p>One\n\nstill one.</p><h2>Head</h2>"


def test_plain_text_posted_to_the_admin_form_is_stored_as_paragraphs(admin_client):
    section = SectionFactory()

    admin_client.post(
        reverse("admin:articles_article_add"),
        article_form(section, body="Karen Handel won.\r\n\r\nJon Ossoff lost."),
    )

    story = Article.objects.get()
    assert story.body == "<p>Karen Handel won.</p>\n<p>Jon Ossoff lost.</p>"


def test_plain_text_written_by_a_queryset_update_becomes_paragraphs():
    story = ArticleFactory()

    Article.objects.filter(pk=story.pk).update(body="One.\n\nTwo.")

    story.refresh_from_db()
    assert story.body == "<p>One.</p>\n<p>Two.</p>"


def test_every_element_the_editor_writes_is_in_the_allow_list():
    assert sanitize_html(EDITOR_OUTPUT) == EDITOR_OUTPUT


def test_only_the_embed_class_on_a_figure_is_kept():
    html = sanitize_html(
        '<figure class="embed wide" onclick="x()"><p class="embed">A</p></figure>'
    )

    assert html == '<figure class="embed"><p>A</p></figure>'


def test_the_seed_storys_instagram_leftover_becomes_an_embed_with_a_plain_link():
    html = story_text_to_html(seed_texts()["hollywood-came-to-georgia.txt"])

    assert "A post shared by Alyssa" not in html
    assert (
        '<figure class="embed"><blockquote><p>With Matt Dababneh at the Brad '
        "Sherman #Townhall today.</p></blockquote><figcaption>A post shared on "
        'Instagram by Alyssa Milano (<a href="https://www.instagram.com/'
        'milano_alyssa/">@milano_alyssa</a>), Apr 22, 2017 at 3:42pm PDT'
        "</figcaption></figure>"
    ) in html
    assert "<script" not in html


def test_the_seed_storys_video_title_in_capitals_becomes_an_embed_block():
    html = story_text_to_html(seed_texts()["hollywood-came-to-georgia.txt"])

    assert f"<p>{VIDEO_TITLE}</p>" not in html
    assert (
        f'<figure class="embed"><figcaption>Video: <cite>{VIDEO_TITLE}</cite>'
        "</figcaption></figure>"
    ) in html


def test_the_other_seed_story_keeps_every_paragraph_and_gets_no_embed():
    text = seed_texts()["hollywood-vs-georgia.txt"]

    html = story_text_to_html(text)

    assert "embed" not in html
    assert html.count("<p>") == len([b for b in text.split("\n\n") if b.strip()])


def test_an_embed_leftover_pasted_into_a_saved_body_becomes_a_block():
    story = ArticleFactory(body=f"<p>Intro.</p><p>{INSTAGRAM_LEFTOVER}</p>")

    assert story.body.startswith('<p>Intro.</p><figure class="embed"><blockquote>')
    assert 'href="https://www.instagram.com/milano_alyssa/"' in story.body


def test_a_tweet_leftover_becomes_an_embed_with_its_author():
    story = ArticleFactory(
        body="Thank you, Georgia. — Jon Ossoff (@ossoff) June 21, 2017"
    )

    assert story.body == (
        '<figure class="embed"><blockquote><p>Thank you, Georgia.</p></blockquote>'
        '<figcaption>A post shared on X (Twitter) by Jon Ossoff (<a href="https://'
        'x.com/ossoff" rel="noopener noreferrer">@ossoff</a>), June 21, 2017'
        "</figcaption></figure>"
    )


def test_saving_an_embed_block_again_changes_nothing():
    story = ArticleFactory(body=f"{INSTAGRAM_LEFTOVER}\n\n{VIDEO_TITLE}")
    stored = story.body

    story.save()

    assert story.body == stored


def test_a_short_shout_in_capitals_stays_a_paragraph():
    story = ArticleFactory(body="<p>IT DID NOT WORK.</p><p>BIG NIGHT</p>")

    assert story.body == "<p>IT DID NOT WORK.</p><p>BIG NIGHT</p>"


def test_import_story_stores_paragraphs_and_embed_blocks():
    call_command(
        "import_story", str(SEEDS / "hollywood-came-to-georgia.txt"), stdout=None
    )

    body = Article.objects.get().body
    assert body.count("<p>") >= 15
    assert body.count('<figure class="embed">') == 2


def test_load_demo_stores_paragraphs_and_the_embed_blocks():
    call_command("load_demo", "--force", stdout=None)

    story = Article.objects.get(body__contains="Matt Dababneh")
    assert story.body.count('<figure class="embed">') == 2
    assert "\n\n" not in story.body


def test_the_migration_makes_paragraphs_of_plain_text_bodies():
    plain = ArticleFactory()
    html = ArticleFactory(body="<p>Already <em>HTML</em>.</p>")
    leftover = ArticleFactory()
    with_raw_body(leftover.pk, f"<p>Intro.</p><p>{INSTAGRAM_LEFTOVER}</p>")
    # A body stored as plain text before bodies were made paragraphs on write.
    with_raw_body(plain.pk, "Old story.\n\nSecond paragraph.")
    migration = importlib.import_module(
        "articles.migrations.0022_plain_text_bodies_to_paragraphs"
    )

    migration.bodies_to_paragraphs(apps, None)

    plain.refresh_from_db()
    assert plain.body == "<p>Old story.</p>\n<p>Second paragraph.</p>"
    assert Article.objects.get(pk=html.pk).body == "<p>Already <em>HTML</em>.</p>"
    leftover.refresh_from_db()
    assert leftover.body.startswith('<p>Intro.</p><figure class="embed">')


def with_raw_body(pk, body):
    """Store `body` as it is, past the field's cleaning, as old rows were."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Article._meta.db_table} SET body = %s WHERE id = %s", [body, pk]
        )
