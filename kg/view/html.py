"""The interactive HTML explorer: one self-contained page per graph.

``render_html`` turns a :class:`~kg.view.model.GraphView` into a page that needs no
network: vis-network, its CSS, our script and style, and the graph data are all
inlined, and a Content-Security-Policy forbids loading anything else. Every
string in the view is untrusted article text; it travels as JSON inside a
``<script type="application/json">`` block (``<``, ``>``, ``&``, U+2028/9
escaped) and the page sets it with ``textContent`` only.

Small graphs lay themselves out with vis-network physics, which stops once
stable (from positions computed here by :func:`spread_layout` when there are
more than :data:`SEEDED_GRAPH` nodes, so that it settles sooner). Above
:data:`LARGE_GRAPH` nodes the browser simulation is too slow: the computed
positions are final and physics stays off.

>>> from kg.view.model import GraphView, NodeView
>>> page = render_html(GraphView(nodes=(NodeView("n1", "普京", "Person"),), edges=()))
>>> page.startswith("<!DOCTYPE html>"), "普京" in page
(True, True)
>>> shorten_label("中华全国总工会第十八届执行委员会")
'中华全国总工会第十八届…'
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import os
from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from kg.errors import KGError
from kg.files import atomic_write
from kg.view.force_layout import spread_layout
from kg.view.model import NODE_TYPES, EdgeView, Evidence, GraphView, NodeView

__all__ = [
    "LARGE_GRAPH",
    "SEEDED_GRAPH",
    "TYPE_STYLES",
    "render_html",
    "script_json",
    "shorten_label",
    "spread_layout",
    "write_html",
]

LARGE_GRAPH = 1000
"""Above this many nodes, positions are computed in Python and physics is off."""

SEEDED_GRAPH = 150
"""Above this many nodes, browser physics starts from positions computed in Python."""

LABEL_LIMIT = 12
"""Labels longer than this are shortened on the canvas (full text in details)."""

FONT_STACK = (
    '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Hiragino Sans GB", '
    '"Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif'
)

TYPE_STYLES: dict[str, dict[str, str]] = {
    "Person": {"name": "人物", "color": "#4e79a7", "border": "#2f4b6b", "shape": "dot"},
    "Organization": {"name": "机构", "color": "#f28e2b", "border": "#a65c12", "shape": "square"},
    "Place": {"name": "地点", "color": "#59a14f", "border": "#356230", "shape": "triangle"},
    "Event": {"name": "事件", "color": "#e15759", "border": "#8f2d2f", "shape": "diamond"},
    "NewsArticle": {"name": "新闻", "color": "#9c755f", "border": "#5e4536", "shape": "hexagon"},
}
"""Display name (zh), fill and border colour and vis-network shape per node type."""

_OTHER_STYLE = {"name": "其他", "color": "#bab0ac", "border": "#6f6764", "shape": "star"}
_PX_PER_UNIT = 90.0  # spread_layout's ideal edge length is 1; on screen ~90 px
_RESOURCES = "resources/html"

_JSON_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def shorten_label(text: str, limit: int = LABEL_LIMIT) -> str:
    """Return ``text`` cut to ``limit - 1`` characters and "…" when longer than ``limit``.

    >>> shorten_label("习近平")
    '习近平'
    >>> shorten_label("中车株洲电力机车有限公司工会委员会")
    '中车株洲电力机车有限公…'
    """
    return text if len(text) <= limit else text[: limit - 1] + "…"


def script_json(value: Any) -> str:
    """Serialise ``value`` as JSON that is safe inside an HTML ``<script>`` element.

    ``<``, ``>`` and ``&`` become ``\\u003c``-style escapes, so no string can
    close the element or open a comment; U+2028/9 are escaped too.

    >>> script_json({"name": "</script><b>"})
    '{"name":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e"}'
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.translate(_JSON_ESCAPES)


