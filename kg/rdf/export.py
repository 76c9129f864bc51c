"""Write a graph in the syntaxes other tools read.

Turtle (the default), N-Triples, JSON-LD, RDF/XML, TriG and N-Quads are
written by Oxigraph; GraphML (for Gephi, Cytoscape, yEd) is written from
``KnowledgeGraph.to_networkx()``. Every file is written atomically.

TriG and N-Quads hold one named graph per source: the article IRI (or the
gazetteer's, for the place hierarchy it adds) names the graph of every triple
derived from it (the article's own description, its
mentions and evidence sentences, the memberships, statements and events
``prov:wasDerivedFrom`` it, the direct triples those statements reify, and
each ``kg:mention`` link to a mention in it). What no single article owns —
an entity's type, ``rdfs:label`` and ``skos:altLabel`` (entities are resolved
across articles), and role nodes — is in the default graph. The union of
all graphs is exactly the Turtle graph.

>>> EXTENSIONS["jsonld"], EXTENSIONS["graphml"]
('jsonld', 'graphml')
"""

from __future__ import annotations

import io
import json
import os
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import pyoxigraph as ox

from kg.errors import UsageError
from kg.files import atomic_write
from kg.rdf.namespace import PREFIXES
from kg.rdf.store import Store
from kg.rdf.terms import DEFAULT_GRAPH

if TYPE_CHECKING:
    import networkx as nx


class KnowledgeGraph(Protocol):
    """What an export reads: a graph's store and its networkx view (kg.KnowledgeGraph)."""

    store: Store

    def to_networkx(self) -> nx.MultiDiGraph: ...


__all__ = ["EXPORT_FORMATS", "EXTENSIONS", "export", "generate_graphml", "per_article_quads"]

EXTENSIONS = {"ttl": "ttl", "nt": "nt", "jsonld": "jsonld", "rdf": "rdf", "trig": "trig",
              "nq": "nq", "graphml": "graphml"}
"""Export format → file extension."""
EXPORT_FORMATS = tuple(EXTENSIONS)

_KG = PREFIXES["kg"]
_ARTICLE = ox.NamedNode(_KG + "article")
_DERIVED = ox.NamedNode(PREFIXES["prov"] + "wasDerivedFrom")
_MENTION = ox.NamedNode(_KG + "mention")
_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")
_NEWS = ox.NamedNode(_KG + "NewsArticle")
_STATEMENT = ox.NamedNode(_KG + "Statement")
_SUBJ, _PRED, _OBJ = (ox.NamedNode(PREFIXES["rdf"] + n) for n in ("subject", "predicate",
                                                                  "object"))


def check_format(name: str) -> str:
    """``name`` if it is an export format, else a UsageError that lists them."""
    fmt = name.strip().lower().lstrip(".")
    fmt = {"turtle": "ttl", "ntriples": "nt", "json-ld": "jsonld", "nquads": "nq",
           "xml": "rdf"}.get(fmt, fmt)
    if fmt not in EXTENSIONS:
        raise UsageError(f"unknown export format {name!r}; use one of {', '.join(EXTENSIONS)}")
    return fmt


def per_article_quads(store: Store) -> Iterator[ox.Quad]:
    """Every triple of ``store`` placed in the named graph of its article (see module doc)."""
    s = store.ox

    def objects(subject: object, pred: ox.NamedNode) -> Iterator:
        return (q.object for q in s.quads_for_pattern(subject, pred, None, None))

    articles = {q.subject for q in s.quads_for_pattern(None, _TYPE, _NEWS, None)}
    owner: dict[object, set] = defaultdict(set)  # node → articles it belongs to
    for a in articles:
        owner[a].add(a)
    for q in s.quads_for_pattern(None, _ARTICLE, None, None):  # mentions, evidence
        owner[q.subject].add(q.object)
    for q in s.quads_for_pattern(None, _DERIVED, None, None):  # facts and events
        owner[q.subject].add(q.object)
        owner[q.object].add(q.object)  # a source (the gazetteer) describes itself
    direct: dict[tuple, set] = defaultdict(set)  # (s, p, o) a statement reifies → articles
    for q in s.quads_for_pattern(None, _TYPE, _STATEMENT, None):
        st = q.subject
        spo = tuple(next(objects(st, p), None) for p in (_SUBJ, _PRED, _OBJ))
        direct[spo] |= owner.get(st, set())
    seen: set = set()
    for q in s:
        t = (q.subject, q.predicate, q.object)
        if t in seen:
            continue
        seen.add(t)
        graphs = owner.get(q.subject)
        if not graphs and q.predicate == _MENTION:
            graphs = owner.get(q.object)
        if not graphs:
            graphs = direct.get(t)
        for g in sorted(graphs or (DEFAULT_GRAPH,), key=str):
            yield ox.Quad(q.subject, q.predicate, q.object, g)


