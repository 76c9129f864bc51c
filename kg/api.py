"""The Python API: build, save, load and query a knowledge graph.

>>> import kg
>>> g = kg.build(["examples/gongren-ribao-2025-02-25.txt"])  # doctest: +SKIP
>>> [e.label for e in g.entities("Person")][:3]               # doctest: +SKIP
['余季平', '农冠斌', '刘中国']
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import networkx as nx
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from .errors import GraphError, UsageError
from .files import atomic_write
from .graph import PREFIXES
from .model import Entity, Relation
from .pipeline import BuildReport
from .pipeline import build as run_pipeline
from .readback import Reader
from .resolve import DEFAULT_BASE
from .view import GraphView

ENTITY_TYPES = ("Person", "Organization", "Place", "Event")


class KnowledgeGraph:
    """A built or loaded graph, and the ways to read it.

    ``graph`` is the rdflib ``Graph``; every answer is read from it.
    """

    def __init__(self, graph: Graph, report: BuildReport | None = None) -> None:
        self.graph = graph
        self.report = report
        self._reader = Reader(graph)

    def __len__(self) -> int:
        return len(self.graph)

    def __repr__(self) -> str:
        return f"<KnowledgeGraph {len(self.graph)} triples>"

    # -- files
    def save(self, out_dir: str | os.PathLike[str] = "output", *, html: bool = True
             ) -> dict[str, Path]:
        """Write ``graph.ttl`` (and ``graph.html``, ``report.json``) atomically."""
        out = Path(out_dir)
        written = {"graph": atomic_write(out / "graph.ttl", self.turtle())}
        if html:
            from .html import write_html

            out.mkdir(parents=True, exist_ok=True)
            written["html"] = write_html(self.view(), out / "graph.html")
        if self.report is not None:
            report = json.dumps(self.report.as_dict(), ensure_ascii=False, indent=2)
            written["report"] = atomic_write(out / "report.json", report + "\n")
        return written

    def turtle(self) -> str:
        """The graph as Turtle text."""
        return self.graph.serialize(format="turtle")

    # -- records
    def entities(self, type: str | None = None) -> list[Entity]:
        """Entities of one class (``Person``, ``Organization``, ``Place``, ``Event``) or all."""
        if type is not None and type not in ENTITY_TYPES:
            raise UsageError(f"unknown entity type {type!r}; use one of {', '.join(ENTITY_TYPES)}")
        return self._reader.entities(type)

    def relations(self, name: str) -> list[Relation]:
        """Relations touching the entity whose label or alias is ``name``, with evidence."""
        return self._reader.relations(name)

    def sparql(self, query: str, **bindings: Any) -> list[dict[str, Any]]:
        """Run a SPARQL query; keyword arguments are bound to ``?name`` variables.

        Values are bound (``initBindings``), never pasted into the query text.
        Strings with Chinese characters become ``@zh`` literals (as every
        label is), strings starting with ``http(s)://`` or ``urn:`` become
        IRIs, other values plain literals; rdflib terms are used as given.
        Rows come back as dicts of variable name → rdflib term.
        """
        init = {k: _term(v) for k, v in bindings.items()}
        try:
            result = self.graph.query(query, initNs=PREFIXES, initBindings=init)
        except Exception as exc:  # rdflib raises pyparsing and plain errors alike
            raise GraphError(f"SPARQL query failed: {exc}") from exc
        if result.type == "ASK":
            return [{"ask": bool(result.askAnswer)}]
        if result.type == "CONSTRUCT" or result.type == "DESCRIBE":
            return [{"s": s, "p": p, "o": o} for s, p, o in result]
        return [{str(v): row[v] for v in result.vars if row[v] is not None} for row in result]

    def to_networkx(self) -> nx.MultiDiGraph:
        """Entities and events as nodes (``label``, ``type``), facts as edges (``predicate``)."""
        return self._reader.to_networkx()

    def view(self, title: str = "kg") -> GraphView:
        """The display view the HTML page is drawn from."""
        return self._reader.view(title)


def _term(value: Any) -> Node:
    """A Python value as the RDF term a query variable is bound to.

    >>> _term("普京").language, type(_term("https://schema.org/Person")).__name__
    ('zh', 'URIRef')
    >>> _term(3).toPython()
    3
    """
    if isinstance(value, Node):
        return value
    if isinstance(value, str) and value.startswith(("http://", "https://", "urn:")):
        return URIRef(value)
    if isinstance(value, str) and any("\u3400" <= ch <= "\u9fff" for ch in value):
        return Literal(value, lang="zh")  # every name in the graph is @zh
    return Literal(value)


def build(paths: Sequence[str | os.PathLike[str]] | str, *, date: str | None = None,
          strict: bool = False, base: str = DEFAULT_BASE,
          progress: Callable[[int, int], None] | None = None, workers: int = 1,
          dask: str | None = None, store: str | os.PathLike[str] | None = None
          ) -> KnowledgeGraph:
    """Build a knowledge graph from files and folders (.txt, .md, .jsonl, .html).

    ``workers`` analyses articles in that many processes and ``dask`` (a
    scheduler address) on a Dask cluster, with the same result; ``store`` (a
    folder) adds the new articles to a persistent store and returns the graph
    of everything in it (see :mod:`kg.incremental`).
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    graph, report = run_pipeline([os.fspath(p) for p in paths], date=date, strict=strict,
                                 base=base, progress=progress, workers=workers, dask=dask,
                                 store=os.fspath(store) if store is not None else None)
    return KnowledgeGraph(graph, report)


def load(path: str | os.PathLike[str]) -> KnowledgeGraph:
    """Load a graph written by :meth:`KnowledgeGraph.save` (any RDF syntax rdflib reads)."""
    graph = Graph(bind_namespaces="none")
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns)
    try:
        graph.parse(os.fspath(path))
    except FileNotFoundError as exc:
        raise GraphError(f"{path}: no such graph file; run `kg build` first") from exc
    except Exception as exc:
        raise GraphError(f"{path}: cannot parse the graph: {exc}") from exc
    return KnowledgeGraph(graph)
