"""Shared fixtures: every test works in a temporary folder with its own index."""

from __future__ import annotations

import io
import json
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from searchdoc.cli import main

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
SHARED_DATA = REPO.parent / "shared" / "data"
WIKI = "seeds/001_47a9cc53861f3bdc.txt"
THINK_TANK = "seeds/000_3b04a8e966365e08.txt"


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> list[dict]:
        return [json.loads(line) for line in self.out.splitlines() if line.strip()]


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch a real index; no colour; the same terminal width everywhere."""
    monkeypatch.delenv("SEARCHDOC_INDEX", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setenv("COLUMNS", "100")


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    """Run the CLI in-process as a user would: argv, stdin; returns code, stdout, stderr."""

    def _run(*args: str, stdin: str = "") -> Result:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return _run


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder holding a copy of the seeds, as a fresh clone would; the cwd of the test."""
    shutil.copytree(SEEDS, tmp_path / "seeds")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture(scope="session")
def _built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("built")
    shutil.copytree(SEEDS, root / "seeds")
    cwd = Path.cwd()
    import os

    os.chdir(root)
    try:
        assert main(["index", "seeds"]) == 0
    finally:
        os.chdir(cwd)
    yield root


@pytest.fixture
def built(_built: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The seeds indexed once per session (read-only: tests must not change it)."""
    monkeypatch.chdir(_built)
    return _built