def render_html(view: GraphView) -> str:
    """Return the explorer page for ``view`` as one self-contained HTML string.

    Pure: reads only the packaged template and scripts. Edges whose ends are
    not among the nodes are left out; a repeated node id keeps its first node.

    >>> from kg.view.model import GraphView, NodeView
    >>> bad = "<img src=x onerror=alert(1)>"
    >>> page = render_html(GraphView(nodes=(NodeView("n1", bad, "Person"),), edges=()))
    >>> bad in page, "\\\\u003cimg src=x onerror=alert(1)\\\\u003e" in page
    (False, True)
    """
    nodes = _unique_nodes(view.nodes)
    index = {node.id: i for i, node in enumerate(nodes)}
    edges = [e for e in view.edges if e.source in index and e.target in index]
    large = len(nodes) > LARGE_GRAPH
    positions = None
    if len(nodes) > SEEDED_GRAPH:
        pairs = np.array([(index[e.source], index[e.target]) for e in edges], dtype=np.int64)
        positions = spread_layout(len(nodes), pairs) * _PX_PER_UNIT
    vis_nodes, vis_edges = _vis_elements(nodes, edges, index, positions)
    payload = {
        "title": view.title,
        "physics": not large,
        "options": _vis_options(len(nodes), large, _types_in(nodes)),
        "types": [{"type": t, "name": _style(t)["name"]} for t in _types_in(nodes)],
        "nodes": vis_nodes,
        "edges": vis_edges,
        "info": {
            "nodes": [_node_info(node) for node in nodes],
            "edges": [_edge_info(edge, index, nodes) for edge in edges],
        },
    }
    return _page(view, nodes, len(edges), script_json(payload))


def write_html(view: GraphView, path: str | os.PathLike[str]) -> Path:
    """Write ``render_html(view)`` to ``path`` as UTF-8, atomically; return the path.

    The page goes to a temporary file in the same folder first and is then
    renamed over ``path``, so a crash never leaves a half-written page.
    """
    return atomic_write(path, render_html(view))  # lone surrogates become "?"


def _unique_nodes(nodes: tuple[NodeView, ...]) -> list[NodeView]:
    seen: dict[str, NodeView] = {}
    for node in nodes:
        seen.setdefault(node.id, node)
    return list(seen.values())


def _style(node_type: str) -> dict[str, str]:
    return TYPE_STYLES.get(node_type, _OTHER_STYLE)


def _types_in(nodes: list[NodeView]) -> list[str]:
    present = {node.type for node in nodes}
    return [*NODE_TYPES, *sorted(present - set(NODE_TYPES))]


def _node_size(count: int) -> float:
    return round(min(12.0 + 7.0 * math.log2(max(count, 1)), 48.0), 1)


def _tooltip(node: NodeView) -> str:
    lines = [node.label, _style(node.type)["name"]]
    if node.aliases:
        lines.append("别名：" + "、".join(node.aliases))
    if node.date:
        lines.append(node.date)
    return "\n".join(lines)


def _vis_elements(nodes, edges, index, positions) -> tuple[list[dict], list[dict]]:
    """Build vis-network node and edge dicts through pyvis (imported lazily: it is slow)."""
    from pyvis.edge import Edge
    from pyvis.network import Network

    net = Network(directed=True, cdn_resources="in_line")
    for i, node in enumerate(nodes):
        extra = (
            {}
            if positions is None
            else {"x": round(float(positions[i, 0]), 1), "y": round(float(positions[i, 1]), 1)}
        )
        net.add_node(
            f"n{i}",
            label=shorten_label(node.label) or " ",
            shape=_style(node.type)["shape"],  # pyvis always sets one; the group's is ignored
            group=node.type,  # colours come from options.groups
            size=_node_size(node.count),
            title=_tooltip(node),
            **extra,
        )
    for j, edge in enumerate(edges):
        # Appended directly: Network.add_edge scans every node id per edge (O(n·m)).
        title = (
            f"{nodes[index[edge.source]].label} → {edge.label} → {nodes[index[edge.target]].label}"
        )
        net.edges.append(
            Edge(
                f"n{index[edge.source]}",
                f"n{index[edge.target]}",
                False,  # arrows come from options.edges, not repeated per edge
                id=f"e{j}",
                label=shorten_label(edge.label),
                title=title,
            ).options
        )
    vis_nodes, vis_edges, *_ = net.get_network_data()
    return vis_nodes, vis_edges


