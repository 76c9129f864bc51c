"""A fast RDF store: Oxigraph underneath, rdflib terms at the surface.

rdflib is the API users see, but its serializer, parser and SPARQL engine are
too slow for a big build (1M triples: 35 s to write Turtle, over a minute to
parse it, a label join that does not finish). ``Store`` wraps a
``pyoxigraph.Store`` for bulk loading, dumping and querying, and converts
terms at the edges, so callers hand it rdflib graphs and get rdflib terms back.

>>> from rdflib import Literal, URIRef
>>> from kg.rdf.namespace import KG, RDF, RDFS
>>> s = Store()
>>> p = URIRef("https://w3id.org/kg-cn/id/person/a")
>>> s.add([(p, RDF.type, KG.Person), (p, RDFS.label, Literal("习近平", lang="zh"))])
2
>>> len(s)
2
>>> s.query("SELECT ?p WHERE { ?p rdfs:label ?name }", name="习近平")
[{'p': rdflib.term.URIRef('https://w3id.org/kg-cn/id/person/a')}]

Data added with :meth:`Store.add` lives in the store's default graph; files
of a dataset syntax (TriG, N-Quads) keep their named graphs, and queries see
the union of all graphs as their default graph.

Term conversion and N-Triples writing live in :mod:`kg.rdf.terms`, the rdflib
views over a store in :mod:`kg.rdf.bridge`, scratch folders in :mod:`kg.rdf.scratch`,
SPARQL evaluation in :mod:`kg.rdf.store_query`, ``kg build --store`` folders in
:mod:`kg.rdf.store_folders` and chunked writing in :mod:`kg.rdf.store_sink`.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import weakref
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from kg.errors import GraphError
from kg.files import atomic_path
from kg.rdf.bridge import ox_of, oxrdflib_store
from kg.rdf.namespace import PREFIXES
from kg.rdf.scratch import SCRATCH_PREFIX
from kg.rdf.store_query import NotProjected, rdflib_rows, result_rows, run_sparql
from kg.rdf.terms import (
    DEFAULT_GRAPH,
    Converter,
    from_ox,
    ntriples,
    rdf_format,
    to_term,
)

__all__ = ["Store"]


_BULK = 200_000  # above this many quads, bulk_extend beats one transaction


# -------------------------------------------------------------- the store


class Store:
    """An Oxigraph RDF store with an rdflib-shaped surface.

    ``Store()`` lives in memory; ``Store("dir")`` is a persistent on-disk
    store that keeps what earlier runs added. Use it as a context manager
    (or call :meth:`close`) so an on-disk store is flushed and released.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *,
                 read_only: bool = False) -> None:
        self.path = Path(path) if path is not None else None
        self.temp: weakref.finalize | None = None  # set by temporary()
        try:
            if path is None:
                self._ox: ox.Store | None = ox.Store()
            elif read_only:  # another process may be writing it
                self._ox = ox.Store.read_only(os.fspath(path))
            else:
                self._ox = ox.Store(os.fspath(path))
        except OSError as exc:
            raise GraphError(f"{path}: cannot open the store: {exc}") from exc

    @classmethod
    def temporary(cls, where: str | os.PathLike[str] | None = None) -> Store:
        """A scratch on-disk store in a new folder under ``where`` (default: the temp dir).

        What a build holds lives on disk, so its memory does not grow with
        the graph. The folder is removed on :meth:`close`, when the store is
        garbage-collected, or at exit; its name carries the process id so
        that :func:`kg.rdf.scratch.remove_stale` can clear what a killed build left.
        """
        if where is not None:
            Path(where).mkdir(parents=True, exist_ok=True)
        folder = tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-", dir=where)
        self = cls(folder)
        self.temp = weakref.finalize(self, shutil.rmtree, folder, True)
        return self

    @classmethod
    def wrap(cls, store: ox.Store) -> Store:
        """A ``Store`` around an existing ``pyoxigraph.Store`` (no copy)."""
        self = cls.__new__(cls)
        self.path = None
        self.temp = None
        self._ox = store
        return self

    @property
    def ox(self) -> ox.Store:
        """The underlying ``pyoxigraph.Store``."""
        if self._ox is None:
            raise GraphError("the store is closed")
        return self._ox

    # -- lifecycle
    def close(self) -> None:
        """Flush an on-disk store and release it; the object cannot be used after."""
        if self._ox is not None and self.path is not None and self.temp is None:
            with contextlib.suppress(OSError, RuntimeError):  # read-only: nothing to flush
                self._ox.flush()
        self._ox = None
        if self.temp is not None:
            self.temp()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __len__(self) -> int:
        return len(self.ox)

    def __repr__(self) -> str:
        where = str(self.path) if self.path else "memory"
        return f"<Store {where}: {len(self) if self._ox is not None else 'closed'} quads>"

    def __iter__(self) -> Iterator[tuple[Node, Node, Node]]:
        """Every triple (of every graph) as rdflib terms."""
        for q in self.ox:
            yield from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)  # type: ignore[misc]

    # -- writing
    def add(self, graph_or_triples: Graph | Iterable[Any], *,
            graph: str | URIRef | None = None) -> int:
        """Add an rdflib ``Graph`` or an iterable of triples; returns how many were given.

        Triples may be rdflib 3-tuples, 4-tuples whose last item is a graph
        name, or Oxigraph ``Triple``/``Quad`` objects. ``graph`` puts
        3-tuples into that named graph instead of the default graph.
        """
        target = DEFAULT_GRAPH if graph is None else ox.NamedNode(str(graph))
        if isinstance(graph_or_triples, Graph) and ox_of(graph_or_triples) is not None:
            src = ox_of(graph_or_triples)
            quads = [ox.Quad(q.subject, q.predicate, q.object, target)
                     for q in src.quads_for_pattern(None, None, None, DEFAULT_GRAPH)]
        elif isinstance(graph_or_triples, Graph):
            with contextlib.suppress(SyntaxError):  # an IRI N-Triples cannot hold: slow path
                self.ox.load(ntriples(graph_or_triples), ox.RdfFormat.N_TRIPLES,
                             to_graph=target)
                return len(graph_or_triples)
            quads = list(Converter().quads(graph_or_triples, target))
        else:
            quads = list(Converter().quads(graph_or_triples, target))
        if len(quads) > _BULK:
            self.ox.bulk_extend(quads)
        else:
            self.ox.extend(quads)
        return len(quads)

    def add_ntriples(self, data: bytes, *, graph: str | URIRef | None = None) -> None:
        """Add N-Triples text (see :func:`ntriples`), in one transaction.

        A scratch store (:meth:`temporary`) bulk-loads instead: faster, and
        atomicity does not matter for a store that a crash throws away.
        """
        if not data:
            return
        target = ox.NamedNode(str(graph)) if graph is not None else None
        try:
            if self.temp is not None:
                self.ox.bulk_load(data, ox.RdfFormat.N_TRIPLES, to_graph=target)
            else:
                self.ox.load(data, ox.RdfFormat.N_TRIPLES, to_graph=target)
        except (SyntaxError, ValueError, OSError) as exc:  # pragma: no cover - a bug or a full disk
            raise GraphError(f"cannot add to the store: {exc}") from exc

    def load(self, path: str | os.PathLike[str], format: str | None = None, *,
             graph: str | URIRef | None = None, flatten: bool = False) -> int:
        """Load an RDF file (syntax from ``format`` or the extension); returns the quads added.

        Triples go to the default graph, or to ``graph``; a TriG or N-Quads
        file keeps its named graphs unless ``flatten`` puts everything in
        the default graph.
        """
        fmt = rdf_format(format, path)
        before = len(self)
        try:
            if flatten and fmt.supports_datasets:
                quads = (ox.Quad(q.subject, q.predicate, q.object, DEFAULT_GRAPH)
                         for q in ox.parse(path=os.fspath(path), format=fmt))
                self.ox.bulk_extend(quads)
            else:
                to_graph = ox.NamedNode(str(graph)) if graph is not None else None
                self.ox.bulk_load(path=os.fspath(path), format=fmt, to_graph=to_graph)
        except FileNotFoundError as exc:
            raise GraphError(f"{path}: no such graph file; run `kg build` first") from exc
        except (SyntaxError, ValueError, OSError) as exc:
            raise GraphError(f"{path}: cannot parse the graph as {fmt.name}: {exc}") from exc
        return len(self) - before

    def dump(self, path: str | os.PathLike[str], format: str | None = None, *,
             prefixes: Mapping[str, str] | None = None) -> Path:
        """Write the store to ``path`` atomically (temp file + rename).

        Triple syntaxes (Turtle, N-Triples, JSON-LD, RDF/XML) get the union of
        all graphs; TriG and N-Quads keep the named graphs.
        """
        fmt = rdf_format(format, path)
        with atomic_path(path) as tmp:  # Oxigraph opens the file: no Python lock per chunk
            self.write(str(tmp), fmt, prefixes=prefixes)
        return Path(path)

    def write(self, out: Any, format: str | ox.RdfFormat = "ttl", *,
              prefixes: Mapping[str, str] | None = None) -> bytes | None:
        """Serialize into a binary file object, to a file path (``str``) or, with
        ``out`` None, into the bytes returned (the last two never wait for Python's lock)."""
        fmt = format if isinstance(format, ox.RdfFormat) else rdf_format(format)
        pfx = dict(PREFIXES if prefixes is None else prefixes)
        if fmt.supports_datasets:
            return self.ox.dump(out, fmt, prefixes=pfx)
        if not any(True for _ in self.ox.named_graphs()):
            return self.ox.dump(out, fmt, from_graph=DEFAULT_GRAPH, prefixes=pfx)
        # a dataset written as triples: the union of its graphs
        return ox.serialize((q.triple for q in self.ox), out, fmt, prefixes=pfx)

    def serialize(self, format: str = "ttl", *,
                  prefixes: Mapping[str, str] | None = None) -> bytes:
        """The store as bytes in ``format``."""
        data = self.write(None, format, prefixes=prefixes)
        assert data is not None
        return data

    # -- reading
    def raw_query(self, sparql: str, bindings: Mapping[str, Any] | None = None) -> Any:
        """Run SPARQL on Oxigraph and return its own result object (for streaming).

        ``bindings`` maps variable names to rdflib or Oxigraph terms; they
        are substituted as values (SEP-0007), never pasted into the text.
        """
        return run_sparql(self.ox, sparql, bindings)

    def query(self, sparql: str, **bindings: Any) -> list[dict[str, Any]]:
        """Run a SPARQL query; keyword arguments bind ``?name`` variables (see :func:`to_term`).

        SELECT gives one dict per row (variable → rdflib term, unbound
        variables left out); ASK gives ``[{"ask": bool}]``; CONSTRUCT and
        DESCRIBE give ``{"s", "p", "o"}`` dicts.
        """
        init = {k.lstrip("?$"): to_term(v) for k, v in bindings.items()}
        try:
            result = self.raw_query(sparql, init)
        except NotProjected:
            # Oxigraph substitutes only variables the SELECT projects; for the
            # others rdflib's initBindings gives the same answer, more slowly.
            return rdflib_rows(self.to_rdflib(), sparql, init)
        return result_rows(result)

    def to_rdflib(self) -> Graph:
        """An rdflib ``Graph`` over the store's default graph: a live view, no copy.

        It is backed by oxrdflib, so ``graph.query`` runs on Oxigraph and
        ``graph.serialize(format="ox-turtle")`` is Oxigraph's writer.
        """
        g = Graph(store=oxrdflib_store(self.ox), identifier=DATASET_DEFAULT_GRAPH_ID,
                  bind_namespaces="none")
        for prefix, ns in PREFIXES.items():
            g.bind(prefix, ns)
        g._kg_store = self  # type: ignore[attr-defined]  # keeps a scratch store alive
        return g
