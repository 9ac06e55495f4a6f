"""The web server of `searchdoc serve`: Starlette routes over the library (the same calls
the CLI makes, no second search path), Jinja2 templates with autoescape, uvicorn.

Read-only and local by design: only GET and HEAD; bound to 127.0.0.1 unless told; the
Host header must name this server (no DNS rebinding); on any other address a token
printed at start is required (as Jupyter does); every response carries a Content-Security-
Policy without inline script, ``nosniff`` and no referrer; sources are served only as
indexed, looked up by an id, never by a path from the URL, and an indexed HTML page or
e-mail is never rendered from this origin (it is sent as an attachment). The index is
reopened when `searchdoc index` makes a new generation.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
import threading
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from searchdoc.api import Index
from searchdoc.errors import SearchdocError
from searchdoc.explain import highlight_spans
from searchdoc.index.generations import current_gen
from searchdoc.models import Hit
from searchdoc.output import hit_json, location
from searchdoc.results import Entity, Source
from searchdoc.web import present

PAGE_SIZE = 20
MAX_HITS = 1000  # hits read per query for the totals, the facets and the exports
MAX_BATCH = 200  # names of one batch
MAX_QUERY = 500  # characters of a query
CONTEXT = 4  # passages shown around a hit in its document
PDF_SCALE = 1.5  # the page image: 108 dpi
LOOPBACK = ("127.0.0.1", "::1", "localhost")

Scope = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]],
                   Awaitable[None]]

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
       "base-uri 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class Guard:
    """ASGI middleware: the Host header, the methods, the token, the security headers."""

    def __init__(self, app: ASGIApp, hosts: set[str], token: str | None) -> None:
        self.app = app
        self.hosts = hosts
        self.token = token

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def secured(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", [])
                           if h[0].lower() not in {k for k, _v in SECURITY_HEADERS}]
                if not any(h[0].lower() == b"content-security-policy"
                           for h in message.get("headers", [])):
                    headers += SECURITY_HEADERS
                else:  # a response with its own, stricter policy keeps it
                    headers += [h for h in SECURITY_HEADERS if h[0] != b"content-security-policy"]
                    headers += [h for h in message["headers"]
                                if h[0].lower() == b"content-security-policy"]
                message["headers"] = headers
            await send(message)

        headers = {k.decode("latin-1").lower(): v.decode("latin-1")
                   for k, v in scope.get("headers", [])}
        host = headers.get("host", "")
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        if name.strip("[]").lower() not in self.hosts:
            await PlainTextResponse("400: this server answers only to its own address "
                                    "(Host header refused)", 400)(scope, receive, secured)
            return
        if scope["method"] not in ("GET", "HEAD"):
            await PlainTextResponse("405: read-only", 405,
                                    headers={"Allow": "GET, HEAD"})(scope, receive, secured)
            return
        if self.token is not None:
            request = Request(scope)
            given = request.query_params.get("token") or request.cookies.get("searchdoc_token")
            if not given or not hmac.compare_digest(given, self.token):
                await PlainTextResponse("403: open the address with the token printed by "
                                        "`searchdoc serve`", 403)(scope, receive, secured)
                return
            if request.query_params.get("token"):
                async def with_cookie(message: MutableMapping[str, Any]) -> None:
                    if message["type"] == "http.response.start":
                        message.setdefault("headers", []).append(
                            (b"set-cookie", f"searchdoc_token={self.token}; HttpOnly; "
                             "SameSite=Strict; Path=/".encode()))
                    await secured(message)
                await self.app(scope, receive, with_cookie)
                return
        await self.app(scope, receive, secured)


class Library:
    """The index the pages read: one open :class:`Index`, used by one request at a time,
    reopened when a new generation is live."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.index = Index(path, seeds=None)
        self.lock = threading.Lock()
        self.gen: Path | None = None
        self._sources: dict[str, Source] | None = None

    def fresh(self) -> Index:
        """The index, reopened if `searchdoc index` has switched the live generation."""
        gen = current_gen(self.path)
        if gen != self.gen:
            self.index.close()
            self.gen = gen
            self._sources = None
        return self.index

    def sources(self) -> dict[str, Source]:
        """The indexed files by source id."""
        if self._sources is None:
            self._sources = {present.source_id(s.source): s for s in self.index.sources()}
        return self._sources


