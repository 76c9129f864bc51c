"""The HTML explorer page, checked as text (no browser: see test_browser.py)."""

from __future__ import annotations

import base64
import hashlib
import json
import re

import numpy as np
import pytest

from kg.errors import KGError
from kg.view.html import (
    LARGE_GRAPH,
    TYPE_STYLES,
    render_html,
    script_json,
    shorten_label,
    spread_layout,
    write_html,
)
from kg.view.model import EdgeView, Evidence, GraphView, NodeView
from kg.view.screenshot import render_png

PAYLOADS = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"; alert(1); "',
    "</script>",
    "\u2028\u2029<!--",
)

CALL = Evidence(
    "国家主席习近平同俄罗斯总统普京通电话。", "习近平同俄罗斯总统普京通电话", "2025-02-24", "a1"
)
UNION = Evidence(
    "中车大连机车车辆有限公司工会主席张健介绍了职工创新工作室的情况。",
    "大连机车职工创新成果丰硕",
    "2025-02-25",
    "a2",
)


def sample_view() -> GraphView:
    nodes = (
        NodeView("urn:kg:p1", "普京", "Person", ("弗拉基米尔·普京",), 5, (), ("a1",), (CALL,)),
        NodeView("urn:kg:p2", "习近平", "Person", ("国家主席习近平",), 9, ("国家主席",), ("a1",)),
        NodeView(
            "urn:kg:p3", "张健", "Person", count=2, roles=("工会主席 @ 中车大连机车车辆有限公司",)
        ),
        NodeView(
            "urn:kg:o1", "中车大连机车车辆有限公司", "Organization", count=3, evidence=(UNION,)
        ),
        NodeView("urn:kg:l1", "大连", "Place"),
        NodeView("urn:kg:e1", "通电话", "Event", date="2025-02-24", articles=("a1",)),
        NodeView("urn:kg:a1", "习近平同俄罗斯总统普京通电话", "NewsArticle", articles=("a1",)),
    )
    edges = (
        EdgeView("urn:kg:p3", "urn:kg:o1", "工会主席", "urn:kg:holdsPosition", (UNION,)),
        EdgeView("urn:kg:p2", "urn:kg:e1", "参与者", "urn:kg:participant", (CALL,)),
        EdgeView("urn:kg:p1", "urn:kg:e1", "参与者", "urn:kg:participant", (CALL,)),
        EdgeView("urn:kg:o1", "urn:kg:l1", "位于", "urn:kg:locatedIn"),
    )
    articles = (
        ("a1", "习近平同俄罗斯总统普京通电话", "2025-02-24"),
        ("a2", "大连机车职工创新成果丰硕", "2025-02-25"),
    )
    return GraphView(nodes, edges, articles, title="工人日报 2025-02-25")


def hostile_view() -> GraphView:
    """Every text field of the view carries one of the payloads."""
    nodes, edges = [], []
    for i, bad in enumerate(PAYLOADS):
        ev = Evidence(f"证据{bad}", f"标题{bad}", "2025-02-24", f"art{bad}")
        nodes.append(
            NodeView(
                f"urn:kg:{bad}",
                f"名{bad}",
                "Person",
                aliases=(f"别名{bad}",),
                roles=(f"角色{bad}",),
                articles=(f"art{bad}",),
                evidence=(ev,),
                date=bad,
            )
        )
        if i:
            edges.append(EdgeView(nodes[i - 1].id, nodes[i].id, f"边{bad}", f"urn:{bad}", (ev,)))
    articles = tuple((f"art{bad}", f"标题{bad}", bad) for bad in PAYLOADS)
    return GraphView(tuple(nodes), tuple(edges), articles, title="题" + PAYLOADS[0])


def data_block(page: str) -> dict:
    """The JSON payload, cut at the first ``</script>`` as an HTML parser would."""
    match = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S)
    assert match, "no kg-data block"
    return json.loads(match.group(1))


def outside_scripts(page: str) -> str:
    """The page's markup with the content of every <script> and <style> removed."""
    return re.sub(r"(<(script|style)[^>]*>).*?(</\2>)", r"\1\3", page, flags=re.S)


def test_payloads_never_appear_raw_in_the_page():
    page = render_html(hostile_view())
    for bad in ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>"):
        assert bad not in page
    raw_json = page.split('id="kg-data">', 1)[1].split("</script>", 1)[0]
    assert "\u2028" not in raw_json and "\u2029" not in raw_json and "<" not in raw_json
    # every script/style element closes exactly where it should
    assert page.count("</script") == 3
    markup = outside_scripts(page)
    assert markup.count("<script") == 3
    assert '"; alert(1); "' not in markup
    assert "<!--" not in markup
    assert "<title>题&lt;script&gt;alert(1)&lt;/script&gt;</title>" in page
    assert '<option value="art&#34;; alert(1); &#34;">&#34;; alert(1); &#34; 标题' in page


