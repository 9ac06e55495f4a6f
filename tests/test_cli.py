"""The command line end to end: the seeds, exit codes, JSON Lines, batch mode, show."""

from __future__ import annotations

import importlib.metadata
import itertools
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import searchdoc
from conftest import THINK_TANK, WIKI

URL = re.compile(r"https?://|www\.")


def test_first_query_builds_the_index_and_finds_hamid_the_mute(workdir: Path, run) -> None:
    r = run("query", "Hamid the Mute")
    assert r.code == 0
    assert "building it from seeds/" in r.err
    first = r.out.split("\n\n")[0]
    assert first.startswith("1. ")
    assert f"{THINK_TANK}:" in first
    assert "**Hamid** the **Mute**" in first
    assert "U.S. Says Iran Helped Iraqis Kill Five G.I.’s" in first
    assert (workdir / "index" / "CURRENT").exists()
    # second run: no rebuild message
    r2 = run("query", "Hamid the Mute")
    assert "building" not in r2.err


def test_json_hit_fields(built: Path, run) -> None:
    r = run("query", "Hamid the Mute", "--json")
    assert r.code == 0
    hits = r.json()
    top = hits[0]
    for key in ("query", "rank", "score", "source", "title", "section", "passage",
                "line_start", "line_end", "text", "citations", "matched"):
        assert key in top
    assert top["query"] == "Hamid the Mute"
    assert top["rank"] == 1
    assert top["source"] == THINK_TANK
    assert "Hamid the Mute" in top["text"]
    assert top["passage"].startswith(THINK_TANK + "#")
    assert top["line_start"] <= top["line_end"]
    nyt = [c for c in top["citations"] if "July 3, 2007" in c["text"] and "New York Times" in c["text"]]
    assert nyt and nyt[0]["url"] == "https://www.nytimes.com/2007/07/03/world/middleeast/03iraq.html"
    assert [h["rank"] for h in hits] == list(range(1, len(hits) + 1))
    assert all(a["score"] >= b["score"] for a, b in itertools.pairwise(hits))


def test_no_passage_text_holds_a_url(built: Path, run) -> None:
    r = run("query", "Daqduq", "--json", "--limit", "100")
    hits = r.json()
    assert len({h["source"] for h in hits}) == 2
    for h in hits:
        assert not URL.search(h["text"]), h["text"]


def test_citation_text_is_searchable(built: Path, run) -> None:
    hits = run("query", "Reuters Panetta", "--json").json()
    assert any("Reuters" in c["text"] for h in hits[:3] for c in h["citations"])


def test_batch_from_stdin_answers_each_query(built: Path, run) -> None:
    r = run("query", "-", "--json", stdin="Hamid the Mute\nGolan Project\n")
    assert r.code == 0
    queries = [h["query"] for h in r.json()]
    assert "Hamid the Mute" in queries and "Golan Project" in queries
    golan = [h for h in r.json() if h["query"] == "Golan Project"]
    assert "Golan Project" in golan[0]["text"]


def test_batch_keeps_the_query_exactly_as_read(built: Path, run) -> None:
    r = run("query", "-", "--json", stdin="  Daqduq  \n")
    assert {h["query"] for h in r.json()} == {"  Daqduq  "}


def test_no_match_exits_1(built: Path, run) -> None:
    r = run("query", "Xylophonic Quasar")
    assert r.code == 1
    assert r.out == ""


def test_missing_index_exits_2_with_one_line(tmp_path: Path, run, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)  # no seeds/ here: nothing to build from
    r = run("query", "Daqduq", "--index", str(tmp_path / "nowhere"))
    assert r.code == 2
    assert len(r.err.strip().splitlines()) == 1
    assert "no index" in r.err and "Traceback" not in r.err


