"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint on localhost.

Oxigraph answers; a small standard-library HTTP server speaks the protocol:
``GET /sparql?query=…``, ``POST`` with a form (``query=…``) or a
``application/sparql-query`` body. Results are negotiated from ``Accept``:
SPARQL results as JSON (default), XML, CSV or TSV; CONSTRUCT and DESCRIBE
graphs as Turtle (default), N-Triples, JSON-LD or RDF/XML. Updates are
refused (403): the endpoint never changes the graph.

Limits (see :class:`QueryRunner`): each query runs in a forked process that
is killed after ``timeout`` seconds (503), so a runaway query neither runs on
after its client gave up nor holds up the others; an answer bigger than
``max_bytes`` is refused (413). ``SERVICE`` (federated queries, which make
the server send HTTP requests to any address) is refused (403) unless
``allow_service``; no CORS header is sent unless ``cors`` names the one
origin whose pages may read the answers.

>>> best_type("text/csv;q=0.5, application/sparql-results+xml", RESULT_TYPES)
'application/sparql-results+xml'
"""

from __future__ import annotations

import io
import json
import os
import re
import select
import signal
import sys
import threading
import time
from collections.abc import Mapping
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox

from kg.errors import GraphError, UsageError
from kg.rdf.namespace import PREFIXES
from kg.rdf.store import Store, open_folder

__all__ = ["QueryRunner", "best_type", "check_port", "make_server", "serve", "uses_service"]

RESULT_TYPES: dict[str, ox.QueryResultsFormat] = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_TYPES: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "text/plain": ox.RdfFormat.N_TRIPLES,
}
MAX_BODY = 1 << 20  # a query, not a data upload
DEFAULT_TIMEOUT = 30.0
"""Seconds a query may run before it is stopped (``kg serve --timeout``)."""
MAX_RESULT_BYTES = 64 << 20
"""Largest answer sent, in bytes (``kg serve --max-result-mb``); a bigger one is refused (413)."""
MAX_CONCURRENT = 4
"""Queries evaluated at once (each in its own process); more wait for a free slot."""

# what cannot hold the keyword SERVICE: comments, strings and IRIs
_NOT_KEYWORDS = re.compile(
    r"#[^\n]*|'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\""
    r"|<[^<>\"{}|^`\\\s]*>",
    re.DOTALL)
_SERVICE = re.compile(r"(?<![\w?$:])SERVICE(?![\w:-])", re.IGNORECASE)


def uses_service(query: str) -> bool:
    """Whether ``query`` uses ``SERVICE`` (a federated query), outside strings, IRIs, comments.

    >>> uses_service("SELECT * WHERE { SERVICE <http://10.0.0.1/> { ?s ?p ?o } }")
    True
    >>> uses_service('SELECT ?service WHERE { ?service rdfs:label "SERVICE" } # SERVICE')
    False
    """
    return _SERVICE.search(_NOT_KEYWORDS.sub(" ", query)) is not None


def best_type(accept: str | None, offered: Mapping[str, object]) -> str | None:
    """The offered media type the ``Accept`` header prefers (first offered for ``*/*``)."""
    default = next(iter(offered))
    if not accept:
        return default
    choices = []
    for i, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        mtype, q = fields[0].lower(), 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        choices.append((-q, i, mtype))
    for neg_q, _, mtype in sorted(choices):
        if neg_q == 0:
            break
        if mtype in offered:
            return mtype
        if mtype in ("*/*", "application/*", "text/*"):
            major = mtype.split("/")[0]
            return next((t for t in offered if major == "*" or t.startswith(major)), default)
    return None


# -------------------------------------------------------------- evaluating with limits


Answer = tuple[int, str, bytes]  # status, media type, body


class QueryRunner:
    """Evaluates queries with a time limit and a size limit, each in a forked process.

    The child evaluates the query, serializes the answer (at most
    ``max_bytes``) and sends it through a pipe; the parent waits at most
    ``timeout`` seconds and kills the child after that, which frees all the
    query held at once (Oxigraph cannot cancel a running query). A store
    folder is opened again, read-only, in each child. At most ``concurrent``
    queries run at a time. Without ``os.fork`` (Windows) queries run in the
    server's threads with the size limit only.

    >>> from rdflib import Literal, URIRef
    >>> s = Store()
    >>> _ = s.add([(URIRef("https://e.org/a"), URIRef("https://e.org/p"), Literal("甲"))])
    >>> status, mtype, body = QueryRunner(s, timeout=5).run("ASK { ?s ?p ?o }", None)
    >>> status, mtype, json.loads(body)["boolean"]
    (200, 'application/sparql-results+json', True)
    """

    def __init__(self, store: Store, *, timeout: float = DEFAULT_TIMEOUT,
                 max_bytes: int = MAX_RESULT_BYTES, concurrent: int = MAX_CONCURRENT) -> None:
        self.store = store
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.slots = threading.BoundedSemaphore(concurrent)
        self.fork = hasattr(os, "fork")

    def run(self, query: str, accept: str | None) -> Answer:
        """The answer to ``query`` for the ``Accept`` header ``accept``."""
        started = time.monotonic()
        if not self.slots.acquire(timeout=self.timeout):
            return _plain(HTTPStatus.SERVICE_UNAVAILABLE, "the server is busy; try again")
        try:
            if not self.fork:
                return self.evaluate(self.store, query, accept)
            return self._forked(query, accept, self.timeout - (time.monotonic() - started))
        finally:
            self.slots.release()

    def evaluate(self, store: Store, query: str, accept: str | None) -> Answer:
        """Run ``query`` on ``store`` and serialize its answer (in this process)."""
        try:
            result = store.raw_query(query)
        except GraphError as exc:
            return _plain(HTTPStatus.BAD_REQUEST, str(exc))
        buf = _Bounded(self.max_bytes)
        try:
            if isinstance(result, ox.QueryTriples):
                mtype = best_type(accept, GRAPH_TYPES)
                if mtype is None:
                    return _plain(HTTPStatus.NOT_ACCEPTABLE, "offers " + ", ".join(GRAPH_TYPES))
                ox.serialize(result, buf, GRAPH_TYPES[mtype], prefixes=PREFIXES)
            else:
                mtype = best_type(accept, RESULT_TYPES)
                if mtype is None:
                    return _plain(HTTPStatus.NOT_ACCEPTABLE, "offers " + ", ".join(RESULT_TYPES))
                result.serialize(buf, RESULT_TYPES[mtype])
        except Exception as exc:  # Oxigraph may pass the writer's error on wrapped
            if buf.over:
                return _plain(HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                              f"the answer is over the limit of {self.max_bytes:,} bytes; add "
                              "a LIMIT or select fewer variables")
            return _plain(HTTPStatus.BAD_REQUEST, f"SPARQL query failed: {exc}")
        return HTTPStatus.OK, mtype, buf.getvalue()

    def _forked(self, query: str, accept: str | None, left: float) -> Answer:
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: evaluate, send, and leave without any of the parent's cleanup
            code = 1
            try:
                os.close(read_end)
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                store = self.store
                if store.path is not None and store.temp is None:
                    store = Store(store.path, read_only=True)  # RocksDB: a handle of its own
                status, mtype, body = self.evaluate(store, query, accept)
                head = json.dumps([int(status), mtype]).encode()
                _write_all(write_end, len(head).to_bytes(4, "big") + head + body)
                code = 0
            finally:
                os._exit(code)
        os.close(write_end)
        data = None
        try:
            data = _read_until(read_end, time.monotonic() + left, self.max_bytes + 4096)
        finally:
            os.close(read_end)
            if data is None:
                os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        if data is None:
            return _plain(HTTPStatus.SERVICE_UNAVAILABLE,
                          f"the query ran over the time limit of {self.timeout:g} s and was "
                          "stopped; make it more selective or add a LIMIT")
        if len(data) < 4:
            return _plain(HTTPStatus.INTERNAL_SERVER_ERROR, "the query process failed")
        size = int.from_bytes(data[:4], "big")
        status, mtype = json.loads(data[4:4 + size])
        return status, mtype, data[4 + size:]


class _Bounded(io.RawIOBase):
    """A byte buffer that refuses to grow past ``limit``."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit
        self.parts: list[bytes] = []
        self.size = 0
        self.over = False

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.size += len(data)
        if self.size > self.limit:
            self.over = True
            raise OSError("the answer is too big")
        self.parts.append(bytes(data))
        return len(data)

    def getvalue(self) -> bytes:
        return b"".join(self.parts)


def _plain(status: HTTPStatus, message: str) -> Answer:
    return status, "text/plain", (message + "\n").encode("utf-8")


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _read_until(fd: int, deadline: float, limit: int) -> bytes | None:
    """Everything until EOF, or None when ``deadline`` passes first."""
    parts, size = [], 0
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            return None
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            return b"".join(parts)
        size += len(chunk)
        if size > limit:  # the child keeps to the limit; this only guards against a bug
            return None
        parts.append(chunk)


# -------------------------------------------------------------- the protocol


class _Handler(BaseHTTPRequestHandler):
    server_version = "kg-sparql/1"
    runner: QueryRunner  # set on the subclass make_server builds
    quiet = False
    allow_service = False
    cors: str | None = None

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path not in ("/", "/sparql", "/query"):
            return self._error(HTTPStatus.NOT_FOUND, "the endpoint is /sparql")
        params = parse_qs(url.query)
        if "update" in params:
            return self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only")
        if "query" not in params:
            return self._text(HTTPStatus.OK, "kg SPARQL endpoint: GET or POST /sparql?query=…\n")
        self._answer(params["query"][0])

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        if url.path not in ("/", "/sparql", "/query", "/update"):
            return self._error(HTTPStatus.NOT_FOUND, "the endpoint is /sparql")
        raw = (self.headers.get("Content-Length") or "0").strip()
        if not raw.isdigit():  # "abc", "-1": refused, the body never read
            return self._error(HTTPStatus.BAD_REQUEST,
                               f"Content-Length must be a number of bytes (got {raw[:20]!r})")
        length = int(raw)
        if length > MAX_BODY:
            return self._error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "query too long")
        body = self.rfile.read(length).decode("utf-8", "replace")
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if url.path == "/update" or ctype == "application/sparql-update":
            return self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only")
        if ctype == "application/sparql-query":
            return self._answer(body)
        params = parse_qs(body)
        if "update" in params:
            return self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only")
        if "query" not in params:
            return self._error(HTTPStatus.BAD_REQUEST, "POST a query= form field or an "
                                                       "application/sparql-query body")
        self._answer(params["query"][0])

    def do_PUT(self) -> None:
        self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only")

    do_DELETE = do_PATCH = do_PUT

    def do_OPTIONS(self) -> None:
        """A CORS preflight: answered only for the ``--cors`` origin."""
        if self.cors is None:
            return self._error(HTTPStatus.FORBIDDEN, "cross-origin requests are off "
                                                     "(kg serve --cors ORIGIN allows one)")
        self.send_response(HTTPStatus.NO_CONTENT)
        self.send_header("Access-Control-Allow-Origin", self.cors)
        self.send_header("Access-Control-Allow-Methods", "GET, POST")
        self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
        self.send_header("Vary", "Origin")
        self.send_header("Content-Length", "0")
        self.end_headers()

    # -- answers
    def _answer(self, query: str) -> None:
        if not self.allow_service and uses_service(query):
            return self._error(HTTPStatus.FORBIDDEN, "SERVICE (federated query) is off; start "
                                                     "kg serve with --allow-service to allow it")
        status, mtype, body = self.runner.run(query, self.headers.get("Accept"))
        self._send(HTTPStatus(status), body, mtype)

    def _text(self, status: HTTPStatus, text: str) -> None:
        self._send(status, text.encode("utf-8"), "text/plain")

    def _error(self, status: HTTPStatus, message: str) -> None:
        self.close_connection = True  # a body we did not read must not become the next request
        self._text(status, message + "\n")

    def _send(self, status: HTTPStatus, data: bytes, mtype: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", f"{mtype}; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        if self.cors is not None:
            self.send_header("Access-Control-Allow-Origin", self.cors)
            self.send_header("Vary", "Origin")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        if not self.quiet:
            sys.stderr.write(f"kg serve: {self.address_string()} {format % args}\n")


def make_server(store: Store, host: str = "127.0.0.1", port: int = 7878, *,
                quiet: bool = False, timeout: float = DEFAULT_TIMEOUT,
                max_bytes: int = MAX_RESULT_BYTES, allow_service: bool = False,
                cors: str | None = None) -> ThreadingHTTPServer:
    """A server answering SPARQL on ``store`` (``port=0``: any free port).

    ``timeout`` (seconds) and ``max_bytes`` bound each query; ``SERVICE`` is
    refused unless ``allow_service``; ``cors`` is the one origin sent in
    ``Access-Control-Allow-Origin`` (no CORS header by default).
    """
    check_port(port)
    if not timeout > 0:
        raise UsageError(f"--timeout {timeout:g}: give a number of seconds above 0")
    runner = QueryRunner(store, timeout=timeout, max_bytes=max_bytes)
    handler = type("Handler", (_Handler,), {"runner": runner, "quiet": quiet,
                                            "allow_service": allow_service, "cors": cors})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server


def check_port(port: int) -> int:
    """``port`` if a server can listen on it, else a one-line :class:`UsageError`.

    >>> check_port(99999)
    Traceback (most recent call last):
    ...
    kg.errors.UsageError: --port 99999: give a port from 0 to 65535 (0: any free port)
    """
    if not 0 <= port <= 65535:
        raise UsageError(f"--port {port}: give a port from 0 to 65535 (0: any free port)")
    return port


def open_store(path: str | os.PathLike[str]) -> Store:
    """A graph file loaded into memory, or a ``kg build --store`` folder opened read-only."""
    if os.path.isdir(path):
        return open_folder(path)
    store = Store()
    store.load(path)
    return store


def serve(path: str | os.PathLike[str], host: str = "127.0.0.1", port: int = 7878,
          ready: threading.Event | None = None, **limits: Any) -> None:
    """Serve the graph at ``path`` until interrupted (``limits``: see :func:`make_server`)."""
    check_port(port)
    store = open_store(path)
    server = make_server(store, host, port, **limits)
    url = f"http://{server.server_address[0]}:{server.server_address[1]}/sparql"
    print(f"kg serve: {len(store)} triples of {path} at {url} (read-only; Ctrl-C stops)",
          file=sys.stderr)
    if ready is not None:
        ready.set()
    try:
        server.serve_forever()
    finally:
        server.server_close()
