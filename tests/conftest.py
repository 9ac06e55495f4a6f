"""Shared fixtures: every test works in a temporary folder with its own index."""

from __future__ import annotations

import io
import json
import os
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from searchdoc.api import Index
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


# -- the web tests (tests/web): a collection indexed once, a client of `searchdoc serve`:
# the seeds, an Arabic article, an Arabic PDF, a list, a note holding markup, an HTML page.

WEB_PDF = REPO / "tests" / "fixtures" / "pdf" / "arabic-chrome.pdf"

WEB_ARTICLE = ("حسن نصر الله\n\n"
               "حسن نصر الله هو الأمين العام لحزب الله اللبناني منذ عام 1992، خلفا لعباس الموسوي. "
               "ولد في حي الكرنتينا في بيروت، وهو الأكبر بين تسعة إخوة.\n")
WEB_PEOPLE = ("name,program,remarks\n"
              '"DAQDUQ, Ali Mussa",SDGT,Hezbollah commander\n'
              '"NASRALLAH, Hasan",SDGT,Secretary General of Hizballah\n'
              '"AL-KHAZALI, Qays",SDGT,Asa\'ib Ahl al-Haq\n')
WEB_NOTE = ("Field note\n\nA source said Ali Musa Daqduq wrote "
            "<script>document.title='pwned'</script> and "
            "<img src=x onerror=\"document.title='pwned'\"> on the wall.\n")
WEB_PAGE = ("<html><head><title>Daqduq page</title><script>alert(1)</script></head>"
            "<body><p>Ali Musa Daqduq was named in the page.</p></body></html>")


@pytest.fixture(scope="session")
def collection(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("web")
    shutil.copytree(REPO / "seeds", root / "seeds")
    (root / "ar").mkdir()
    (root / "ar" / "nasrallah.txt").write_text(WEB_ARTICLE, encoding="utf-8")
    shutil.copy(WEB_PDF, root / "ar" / "nasrallah.pdf")
    (root / "lists").mkdir()
    (root / "lists" / "people.csv").write_text(WEB_PEOPLE, encoding="utf-8")
    (root / "notes").mkdir()
    (root / "notes" / "note.txt").write_text(WEB_NOTE, encoding="utf-8")
    (root / "notes" / "page.html").write_text(WEB_PAGE, encoding="utf-8")
    index = root / "index"
    here = os.getcwd()
    os.chdir(root)  # sources named as a user indexing from that folder names them
    try:
        Index("index", seeds=None).update(["seeds", "ar", "lists", "notes"])
    finally:
        os.chdir(here)
    return index


@pytest.fixture
def client(collection: Path) -> Iterator[object]:
    from starlette.testclient import TestClient

    from searchdoc.web.app import create_app

    with TestClient(create_app(collection), base_url="http://127.0.0.1:8765") as c:
        yield c
