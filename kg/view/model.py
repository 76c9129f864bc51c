"""A plain, display-ready view of the graph, read from the RDF store.

``from_graph.py`` builds a :class:`GraphView` from the triples; ``html.py`` turns
it into a page. Neither side knows the other's internals, and the page can
never show something the graph does not hold.

>>> ev = Evidence("普京表示……", "习近平同俄罗斯总统普京通电话", "2025-02-24", "a1")
>>> n = NodeView("n1", "普京", "Person", count=5, evidence=(ev,))
>>> GraphView(nodes=(n,), edges=()).nodes[0].label
'普京'
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.types import NODE_TYPES

__all__ = ["HTML_MAX_NODES", "NODE_TYPES", "EdgeView", "Evidence", "GraphView", "NodeView"]

HTML_MAX_NODES = 3000
"""The page of a bigger graph shows its most-mentioned nodes (a browser draws ~5,000 at most)."""


@dataclass(frozen=True, slots=True)
class Evidence:
    """One sentence that supports a node or an edge, with its article."""

    text: str
    headline: str
    date: str  # ISO date or "" when unknown
    article_id: str


@dataclass(frozen=True, slots=True)
class NodeView:
    """A node: an entity, an event or an article."""

    id: str  # the IRI
    label: str
    type: str  # one of NODE_TYPES
    aliases: tuple[str, ...] = ()
    count: int = 1  # how many mentions
    roles: tuple[str, ...] = ()  # e.g. ("工会主席 @ 中车株洲电力机车有限公司",)
    articles: tuple[str, ...] = ()  # article ids it is mentioned in
    evidence: tuple[Evidence, ...] = ()
    date: str = ""  # events: ISO date


@dataclass(frozen=True, slots=True)
class EdgeView:
    """A directed, labelled edge between two node ids."""

    source: str
    target: str
    label: str  # shown on the edge: a role name or the relation's zh label
    predicate: str  # the relation's IRI
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True)
class GraphView:
    """Everything a viewer needs, and nothing it must look up elsewhere."""

    nodes: tuple[NodeView, ...]
    edges: tuple[EdgeView, ...]
    articles: tuple[tuple[str, str, str], ...] = ()  # (id, headline, date)
    title: str = "kg"
    total_nodes: int = 0  # nodes in the graph, when the view shows only the top ones
