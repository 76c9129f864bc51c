"""rdflib ``Graph`` views over an Oxigraph store, through oxrdflib.

:meth:`kg.rdf.store.Store.to_rdflib` hands out such a view; :func:`ox_of` finds
the Oxigraph store behind one again, so copying it skips rdflib entirely.

>>> import pyoxigraph as ox
>>> from rdflib import Graph, URIRef
>>> from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
>>> inner = ox.Store()
>>> inner.add(ox.Quad(ox.NamedNode("https://e.org/a"), ox.NamedNode("https://e.org/name"),
...                   ox.Literal("甲"), ox.DefaultGraph()))
>>> g = Graph(store=oxrdflib_store(inner), identifier=DATASET_DEFAULT_GRAPH_ID)
>>> list(g.objects(URIRef("https://e.org/a"), None))
[rdflib.term.Literal('甲')]
>>> ox_of(g) is inner
True
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
from rdflib import Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from kg.errors import GraphError
from kg.rdf.terms import DEFAULT_GRAPH, from_ox, plain_term, to_ox

__all__ = ["ox_of", "oxrdflib_store"]



def oxrdflib_store(store: ox.Store) -> Any:
    """An oxrdflib store over ``store`` that reads ``xsd:string`` back as plain literals.

    oxrdflib returns ``Literal("x", datatype=XSD.string)``, which rdflib does
    not treat as equal to ``Literal("x")``; our terms must compare equal to
    the ones the graph was built with.
    """
    from oxrdflib.store import OxigraphStore

    class KGOxigraphStore(OxigraphStore):
        def __len__(self, context: Any = None) -> int:
            if context is None:  # the union of graphs: a triple may be in several
                return super().__len__(context)
            # one graph holds each triple once: COUNT(*) streams, where oxrdflib's
            # COUNT(DISTINCT …) builds a set of every triple (2 GB at 4.5 M)
            (row,) = self._inner.query("SELECT (COUNT(*) AS ?c) WHERE { ?s ?p ?o }",
                                       default_graph=_graph_name(context))
            return int(row[0].value)

        def triples(self, triple_pattern: Any, context: Any = None) -> Any:
            try:
                pattern = (*(to_ox(t) for t in triple_pattern),
                           None if context is None else _graph_name(context))
                found = self._inner.quads_for_pattern(*pattern)
            except (TypeError, ValueError, GraphError):
                return iter(())
            return (((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)),
                     iter((context,))) for q in found)

        def query(self, query: Any, initNs: Any, initBindings: Any,
                  queryGraph: Any, **kwargs: Any) -> Any:
            from rdflib.query import Result

            result = super().query(query, initNs, initBindings, queryGraph, **kwargs)
            if result.type == "SELECT":
                rows = result.bindings
                result.bindings = [{k: plain_term(v) for k, v in row.items()} for row in rows]
            elif result.type == "CONSTRUCT":
                out = Result("CONSTRUCT")
                out.graph = Graph()
                out.graph += ((plain_term(s), p, plain_term(o)) for s, p, o in result.graph)
                return out
            return result

    return KGOxigraphStore(store=store)


def _graph_name(context: Any) -> Any:
    name = context.identifier if isinstance(context, Graph) else context
    return DEFAULT_GRAPH if name == DATASET_DEFAULT_GRAPH_ID else to_ox(name)


def ox_of(graph: Graph) -> ox.Store | None:
    """The Oxigraph store behind an oxrdflib-backed default-graph ``Graph``, if any."""
    inner = getattr(graph.store, "_store", None)
    if isinstance(inner, ox.Store) and graph.identifier == DATASET_DEFAULT_GRAPH_ID:
        return inner
    return None
