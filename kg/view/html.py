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

Node styles and vis-network options live in :mod:`kg.view.page_options`, the
details panel's data (evidence windows) in :mod:`kg.view.page_info`.

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
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from kg.errors import KGError
from kg.files import atomic_write
from kg.view.force_layout import spread_layout
from kg.view.model import GraphView, NodeView
from kg.view.page_info import edge_info, node_info
from kg.view.page_options import SEEDED_GRAPH, TYPE_STYLES, style, types_in, vis_options

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

LABEL_LIMIT = 12
"""Labels longer than this are shortened on the canvas (full text in details)."""

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
        "options": vis_options(len(nodes), large, types_in(nodes)),
        "types": [{"type": t, "name": style(t)["name"]} for t in types_in(nodes)],
        "nodes": vis_nodes,
        "edges": vis_edges,
        "info": {
            "nodes": [node_info(node) for node in nodes],
            "edges": [edge_info(edge, index, nodes) for edge in edges],
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


def _node_size(count: int) -> float:
    return round(min(12.0 + 7.0 * math.log2(max(count, 1)), 48.0), 1)


def _tooltip(node: NodeView) -> str:
    lines = [node.label, style(node.type)["name"]]
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
            shape=style(node.type)["shape"],  # pyvis always sets one; the group's is ignored
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


def _page(view: GraphView, nodes: list[NodeView], edge_count: int, payload: str) -> str:
    vis_js, app_js = _resource("vis-network.min.js"), _resource("app.js")
    counts: dict[str, int] = {}
    for node in nodes:
        counts[node.type] = counts.get(node.type, 0) + 1
    types = [
        {"type": t, "count": counts.get(t, 0), **style(t)}
        for t in types_in(nodes)
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
