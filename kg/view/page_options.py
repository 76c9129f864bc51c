"""How the explorer page draws: node styles per type and the vis-network options.

Pure data for :mod:`kg.view.html`: the colours, shapes and zh names of the
node types, and the options object vis-network is started with (physics,
interaction and edge style depend on the size of the graph).

>>> style("Person")["name"], style("Ship")["name"]
('人物', '其他')
>>> vis_options(10, False, ["Person"])["physics"]["stabilization"]["iterations"]
400
"""

from __future__ import annotations

from typing import Any

from kg.view.model import NODE_TYPES, NodeView

__all__ = ["FONT_STACK", "SEEDED_GRAPH", "TYPE_STYLES", "style", "types_in", "vis_options"]

SEEDED_GRAPH = 150
"""Above this many nodes, browser physics starts from positions computed in Python."""

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


def style(node_type: str) -> dict[str, str]:
    """The style of ``node_type`` in :data:`TYPE_STYLES`, or the grey star of other types.

    >>> style("Place")["shape"]
    'triangle'
    """
    return TYPE_STYLES.get(node_type, _OTHER_STYLE)


def types_in(nodes: list[NodeView]) -> list[str]:
    """The known node types in their order, then the other types of ``nodes``, sorted.

    >>> types_in([NodeView("n1", "长江", "River")])[-1]
    'River'
    """
    present = {node.type for node in nodes}
    return [*NODE_TYPES, *sorted(present - set(NODE_TYPES))]


def vis_options(n: int, large: bool, types: list[str]) -> dict[str, Any]:
    """The vis-network options for ``n`` nodes of ``types`` (``large``: physics off)."""
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
        "physics": _physics(n, large),
    }


def _physics(n: int, large: bool) -> dict[str, Any]:
    return {
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
    }


def _group(node_type: str) -> dict[str, Any]:
    node_style = style(node_type)
    return {
        "shape": node_style["shape"],
        "color": {
            "background": node_style["color"],
            "border": node_style["border"],
            "highlight": {"background": node_style["color"], "border": "#111111"},
            "hover": {"background": node_style["color"], "border": "#111111"},
        },
    }
