"""The Python API: build, save, load and query a knowledge graph.

>>> import kg, pathlib, tempfile
>>> page = pathlib.Path(tempfile.mkdtemp()) / "page.txt"
>>> _ = page.write_text("新华社北京3月1日电 国家主席习近平会见法国总统马克龙。", encoding="utf-8")
>>> g = kg.build([str(page)])
>>> sorted(e.label for e in g.entities("Person"))
['习近平', '马克龙']
"""

from __future__ import annotations

import itertools
import json
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Graph
from rdflib.term import Node

from kg.build.pipeline import build as run_pipeline
from kg.build.stages import StageClock
from kg.errors import UsageError
from kg.files import OutputSet, atomic_write
from kg.ingest.reading import BuildReport
from kg.model import Entity, Relation
from kg.rdf import queries
from kg.rdf.bridge import ox_of
from kg.rdf.export import EXTENSIONS, check_format, export
from kg.rdf.readback import Reader
from kg.rdf.store import Store
from kg.rdf.store_folders import open_folder
from kg.rdf.terms import to_term
from kg.resolve import DEFAULT_BASE
from kg.types import by_name
from kg.view import html as page
from kg.view.from_graph import graph_view
from kg.view.model import HTML_MAX_NODES, GraphView

if TYPE_CHECKING:  # networkx is imported where it is used: workers never need it
    import networkx as nx


