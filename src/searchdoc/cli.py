"""The command line: parse options, call the library, print, pick the exit code.

Exit codes, as grep: 0 something found (or done), 1 nothing found, 2 error. Every error a
user can cause is one line on stderr, never a traceback.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from searchdoc.errors import EXIT_ERROR, EXIT_FOUND, EXIT_NOT_FOUND, InvalidArgument, SearchdocError

if TYPE_CHECKING:
    from searchdoc.api import Index

app = typer.Typer(
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    help="Search documents about people by any spelling, script or alias of their names.",
)

IndexOption = Annotated[
    Optional[Path],
    typer.Option(
        "--index",
        envvar="SEARCHDOC_INDEX",
        help="Index folder (default: ./index, or $SEARCHDOC_INDEX).",
        show_default=False,
    ),
]
EngineOption = Annotated[
    Optional[str],
    typer.Option("--engine", envvar="SEARCHDOC_ENGINE", show_default=False,
                 help="whoosh (default: the index folder) or opensearch (a cluster, at "
                 "--url; `index` updates the folder, then the cluster)."),
]
UrlOption = Annotated[
    Optional[str],
    typer.Option("--url", envvar="SEARCHDOC_OPENSEARCH_URL", show_default=False,
                 help="The OpenSearch cluster: http://HOST:PORT[/NAME], several nodes "
                 "separated by commas (or $SEARCHDOC_OPENSEARCH_URL)."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="JSON Lines: one object per line.")]
ContextOption = Annotated[int, typer.Option("--context", "-C", help="Also show the N passages "
                                            "before and after, from the same document.",
                                            min=0, metavar="N")]


def _stderr(msg: str) -> None:
    from searchdoc.output import safe

    sys.stderr.write(f"searchdoc: {safe(msg)}\n")
    sys.stderr.flush()


def _open(index: Path | None, report: Callable[[str], None] = _stderr,
          engine: str | None = None, url: str | None = None) -> Index:
    """The index for a command (built from ./seeds when first read, saying so)."""
    from searchdoc.api import Index

    return Index(index, report=report, engine=engine, url=url)


def _version(value: bool) -> None:
    if value:
        from searchdoc import __version__

        sys.stdout.write(f"searchdoc {__version__}\n")
        raise typer.Exit(EXIT_FOUND)


@app.callback()
def _main(
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.",
                                          callback=_version, is_eager=True)] = False,
) -> None:
    """Search documents about people by any spelling, script or alias of their names."""


@app.command("index")
def index_cmd(
    paths: Annotated[
        Optional[list[str]],
        typer.Argument(help="Files and folders to index (default: the folders already "
                       "indexed, or ./seeds for a new index).", show_default=False),
    ] = None,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Start over from an empty index.")] = False,
    wait: Annotated[float, typer.Option("--wait", help="Seconds to wait for another "
                                        "index run to finish.", min=0)] = 0.0,
    index: IndexOption = None,
    engine: EngineOption = None,
    url: UrlOption = None,
) -> None:
    """Index files and folders (incremental: only new, changed and removed files)."""
    from searchdoc.output import ProgressBar

    bar = ProgressBar(sys.stderr)
    try:
        summary = _open(index, report=bar.message, engine=engine, url=url).update(
            paths or None, rebuild=rebuild, wait=wait, progress=bar if bar.enabled else None)
    finally:
        bar.clear()
    _stderr(summary.line())
    raise typer.Exit(EXIT_FOUND)


@app.command("query")
def query_cmd(
    text: Annotated[str, typer.Argument(help="What to search for; '-' reads one query per "
                                        "line from stdin.", show_default=False)],
    limit: Annotated[Optional[int], typer.Option(
        "--limit", "-n", min=1, show_default=False,
        help="Hits per query (default 10); with -l, sources; with -c, the most to count.")] = None,
    json_out: JsonOption = False,
    tsv: Annotated[bool, typer.Option("--tsv", help="One line per hit: query, rank, score, "
                                      "source, line_start, text.")] = False,
    source: Annotated[Optional[str], typer.Option("--source", help="Only sources under this "
                                                  "folder or file name (whole path components, "
                                                  "e.g. mail, in/mail, box.mbox), or matching "
                                                  "this glob (*.pdf, in/*/x.pdf).")] = None,
    no_aliases: Annotated[bool, typer.Option("--no-aliases", help="Do not also search the "
                                             "other names of the person the query names.")] = False,
    context: ContextOption = 0,
    files: Annotated[bool, typer.Option("--files-with-matches", "-l", help="Print only the "
                                        "sources with a hit, once each, best first.")] = False,
    count: Annotated[bool, typer.Option("--count", "-c", help="Print only the number of "
                                        "hits (per query).")] = False,
    min_score: Annotated[float, typer.Option(
        "--min-score", min=0.0, max=1.0, help="Only hits whose name score (how well the "
        "query's words matched, 0 to 1) is this or more.")] = 0.0,
    index: IndexOption = None,
    engine: EngineOption = None,
    url: UrlOption = None,
) -> None:
    """Search the index; print passages with their sources."""
    from searchdoc.output import (
        TextRenderer,
        count_line,
        hit_tsv,
        jsonl,
        source_match_line,
        write_line,
    )

    _only_one({"--json": json_out, "--tsv": tsv})
    _only_one({"--count": count, "--files-with-matches": files, "--tsv": tsv,
               "--context": context > 0})
    out = sys.stdout
    renderer = TextRenderer(out) if not (json_out or tsv) else None
    aliases = not no_aliases
    batch = text == "-"
    found = False
    listed: set[str] = set()  # -l in batch mode: each source once, for all the queries
    with _open(index, engine=engine, url=url) as ix:
        for q in _stdin_queries() if batch else iter([text]):
            if count:
                n = ix.count(q, limit=limit, source=source, aliases=aliases,
                             min_score=min_score)
                found = found or n.count > 0
                write_line(out, jsonl(n.to_dict()) if json_out else count_line(n, batch))
                continue
            if files:
                matches = ix.files_with_matches(q, limit=limit, source=source, aliases=aliases,
                                                min_score=min_score)
                found = found or bool(matches)
                for m in matches:
                    if json_out:
                        write_line(out, jsonl(m.to_dict()))
                    elif m.source not in listed:
                        listed.add(m.source)
                        write_line(out, source_match_line(m))
                continue
            hits = ix.search(q, limit=limit or 10, source=source, aliases=aliases,
                             context=context, min_score=min_score)
            found = found or bool(hits)
            if renderer is not None:
                if batch:
                    write_line(out, f"== {q}")
                if not hits and batch:
                    write_line(out, "   (no match)\n")
                for h in hits:
                    write_line(out, renderer.hit(h))
            else:
                for h in hits:
                    write_line(out, jsonl(h.to_dict()) if json_out else hit_tsv(h))
            out.flush()
    raise typer.Exit(EXIT_FOUND if found else EXIT_NOT_FOUND)


def _only_one(options: dict[str, bool]) -> None:
    given = [name for name, on in options.items() if on]
    if len(given) > 1:
        raise InvalidArgument(f"{given[0]} and {given[1]} cannot be used together "
                              "(see `searchdoc query --help`)")


def _stdin_queries() -> Iterator[str]:
    for line in sys.stdin:
        q = line.rstrip("\n").rstrip("\r")
        if q.strip():
            yield q


@app.command("show")
def show_cmd(
    passage: Annotated[str, typer.Argument(help="A passage id, as printed with a hit.",
                                           show_default=False)],
    context: ContextOption = 0,
    json_out: JsonOption = False,
    index: IndexOption = None,
    engine: EngineOption = None,
    url: UrlOption = None,
) -> None:
    """Print one passage in full, with passages around it from the same document (a PDF's
    whole page)."""
    from searchdoc.output import TextRenderer, jsonl, write_line

    with _open(index, engine=engine, url=url) as ix:
        shown = ix.show(passage, context=context)
    if json_out:
        for obj in shown.to_dicts():
            write_line(sys.stdout, jsonl(obj))
    else:
        renderer = TextRenderer(sys.stdout)
        for p in shown.passages:
            write_line(sys.stdout, renderer.passage(p, focus=p.ordinal == shown.passage.ordinal))
    raise typer.Exit(EXIT_FOUND)


@app.command("aliases")
def aliases_cmd(
    name: Annotated[Optional[str], typer.Argument(help="A name, in any spelling or script.",
                                                  show_default=False)] = None,
    all_entities: Annotated[bool, typer.Option("--all", help="List every entity.")] = False,
    json_out: JsonOption = False,
    index: IndexOption = None,
    engine: EngineOption = None,
    url: UrlOption = None,
) -> None:
    """Show the person a name belongs to: all their names, by script, with their sources."""
    from searchdoc.output import entity_text, jsonl, write_line

    if not name and not all_entities:
        raise typer.BadParameter("give a NAME, or --all")
    with _open(index, engine=engine, url=url) as ix:
        found = ix.entities() if all_entities else ix.aliases(name or "")
    for e in found:
        write_line(sys.stdout, jsonl(e.to_dict()) if json_out else entity_text(e))
    raise typer.Exit(EXIT_FOUND if found else EXIT_NOT_FOUND)


@app.command("sources")
def sources_cmd(json_out: JsonOption = False, index: IndexOption = None,
                engine: EngineOption = None, url: UrlOption = None) -> None:
    """List the indexed sources and whether each has changed since it was indexed."""
    from searchdoc.output import jsonl, source_line, write_line

    with _open(index, engine=engine, url=url) as ix:
        rows = ix.sources()
    for r in rows:
        write_line(sys.stdout, jsonl(r.to_dict()) if json_out else source_line(r))
    raise typer.Exit(EXIT_FOUND if rows else EXIT_NOT_FOUND)


@app.command("serve")
def serve_cmd(
    index: IndexOption = None,
    port: Annotated[int, typer.Option("--port", help="Port to listen on.", min=1,
                                      max=65535)] = 8765,
    host: Annotated[str, typer.Option("--host", help="Address to listen on (default: this "
                                      "machine only; any other asks for the token printed "
                                      "at start).")] = "127.0.0.1",
    open_browser: Annotated[bool, typer.Option("--open", help="Open the page in a "
                                               "browser.")] = False,
) -> None:
    """Read the hits in a local web page: search, filters, the passage in its document (a
    PDF's page beside it), people, batches of names, exports. Read-only."""
    from searchdoc.web.app import serve

    path = index or Path(os.environ.get("SEARCHDOC_INDEX") or "index")
    try:
        serve(path, host=host, port=port, open_browser=open_browser, announce=_stderr_plain)
    except OSError as exc:
        raise InvalidArgument(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    raise typer.Exit(EXIT_FOUND)


def _stderr_plain(line: str) -> None:
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the app, turn every user error into one line and an exit code."""
    from typer.main import get_command

    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] != ["index"]:  # (paths to index keep their bytes: sources.py names them)
        args = [_text_of(a) for a in args]
    command = get_command(app)
    _forgiving_stdio()
    _terminate_as_interrupt()
    try:
        rv = command.main(args=args, prog_name="searchdoc", standalone_mode=False)
        code = rv if isinstance(rv, int) else EXIT_FOUND
        if code == 130 and _terminated:
            _stderr("terminated")
            code = 143
        elif code == 130:  # typer turns Ctrl-C into a silent exit 130
            _stderr("interrupted")
    except SystemExit as e:
        # typer ends a command whose stdout was closed (`| head -1`) with exit 1, after
        # wrapping stdout to hush it: end quietly with 0 instead, as grep does.
        if type(sys.stdout).__name__ == "PacifyFlushWrapper":
            code = _broken_pipe()
        else:
            code = e.code if isinstance(e.code, int) else EXIT_ERROR
    except typer.Exit as e:
        code = e.exit_code
    except SearchdocError as e:
        _stderr(str(e))
        code = e.exit_code
    except typer.TyperException as e:  # usage errors: bad option, missing argument
        _stderr(f"{e.format_message()} (see `searchdoc --help`)")
        code = EXIT_ERROR
    except (KeyboardInterrupt, typer.Abort) as e:  # (click turns them into Abort)
        if _terminated or Terminated in (type(e), type(e.__cause__), type(e.__context__)):
            _stderr("terminated")
            code = 143
        else:
            _stderr("interrupted")
            code = 130
    except BrokenPipeError:
        code = _broken_pipe()
    except OSError as e:  # the system refused something (disk, permissions): one line
        where = f"{e.filename}: " if e.filename else ""
        _stderr(f"{where}{e.strerror or e}")
        code = EXIT_ERROR
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        code = _broken_pipe()
    return code


_terminated = False  # SIGTERM arrived (typer may swallow the exception into exit 130)


class Terminated(KeyboardInterrupt):
    """SIGTERM (`kill`, a CI timeout, a service manager): stopped as Ctrl-C stops a run,
    its writer processes killed, the lock released, the old index kept."""


def _terminate_as_interrupt() -> None:
    import signal

    def stop(_signum: int, _frame: object) -> None:
        global _terminated
        _terminated = True
        raise Terminated

    try:
        signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread (a test harness): left as it is
        pass


def _text_of(arg: str) -> str:
    """An argument as text: bytes that are not UTF-8 (the system gives them as lone
    surrogates) become U+FFFD, so that no later step fails on them."""
    try:
        arg.encode("utf-8")
        return arg
    except UnicodeEncodeError:
        return arg.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _forgiving_stdio() -> None:
    """Undecodable bytes on stdin and characters the terminal's encoding lacks are replaced
    rather than ending the run with a traceback (a Latin-1 terminal, a stray byte in a
    batch of queries)."""
    for stream in (sys.stdin, sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="replace")  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            pass


def _broken_pipe() -> int:
    # The reader went away (`| head -1`): end quietly, as grep does.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return EXIT_FOUND


def run() -> None:
    sys.exit(main())


if __name__ == "__main__":
    run()
