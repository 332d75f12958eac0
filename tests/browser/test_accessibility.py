"""axe-core, run in Chromium over the main reader pages: no serious or critical
violations."""

from pathlib import Path

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21aa", "best-practice"]
PAGES = [
    "/",
    "/2017/06/21/hollywood-vs-georgia-celebrity-backed-ossoff-loses/",
    "/2017/06/20/hollywood-came-to-georgia-and-lost/",
    "/people/",
    "/people/jon-ossoff/",
    "/people/jerome-hudson/",
    "/races/",
    "/races/2017-ga-06-special/",
    "/tags/hollywood/",
    "/sections/elections/",
    "/search/?q=Ossoff",
    "/no-such-page/",
]


@pytest.fixture(scope="module")
def axe_source():
    if not AXE.exists():
        pytest.skip("axe-core is not installed (npm ci installs it)")
    return AXE.read_text()


@pytest.mark.parametrize("url", PAGES)
def test_page_has_no_serious_accessibility_violations(
    page, live_server, axe_source, url
):
    call_command("load_demo", "--force", stdout=None)
    page.goto(live_server.url + url)
    page.add_script_tag(content=axe_source)

    violations = page.evaluate(
        """async (tags) => {
            const only = {runOnly: {type: "tag", values: tags}};
            const result = await axe.run(document, only);
            return result.violations
                .filter(v => v.impact === "serious" || v.impact === "critical")
                .map(v => `${v.id}: ${v.help} (${v.nodes.map(n => n.target)})`);
        }""",
        AXE_TAGS,
    )

    assert violations == []


def test_axe_reports_a_known_violation(page, axe_source):
    """The harness itself works: an image without alt text is caught."""
    page.set_content('<html lang="en"><main><img src="x.png"></main></html>')
    page.add_script_tag(content=axe_source)
    result = page.evaluate("async () => await axe.run(document)")

    ids = [violation["id"] for violation in result["violations"]]

    assert "image-alt" in ids
