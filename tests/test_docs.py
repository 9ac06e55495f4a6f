"""Docs that stay true: every command, argument and option has help text and a README
entry, and the README's Python examples run."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from typer.main import get_command

from conftest import REPO, SEEDS
from searchdoc.cli import app

README = (REPO / "README.md").read_text(encoding="utf-8")
CLI = get_command(app)
COMMANDS = sorted(CLI.commands)  # type: ignore[attr-defined]


def _synopsis() -> list[str]:
    """The lines of the README's commands synopsis (the first block under "## Commands")."""
    section = README.split("\n## Commands\n", 1)[1]
    block = re.search(r"```\n(.*?)```", section, re.S)
    assert block, "the README's Commands section starts with a synopsis block"
    return block.group(1).splitlines()


def _params(command: str | None) -> list[tuple[str | None, object]]:
    cmd = CLI if command is None else CLI.commands[command]  # type: ignore[attr-defined]
    return [(command, p) for p in cmd.params if p.name != "help"]


OPTIONS = [case for c in [None, *COMMANDS] for case in _params(c)]


def _id(case: tuple[str | None, object]) -> str:
    command, param = case
    return f"{command or 'searchdoc'}:{param.name}"  # type: ignore[attr-defined]


def test_the_commands_are_the_documented_ones() -> None:
    assert COMMANDS == ["aliases", "index", "query", "serve", "show", "sources"]


@pytest.mark.parametrize("command", COMMANDS)
def test_command_has_help_and_a_readme_entry(command: str) -> None:
    cmd = CLI.commands[command]  # type: ignore[attr-defined]
    assert cmd.help and cmd.help.strip(), f"`searchdoc {command}` has no help text"
    assert any(line.startswith(f"searchdoc {command} ") for line in _synopsis()), \
        f"`searchdoc {command}` is not in the README's synopsis"
    assert re.search(rf"^- `{command}[ `]", README, re.M), f"`{command}` has no paragraph in the README"


@pytest.mark.parametrize("case", OPTIONS, ids=[_id(c) for c in OPTIONS])
def test_option_has_help_and_a_readme_entry(case: tuple[str | None, object]) -> None:
    command, param = case
    names = [*param.opts, *param.secondary_opts]  # type: ignore[attr-defined]
    where = f"searchdoc {command}" if command else "searchdoc"
    assert (param.help or "").strip(), f"{where} {names[0]}: no help text"  # type: ignore[attr-defined]
    if param.param_type_name == "argument":  # type: ignore[attr-defined]
        return  # arguments: in the synopsis by their metavar, checked with the command
    if command is None:  # options of searchdoc itself: described in the README
        assert any(f"`searchdoc {n}`" in README for n in names), \
            f"`searchdoc {names[0]}` is not in the README"
        return
    lines = [line for line in _synopsis() if line.startswith(f"searchdoc {command} ")]
    assert any(re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", line)
               for n in names for line in lines), \
        f"{where} {names[0]} is not in the README's synopsis"


def _python_examples() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README, re.S)


def test_the_readme_has_python_examples() -> None:
    assert len(_python_examples()) >= 3


def test_the_readme_python_examples_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    """Each ```python block, in order, in one namespace, in a folder holding a copy of the
    seeds (as a fresh clone would)."""
    shutil.copytree(SEEDS, tmp_path / "seeds")
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": "__readme__"}
    for n, code in enumerate(_python_examples(), 1):
        try:
            exec(compile(code, f"README.md python example {n}", "exec"), namespace)
        except Exception as e:  # noqa: BLE001 - said with the example that failed
            pytest.fail(f"README python example {n} fails: {type(e).__name__}: {e}\n{code}")
    out = capsys.readouterr().out
    assert "seeds/" in out  # the examples print what they find
