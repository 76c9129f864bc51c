"""What the HTML page shows, read from a graph: nodes, edges, evidence, articles.

The view reads the graph through :class:`kg.rdf.readback.Reader` (never the
other way round), so the page shows exactly what the Turtle file holds.
"""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.term import Node

from kg.rdf.namespace import KG, NIF, ORG, RDF, SDO, SKOS
from kg.rdf.readback import Reader, article_id
from kg.view.model import EdgeView, Evidence, GraphView, NodeView

__all__ = ["evidence", "graph_view"]


def _text(g: Graph, node: Node, prop: URIRef) -> str:
    value = g.value(node, prop)
    return str(value) if value is not None else ""


def evidence(reader: Reader, node: Node) -> Evidence | None:
    """The evidence sentence of a mention or fact node, with its article's headline and date."""
    ev = reader.g.value(node, KG.evidence)
    return None if ev is None else _sentence(reader, ev)


def _sentence(reader: Reader, ev: Node) -> Evidence:
    g = reader.g
    art = g.value(ev, KG.article)
    date = g.value(art, SDO.dateCreated) or g.value(art, SDO.datePublished)
    return Evidence(_text(g, ev, NIF.anchorOf), _text(g, art, SDO.headline),
                    str(date or ""), article_id(art))


def _node(reader: Reader, node: Node, name: str) -> NodeView:
    g = reader.g
    mentions = list(g.objects(node, KG.mention))
    found = [e for m in mentions[:5] if (e := evidence(reader, m))]
    if name == "Event":  # every sentence that reports it, in one article or several
        found[:0] = [_sentence(reader, ev) for ev in sorted(g.objects(node, KG.evidence))[:5]]
    roles = tuple(sorted(
        f"{reader.label(g.value(m, ORG.role))} @ {reader.label(g.value(m, ORG.organization))}"
        for m in g.subjects(ORG.member, node))) + tuple(
        sorted(reader.label(r) for r in g.objects(node, KG.holdsTitle)))
    date = g.value(node, SDO.startDate)
    return NodeView(
        str(node), reader.label(node), name,
        tuple(sorted(str(a) for a in g.objects(node, SKOS.altLabel))),
        max(1, len(mentions)), roles,
        tuple(sorted({article_id(m) for m in mentions})),  # a span IRI names its article
        tuple(dict.fromkeys(found)), str(date or ""),
    )


def graph_view(reader: Reader, title: str = "kg", max_nodes: int | None = None) -> GraphView:
    """What the page shows: every node, or the ``max_nodes`` most-mentioned ones.

    A graph of a whole archive has far more entities than a browser can
    draw; capped, the view keeps the most-mentioned nodes, the edges
    between them and their articles, and says how many there are in all.
    """
    g = reader.g
    top, total = reader.top_nodes(max_nodes)
    nodes = [_node(reader, node, name) for node, name in top]
    kept = {n.id for n in nodes}
    edges = []
    for src, dst, pred, label, fact in reader.edges():
        if total and (str(src) not in kept or str(dst) not in kept):
            continue
        ev = evidence(reader, fact)
        edges.append(EdgeView(str(src), str(dst), label, pred, (ev,) if ev else ()))
    shown = {a for n in nodes for a in n.articles} if total else None
    articles = []
    for art in sorted(g.subjects(RDF.type, KG.NewsArticle), key=str):
        if shown is not None and article_id(art) not in shown:
            continue
        date = g.value(art, SDO.dateCreated) or g.value(art, SDO.datePublished)
        articles.append((article_id(art), _text(g, art, SDO.headline), str(date or "")))
    return GraphView(tuple(nodes), tuple(edges), tuple(articles), title, total)