def test_json_payload_survives_every_payload_intact():
    view = hostile_view()
    data = data_block(render_html(view))
    info = data["info"]["nodes"]
    assert [n["label"] for n in info] == [n.label for n in view.nodes]
    assert [n["aliases"] for n in info] == [list(n.aliases) for n in view.nodes]
    assert [n["evidence"][0][:2] for n in info] == [[f"证据{b}", f"标题{b}"] for b in PAYLOADS]
    assert [e["label"] for e in data["info"]["edges"]] == [e.label for e in view.edges]
    assert data["title"] == "题<script>alert(1)</script>"


def test_script_json_escapes_html_significant_characters():
    text = script_json(["</script>", "a&b", "\u2028", "普京"])
    assert text == '["\\u003c/script\\u003e","a\\u0026b","\\u2028","普京"]'
    assert json.loads(text) == ["</script>", "a&b", "\u2028", "普京"]


EXTERNAL = re.compile(
    r"""(?:\b(?:src|href|action|srcset|poster|data)\s*=\s*["']?\s*(?:https?:)?//"""
    r"""|url\(\s*["']?\s*(?:https?:)?//"""
    r"""|@import"""
    r"""|\bfetch\s*\("""
    r"""|XMLHttpRequest"""
    r"""|<link\b|<iframe\b|<script[^>]*\bsrc\s*=)""",
    re.I,
)


def test_page_loads_nothing_from_outside():
    page = render_html(sample_view())
    assert EXTERNAL.findall(page) == []
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    assert csp.startswith("default-src 'none'; script-src 'sha256-")


def test_csp_hashes_match_the_inline_scripts():
    page = render_html(sample_view())
    csp = re.search(r"script-src ([^;]+);", page).group(1).split()
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert len(scripts) == 2
    digests = [hashlib.sha256(s.encode("utf-8")).digest() for s in scripts]
    assert csp == [f"'sha256-{base64.b64encode(d).decode()}'" for d in digests]


def test_legend_lists_every_type_with_its_colour_and_count():
    page = render_html(sample_view())
    counts = {"Person": 3, "Organization": 1, "Place": 1, "Event": 1, "NewsArticle": 1}
    for node_type, style in TYPE_STYLES.items():
        assert f'value="{node_type}" checked>' in page
        assert f'kg-shape-{style["shape"]}" style="--kg-color: {style["color"]}"' in page
        assert f'<span class="kg-type-name">{style["name"]}</span>' in page
        assert f'<span class="kg-type-count">{counts[node_type]}</span>' in page
    data = data_block(page)
    assert (data["nodes"][0]["group"], data["nodes"][0]["shape"]) == ("Person", "dot")
    assert (data["nodes"][3]["group"], data["nodes"][3]["shape"]) == ("Organization", "square")
    groups = data["options"]["groups"]
    assert sorted(groups) == sorted(TYPE_STYLES)
    assert groups["Person"]["color"]["background"] == TYPE_STYLES["Person"]["color"]
    assert groups["Organization"]["color"]["background"] == "#f28e2b"
    assert groups["Event"]["shape"] == "diamond"


def test_articles_fill_the_article_filter():
    page = render_html(sample_view())
    assert '<option value="a1">2025-02-24 习近平同俄罗斯总统普京通电话</option>' in page
    assert '<option value="a2">2025-02-25 大连机车职工创新成果丰硕</option>' in page


def test_long_labels_are_shortened_on_the_canvas_only():
    assert shorten_label("普京") == "普京"
    assert shorten_label("中华全国总工会办公厅") == "中华全国总工会办公厅"
    assert shorten_label("一二三四五六七八九十一二") == "一二三四五六七八九十一二"
    assert shorten_label("一二三四五六七八九十一二三") == "一二三四五六七八九十一…"
    data = data_block(render_html(sample_view()))
    assert data["nodes"][6]["label"] == "习近平同俄罗斯总统普京…"
    assert data["info"]["nodes"][6]["label"] == "习近平同俄罗斯总统普京通电话"
    assert data["nodes"][6]["title"] == "习近平同俄罗斯总统普京通电话\n新闻"
    assert data["nodes"][3]["label"] == "中车大连机车车辆有限公司"  # 12: kept


