"""axe-core, run in Chromium over the admin's forms and lists: no serious or
critical violations on the story, race and person forms and the lists."""

import pytest
from django.core.management import call_command

from articles.models import Article
from people.models import Person, Race
from tests.browser.test_accessibility import AXE_TAGS, axe_source  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)

RUN_AXE = """async (tags) => {
    const only = {runOnly: {type: "tag", values: tags}};
    const result = await axe.run(document, only);
    return result.violations
        .filter(v => v.impact === "serious" || v.impact === "critical")
        .map(v => `${v.id}: ${v.help} (${v.nodes.map(n => n.target)})`);
}"""


def admin_pages():
    story = Article.objects.filter(mentions__isnull=False).order_by("pk").first()
    race = Race.objects.filter(elections__isnull=False).order_by("pk").first()
    person = Person.objects.order_by("pk").first()
    return {
        "story-change": f"/admin/articles/article/{story.pk}/change/",
        "story-add": "/admin/articles/article/add/",
        "race-change": f"/admin/people/race/{race.pk}/change/",
        "person-change": f"/admin/people/person/{person.pk}/change/",
        "person-add": "/admin/people/person/add/",
        "story-list": "/admin/articles/article/",
        "person-list": "/admin/people/person/",
        "race-list": "/admin/people/race/",
        "index": "/admin/",
    }


@pytest.mark.parametrize(
    "name",
    [
        "story-change",
        "story-add",
        "race-change",
        "person-change",
        "person-add",
        "story-list",
        "person-list",
        "race-list",
        "index",
    ],
)
def test_admin_page_has_no_serious_accessibility_violations(
    logged_in_page,
    live_server,
    axe_source,  # noqa: F811
    name,
):
    call_command("load_demo", "--force", stdout=None)
    logged_in_page.goto(live_server.url + admin_pages()[name])
    logged_in_page.add_script_tag(content=axe_source)

    violations = logged_in_page.evaluate(RUN_AXE, AXE_TAGS)

    assert violations == [], "\n".join(violations)


def test_a_live_storys_warnings_have_no_serious_violations(
    logged_in_page,
    live_server,
    axe_source,  # noqa: F811
):
    """The desk's prompts shown: "it will leave the site" and "restore unsaved
    changes?"."""
    from datetime import timedelta

    from django.utils import timezone

    page = logged_in_page
    call_command("load_demo", "--force", stdout=None)
    story = Article.objects.published().first()
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    page.wait_for_function("() => document.querySelector('#id_body').bodyEditor")
    when = timezone.localtime() + timedelta(days=2)
    page.fill("#id_published_at_0", f"{when:%Y-%m-%d}")
    page.wait_for_function(
        "() => Object.keys(localStorage).some(k => k.startsWith('form-backup:'))"
    )
    page.once("dialog", lambda dialog: dialog.accept())
    page.reload()
    page.locator("#restore-changes").wait_for()
    page.get_by_role("button", name="Restore my changes").click()
    page.locator("#leave-site").wait_for()
    page.evaluate("() => { document.getElementById('restore-changes').hidden = false }")
    page.add_script_tag(content=axe_source)

    violations = page.evaluate(RUN_AXE, AXE_TAGS)

    assert violations == [], "\n".join(violations)
