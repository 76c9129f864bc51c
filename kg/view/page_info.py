"""What the explorer's details panel shows of a node or an edge, evidence included.

Each fact comes with the sentence that states it; a sentence can be a whole
unpunctuated article, so only a window around the name is kept
(:func:`evidence_window`).

>>> from kg.view.model import NodeView
>>> node_info(NodeView("n1", "普京", "Person"))["label"]
'普京'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kg.view.model import EdgeView, Evidence, NodeView

__all__ = ["EVIDENCE_RADIUS", "edge_info", "evidence_window", "node_info"]

EVIDENCE_RADIUS = 80
"""Characters of evidence shown on each side of the name it supports.

A sentence is usually shorter than that; an article without punctuation
is one "sentence" of any length, and repeating it per mention made a
100,000-character article a 1.1 GB page. A window keeps the page's size
proportional to the graph's."""


def evidence_window(text: str, names: Sequence[str], radius: int = EVIDENCE_RADIUS) -> str:
    """The part of ``text`` around the first of ``names`` it holds, at most ~2·radius long.

    A text that fits is kept whole; a cut is marked with "…". When no name
    is found (an event's label is not in its sentence), the parts of names
    joined by 、 are tried, then the start of the text is shown.

    >>> evidence_window("甲" * 300 + "普京通电话" + "乙" * 300, ["普京"], radius=3)
    '…甲甲甲普京通电话…'
    >>> evidence_window("国家主席习近平同俄罗斯总统普京通电话。", ["普京"])
    '国家主席习近平同俄罗斯总统普京通电话。'
    """
    if len(text) <= 2 * radius + 20:
        return text
    candidates = [n for n in names if n] + [part for n in names for part in n.split("、") if part]
    at, width = 0, 0
    for name in candidates:
        found = text.find(name)
        if found >= 0:
            at, width = found, len(name)
            break
    start = max(0, at - radius)
    end = min(len(text), at + width + radius if width else 2 * radius)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def _evidence(items: tuple[Evidence, ...], names: Sequence[str]) -> list[list[str]]:
    return [[evidence_window(ev.text, names), ev.headline[:200], ev.date, ev.article_id]
            for ev in items]


def node_info(node: NodeView) -> dict[str, Any]:
    """The details of ``node``: IRI, label, type, aliases, roles, date, articles, evidence."""
    articles = dict.fromkeys([*node.articles, *(ev.article_id for ev in node.evidence)])
    return {
        "iri": node.id,
        "label": node.label,
        "type": node.type,
        "aliases": list(node.aliases),
        "roles": list(node.roles),
        "date": node.date,
        "count": node.count,
        "articles": [a for a in articles if a],
        "evidence": _evidence(node.evidence, (node.label, *node.aliases)),
    }


def edge_info(edge: EdgeView, index: dict[str, int], nodes: list[NodeView]) -> dict[str, Any]:
    """The details of ``edge``, whose ends are ``nodes[index[...]]``: label, articles, evidence."""
    ends = (nodes[index[edge.source]], nodes[index[edge.target]])
    return {
        "source": index[edge.source],
        "target": index[edge.target],
        "label": edge.label,
        "predicate": edge.predicate,
        "articles": sorted({ev.article_id for ev in edge.evidence if ev.article_id}),
        "evidence": _evidence(edge.evidence, [n for end in ends for n in (end.label,
                                                                           *end.aliases)]),
    }
