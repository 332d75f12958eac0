import pytest


@pytest.fixture(autouse=True)
def _demo_login_file_in_tmp(settings, tmp_path):
    """Keep `load_demo` from writing the demo login into the project folder."""
    settings.NEWSROOM_DEMO_LOGIN_FILE = tmp_path / "demo-login"


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