def test_bad_path_exits_2_with_one_line(tmp_path: Path, run, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    r = run("index", "does/not/exist")
    assert r.code == 2
    assert r.err == "searchdoc: does/not/exist: no such file or directory: nothing to index\n"
    assert "Traceback" not in r.err


def test_bad_option_exits_2(built: Path, run) -> None:
    r = run("query", "x", "--bogus")
    assert r.code == 2
    assert r.err.strip() == "searchdoc: No such option: --bogus (see `searchdoc --help`)"


def test_index_env_variable(workdir: Path, run, monkeypatch) -> None:
    target = workdir / "elsewhere"
    monkeypatch.setenv("SEARCHDOC_INDEX", str(target))
    assert run("index").code == 0
    assert (target / "CURRENT").exists()
    assert not (workdir / "index").exists()
    assert run("query", "Daqduq").code == 0


def test_source_filter(built: Path, run) -> None:
    hits = run("query", "Daqduq", "--json", "--source", "001_*").json()
    assert hits and {h["source"] for h in hits} == {WIKI}
    assert run("query", "Daqduq", "--source", "nothing-like-this").code == 1


def test_show_with_context(built: Path, run) -> None:
    top = run("query", "Hamid the Mute", "--json").json()[0]
    r = run("show", top["passage"], "--context", "1", "--json")
    assert r.code == 0
    shown = r.json()
    assert [p["focus"] for p in shown].count(True) == 1
    focus = next(p for p in shown if p["focus"])
    assert focus["text"] == top["text"]
    assert len(shown) == 3
    assert all(p["source"] == THINK_TANK for p in shown)


def test_show_unknown_passage(built: Path, run) -> None:
    r = run("show", "nope#3")
    assert r.code == 1
    assert "no passage" in r.err


def test_text_output_marks_matches_without_colour(built: Path, run) -> None:
    r = run("query", "Golan Project")
    assert "\x1b[" not in r.out
    assert "**Golan** **Project**" in r.out
    assert "seeds/000_3b04a8e966365e08.txt:" in r.out


def test_marks_every_spelling_of_the_name_with_its_particle(built: Path, run) -> None:
    r = run("query", "Qays Khazaali", "--limit", "3")
    assert r.code == 0
    first = r.out.split("\n\n")[0]
    assert re.search(r"\*\*Qais\*\*\s+\*\*al-Khazali\*\*", first)  # as a variant, the particle too
    assert "al-**Khazali**" not in first


# --- version, python -m, completion ---------------------------------------------------------

SEARCHDOC = str(Path(sys.executable).parent / "searchdoc")


def test_version(run) -> None:
    r = run("--version")
    assert r.code == 0
    assert r.out == f"searchdoc {searchdoc.__version__}\n"
    assert searchdoc.__version__ == importlib.metadata.version("searchdoc")


def test_python_dash_m(built: Path) -> None:
    r = subprocess.run([sys.executable, "-m", "searchdoc", "query", "Daqduq", "--json", "-n", "1"],
                       cwd=built, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["query"] == "Daqduq"
    r = subprocess.run([sys.executable, "-m", "searchdoc", "query", "x", "--bogus"],
                       cwd=built, capture_output=True, text=True, timeout=60)
    assert r.returncode == 2
    assert r.stderr == "searchdoc: No such option: --bogus (see `searchdoc --help`)\n"


def _complete(env: dict[str, str]) -> str:
    r = subprocess.run([SEARCHDOC], env={**os.environ, **env}, capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0, r.stderr
    return r.stdout


# (the environment a shell's completion script sets, what it must print)
COMPLETIONS = [
    ({"_SEARCHDOC_COMPLETE": "complete_bash", "COMP_WORDS": "searchdoc q", "COMP_CWORD": "1"},
     "query\n"),
    ({"_SEARCHDOC_COMPLETE": "complete_bash", "COMP_WORDS": "searchdoc ", "COMP_CWORD": "1"},
     "index\nquery\nshow\naliases\nsources\nserve\n"),
    ({"_SEARCHDOC_COMPLETE": "complete_bash", "COMP_WORDS": "searchdoc query x --co",
      "COMP_CWORD": "3"}, "--context\n--count\n"),
    ({"_SEARCHDOC_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "searchdoc q"},
     "_arguments '*: :((\"query\":\"Search the index; print passages with...\"))'\n"),
    ({"_SEARCHDOC_COMPLETE": "complete_fish", "_TYPER_COMPLETE_ARGS": "searchdoc sh",
      "_TYPER_COMPLETE_FISH_ACTION": "get-args"},
     "show\tPrint one passage in full, with passages...\n"),
]


@pytest.mark.parametrize(("env", "expected"), COMPLETIONS)
def test_completion_candidates(env: dict[str, str], expected: str) -> None:
    assert _complete(env) == expected


def test_completion_installs_for_bash_and_completes(tmp_path: Path) -> None:
    env = {**os.environ, "HOME": str(tmp_path),
           "PATH": f"{Path(SEARCHDOC).parent}{os.pathsep}{os.environ['PATH']}"}
    # (typer's switch: the shell is named rather than found from the parent processes,
    # which need not hold a shell under CI)
    r = subprocess.run([SEARCHDOC, "--install-completion", "bash"], capture_output=True,
                       env={**env, "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"},
                       text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert r.returncode == 0, r.stderr
    script = tmp_path / ".bash_completions" / "searchdoc.sh"
    assert f"source '{script}'" in (tmp_path / ".bashrc").read_text()
    assert "_SEARCHDOC_COMPLETE=complete_bash" in script.read_text()
    # what bash does on `searchdoc q<TAB>`: the function the script registered, with the words
    probe = ('source ~/.bashrc; COMP_WORDS=(searchdoc q); COMP_CWORD=1; '
             '_searchdoc_completion searchdoc; printf "%s\\n" "${COMPREPLY[@]}"')
    r = subprocess.run(["bash", "--norc", "-c", probe], env=env, capture_output=True,
                       text=True, timeout=60)
    assert r.stdout == "query\n", r.stderr


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_show_completion(shell: str) -> None:
    # (typer's switch: the shell is named rather than found from the parent processes)
    r = subprocess.run([SEARCHDOC, "--show-completion", shell], capture_output=True, text=True,
                       timeout=60, env={**os.environ,
                                        "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"})
    assert r.returncode == 0, r.stderr
    assert f"_SEARCHDOC_COMPLETE=complete_{shell}" in r.stdout


# --- grep's habits: -l, -c, --context ---------------------------------------------------------


def test_files_with_matches(built: Path, run) -> None:
    hits = run("query", "Daqduq", "--json", "--limit", "100").json()
    ranked = list(dict.fromkeys(h["source"] for h in hits))
    r = run("query", "Daqduq", "-l")
    assert r.code == 0
    assert r.out.splitlines() == ranked and sorted(ranked) == [THINK_TANK, WIKI]
    assert run("query", "Daqduq", "--files-with-matches", "--limit", "1").out == f"{ranked[0]}\n"
    assert run("query", "Daqduq", "-l", "--source", "001_*").out == f"{WIKI}\n"
    rows = run("query", "Daqduq", "-l", "--json").json()
    assert [(r["rank"], r["source"]) for r in rows] == [(1, ranked[0]), (2, ranked[1])]
    assert sum(r["hits"] for r in rows) == len(hits)
    assert set(rows[0]) == {"query", "rank", "source", "hits", "score"}
    r = run("query", "Xylophonic Quasar", "-l")
    assert (r.code, r.out) == (1, "")


def test_files_with_matches_in_batch_lists_each_source_once(built: Path, run) -> None:
    r = run("query", "-", "-l", stdin="Daqduq\nGolan Project\nXylophonic Quasar\n")
    assert r.code == 0
    assert r.out.splitlines() == run("query", "Daqduq", "-l").out.splitlines()  # each once
    rows = run("query", "-", "-l", "--json", stdin="Daqduq\nGolan Project\n").json()
    assert rows == (run("query", "Daqduq", "-l", "--json").json()
                    + run("query", "Golan Project", "-l", "--json").json())
    assert [(r["query"], r["rank"]) for r in rows][:3] == [("Daqduq", 1), ("Daqduq", 2),
                                                           ("Golan Project", 1)]


def test_count(built: Path, run) -> None:
    every = run("query", "Daqduq", "--json", "--limit", "1000").json()
    r = run("query", "Daqduq", "-c")
    assert (r.code, r.out) == (0, f"{len(every)}\n")
    assert len(every) > 10  # counts every hit, not the 10 printed by default
    assert run("query", "Daqduq", "--count", "--limit", "3").out == "3\n"  # as grep -m 3 -c
    assert run("query", "Daqduq", "-c", "--json").json() == [{"query": "Daqduq", "count": len(every)}]
    r = run("query", "Xylophonic Quasar", "-c")
    assert (r.code, r.out) == (1, "0\n")


def test_count_in_batch_is_one_line_per_query(built: Path, run) -> None:
    r = run("query", "-", "-c", stdin="Daqduq\nXylophonic\tQuasar\nGolan Project\n")
    assert r.code == 0
    lines = [line.split("\t") for line in r.out.splitlines()]
    assert [q for q, _n in lines] == ["Daqduq", "Xylophonic Quasar", "Golan Project"]
    assert lines[1][1] == "0" and int(lines[0][1]) > int(lines[2][1]) > 0
    rows = run("query", "-", "-c", "--json", stdin="Daqduq\nXylophonic Quasar\n").json()
    assert [r["count"] > 0 for r in rows] == [True, False]


def test_query_context_json(built: Path, run) -> None:
    top = run("query", "Hamid the Mute", "--json", "-n", "1").json()[0]
    hit = run("query", "Hamid the Mute", "--json", "-n", "1", "--context", "1").json()[0]
    shown = run("show", top["passage"], "--context", "1", "--json").json()
    assert {k: v for k, v in hit.items() if k not in ("before", "after")} == top
    assert hit["before"] == [{k: v for k, v in p.items() if k != "focus"} for p in shown[:1]]
    assert hit["after"] == [{k: v for k, v in p.items() if k != "focus"} for p in shown[2:]]
    assert "before" not in top and "after" not in top


def test_query_context_text(built: Path, run) -> None:
    top = run("query", "Hamid the Mute", "--json", "-n", "1").json()[0]
    n = int(top["passage"].rsplit("#", 1)[1])
    out = run("query", "Hamid the Mute", "-n", "1", "-C", "1").out
    heads = [line for line in out.splitlines() if re.match(r"^[ >] seeds/", line)]
    assert [h.split()[:2] for h in heads] == [  # before, the hit, after
        [f"{THINK_TANK}#{n - 1}", f"{THINK_TANK}:{top['line_start'] - 2}"],
        [">", f"{THINK_TANK}#{n}"],
        [f"{THINK_TANK}#{n + 1}", f"{THINK_TANK}:{top['line_end'] + 2}"],
    ]
    assert "**Hamid** the **Mute**" in out


@pytest.mark.parametrize("args", [["-c", "-l"], ["-c", "--tsv"], ["-l", "--context", "1"],
                                  ["--json", "--tsv"]])
def test_options_that_do_not_go_together(built: Path, run, args: list[str]) -> None:
    r = run("query", "Daqduq", *args)
    assert r.code == 2
    assert r.err.startswith("searchdoc: ") and "cannot be used together" in r.err
    assert len(r.err.splitlines()) == 1
