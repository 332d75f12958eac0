"""A catalogue of XSS payloads in every text field; none executes anywhere.

"Executes" is checked structurally: every HTML page is parsed, and no element may
carry an event handler, a javascript: URL, or be a script, iframe, object, embed,
base or meta refresh that the page did not mean to have. Feeds and sitemaps must
parse as XML with the payload as text."""

from html.parser import HTMLParser
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from articles.models import Mention
from articles.sitemaps import month_path
from people.models import Alias
from tests.factories import (
    ArticleFactory,
    CandidacyFactory,
    PersonFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<body onload=alert(1)>",
    "<iframe src=javascript:alert(1)>",
    "<a href=javascript:alert(1)>x</a>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    '" onmouseover="alert(1)',
    "' onfocus='alert(1)' autofocus='",
    "</script><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    "<details open ontoggle=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<object data=javascript:alert(1)>",
    "<embed src=javascript:alert(1)>",
    "<base href=javascript:alert(1)//>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "<input autofocus onfocus=alert(1)>",
    "<video><source onerror=alert(1)>",
    "<audio src=x onerror=alert(1)>",
    "<marquee onstart=alert(1)>",
    "<form action=javascript:alert(1)><button>x</button></form>",
    '<div style="background:url(javascript:alert(1))">',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<<script>script>alert(1)//<</script>/script>",
    "<!--<img src=x onerror=alert(1)>-->",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "javascript:alert(1)",
    "{{7*7}}<%= 7*7 %>${7*7}",
    "\u2028<script>alert(1)</script>",
]

# (Our own pages draw SVG charts and icons; an SVG handler is caught as on*.)
INERT = {"javascript:void(0)", "javascript://"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "xlink:href"}
DANGEROUS_TAGS = {"iframe", "object", "embed", "base", "math", "video", "audio"}


class _Checker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            url = (value or "").strip().lower().replace("\t", "")
            # (The admin's own widgets use inert "javascript:void(0)" links.)
            if (
                name in URL_ATTRIBUTES
                and url.startswith("javascript:")
                and url not in INERT
            ):
                self.problems.append(f"<{tag} {name}={value}>")
        if tag in DANGEROUS_TAGS:
            self.problems.append(f"<{tag}>")
        if tag == "script" and not (
            attributes.get("src")
            or attributes.get("type") in ("application/ld+json", "application/json")
        ):
            self.problems.append("inline <script>")
        if tag == "meta" and attributes.get("http-equiv", "").lower() == "refresh":
            self.problems.append("<meta refresh>")

    handle_startendtag = handle_starttag


def assert_inert(html, where):
    checker = _Checker()
    checker.feed(html)
    assert checker.problems == [], where


@pytest.fixture(params=range(len(PAYLOADS)), ids=[p[:24] for p in PAYLOADS])
def payload(request):
    return PAYLOADS[request.param]


@pytest.fixture
def hostile(payload):
    """Every text field of a published story, its person, tags and race."""
    section = SectionFactory(name=f"Section {payload}"[:100], slug="hostile")
    story = ArticleFactory(
        headline=payload,
        dek=payload,
        body=f"<p>{payload}</p>{payload}",
        lead_image_caption=payload,
        lead_image_credit=payload,
        lead_image_alt=payload,
        section=section,
    )
    person = PersonFactory(name=payload, bio=payload, social_handle=payload[:100])
    Alias.objects.create(person=person, name=f"alias {payload}"[:200])
    Mention.objects.create(
        article=story, person=person, role="quoted", note=payload[:200]
    )
    story.tags.add(f"tag {payload}"[:100])
    race = CandidacyFactory(
        person=person, election__race__description=payload
    ).election.race
    race.name = payload[:200]
    race.district = payload[:20]
    race.save()
    story.races.add(race)
    return {"story": story, "person": person, "race": race}


def test_no_payload_executes_on_reader_pages(client, hostile):
    tag_slug = hostile["story"].tags.get().slug
    for url in [
        "/",
        hostile["story"].get_absolute_url(),
        hostile["person"].get_absolute_url(),
        hostile["race"].get_absolute_url(),
        reverse("articles:tag", args=[tag_slug]),
        reverse("articles:section", args=["hostile"]),
        reverse("people:list"),
        reverse("people:race-list"),
        reverse("articles:search") + "?q=alert",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_inert(response.content.decode(), url)


def test_feeds_and_sitemaps_stay_xml(client, hostile):
    for url in [
        reverse("articles:feed"),
        reverse("articles:feed-atom"),
        reverse("articles:person-feed", args=[hostile["person"].slug]),
        reverse("articles:sitemap-news"),
        reverse("articles:sitemap"),
        month_path(hostile["story"].published_at),
        "/sitemap-people.xml",
        "/sitemap-races.xml",
        "/sitemap-tags.xml",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        ElementTree.fromstring(response.content)


def test_no_payload_executes_on_admin_pages(admin_client, hostile):
    story, person, race = hostile["story"], hostile["person"], hostile["race"]
    for url in [
        reverse("admin:articles_article_changelist"),
        reverse("admin:articles_article_change", args=[story.pk]),
        reverse("admin:articles_article_preview", args=[story.pk]),
        reverse("admin:people_person_changelist"),
        reverse("admin:people_person_change", args=[person.pk]),
        reverse("admin:people_race_change", args=[race.pk]),
        reverse("admin:taggit_tag_changelist"),
    ]:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert_inert(response.content.decode(), url)


# Payloads that only work against a naive filter or a browser's own parser quirks,
# or are inert text on their own; the pages above are still checked with them.
NOT_LIVE_ALONE = ("<!--", "{{", "javascript:alert(1)", "style=", "<scr<", "<noscript>")


@pytest.mark.parametrize("html", PAYLOADS)
def test_the_checker_catches_each_payload_when_it_is_live(html):
    """The structural check is not vacuous: pasted raw into text and attributes,
    each payload fails it."""
    if html.startswith(NOT_LIVE_ALONE) or any(p in html for p in NOT_LIVE_ALONE[3:]):
        pytest.skip("not live without a parser quirk")
    page = f"<p title=\"{html}\"></p><p title='{html}'></p>{html}"
    with pytest.raises(AssertionError):
        assert_inert(page, "raw payload")