def generate_graphml(kg: KnowledgeGraph) -> str:
    """The entity network as GraphML text (every attribute a string).

    Nodes are entities and events (``label``, ``type``); edges are facts
    (``predicate`` IRI, ``label``), read from the graph.
    """
    nxg = kg.to_networkx()
    for _, data in nxg.nodes(data=True):
        for k, v in list(data.items()):
            data[k] = "" if v is None else str(v)
    for _, _, data in nxg.edges(data=True):
        for k, v in list(data.items()):
            data[k] = "" if v is None else str(v)
    import networkx as nx

    return "\n".join(nx.generate_graphml(nxg, encoding="utf-8", prettyprint=True)) + "\n"


def serialize(kg: KnowledgeGraph, fmt: str) -> bytes:
    """The graph as bytes in export format ``fmt``."""
    fmt = check_format(fmt)
    if fmt == "graphml":
        return generate_graphml(kg).encode("utf-8")
    if fmt in ("trig", "nq"):
        buf = io.BytesIO()
        syntax = ox.RdfFormat.TRIG if fmt == "trig" else ox.RdfFormat.N_QUADS
        ox.serialize(per_article_quads(kg.store), buf, syntax, prefixes=PREFIXES)
        return buf.getvalue()
    if fmt == "jsonld":
        return compact_jsonld(kg.store.serialize("jsonld"))
    return kg.store.serialize(fmt)


def jsonld_context() -> dict:
    """The JSON-LD context of our graphs: the prefixes (as ``ontology/context.jsonld``)."""
    return {"@context": dict(PREFIXES)}


def _curie(iri: str, by_length: list[tuple[str, str]]) -> str:
    for ns, prefix in by_length:
        if iri.startswith(ns) and iri != ns:
            local = iri[len(ns):]
            if "/" not in local and "#" not in local:
                return f"{prefix}:{local}"
    return iri


def compact_jsonld(expanded: bytes) -> bytes:
    """Oxigraph's expanded JSON-LD with our context: property and class IRIs as CURIEs.

    Only prefixes are used, so every key expands back to the same IRI and
    the RDF is unchanged; values keep their explicit ``@id``/``@value`` form.
    """
    nodes = json.loads(expanded)
    by_length = sorted(((ns, p) for p, ns in PREFIXES.items()), key=lambda x: -len(x[0]))
    graph: dict[str, dict] = {}  # Oxigraph may write one subject in several objects
    for node in nodes:
        out: dict = graph.setdefault(node.get("@id", f"_:n{len(graph)}"), {})
        for key, values in node.items():
            if key == "@id":
                out[key] = values
            elif key in ("@type", PREFIXES["rdf"] + "type"):
                iris = [v if isinstance(v, str) else v["@id"] for v in values]
                out.setdefault("@type", []).extend(_curie(t, by_length) for t in iris)
            else:
                for v in values:
                    if "@type" in v:
                        v["@type"] = _curie(v["@type"], by_length)
                out.setdefault(_curie(key, by_length), []).extend(values)
    doc = {**jsonld_context(), "@graph": list(graph.values())}
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8") + b"\n"


def export(kg: KnowledgeGraph, path: str | os.PathLike[str], fmt: str | None = None) -> Path:
    """Write ``kg`` to ``path`` in ``fmt`` (default: from the extension), atomically."""
    target = Path(path)
    fmt = check_format(fmt or target.suffix or "ttl")
    if fmt in ("ttl", "nt", "rdf"):
        return kg.store.dump(target, fmt)  # streamed by Oxigraph
    return atomic_write(target, serialize(kg, fmt))
