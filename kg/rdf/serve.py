"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint on localhost.

Oxigraph answers; a small standard-library HTTP server speaks the protocol:
``GET /sparql?query=…``, ``POST`` with a form (``query=…``) or a
``application/sparql-query`` body. Results are negotiated from ``Accept``:
SPARQL results as JSON (default), XML, CSV or TSV; CONSTRUCT and DESCRIBE
graphs as Turtle (default), N-Triples, JSON-LD or RDF/XML. Updates are
refused (403): the endpoint never changes the graph.

>>> best_type("text/csv;q=0.5, application/sparql-results+xml", RESULT_TYPES)
'application/sparql-results+xml'
"""

from __future__ import annotations

import io
import os
import sys
import threading
from collections.abc import Mapping
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox

from kg.errors import GraphError
from kg.rdf.namespace import PREFIXES
from kg.rdf.store import Store

__all__ = ["best_type", "make_server", "serve"]

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


class _Handler(BaseHTTPRequestHandler):
    server_version = "kg-sparql/1"
    store: Store  # set on the subclass make_server builds
    quiet = False

    # -- protocol
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
        length = int(self.headers.get("Content-Length") or 0)
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

    # -- answers
    def _answer(self, query: str) -> None:
        try:
            result = self.store.raw_query(query)
        except GraphError as exc:
            return self._error(HTTPStatus.BAD_REQUEST, str(exc))
        accept = self.headers.get("Accept")
        buf = io.BytesIO()
        if isinstance(result, ox.QueryTriples):
            mtype = best_type(accept, GRAPH_TYPES)
            if mtype is None:
                return self._error(HTTPStatus.NOT_ACCEPTABLE, "offers " + ", ".join(GRAPH_TYPES))
            ox.serialize(result, buf, GRAPH_TYPES[mtype], prefixes=PREFIXES)
        else:
            mtype = best_type(accept, RESULT_TYPES)
            if mtype is None:
                return self._error(HTTPStatus.NOT_ACCEPTABLE, "offers " + ", ".join(RESULT_TYPES))
            result.serialize(buf, RESULT_TYPES[mtype])
        self._send(HTTPStatus.OK, buf.getvalue(), mtype)

    def _text(self, status: HTTPStatus, text: str) -> None:
        self._send(status, text.encode("utf-8"), "text/plain")

    def _error(self, status: HTTPStatus, message: str) -> None:
        self._text(status, message + "\n")

    def _send(self, status: HTTPStatus, data: bytes, mtype: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", f"{mtype}; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Access-Control-Allow-Origin", "*")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        if not self.quiet:
            sys.stderr.write(f"kg serve: {self.address_string()} {format % args}\n")


def make_server(store: Store, host: str = "127.0.0.1", port: int = 7878, *,
                quiet: bool = False) -> ThreadingHTTPServer:
    """A server answering SPARQL on ``store`` (``port=0``: any free port)."""
    handler = type("Handler", (_Handler,), {"store": store, "quiet": quiet})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server


def open_store(path: str | os.PathLike[str]) -> Store:
    """A graph file loaded into memory, or a store folder opened read-only."""
    if os.path.isdir(path):
        return Store(path, read_only=True)
    store = Store()
    store.load(path)
    return store


def serve(path: str | os.PathLike[str], host: str = "127.0.0.1", port: int = 7878,
          ready: threading.Event | None = None) -> None:
    """Serve the graph at ``path`` until interrupted."""
    store = open_store(path)
    server = make_server(store, host, port)
    url = f"http://{server.server_address[0]}:{server.server_address[1]}/sparql"
    print(f"kg serve: {len(store)} triples of {path} at {url} (read-only; Ctrl-C stops)",
          file=sys.stderr)
    if ready is not None:
        ready.set()
    try:
        server.serve_forever()
    finally:
        server.server_close()
