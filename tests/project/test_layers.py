"""The one-way layers hold: newsroom (wiring) > articles > people > tagging > core,
`people` never imports `articles`, `core` imports no app (import-linter's
contracts in pyproject.toml, also run by `make lint`)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def lint_imports(*args):
    command = Path(sys.executable).with_name("lint-imports")
    return subprocess.run(
        [command, "--no-cache", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_import_contracts_are_kept():
    result = lint_imports()

    assert result.returncode == 0, result.stdout + result.stderr


def test_the_contracts_name_every_layer():
    result = lint_imports("--verbose")

    assert "people never imports articles KEPT" in result.stdout
    assert "core imports no app and not the project package KEPT" in result.stdout
