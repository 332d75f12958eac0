import pytest


@pytest.fixture(autouse=True)
def _demo_login_file_in_tmp(settings, tmp_path):
    """Keep `load_demo` from writing the demo login into the project folder."""
    settings.NEWSROOM_DEMO_LOGIN_FILE = tmp_path / "demo-login"
