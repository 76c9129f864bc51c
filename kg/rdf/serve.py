"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint on localhost.

Oxigraph answers; a small standard-library HTTP server speaks the protocol:
``GET /sparql?query=…``, ``POST`` with a form (``query=…``) or a
``application/sparql-query`` body. Results are negotiated from ``Accept``:
SPARQL results as JSON (default), XML, CSV or TSV; CONSTRUCT and DESCRIBE
graphs as Turtle (default), N-Triples, JSON-LD or RDF/XML. Updates are
refused (403): the endpoint never changes the graph.

Limits (see :class:`kg.rdf.query_runner.QueryRunner`): each query runs in a
forked process that is killed after ``timeout`` seconds (503), so a runaway
query neither runs on after its client gave up nor holds up the others; an
answer bigger than ``max_bytes`` is refused (413). ``SERVICE`` (federated queries, which make
the server send HTTP requests to any address) is refused (403) unless
``allow_service``; no CORS header is sent unless ``cors`` names the one
origin whose pages may read the answers.

>>> server = make_server(Store(), port=0, quiet=True)
>>> server.server_address[0]
'127.0.0.1'
>>> server.server_close()
"""

from __future__ import annotations

import os
import re
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from kg.errors import UsageError
from kg.rdf.query_runner import DEFAULT_TIMEOUT, MAX_RESULT_BYTES, QueryRunner
from kg.rdf.store import Store
from kg.rdf.store_folders import open_folder

__all__ = ["check_port", "make_server", "open_store", "serve", "uses_service"]

MAX_BODY = 1 << 20  # a query, not a data upload

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
