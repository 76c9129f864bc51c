"""Evaluating SPARQL for ``kg serve`` with a time limit and a size limit.

Each query runs in a forked process that is killed after ``timeout`` seconds
(503), so a runaway query neither runs on after its client gave up nor holds
up the others; an answer bigger than ``max_bytes`` is refused (413). The
answer's syntax is negotiated from the ``Accept`` header (:func:`best_type`).

>>> from rdflib import Literal, URIRef
>>> s = Store()
>>> _ = s.add([(URIRef("https://e.org/a"), URIRef("https://e.org/p"), Literal("甲"))])
>>> status, mtype, body = QueryRunner(s, timeout=5).run(
...     "SELECT ?o WHERE { ?s ?p ?o }", "text/csv")
>>> status, mtype, body.decode().split()
(200, 'text/csv', ['o', '甲'])
"""

from __future__ import annotations

import io
import json
import os
import select
import signal
import threading
import time
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

import pyoxigraph as ox

from kg.errors import GraphError
from kg.rdf.namespace import PREFIXES
from kg.rdf.store import Store

__all__ = ["GRAPH_TYPES", "RESULT_TYPES", "Answer", "QueryRunner", "best_type"]

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
DEFAULT_TIMEOUT = 30.0
"""Seconds a query may run before it is stopped (``kg serve --timeout``)."""
MAX_RESULT_BYTES = 64 << 20
"""Largest answer sent, in bytes (``kg serve --max-result-mb``); a bigger one is refused (413)."""
MAX_CONCURRENT = 4
"""Queries evaluated at once (each in its own process); more wait for a free slot."""


def best_type(accept: str | None, offered: Mapping[str, object]) -> str | None:
    """The offered media type the ``Accept`` header prefers (first offered for ``*/*``).

    >>> best_type("text/csv;q=0.5, application/sparql-results+xml", RESULT_TYPES)
    'application/sparql-results+xml'
    >>> best_type("image/png", GRAPH_TYPES) is None
    True
    """
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
