"""The project uses Django's and psycopg's public API only.

Reaching into their internals for speed (models loaded past `__init__`, querysets
compiled once, a patched database backend) broke silently on upgrades and hid
where a page's queries live. This walks every project module (migrations aside)
and fails on a private import, an override of Django's loading or fetching
internals, or a database backend of the project's own.
"""

import ast
from pathlib import Path

from django.conf import settings

PROJECT = Path(__file__).resolve().parents[1]
SKIPPED_DIRECTORIES = {".venv", "node_modules", "migrations", ".git", "__pycache__"}

# Modules whose names are Django's internals, whatever is imported from them.
PRIVATE_MODULES = {
    "django.db.models.sql.compiler",
    "django.db.models.query_utils",
    "django.db.models.base",
    "django.db.models.fields.related_descriptors",
}
DRIVERS_AND_FRAMEWORK = ("django", "psycopg")
# Methods of Django's models and querysets that a project must not override.
INTERNAL_METHODS = {"from_db", "_clone", "_fetch_all"}

# Nothing is allowed past these rules today. An entry is a violation as reported
# without its line ("newsroom/x.py imports _y from django.z"), mapped to the reason
# it cannot be done otherwise; each is reviewed at every Django upgrade.
ALLOWED: dict[str, str] = {}


def _is_ours(module: str) -> bool:
    return module.split(".")[0] in DRIVERS_AND_FRAMEWORK


def _private_module(module: str) -> bool:
    return module in PRIVATE_MODULES or any(
        part.startswith("_") for part in module.split(".")
    )


def _private_name(name: str) -> bool:
    return (
        name.startswith("_")
        or name.endswith("Descriptor")
        or (name == "DeferredAttribute")
    )


def violations_in(source: str, path: str) -> list[str]:
    """What `source` (the module at `path`) does against the rules above."""
    found = []
    for node in ast.walk(ast.parse(source, path)):
        where = f"{path}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Import):
            for alias in node.names:
                if _is_ours(alias.name) and _private_module(alias.name):
                    found.append(f"{where} imports {alias.name}")
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            if not _is_ours(node.module):
                continue
            if _private_module(node.module):
                found.append(f"{where} imports from {node.module}")
            for alias in node.names:
                if _private_name(alias.name):
                    found.append(f"{where} imports {alias.name} from {node.module}")
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if (
                    isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
                    and item.name in INTERNAL_METHODS
                ):
                    found.append(
                        f"{path}:{item.lineno} {node.name} overrides {item.name}"
                    )
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if _is_engine(key) and _is_projects_engine(value):
                    found.append(f"{where} has its own ENGINE {value.value}")
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if (
                    isinstance(target, ast.Subscript)
                    and _is_engine(target.slice)
                    and _is_projects_engine(node.value)
                ):
                    found.append(f"{where} has its own ENGINE {node.value.value}")
    found.sort(key=lambda violation: int(violation.split(":")[1].split()[0]))
    return [v for v in found if _without_line(v) not in ALLOWED]


def _without_line(violation: str) -> str:
    where, what = violation.split(" ", 1)
    return f"{where.rsplit(':', 1)[0]} {what}"


def _is_engine(node) -> bool:
    return isinstance(node, ast.Constant) and node.value == "ENGINE"


def _is_projects_engine(node) -> bool:
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and not node.value.startswith("django.")
    )


def project_modules(root: Path):
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if SKIPPED_DIRECTORIES.isdisjoint(relative.parts):
            yield relative, path.read_text(encoding="utf-8")


def violations(root: Path = PROJECT) -> list[str]:
    return [
        violation
        for relative, source in project_modules(root)
        for violation in violations_in(source, str(relative))
    ]


def test_no_module_uses_django_or_psycopg_internals():
    assert violations() == []


def test_every_database_uses_one_of_djangos_own_backends():
    for alias, database in settings.DATABASES.items():
        assert database["ENGINE"].startswith("django.db.backends."), alias


def test_a_private_import_is_found():
    assert violations_in("from psycopg import _queries\n", "x.py") == [
        "x.py:1 imports _queries from psycopg"
    ]
    assert violations_in("import psycopg._queries\n", "x.py") == [
        "x.py:1 imports psycopg._queries"
    ]
    assert violations_in("from django.db.models.base import ModelState\n", "x.py") == [
        "x.py:1 imports from django.db.models.base"
    ]
    assert violations_in(
        "from django.db.models.fields.files import FileDescriptor\n", "x.py"
    ) == ["x.py:1 imports FileDescriptor from django.db.models.fields.files"]


def test_an_override_of_djangos_loading_or_fetching_is_found():
    source = (
        "class Story:\n"
        "    @classmethod\n"
        "    def from_db(cls, db, names, values): ...\n"
        "class Stories:\n"
        "    def _fetch_all(self): ...\n"
        "    def _clone(self): ...\n"
    )

    assert violations_in(source, "x.py") == [
        "x.py:3 Story overrides from_db",
        "x.py:5 Stories overrides _fetch_all",
        "x.py:6 Stories overrides _clone",
    ]


def test_a_backend_of_the_projects_own_is_found():
    source = (
        'DATABASES = {"default": {"ENGINE": "newsroom.postgresql"}}\n'
        'DATABASES["default"]["ENGINE"] = "newsroom.postgresql"\n'
    )

    assert violations_in(source, "x.py") == [
        "x.py:1 has its own ENGINE newsroom.postgresql",
        "x.py:2 has its own ENGINE newsroom.postgresql",
    ]


def test_public_imports_pass():
    source = (
        "from django.db import models\n"
        "from django.db.models import Prefetch\n"
        "from django.db.models.fields.files import FieldFile\n"
        "import psycopg\n"
    )

    assert violations_in(source, "x.py") == []
