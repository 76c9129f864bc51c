"""SPARQL on an Oxigraph store, answered in rdflib terms (the engine of ``Store.query``).

Bindings are substituted as values (SEP-0007), never pasted into the text.
Oxigraph substitutes only variables the SELECT projects; for the others
:func:`run_sparql` raises :class:`NotProjected` and rdflib's engine
(:func:`rdflib_rows`) answers instead.

>>> import pyoxigraph as ox
>>> from rdflib import Literal
>>> s = ox.Store()
>>> s.add(ox.Quad(ox.NamedNode("https://e.org/a"), ox.NamedNode("https://e.org/p"),
...               ox.Literal("甲")))
>>> result_rows(run_sparql(s, "SELECT ?s ?o WHERE { ?s ?p ?o }", {"o": Literal("甲")}))
[{'s': rdflib.term.URIRef('https://e.org/a'), 'o': rdflib.term.Literal('甲')}]
>>> run_sparql(s, "SELECT ?s WHERE { ?s ?p ?o }", {"o": Literal("甲")})
Traceback (most recent call last):
...
kg.rdf.store_query.NotProjected: ... variable ?o in its SELECT projection
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pyoxigraph as ox
from rdflib import Graph

from kg.errors import GraphError
from kg.rdf.namespace import PREFIXES
from kg.rdf.terms import from_ox, plain_term, to_ox

__all__ = ["NotProjected", "rdflib_rows", "result_rows", "run_sparql"]


class NotProjected(GraphError):
    """Oxigraph refused a substitution for a variable the SELECT does not project."""


def run_sparql(store: ox.Store, sparql: str, bindings: Mapping[str, Any] | None = None) -> Any:
    """Run SPARQL on ``store`` (union default graph, kg prefixes); Oxigraph's result object.

    ``bindings`` maps variable names to rdflib or Oxigraph terms. Errors
    become a :class:`GraphError`; a binding of a variable the query does
    not project raises :class:`NotProjected`.
    """
    subs = {ox.Variable(k.lstrip("?$")): v if isinstance(v, (ox.NamedNode, ox.Literal,
                                                             ox.BlankNode)) else to_ox(v)
            for k, v in (bindings or {}).items()}
    try:
        return store.query(sparql, prefixes=PREFIXES, use_default_graph_as_union=True,
                           substitutions=subs)
    except SyntaxError as exc:
        raise GraphError(f"SPARQL syntax error: {exc}") from exc
    except RuntimeError as exc:
        if "projection" in str(exc):
            raise NotProjected(str(exc)) from exc
        raise GraphError(f"SPARQL query failed: {exc}") from exc
    except (OSError, ValueError, TypeError) as exc:
        raise GraphError(f"SPARQL query failed: {exc}") from exc


def result_rows(result: Any) -> list[dict[str, Any]]:
    """An Oxigraph result as rows of rdflib terms (see :meth:`kg.rdf.store.Store.query`)."""
    if isinstance(result, ox.QueryBoolean):
        return [{"ask": bool(result)}]
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        return [{n: from_ox(val) for n, val in zip(names, row, strict=True)
                 if val is not None} for row in result]
    return [{"s": from_ox(t.subject), "p": from_ox(t.predicate), "o": from_ox(t.object)}
            for t in result]


def rdflib_rows(graph: Graph, sparql: str, init: Mapping[str, Any]) -> list[dict[str, Any]]:
    """rdflib's engine on ``graph``, for a binding Oxigraph cannot substitute."""
    try:
        result = graph.query(sparql, initNs=PREFIXES, initBindings=init,
                             use_store_provided=False)
    except Exception as exc:  # rdflib raises pyparsing and plain errors alike
        raise GraphError(f"SPARQL query failed: {exc}") from exc
    return [{str(v): plain_term(row[v]) for v in result.vars if row[v] is not None}
            for row in result]