class KnowledgeGraph:
    """A built or loaded graph, and the ways to read it.

    ``graph`` is an rdflib ``Graph``; every answer is read from it. Its
    triples live in an Oxigraph store (``store``, a :class:`kg.rdf.store.Store`),
    so saving, loading and SPARQL run at Oxigraph's speed while ``graph``
    keeps rdflib's API. A plain rdflib graph given here is copied into a
    new store once; change ``kg.graph`` afterwards, not the graph you gave.
    """

    def __init__(self, graph: Graph | None = None, report: BuildReport | None = None, *,
                 store: Store | None = None) -> None:
        if store is None and graph is not None:
            store = getattr(graph, "_kg_store", None)  # a view of one of our stores
        if store is None:
            inner = ox_of(graph) if graph is not None else None
            store = Store.wrap(inner) if inner is not None else Store()
            if inner is None and graph is not None:
                store.add(graph)
        self.store = store
        self.graph = store.to_rdflib()
        self.report = report
        self._reader = Reader(self.graph)

    def __len__(self) -> int:
        return len(self.graph)

    def close(self) -> None:
        """Release the store (a build's scratch store is deleted); the graph is unusable after."""
        self.store.close()

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<KnowledgeGraph {len(self.graph)} triples>"

    # -- files
    def save(self, out_dir: str | os.PathLike[str] = "output", *, html: bool = True,
             formats: Sequence[str] = ("ttl",),
             html_max_nodes: int | None = HTML_MAX_NODES) -> dict[str, Path]:
        """Write ``graph.ttl`` (and ``graph.html``, ``report.json``) atomically, as a set.

        The files are written into a staging folder and replace the previous
        build's only when every one is written; outputs of an earlier build
        that this one does not write (``graph.html`` with ``html=False``) are
        removed (see :class:`kg.files.OutputSet`).

        ``formats`` adds ``graph.nt``, ``graph.jsonld``, ``graph.trig``,
        ``graph.nq``, ``graph.rdf`` or ``graph.graphml`` (see :mod:`kg.rdf.export`);
        the first one written is returned as ``"graph"``, the others by format.
        The page shows the ``html_max_nodes`` most-mentioned nodes (``None``: all).
        """

        out = Path(out_dir)
        written: dict[str, Path] = {}
        writing, rendering = StageClock(), StageClock()  # one per thread
        fmts = list(dict.fromkeys(check_format(f) for f in formats))

        def write_graphs(stage: Path) -> dict[str, Path]:
            files: dict[str, Path] = {}
            with writing("write"):
                for fmt in fmts:
                    files["graph" if not files else fmt] = export(
                        self, stage / f"graph.{EXTENSIONS[fmt]}", fmt)
            return files

        with OutputSet(out) as stage:  # the new files replace the old set only when all are written
            # Oxigraph serializes without the GIL, so the graph files are
            # written on a second thread while this one renders the page.
            with ThreadPoolExecutor(max_workers=1) as pool:
                graphs = pool.submit(write_graphs, stage)
                if html:
                    with rendering("HTML"):
                        html_path = page.write_html(self.view(max_nodes=html_max_nodes),
                                                    stage / "graph.html")
                written.update(graphs.result())  # re-raises the writer's error
            if html:
                written["html"] = html_path
            if self.report is not None:
                # the build's own stages, and now the outputs'
                self.report.stages["write"] = writing.seconds["write"]
                self.report.stages["HTML"] = rendering.seconds["HTML"]
                report = json.dumps(self.report.as_dict(), ensure_ascii=False, indent=2)
                written["report"] = atomic_write(stage / "report.json", report + "\n")
        return {key: out / path.name for key, path in written.items()}

    def turtle(self) -> str:
        """The graph as Turtle text (written by Oxigraph)."""
        return self.store.serialize("ttl").decode("utf-8")

    def export(self, path: str | os.PathLike[str], format: str | None = None) -> Path:
        """Write the graph to ``path`` as ttl, nt, jsonld, rdf, trig, nq or graphml."""
        return export(self, path, format)

    # -- records
    def entities(self, type: str | None = None) -> list[Entity]:
        """Entities of one class (``Person``, ``Organization``, ``Place``, ``Event``) or all."""
        if type is not None:
            by_name(type)  # a UsageError that lists the types for an unknown one
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
        Rows come back as dicts of variable name → rdflib term. The query
        runs on Oxigraph (values substituted as terms); a bound variable the
        SELECT does not project is answered by rdflib's engine instead.
        """
        return self.store.query(query, **{k: _term(v) for k, v in bindings.items()})

    def query(self, name: str, /, **params: Any) -> list[dict[str, Any]]:
        """Run the named query ``name`` (``kg/rdf/queries/NAME.rq``; ``kg query --list``).

        Parameters are bound like :meth:`sparql` bindings; missing ones take
        the default the query file documents.

        For example ``g.query("people-of-organization", org="湖北省总工会")`` gives
        rows with ``name`` and ``role`` (党组书记, 副主席 for 李文军 of
        湖北省总工会党组书记、副主席李文军).
        """
        q = queries.get(name)
        values = queries.bind_params(q, params)
        if name == "path":
            return [{"from": a, "relation": r, "to": b}
                    for a, r, b in self.path(str(values["a"]), str(values["b"]))]
        return self.sparql(q.text, **values)

    def events(self, start: str | None = None, end: str | None = None) -> list[dict[str, Any]]:
        """Events dated between ``start`` and ``end`` (ISO days, both included), oldest first.

        A month or year date counts when it overlaps the range. Rows hold
        ``date``, ``event``, ``type``, ``label``, ``trigger`` and ``article``.
        """
        params = {k: v for k, v in (("start", start), ("end", end)) if v is not None}
        rows = self.query("events", **params)
        return [{k: v for k, v in row.items() if k not in ("start", "end")} for row in rows]

    def _nodes_named(self, name: str) -> list[str]:
        nodes = [str(n) for n in self._reader.find(name)]
        if not nodes:
            raise UsageError(f"no entity is named {name!r}")
        return nodes

    def neighbors(self, name: str) -> list[dict[str, str]]:
        """The entities and events one fact away from the entity named ``name``.

        Each row: ``iri``, ``label``, ``type`` of the neighbour, the
        ``relation`` (edge label, e.g. 记者 or 位于) and its ``direction``
        (``out`` when ``name`` is the subject).
        """
        nxg = self.to_networkx()
        rows = set()
        for node in self._nodes_named(name):
            for _, other, data in nxg.out_edges(node, data=True):
                rows.add((other, data.get("label", ""), "out"))
            for other, _, data in nxg.in_edges(node, data=True):
                rows.add((other, data.get("label", ""), "in"))
        return [{"iri": o, "label": nxg.nodes[o].get("label", ""),
                 "type": nxg.nodes[o].get("type", ""), "relation": r, "direction": d}
                for o, r, d in sorted(rows, key=lambda x: (nxg.nodes[x[0]].get("label", ""),
                                                           x[1], x[2], x[0]))]

    def path(self, a: str, b: str) -> list[tuple[str, str, str]]:
        """The shortest connection between the entities named ``a`` and ``b``.

        Steps ``(from label, relation, to label)`` over the entity network,
        edges followed either way; ``[]`` when they are not connected.
        """
        import networkx as nx

        nxg = self.to_networkx()
        und = nx.Graph(nxg.to_undirected(as_view=True))
        best: list[str] | None = None
        for src in self._nodes_named(a):
            for dst in self._nodes_named(b):
                try:
                    found = nx.shortest_path(und, src, dst)
                except nx.NetworkXNoPath:
                    continue
                if best is None or (len(found), found) < (len(best), best):
                    best = found
        if not best:
            return []
        steps = []
        for u, v in itertools.pairwise(best):
            data = nxg.get_edge_data(u, v) or nxg.get_edge_data(v, u) or {}
            label = min((d.get("label", "") for d in data.values()), default="")
            steps.append((nxg.nodes[u]["label"], label, nxg.nodes[v]["label"]))
        return steps

    def to_networkx(self) -> nx.MultiDiGraph:
        """Entities and events as nodes (``label``, ``type``), facts as edges (``predicate``)."""
        return self._reader.to_networkx()

    def view(self, title: str = "kg", max_nodes: int | None = None) -> GraphView:
        """The display view the HTML page is drawn from (at most ``max_nodes`` nodes)."""
        return graph_view(self._reader, title, max_nodes)


def _term(value: Any) -> Node:
    """A Python value as the RDF term a query variable is bound to.

    >>> _term("普京").language, type(_term("https://schema.org/Person")).__name__
    ('zh', 'URIRef')
    >>> _term(3).toPython()
    3
    """
    return to_term(value)


def build(paths: Sequence[str | os.PathLike[str]] | str, *, date: str | None = None,
          strict: bool = False, base: str = DEFAULT_BASE,
          progress: Callable[[int, int], None] | None = None, workers: int = 1,
          dask: str | None = None, store: str | os.PathLike[str] | None = None,
          scratch: str | os.PathLike[str] | None = None,
          recognizer: str | None = None) -> KnowledgeGraph:
    """Build a knowledge graph from files and folders (.txt, .md, .jsonl, .html).

    ``workers`` analyses articles in that many processes and ``dask`` (a
    scheduler address) on a Dask cluster, with the same result; ``store`` (a
    folder) adds the new articles to a persistent store and returns the graph
    of everything in it (see :mod:`kg.build.incremental`). ``recognizer``
    names the base recognizer (``model``, the default, or ``jieba``).

    The graph lives in an on-disk scratch store in a folder under ``scratch``
    (default: the temp dir), removed by :meth:`KnowledgeGraph.close` or when
    the graph is garbage-collected; memory does not grow with the graph.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    graph, report = run_pipeline([os.fspath(p) for p in paths], date=date, strict=strict,
                                 base=base, progress=progress, workers=workers, dask=dask,
                                 store=os.fspath(store) if store is not None else None,
                                 scratch=os.fspath(scratch) if scratch is not None else None,
                                 recognizer=recognizer)
    return KnowledgeGraph(graph, report)


def load(path: str | os.PathLike[str], format: str | None = None) -> KnowledgeGraph:
    """Load a graph file (Turtle, N-Triples, JSON-LD, RDF/XML, TriG, N-Quads) or a store folder.

    The syntax comes from ``format`` or the file extension. Named graphs of a
    TriG/N-Quads file are merged into one graph. A folder made by
    ``kg build --store DIR`` is opened read-only (its store is ``DIR/oxigraph``);
    any other folder is refused.
    """
    if os.path.isdir(path):  # a `kg build --store` folder: its store is DIR/oxigraph
        return KnowledgeGraph(store=open_folder(path))
    store = Store()
    store.load(path, format, flatten=True)
    return KnowledgeGraph(store=store)
