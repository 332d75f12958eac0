import pytest

# Redis and PostgreSQL servers of a test's own, to stop and freeze.
pytest_plugins = ["tests.fault_servers"]


@pytest.fixture(autouse=True)
def _demo_login_file_in_tmp(settings, tmp_path):
    """Keep `load_demo` from writing the demo login into the project folder."""
    settings.NEWSROOM_DEMO_LOGIN_FILE = tmp_path / "demo-login"


@pytest.fixture(autouse=True)
def _content_types_read_afresh_in_transactional_tests(request):
    """A transactional test's flush makes the content types again under new ids;
    Django's per-process cache of them is cleared only when the flush's
    post-migrate step runs for every app. Clear it here as well, so that threads
    saving admin log entries never point at a content type that is gone."""
    marker = request.node.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.args[:1] == (True,)):
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()


@pytest.fixture(autouse=True)
def _no_purge_left_from_another_test(monkeypatch):
    """`core.purge` keeps the purges a node has not acknowledged, and a count
    of failures, for the whole process (to send them again and report them):
    each test starts with none."""
    from core import purge

    monkeypatch.setattr(purge, "_pending", {})
    monkeypatch.setattr(purge, "_failures", 0)


@pytest.fixture
def get_under_prefix(client):
    """GET a page as a site served under a script prefix (`/news/`) sees it: the
    WSGI handler sets the prefix from SCRIPT_NAME, the test client does not."""
    from django.urls import set_script_prefix

    def get(path, prefix="/news/"):
        set_script_prefix(prefix)
        try:
            return client.get(path)
        finally:
            set_script_prefix("/")

    return get


@pytest.fixture(autouse=True, scope="session")
def _jinja2_renders_are_recorded():
    """The test client's `response.context` and `response.templates` for pages
    rendered by Jinja2 (the reader pages), as Django's test set-up records them for
    its own engine: Jinja2's backend sends no `template_rendered` signal."""
    from django.template.backends.jinja2 import Template
    from django.test.signals import template_rendered

    render = Template.render

    def recorded_render(self, context=None, request=None):
        template_rendered.send(sender=self, template=self, context=context or {})
        return render(self, context, request)

    Template.render = recorded_render
    yield
    Template.render = render