def _vis_options(n: int, large: bool, types: list[str]) -> dict[str, Any]:
    font = {
        "face": FONT_STACK,
        "size": 14,
        "color": "#1f2933",
        "strokeWidth": 3,
        "strokeColor": "#ffffff",
    }
    return {
        "autoResize": True,
        "nodes": {"borderWidth": 1, "font": font},
        "groups": {t: _group(t) for t in types},
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.6}},
            "color": {"color": "#9aa5b1", "highlight": "#1f2933", "hover": "#52606d"},
            "font": {**font, "size": 11, "color": "#52606d", "align": "middle"},
            "smooth": False if large else {"type": "continuous"},
            "width": 1,
        },
        "interaction": {
            "hover": not large,
            "tooltipDelay": 200,
            "hideEdgesOnDrag": large,
            "hideEdgesOnZoom": large,
            "keyboard": False,
        },
        "layout": {"improvedLayout": n <= 150, "randomSeed": 7},
        "physics": {
            "enabled": not large,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -60,
                "springLength": 110,
                "springConstant": 0.06,
                "avoidOverlap": 0.3,
            },
            # Seeded layouts are nearly stable already; each iteration costs O(n + m).
            "stabilization": {
                "enabled": True,
                "iterations": 400 if n <= SEEDED_GRAPH else max(50, 30_000 // n),
                "updateInterval": 25,
            },
            "minVelocity": 1.0,
        },
    }


def _group(node_type: str) -> dict[str, Any]:
    style = _style(node_type)
    return {
        "shape": style["shape"],
        "color": {
            "background": style["color"],
            "border": style["border"],
            "highlight": {"background": style["color"], "border": "#111111"},
            "hover": {"background": style["color"], "border": "#111111"},
        },
    }


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


def _node_info(node: NodeView) -> dict[str, Any]:
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


def _edge_info(edge: EdgeView, index: dict[str, int], nodes: list[NodeView]) -> dict[str, Any]:
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


def _page(view: GraphView, nodes: list[NodeView], edge_count: int, payload: str) -> str:
    vis_js, app_js = _resource("vis-network.min.js"), _resource("app.js")
    counts: dict[str, int] = {}
    for node in nodes:
        counts[node.type] = counts.get(node.type, 0) + 1
    types = [
        {"type": t, "count": counts.get(t, 0), **_style(t)}
        for t in _types_in(nodes)
        if counts.get(t) or t in TYPE_STYLES
    ]
    articles = [
        {"id": aid, "label": " ".join(part for part in (date, headline or aid) if part)}
        for aid, headline, date in view.articles
    ]
    return _template().render(
        title=view.title,
        node_count=len(nodes),
        edge_count=edge_count,
        total_nodes=view.total_nodes,
        types=types,
        articles=articles,
        payload=_markup(payload),
        vis_css=_markup(_resource("vis-network.css")),
        app_css=_markup(_resource("app.css")),
        vis_js=_markup(vis_js),
        app_js=_markup(app_js),
        script_hashes=_markup(" ".join(f"'{_sha256(code)}'" for code in (vis_js, app_js))),
    )


def _sha256(code: str) -> str:
    digest = hashlib.sha256(code.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def _markup(text: str) -> Any:
    from markupsafe import Markup

    return Markup(text)


@cache
def _resource(name: str) -> str:
    text = resources.files("kg").joinpath(_RESOURCES, name).read_text(encoding="utf-8")
    # Inside an inline element, these would end it early or (<!--) change how
    # the HTML parser looks for its end.
    for bad in {".css": ("</style",), ".js": ("</script", "<!--")}.get(Path(name).suffix, ()):
        if bad in text.lower():
            raise KGError(f"packaged resource {name} contains {bad}; it cannot be inlined")
    return text


@cache
def _template() -> Any:
    from jinja2 import Environment

    env = Environment(autoescape=True, keep_trailing_newline=True)
    return env.from_string(_resource("template.html"))
