"""Project-level guarantees: checks pass, migrations are complete, settings are safe."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


def manage(*args, **env):
    """Run manage.py in a fresh process with only the given Django environment."""
    clean_env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    clean_env.pop("DATABASE_URL", None)
    clean_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_system_checks_pass():
    call_command("check", fail_level="WARNING")


@pytest.mark.django_db
def test_migrations_are_complete():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = manage("check", DJANGO_ALLOWED_HOSTS="news.example.org")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_settings_refuse_to_start_without_allowed_hosts():
    result = manage("check", DJANGO_SECRET_KEY="x" * 60)

    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS must be set" in result.stderr


def test_debug_is_off_unless_asked_for():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DEBUG)",
        DJANGO_SECRET_KEY="x" * 60,
        DJANGO_ALLOWED_HOSTS="news.example.org",
    )

    assert result.stdout.strip().splitlines()[-1] == "False"


def test_deploy_check_is_clean_with_production_settings():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY="k3y-" + "a1B2c3D4e5F6g7H8i9J0" * 3,
        DJANGO_ALLOWED_HOSTS="news.example.org",
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_development_defaults_work_on_a_bare_machine():
    result = manage("check", DJANGO_DEBUG="1")

    assert result.returncode == 0, result.stderr


def test_web_queries_on_postgresql_start_no_parallel_workers():
    """Worker start-up cost 10-20 ms on a LIMITed, indexed page query."""
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DATABASES['default'])",
        DJANGO_DEBUG="1",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/newsroom",
    )

    assert "-c max_parallel_workers_per_gather=0" in result.stdout.splitlines()[-1]


def test_postgresql_prices_a_random_read_as_memory_or_ssd_does():
    """PostgreSQL's default (4) prices a spinning disk: the story page read every
    tag to join a story's four."""
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings;"
        "print(settings.DATABASES['default']['OPTIONS']['options'])",
        DJANGO_DEBUG="1",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/newsroom",
    )

    assert "-c random_page_cost=1.1" in result.stdout.splitlines()[-1]


@pytest.mark.parametrize("value", ["fast", "0", "-2", "nan", "1 -c work_mem=1GB"])
def test_a_random_page_cost_that_is_not_a_positive_number_stops_start_up(value):
    result = manage(
        "check",
        DJANGO_DEBUG="1",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/newsroom",
        DJANGO_PG_RANDOM_PAGE_COST=value,
    )

    assert result.returncode != 0
    assert "DJANGO_PG_RANDOM_PAGE_COST must be a positive number" in result.stderr


def postgres_options(**env):
    return manage(
        "shell",
        "-c",
        "from django.conf import settings; d = settings.DATABASES['default'];"
        "print(d['ENGINE'], d['OPTIONS']['server_side_binding'],"
        " d['OPTIONS']['prepare_threshold'])",
        DJANGO_DEBUG="1",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/newsroom",
        **env,
    )


def test_postgresql_binds_parameters_on_the_server_and_prepares_repeated_queries():
    result = postgres_options()

    assert result.stdout.splitlines()[-1].split() == [
        "django.db.backends.postgresql",
        "True",
        "5",
    ]


def test_prepared_statements_can_be_turned_off_for_a_connection_pooler():
    result = postgres_options(DJANGO_PG_PREPARE_THRESHOLD="off")

    assert result.stdout.splitlines()[-1].split() == [
        "django.db.backends.postgresql",
        "True",
        "None",
    ]


@pytest.mark.parametrize("value", ["soon", "-1"])
def test_a_prepare_threshold_that_is_not_a_count_stops_start_up(value):
    result = postgres_options(DJANGO_PG_PREPARE_THRESHOLD=value)

    assert result.returncode != 0
    assert 'DJANGO_PG_PREPARE_THRESHOLD must be a count or "off"' in result.stderr


def test_production_renders_templates_with_the_cached_loader():
    result = manage(
        "shell",
        "-c",
        "from django.template import engines;"
        "print(type(engines['django'].engine.template_loaders[0]).__module__)",
        DJANGO_SECRET_KEY="k3y-" + "a1B2c3D4e5F6g7H8i9J0" * 3,
        DJANGO_ALLOWED_HOSTS="news.example.org",
    )

    assert result.stdout.splitlines()[-1] == "django.template.loaders.cached"


def test_production_keeps_the_reader_templates_compiled():
    """Jinja2 compiles a reader page's template once; in production it does not
    look at the file again on every render (DEBUG on, edits show at once)."""
    result = manage(
        "shell",
        "-c",
        "from django.template import engines;print(engines['jinja2'].env.auto_reload)",
        DJANGO_SECRET_KEY="k3y-" + "a1B2c3D4e5F6g7H8i9J0" * 3,
        DJANGO_ALLOWED_HOSTS="news.example.org",
    )

    assert result.stdout.splitlines()[-1] == "False"
