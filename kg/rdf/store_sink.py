"""Writing a stream of triples into a :class:`~kg.rdf.store.Store` in chunks.

>>> from rdflib import URIRef
>>> from kg.rdf.namespace import KG, RDF
>>> s = Store()
>>> with StoreSink(s, chunk=2) as sink:
...     for name in "abc":
...         sink.add((URIRef("https://e.org/" + name), RDF.type, KG.Person))
>>> len(s)
3
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, nullcontext

from rdflib import URIRef
from rdflib.term import Node

from kg.rdf.store import Store
from kg.rdf.terms import ntriples

__all__ = ["CACHE_LIMIT", "StoreSink"]

CACHE_LIMIT = 100_000
"""IRIs whose N-Triples form a sink keeps (emptied beyond): a bound on memory.

The cache only saves formatting ``<iri>``; the earlier bound of a million IRIs
let it reach ~250 MB (estimated, not measured). A build's peak at 10,000 articles
came from elsewhere (the decode check, :func:`kg.ingest.decode.implausible`)."""


class StoreSink:
    """Something with a graph's ``add`` that writes triples into a store in chunks.

    :func:`kg.rdf.graph.add_corpus` hands it N-Triples lines (``extend``),
    anything else rdflib triples (``add``); the sink loads every ``chunk``
    triples at once, so no list of all triples is ever held. Call
    :meth:`flush` (or use ``with``) at the end.

    >>> s = Store()
    >>> from kg.rdf.namespace import KG, RDF
    >>> with StoreSink(s) as sink:
    ...     sink.add((URIRef("https://e.org/a"), RDF.type, KG.Person))
    >>> len(s), sink.count
    (1, 1)
    """

    def __init__(self, store: Store, *, graph: str | URIRef | None = None,
                 chunk: int = 50_000,
                 clock: Callable[[str], AbstractContextManager] | None = None) -> None:
        self.store, self.graph, self.chunk = store, graph, chunk
        self.clock = clock or (lambda stage: nullcontext())  # a kg.build.stages.StageClock
        self.buffer: list[str] = []  # N-Triples lines
        self.cache: dict[str, str] = {}
        self.count = 0  # triples in all
        self.pending = 0  # triples in the buffer

    def add(self, triple: tuple[Node, Node, Node]) -> None:
        """One rdflib triple."""
        self.extend([ntriples([triple], self.cache).decode("utf-8")])

    def extend(self, lines: Iterable[str]) -> None:
        """N-Triples lines (each ending with `` .\\n``; one may hold several triples)."""
        for line in lines:
            self.buffer.append(line)
            n = line.count(" .\n")
            self.count += n
            self.pending += n
        if self.pending >= self.chunk:
            self.flush()

    def flush(self) -> None:
        if self.buffer:
            with self.clock("triples"):
                data = "".join(self.buffer).encode("utf-8")
            with self.clock("store load"):
                self.store.add_ntriples(data, graph=self.graph)
            self.buffer = []
            self.pending = 0
        if len(self.cache) > CACHE_LIMIT:
            self.cache.clear()

    def __enter__(self) -> StoreSink:
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is None:
            self.flush()