def _template_env() -> Environment:
    env = Environment(loader=PackageLoader("searchdoc.web", "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.globals.update(url=present.url, direction=present.direction,
                       FACET_LABEL=present.FACET_LABEL, names_by_script=present.names_by_script)
    return env


def _filters(request: Request) -> dict[str, list[str]]:
    return {f: [v for v in request.query_params.getlist(f) if v] for f in present.FACETS}


def _query(request: Request) -> str:
    return " ".join(request.query_params.get("q", "").split())[:MAX_QUERY]


def _score(request: Request) -> float:
    try:
        value = float(request.query_params.get("min_score", "0") or 0)
    except ValueError:
        return 0.0
    return min(max(value, 0.0), 1.0)


def create_app(index_path: Path, *, hosts: set[str] | None = None,
               token: str | None = None) -> ASGIApp:
    """The web application over the index at `index_path`. `hosts`: the names the Host
    header may give (default: loopback); `token`: required on every request when set."""
    lib = Library(Path(index_path))
    env = _template_env()

    def page(name: str, status: int = 200, **context: Any) -> HTMLResponse:
        return HTMLResponse(env.get_template(name).render(**context), status)

    def error(message: str, status: int) -> HTMLResponse:
        return page("error.html", status, message=message, q="")

    def searched(request: Request) -> tuple[str, list[Hit], list[Entity], dict[str, Entity]]:
        q = _query(request)
        if not q:
            return q, [], [], {}
        ix = lib.fresh()
        source = request.query_params.get("source") or None
        hits = ix.search(q, limit=MAX_HITS, source=source, min_score=_score(request))
        people = ix.aliases(q) if hits else []
        return q, hits, people, present.people_of(hits, people)

    def guarded(handler: Callable[[Request], Response]) -> Callable[[Request], Response]:
        def run(request: Request) -> Response:
            try:
                with lib.lock:
                    return handler(request)
            except SearchdocError as exc:
                return error(str(exc), 404 if "passage" in type(exc).__name__.lower() else 500)
        return run

    @guarded
    def results(request: Request) -> Response:
        q, hits, people, persons = searched(request)
        chosen = _filters(request)
        kept, counts = present.facets(hits, persons, chosen)
        try:
            number = max(int(request.query_params.get("page", "1")), 1)
        except ValueError:
            number = 1
        pages = max((len(kept) + PAGE_SIZE - 1) // PAGE_SIZE, 1)
        number = min(number, pages)
        shown = kept[(number - 1) * PAGE_SIZE:number * PAGE_SIZE]
        views = [present.hit_view(h, persons.get(h.passage.id)) for h in shown]
        params = {"q": q, "source": request.query_params.get("source", ""),
                  "min_score": request.query_params.get("min_score", ""), **chosen}
        return page("results.html", q=q, views=views, total=len(kept), found=len(hits),
                    capped=len(hits) >= MAX_HITS, counts=counts, chosen=chosen, params=params,
                    page=number, pages=pages, people=people)

    @guarded
    def export(request: Request) -> Response:
        fmt = request.path_params["fmt"]
        if fmt not in ("csv", "jsonl"):
            return error("exports are .csv and .jsonl", 404)
        _q, hits, _people, persons = searched(request)
        kept, _counts = present.facets(hits, persons, _filters(request))
        name = "searchdoc-results"
        if fmt == "jsonl":
            body = "".join(hit_json(h) + "\n" for h in kept)
            return Response(body, media_type="application/x-ndjson", headers={
                "Content-Disposition": f'attachment; filename="{name}.jsonl"'})
        views = [present.hit_view(h, persons.get(h.passage.id)) for h in kept]
        body = present.csv_text(present.hit_rows(views), present.HIT_COLUMNS)
        return Response("\ufeff" + body, media_type="text/csv; charset=utf-8", headers={
            "Content-Disposition": f'attachment; filename="{name}.csv"'})

    @guarded
    def passage(request: Request) -> Response:
        pid = request.query_params.get("id", "")
        q = _query(request)
        ix = lib.fresh()
        shown = ix.show(pid, context=CONTEXT)
        target = shown.passage
        hits = ix.search(q, limit=MAX_HITS, source=target.source) if q else []
        mine = sorted((h for h in hits if h.passage.source == target.source),
                      key=lambda h: h.passage.ordinal)
        marked = {h.passage.id: h for h in mine}
        ordinals = [h.passage.ordinal for h in mine]
        prev_hit = next((h for h in reversed(mine) if h.passage.ordinal < target.ordinal), None)
        next_hit = next((h for h in mine if h.passage.ordinal > target.ordinal), None)
        blocks = []
        for p in shown.passages:
            hit = marked.get(p.id)
            spans = highlight_spans(hit) if hit is not None else []
            lines = []
            pieces = present.segments(p.text, spans)
            # lines numbered from the passage's first line (a record: its fields)
            number = p.line_start
            current: list[tuple[str, bool]] = []
            for text, mark in pieces:
                parts = text.split("\n")
                for k, part in enumerate(parts):
                    if k:
                        lines.append((number, current))
                        number, current = number + 1, []
                    if part:
                        current.append((part, mark))
            lines.append((number, current))
            blocks.append({"p": p, "lines": lines, "focus": p.id == target.id, "hit": hit,
                           "dir": present.direction(p.text)})
        src = lib.sources()
        sid = present.source_id(target.source)
        original = src.get(sid)
        is_pdf = original is not None and original.path.lower().endswith(".pdf")
        return page("passage.html", q=q, target=target, blocks=blocks, sid=sid,
                    original=original, is_pdf=is_pdf, prev_hit=prev_hit, next_hit=next_hit,
                    where=location(target), hits_here=len(ordinals),
                    view=present.hit_view(marked[target.id], None) if target.id in marked
                    else None)

    @guarded
    def person(request: Request) -> Response:
        name = _query(request) or " ".join(request.query_params.get("name", "").split())
        ix = lib.fresh()
        people = ix.aliases(name) if name else []
        hits = ix.search(name, limit=PAGE_SIZE) if name else []
        persons = present.people_of(hits, people)
        views = [present.hit_view(h, persons.get(h.passage.id)) for h in hits]
        return page("person.html", q=name, people=people, views=views)

    @guarded
    def batch(request: Request) -> Response:
        names, rows = _batch_rows(request)
        if request.path_params.get("fmt") == "csv":
            body = present.csv_text(
                ([r["name"], r["person"], r["hits"], r["best"], r["score"], r["where"]]
                 for r in rows), ("name", "person", "hits", "best_hit", "name_score", "where"))
            return Response("\ufeff" + body, media_type="text/csv; charset=utf-8", headers={
                "Content-Disposition": 'attachment; filename="searchdoc-batch.csv"'})
        return page("batch.html", q="", names="\n".join(names), rows=rows)

    def _batch_rows(request: Request) -> tuple[list[str], list[dict[str, Any]]]:
        raw = request.query_params.get("names", "")
        names = [" ".join(n.split())[:MAX_QUERY] for n in raw.splitlines() if n.strip()]
        names = list(dict.fromkeys(names))[:MAX_BATCH]
        ix = lib.fresh()
        rows = []
        for n in names:
            hits = ix.search(n, limit=MAX_HITS)
            people = ix.aliases(n) if hits else []
            best = hits[0] if hits else None
            rows.append({"name": n, "person": people[0].name if people else "",
                         "hits": len(hits), "best": best.passage.title if best else "",
                         "score": best.name_score if best else "",
                         "where": location(best.passage) if best else "",
                         "id": best.passage.id if best else ""})
        return names, rows

    @guarded
    def original(request: Request) -> Response:
        found = lib.sources().get(request.path_params["sid"])
        path = Path(found.path) if found is not None else None
        if path is None or not path.is_file():
            return error("no such source in the index", 404)
        name = path.name.replace('"', "")
        if path.suffix.lower() == ".pdf":
            return Response(path.read_bytes(), media_type="application/pdf",
                            headers={"Content-Disposition": f'inline; filename="{name}"'})
        if path.suffix.lower() in (".txt", ".md", ".csv", ".tsv", ".json", ".jsonl"):
            return Response(path.read_bytes(), media_type="text/plain; charset=utf-8",
                            headers={"Content-Security-Policy": "sandbox; default-src 'none'",
                                     "Content-Disposition": f'inline; filename="{name}"'})
        # HTML, e-mail, Word, XML...: never rendered from this origin
        return Response(path.read_bytes(), media_type="application/octet-stream",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})

    @guarded
    def pdf_page(request: Request) -> Response:
        found = lib.sources().get(request.path_params["sid"])
        if found is None or not found.path.lower().endswith(".pdf"):
            return error("no such PDF in the index", 404)
        try:
            number = int(request.path_params["page"])
        except ValueError:
            return error("no such page", 404)
        png = render_page(Path(found.path), number)
        if png is None:
            return error("no such page", 404)
        return Response(png, media_type="image/png")

    async def health(_request: Request) -> Response:
        return PlainTextResponse("ok")

    static = Path(__file__).with_name("static")
    routes = [
        Route("/", results),
        Route("/export.{fmt:str}", export),
        Route("/passage", passage),
        Route("/person", person),
        Route("/batch", batch),
        Route("/batch.{fmt:str}", batch),
        Route("/original/{sid:str}", original),
        Route("/page/{sid:str}/{page:str}.png", pdf_page),
        Route("/health", health),
        Mount("/static", StaticFiles(directory=static), name="static"),
    ]

    async def not_found(request: Request, _exc: Exception) -> Response:
        return HTMLResponse(env.get_template("error.html").render(
            message="no such page", q=""), 404)

    app = Starlette(routes=routes, exception_handlers={404: not_found})
    allowed = {h.lower() for h in (hosts or set())} | {"127.0.0.1", "localhost", "::1"}
    return Guard(app, allowed, token)


def render_page(path: Path, number: int) -> bytes | None:
    """Page `number` (from 1) of a PDF as PNG, with the PDF library searchdoc reads PDFs
    with; None when there is no such page or the file cannot be read."""
    import io

    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(str(path))
    except (pdfium.PdfiumError, OSError):
        return None
    try:
        if not 1 <= number <= len(doc):
            return None
        bitmap = doc[number - 1].render(scale=PDF_SCALE)
        out = io.BytesIO()
        _png(bitmap, out)
        return out.getvalue()
    finally:
        doc.close()


def _png(bitmap: Any, out: Any) -> None:
    """A PNG of a PDFium bitmap (zlib and the standard library: no imaging library)."""
    import struct
    import zlib

    width, height, stride = bitmap.width, bitmap.height, bitmap.stride
    channels = bitmap.n_channels  # BGR or BGRA (PDFium's order)
    raw = bytes(bitmap.buffer)
    rows = []
    for y in range(height):
        row = raw[y * stride:y * stride + width * channels]
        if channels >= 3:  # BGR(A) -> RGB
            pixels = bytearray(width * 3)
            pixels[0::3] = row[2::channels]
            pixels[1::3] = row[1::channels]
            pixels[2::3] = row[0::channels]
        else:
            pixels = bytearray(row)
        rows.append(b"\x00" + bytes(pixels))
    color = 2 if channels >= 3 else 0

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    out.write(b"\x89PNG\r\n\x1a\n")
    out.write(chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, color, 0, 0, 0)))
    out.write(chunk(b"IDAT", zlib.compress(b"".join(rows), 6)))
    out.write(chunk(b"IEND", b""))


def serve(index_path: Path, host: str = "127.0.0.1", port: int = 8765, open_browser: bool = False,
          announce: Callable[[str], None] = print) -> None:
    """Run the server until interrupted; say where it listens (with the token when one is
    needed)."""
    import uvicorn

    Index(index_path, seeds=None).sources()  # fails here, in one line, if there is no index
    token = None if is_loopback(host) else secrets.token_urlsafe(24)
    hosts = set() if host in ("0.0.0.0", "::") else {host}
    if host in ("0.0.0.0", "::"):
        import socket

        hosts |= {socket.gethostname(), socket.getfqdn()}
    app = create_app(index_path, hosts=hosts, token=token)
    shown = f"[{host}]" if ":" in host else host
    address = f"http://{shown}:{port}/" + (f"?token={token}" if token else "")
    announce(f"searchdoc: serving {index_path} at {address} (Ctrl-C to stop)")
    if open_browser:
        import webbrowser

        threading.Timer(0.5, webbrowser.open, (address,)).start()
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False,
                            server_header=False, date_header=False)
    uvicorn.Server(config).run()

