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
    monkeypatch.delenv("SEARCHDOC_ENGINE", raising=False)
    monkeypatch.delenv("SEARCHDOC_OPENSEARCH_URL", raising=False)
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


# -- the OpenSearch engine: a real cluster of three nodes (tests/cluster/launch.py) for the
# session, and the contract fixture running a test on both engines.

CLUSTER_PORT = 19400  # HTTP 19400-19402, transport 19500-19502


def _launcher():
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "searchdoc_test_launch", REPO / "tests" / "cluster" / "launch.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # (dataclasses look their module up)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def opensearch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """Three OpenSearch nodes on this machine forming one cluster, stopped by process
    id at the end. In CI (``$CI`` set) a cluster that cannot start fails the tests;
    elsewhere they are skipped, saying why."""
    launch = _launcher()
    try:
        cluster = launch.start(3, CLUSTER_PORT, tmp_path_factory.mktemp("cluster"))
    except launch.ClusterFailed as e:
        if os.environ.get("CI"):
            pytest.fail(f"the OpenSearch cluster did not start: {e}")
        pytest.skip(f"no OpenSearch cluster: {e}")
    yield cluster
    cluster.stop()


_NAMES = iter(range(1_000_000))


@dataclass
class Engine:
    """The engine a contract test runs on; `url` the cluster's (with an index name of the
    test's own) for opensearch."""

    name: str
    url: str | None = None
    cluster: object | None = None

    def index(self, path: Path | str, **kw) -> Index:
        return Index(path, engine=self.name, url=self.url, **kw)


@pytest.fixture(params=["whoosh", "opensearch"])
def engine(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Engine:
    """Each contract test runs on the embedded index and on the cluster; the CLI is told
    which by $SEARCHDOC_ENGINE and $SEARCHDOC_OPENSEARCH_URL, as a user would."""
    if request.param == "whoosh":
        return Engine("whoosh")
    cluster = request.getfixturevalue("opensearch")
    url = f"{cluster.url}/contract-{os.getpid()}-{next(_NAMES)}"
    monkeypatch.setenv("SEARCHDOC_ENGINE", "opensearch")
    monkeypatch.setenv("SEARCHDOC_OPENSEARCH_URL", url)
    return Engine("opensearch", url, cluster)
