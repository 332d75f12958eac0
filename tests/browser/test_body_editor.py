"""The body's rich-text editor, under the admin's own Content-Security-Policy: a
story pasted as plain text keeps its paragraphs to the reader's page."""

import pytest

from articles.models import Article, Byline
from articles.sanitizer import sanitize_html
from articles.services import article_publish
from tests.articles.test_body_text import INSTAGRAM_LEFTOVER, VIDEO_TITLE
from tests.factories import ArticleFactory, JournalistFactory, SectionFactory

pytestmark = pytest.mark.django_db(transaction=True)

SIX_PARAGRAPHS = "\n\n".join(
    [
        "Democrat Jon Ossoff lost his bid on Tuesday night.",
        "The seat was previously held by Tom Price.",
        "It didn't work.",
        "Actor Samuel L. Jackson helped create a radio ad.",
        "Jane Fonda was among the stars who donated.",
        "Ossoff took to Twitter to thank his supporters.",
    ]
)

PASTE = """(text) => {
    const target = document.querySelector(
        '.prose-editor .ProseMirror[contenteditable=true]');
    target.focus();
    const data = new DataTransfer();
    data.setData('text/plain', text);
    target.dispatchEvent(new ClipboardEvent('paste', {
        clipboardData: data, bubbles: true, cancelable: true,
    }));
}"""


@pytest.fixture
def strict_page(browser):
    """A page that keeps the site's CSP (the shared fixture bypasses it), and
    the policy violations it reports."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.violations = []
    page.on(
        "console",
        lambda message: (
            page.violations.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    yield page
    context.close()


def log_in(page, live_server, user):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "a-long-test-password")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")


def test_a_pasted_plain_text_story_reaches_readers_in_six_paragraphs(
    strict_page, live_server, editor
):
    page = strict_page
    SectionFactory(name="Elections")
    log_in(page, live_server, editor)

    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.wait_for_selector(".prose-editor .ProseMirror[contenteditable=true]")
    page.fill("#id_headline", "Hollywood came to Georgia")
    page.evaluate(PASTE, SIX_PARAGRAPHS)
    assert (
        page.locator(".prose-editor .ProseMirror[contenteditable=true] > p").count()
        == 6
    )
    page.select_option("#id_section", label="Elections")
    page.locator("input[name=_save]").last.click()
    page.wait_for_selector(".messagelist .success")
    story = Article.objects.get(headline="Hollywood came to Georgia")
    Byline.objects.create(article=story, person=JournalistFactory())
    article_publish(article=story, user=editor)
    page.goto(live_server.url + story.get_absolute_url())

    paragraphs = page.locator("article.story .body > p")
    assert paragraphs.count() == 6
    assert paragraphs.nth(2).inner_text() == "It didn't work."
    assert page.violations == []  # the editor ran under the admin's own policy


WORD_HTML = """<html xmlns:o="urn:schemas-microsoft-com:office:office"><body>
<h2 class="MsoHeading2"><span style="font-family:Calibri">The runoff</span></h2>
<p class="MsoNormal" style="margin:0"><span style="font-size:12pt">Karen
<b>Handel</b> won, <i>narrowly</i>.<o:p></o:p></span></p>
<p class="MsoNormal">See <a href="https://sos.ga.gov/results">the results</a>.</p>
<ul><li class="MsoListParagraph">Turnout: 58 percent</li></ul>
<blockquote style="color:red">“It didn't work.”</blockquote>
<script>window.pasted = true</script>
</body></html>"""

PASTE_HTML = PASTE.replace("'text/plain'", "'text/html'")


def test_html_pasted_from_a_word_processor_keeps_its_structure_not_its_styles(
    strict_page, live_server, editor
):
    page = strict_page
    log_in(page, live_server, editor)
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.wait_for_selector(".prose-editor .ProseMirror[contenteditable=true]")

    page.evaluate(PASTE_HTML, WORD_HTML)

    body = page.input_value("#id_body")
    assert "<h2>The runoff</h2>" in body
    assert "<strong>Handel</strong>" in body
    assert "<em>narrowly</em>" in body
    assert 'href="https://sos.ga.gov/results"' in body
    assert "<ul><li><p>Turnout: 58 percent</p></li></ul>" in body
    assert "<blockquote><p>“It didn't work.”</p></blockquote>" in body
    assert "Mso" not in body and "style=" not in body and "<script" not in body
    assert page.evaluate("() => window.pasted") is None


def test_the_editing_area_is_named_by_the_body_label(strict_page, live_server, editor):
    page = strict_page
    log_in(page, live_server, editor)
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.wait_for_selector(".prose-editor .ProseMirror[contenteditable=true]")

    page.click("label[for=id_body]")

    area = page.get_by_role("textbox", name="Body:")
    assert area.evaluate("node => node === document.activeElement")
    assert area.get_attribute("aria-describedby") == "id_body_helptext"


def test_an_embed_block_survives_editing_in_the_editor(
    strict_page, live_server, editor
):
    story = ArticleFactory(
        status="draft",
        published_at=None,
        body=f"{INSTAGRAM_LEFTOVER}\n\n{VIDEO_TITLE}\n\nLast paragraph.",
    )
    stored = story.body
    page = strict_page
    log_in(page, live_server, editor)
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    page.wait_for_selector(".prose-editor .ProseMirror[contenteditable=true]")

    page.locator(".prose-editor .ProseMirror[contenteditable=true] > p").click()
    page.keyboard.press("End")
    page.keyboard.type(" More.")

    # What the server will store of the editor's HTML: the same, one word more.
    edited = sanitize_html(page.input_value("#id_body"))
    assert edited == sanitize_html(
        stored.replace("Last paragraph.", "Last paragraph. More.").replace("\n", "")
    )
