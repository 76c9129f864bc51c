"""HTML explorer: page size and time-to-interactive in headless Chromium.

Builds synthetic graphs (Chinese labels, all five node types, ~4 edges per
node, 80% of them inside communities of ~40 nodes, like articles' casts),
renders each with ``kg.view.html.render_html`` and opens it in headless Chromium
through playwright. "Interactive" is when the page sets ``kg.ready``: the
first frame drawn after physics stabilised (small graphs) or the first frame
drawn at precomputed positions (large graphs), with the expected node count.

    .venv/bin/python benchmarks/bench_html.py [--sizes 500 5000] [--png DIR]
    .venv/bin/python benchmarks/bench_html.py --no-browser --evidence-chars 100000

Every row prints the page's bytes per node; ``--evidence-chars N`` makes each
node's evidence sentence N characters long (an article without punctuation
is one sentence), which must not change the bytes per node much: the page
shows a window around the name, not the sentence.

Needs /usr/bin/chromium (or $KG_CHROMIUM) and the playwright package.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kg.view.html import LARGE_GRAPH, SEEDED_GRAPH, render_html, spread_layout
from kg.view.model import NODE_TYPES, EdgeView, Evidence, GraphView, NodeView

CHROMIUM = os.environ.get("KG_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
CHARS = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"  # noqa: E501
SUFFIX = {
    "Person": "",
    "Organization": "有限公司",
    "Place": "市",
    "Event": "会议",
    "NewsArticle": "报道",
}


def synthetic_view(n: int, edges_per_node: int = 4, seed: int = 1,
                   evidence_chars: int = 0) -> GraphView:
    rng = np.random.default_rng(seed)
    community = 40
    nodes = []
    for i in range(n):
        kind = NODE_TYPES[i % len(NODE_TYPES)]
        name = "".join(rng.choice(list(CHARS), 2 + i % 3)) + SUFFIX[kind] + str(i)
        sentence = f"{name}出席了会议并讲话。"
        if evidence_chars > len(sentence):  # the name in the middle of a long run of text
            pad = "代表团考察产业园区并与当地企业座谈" * (evidence_chars // 34 + 1)
            half = (evidence_chars - len(sentence)) // 2
            sentence = pad[:half] + sentence + pad[:half]
        ev = Evidence(sentence, f"新闻标题{i % 50}", "2025-02-24", f"a{i % 50}")
        nodes.append(
            NodeView(f"urn:kg:{i}", name, kind, count=int(rng.integers(1, 30)), evidence=(ev,))
        )
    edges = []
    for _ in range(n * edges_per_node):
        a = int(rng.integers(n))
        if rng.random() < 0.8:
            b = (a // community) * community + int(rng.integers(community))
            b = min(b, n - 1)
        else:
            b = int(rng.integers(n))
        if a != b:
            edges.append(EdgeView(f"urn:kg:{a}", f"urn:kg:{b}", "关系", "urn:kg:rel"))
    articles = tuple((f"a{i}", f"新闻标题{i}", "2025-02-24") for i in range(50))
    return GraphView(tuple(nodes), tuple(edges), articles, title=f"bench {n}")


def time_to_interactive(browser, path: Path, expected: int, png: Path | None) -> tuple:
    """Seconds from navigation to ``kg.ready`` (wall clock, and as the page measured it)."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    outside: list[str] = []
    context.route(
        "**/*",
        lambda r: (
            r.continue_()
            if r.request.url.startswith("file://")
            else (outside.append(r.request.url), r.abort())
        ),
    )
    start = time.perf_counter()
    page.goto(path.as_uri())
    page.wait_for_function("() => window.kg && window.kg.ready === true", timeout=300_000)
    wall = time.perf_counter() - start
    in_page = page.evaluate("kg.readyAt") / 1000
    count = page.evaluate("kg.network.body.data.nodes.length")
    if count != expected or outside:
        raise SystemExit(f"{path}: {count} nodes drawn, {expected} expected; requests: {outside}")
    if png:
        page.screenshot(path=str(png))
    context.close()
    return wall, in_page


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 5000])
    parser.add_argument("--png", type=Path, help="save a screenshot of each graph in this folder")
    parser.add_argument("--evidence-chars", type=int, default=0, metavar="N",
                        help="make every evidence sentence N characters long")
    parser.add_argument("--no-browser", action="store_true",
                        help="only render and print sizes (no chromium needed)")
    opts = parser.parse_args()
    if opts.no_browser:
        print(f"{'nodes':>6} {'edges':>6} {'evidence chars':>14} {'html MB':>8} {'bytes/node':>10}")
        for n in opts.sizes:
            view = synthetic_view(n, evidence_chars=opts.evidence_chars)
            size = len(render_html(view).encode())
            chars = max(len(e.text) for node in view.nodes for e in node.evidence)
            print(f"{n:>6} {len(view.edges):>6} {chars:>14} {size / 1e6:>8.2f} {size / n:>10.0f}")
        return
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as p, tempfile.TemporaryDirectory() as tmp:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for n in opts.sizes:
            view = synthetic_view(n, evidence_chars=opts.evidence_chars)
            layout_s = 0.0
            if n > SEEDED_GRAPH:  # render_html runs the same layout; timed alone here
                index = {node.id: i for i, node in enumerate(view.nodes)}
                pairs = [(index[e.source], index[e.target]) for e in view.edges]
                t0 = time.perf_counter()
                spread_layout(n, pairs)
                layout_s = time.perf_counter() - t0
            t0 = time.perf_counter()
            html = render_html(view)
            render_s = time.perf_counter() - t0
            path = Path(tmp) / f"bench-{n}.html"
            path.write_text(html, encoding="utf-8")
            png = opts.png / f"bench-{n}.png" if opts.png else None
            wall, in_page = time_to_interactive(browser, path, len(view.nodes), png)
            mode = "positions" if n > LARGE_GRAPH else "physics"
            size_mb = len(html.encode()) / 1e6
            rows.append((n, len(view.edges), mode, size_mb, layout_s, render_s, wall, in_page))
        browser.close()
    print(
        f"{'nodes':>6} {'edges':>6} {'mode':>9} {'html MB':>8} {'layout s':>9} "
        f"{'render s':>9} {'TTI s':>7} {'in-page s':>9} {'bytes/node':>10}"
    )
    for n, m, mode, size_mb, layout_s, render_s, wall, in_page in rows:
        print(
            f"{n:>6} {m:>6} {mode:>9} {size_mb:>8.2f} {layout_s:>9.2f} "
            f"{render_s:>9.2f} {wall:>7.2f} {in_page:>9.2f} {size_mb * 1e6 / n:>10.0f}"
        )


if __name__ == "__main__":
    main()