def test_nodes_size_by_count_and_edges_carry_labels_and_arrows():
    data = data_block(render_html(sample_view()))
    sizes = {n["label"]: n["size"] for n in data["nodes"]}
    assert sizes["大连"] == 12.0
    assert sizes["大连"] < sizes["张健"] < sizes["普京"] < sizes["习近平"]
    edge = data["edges"][0]
    assert (edge["from"], edge["to"], edge["label"]) == ("n2", "n3", "工会主席")
    assert data["options"]["edges"]["arrows"]["to"]["enabled"] is True
    assert data["info"]["edges"][0]["evidence"] == [[UNION.text, UNION.headline, UNION.date, "a2"]]
    assert data["info"]["edges"][0]["articles"] == ["a2"]
    assert data["info"]["nodes"][0]["articles"] == ["a1"]
    assert data["info"]["nodes"][3]["articles"] == ["a2"]  # from its evidence


def test_small_graphs_use_physics_without_positions():
    data = data_block(render_html(sample_view()))
    assert data["physics"] is True
    assert data["options"]["physics"]["enabled"] is True
    assert all("x" not in n for n in data["nodes"])


def test_large_graphs_get_positions_and_no_physics():
    n = LARGE_GRAPH + 1
    nodes = tuple(NodeView(f"urn:kg:{i}", f"节点{i}", "Person") for i in range(n))
    edges = tuple(
        EdgeView(f"urn:kg:{i}", f"urn:kg:{(i * 7 + 1) % n}", "关系", "urn:kg:r") for i in range(n)
    )
    data = data_block(render_html(GraphView(nodes, edges)))
    assert data["physics"] is False
    assert data["options"]["physics"]["enabled"] is False
    assert data["options"]["edges"]["smooth"] is False
    xs = [node["x"] for node in data["nodes"]]
    ys = [node["y"] for node in data["nodes"]]
    assert len(xs) == n and all(np.isfinite(xs)) and all(np.isfinite(ys))
    assert max(xs) - min(xs) > 1000 and max(ys) - min(ys) > 1000


def test_dangling_edges_and_repeated_nodes_are_dropped():
    view = sample_view()
    dangling = EdgeView("urn:kg:p1", "urn:kg:missing", "会见", "urn:kg:r")
    twin = NodeView("urn:kg:p1", "另一个普京", "Person")
    data = data_block(render_html(GraphView((*view.nodes, twin), (*view.edges, dangling))))
    assert len(data["nodes"]) == 7 and len(data["edges"]) == 4
    assert data["info"]["nodes"][0]["label"] == "普京"


def test_spread_layout_keeps_linked_nodes_close():
    rng = np.random.default_rng(3)
    # two dense clusters of 300 nodes joined by one edge
    cluster = [(a, b) for a, b in rng.integers(0, 300, (1200, 2)) if a != b]
    pairs = np.array(cluster + [(a + 300, b + 300) for a, b in cluster] + [(0, 300)])
    pos = spread_layout(600, pairs)
    assert pos.shape == (600, 2) and np.isfinite(pos).all()
    centre_a, centre_b = pos[:300].mean(0), pos[300:].mean(0)
    spread_a = np.linalg.norm(pos[:300] - centre_a, axis=1).mean()
    assert np.linalg.norm(centre_a - centre_b) > spread_a
    assert np.array_equal(pos, spread_layout(600, pairs))  # deterministic
    assert spread_layout(0, []).shape == (0, 2)


def test_write_html_is_utf8_and_leaves_no_temp_file(tmp_path):
    target = tmp_path / "graph.html"
    target.write_text("old", encoding="utf-8")
    assert write_html(sample_view(), target) == target
    text = target.read_bytes().decode("utf-8")
    assert '<h1 id="kg-title">工人日报 2025-02-25</h1>' in text
    assert [p.name for p in tmp_path.iterdir()] == ["graph.html"]


def test_write_html_survives_a_lone_surrogate(tmp_path):
    view = GraphView((NodeView("urn:kg:x", "坏\ud800字", "Person"),), ())
    text = write_html(view, tmp_path / "g.html").read_text(encoding="utf-8")
    assert data_block(text)["info"]["nodes"][0]["label"] == "坏?字"


def test_write_html_keeps_the_old_page_when_it_fails(tmp_path, monkeypatch):
    target = tmp_path / "graph.html"
    target.write_text("old", encoding="utf-8")

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("kg.view.html.os.replace", broken)
    with pytest.raises(OSError, match="disk full"):
        write_html(sample_view(), target)
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.html"]


def test_render_png_without_chromium_says_what_to_install(tmp_path, monkeypatch):
    page = write_html(sample_view(), tmp_path / "g.html")
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("KG_CHROMIUM", raising=False)
    with pytest.raises(KGError, match=r"needs Chromium.*apt-get install chromium"):
        render_png(page, tmp_path / "g.png")
