import pytest

from articles.models import Article
from articles.sanitizer import sanitize_html
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db

ATTACK = '<p>Fine</p><script>alert("x")</script><img src=x onerror=alert(1)>'


def test_script_never_survives_a_save():
    story = ArticleFactory(body=ATTACK)
    story.refresh_from_db()

    assert "<script" not in story.body
    assert "alert" not in story.body
    assert "onerror" not in story.body
    assert story.body.startswith("<p>Fine</p>")


def test_instance_holds_what_was_stored():
    story = ArticleFactory(body=ATTACK)

    assert "<script" not in story.body


def test_a_save_cleans_the_body_once(monkeypatch):
    """pre_save cleans the body; the value it stores is not cleaned again."""
    from articles import sanitizer

    calls = []

    def counting(html):
        calls.append(html)
        return sanitize_html(html)

    monkeypatch.setattr(sanitizer, "sanitize_html", counting)
    story = ArticleFactory.build(section=SectionFactory(), body=ATTACK)
    calls.clear()
    story.save()

    assert calls == [ATTACK]


def test_a_body_changed_after_a_save_is_cleaned_again():
    story = ArticleFactory(body="<p>Fine</p>")
    story.body += ATTACK
    story.save()

    story.refresh_from_db()
    assert "<script" not in story.body


def test_bulk_create_is_sanitised():
    section = SectionFactory()
    Article.objects.bulk_create(
        [Article(headline="Bulk", slug="bulk", section=section, body=ATTACK)]
    )

    assert "<script" not in Article.objects.get(slug="bulk").body


def test_queryset_update_is_sanitised():
    story = ArticleFactory()
    Article.objects.filter(pk=story.pk).update(body=ATTACK)

    story.refresh_from_db()
    assert "<script" not in story.body


def test_javascript_links_are_removed_and_links_get_noopener():
    html = sanitize_html(
        '<a href="javascript:alert(1)">bad</a> <a href="https://example.org/">good</a>'
    )

    assert "javascript:" not in html
    assert 'href="https://example.org/"' in html
    assert 'rel="noopener noreferrer"' in html


def test_newsroom_markup_is_kept():
    html = (
        "<h2>Heading</h2><p><em>a</em> <strong>b</strong></p><ul><li>c</li></ul>"
        "<blockquote><p>q</p></blockquote><figure><figcaption>f</figcaption></figure>"
    )

    assert sanitize_html(html) == html


def test_styles_iframes_and_event_handlers_are_removed():
    html = sanitize_html(
        '<p style="color:red" onclick="x()">t</p><iframe src="https://e.org"></iframe>'
        "<style>p{}</style>"
    )

    assert html == "<p>t</p>"


def test_control_characters_are_removed():
    assert sanitize_html("<p>a\x0bb\x07c\x00d</p>") == "<p>abcd</p>"


def test_control_characters_are_stripped_from_plain_text_fields():
    story = ArticleFactory(headline="Bad\x0bheadline\x07", dek="a\x00b")
    story.refresh_from_db()

    assert (story.headline, story.dek) == ("Badheadline", "ab")


def test_control_characters_are_stripped_from_people_too():
    from tests.factories import PersonFactory

    person = PersonFactory(name="Jon\x0b Ossoff", bio="\x07Filmmaker")
    person.refresh_from_db()

    assert (person.name, person.bio) == ("Jon Ossoff", "Filmmaker")
