"""The HTML explorer in a real browser: headless Chromium through playwright.

These tests fail (never skip) when Chromium or playwright is missing: CI
installs both (.ci/run: Debian ``chromium``; the ``test`` extra: playwright,
which drives the system Chromium, so ``playwright install`` is never needed).
Every request other than the page's own file is aborted and fails the test.
"""

from __future__ import annotations

import os
import struct
import sys

import pytest

from kg.view.html import write_html
from kg.view.model import EdgeView, Evidence, GraphView, NodeView
from kg.view.screenshot import render_png

CHROMIUM = os.environ.get("KG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
XSS_SCRIPT = "<script>window.__xss='script'</script>"
XSS_IMG = "<img src=x onerror=\"window.__xss='img'\">"
XSS_QUOTE = '"; window.__xss="quote"; "'

CALL = Evidence(
    "国家主席习近平同俄罗斯总统普京通电话。", "习近平同俄罗斯总统普京通电话", "2025-02-24", "a1"
)
UNION = Evidence(
    "中车大连机车车辆有限公司工会主席张健介绍了职工创新工作室的情况。",
    "大连机车职工创新成果丰硕",
    "2025-02-25",
    "a2",
)
HOSTILE = Evidence(f"有人写道{XSS_IMG}</script>{XSS_SCRIPT}", f"标题{XSS_QUOTE}", "", "a2")

PEOPLE = ["普京", "习近平", "张健", "刘旭", "朱欣", "李强", "王毅", "赵乐际", "丁薛祥"]
ORGS = [
    "中车大连机车车辆有限公司",
    "大连市总工会",
    "中华全国总工会",
    "新华社",
    "工人日报",
    "外交部",
]
PLACES = ["北京", "大连", "辽宁省", "俄罗斯", "莫斯科", "中国"]
EVENTS = ["通电话", "会见", "职工代表大会", "签署合作协议", "劳模表彰大会"]


def explorer_view() -> GraphView:
    """30 nodes: real names, two articles, and three nodes named with XSS payloads."""
    nodes = []
    for name in PEOPLE:
        ev = (CALL,) if name in ("普京", "习近平") else ()
        arts = ("a1",) if ev else ("a2",)
        aliases = ("弗拉基米尔·普京",) if name == "普京" else ()
        nodes.append(NodeView(f"urn:p:{name}", name, "Person", aliases, 3, (), arts, ev))
    for name in ORGS:
        ev = (UNION,) if name == "中车大连机车车辆有限公司" else ()
        nodes.append(NodeView(f"urn:o:{name}", name, "Organization", (), 2, (), ("a2",), ev))
    nodes += [NodeView(f"urn:l:{name}", name, "Place", articles=("a2",)) for name in PLACES]
    nodes += [
        NodeView(f"urn:e:{name}", name, "Event", date="2025-02-24", articles=("a1",))
        for name in EVENTS
    ]
    nodes.append(
        NodeView("urn:a:a1", "习近平同俄罗斯总统普京通电话", "NewsArticle", articles=("a1",))
    )
    for i, bad in enumerate((XSS_SCRIPT, XSS_IMG, XSS_QUOTE)):
        nodes.append(NodeView(f"urn:x:{i}", bad, "Place", (bad,), 1, (bad,), ("a2",), (HOSTILE,)))
    edges = [
        EdgeView(
            "urn:p:张健", "urn:o:中车大连机车车辆有限公司", "工会主席", "urn:r:role", (UNION,)
        ),
        EdgeView("urn:p:习近平", "urn:e:通电话", "参与者", "urn:r:actor", (CALL,)),
        EdgeView("urn:p:普京", "urn:e:通电话", "参与者", "urn:r:actor", (CALL,)),
        EdgeView("urn:o:大连市总工会", "urn:l:大连", "位于", "urn:r:in"),
        EdgeView("urn:l:大连", "urn:l:辽宁省", "位于", "urn:r:in"),
        EdgeView("urn:l:莫斯科", "urn:l:俄罗斯", "位于", "urn:r:in"),
        EdgeView("urn:l:北京", "urn:l:中国", "位于", "urn:r:in"),
        EdgeView("urn:o:中车大连机车车辆有限公司", "urn:l:大连", "位于", "urn:r:in"),
        EdgeView("urn:x:0", "urn:x:1", XSS_IMG, f"urn:r:{XSS_QUOTE}", (HOSTILE,)),
        EdgeView("urn:x:1", "urn:x:2", XSS_SCRIPT, "urn:r:x", (HOSTILE,)),
    ]
    for person, org in zip(PEOPLE[3:], ORGS[1:], strict=False):
        edges.append(EdgeView(f"urn:p:{person}", f"urn:o:{org}", "记者", "urn:r:member"))
    for event in EVENTS[1:]:
        edges.append(EdgeView("urn:p:李强", f"urn:e:{event}", "出席", "urn:r:actor"))
    articles = (
        ("a1", "习近平同俄罗斯总统普京通电话", "2025-02-24"),
        ("a2", f"大连机车职工创新成果丰硕{XSS_QUOTE}", "2025-02-25"),
    )
    return GraphView(tuple(nodes), tuple(edges), articles, title=f"工人日报{XSS_SCRIPT}")


@pytest.fixture(scope="module")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"browser tests need Chromium at {CHROMIUM} (Debian: apt-get install chromium "
            "fonts-noto-cjk; or set KG_CHROMIUM)",
            pytrace=False,
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail(f"browser tests need playwright: {sys.executable} -m pip install playwright")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def page_file(tmp_path_factory):
    return write_html(explorer_view(), tmp_path_factory.mktemp("html") / "graph.html")


class Watched:
    """A loaded page and every problem it reported."""

    def __init__(self, page):
        self.page = page
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.dialogs: list[str] = []


@pytest.fixture
def watched(browser, page_file):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    w = Watched(page)

    def route(r):
        if r.request.url.startswith("file://"):
            r.continue_()
        else:
            w.outside.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page.on("console", lambda m: m.type in ("error", "warning") and w.errors.append(m.text))
    page.on("pageerror", lambda e: w.errors.append(str(e)))
    page.on("dialog", lambda d: (w.dialogs.append(d.message), d.dismiss()))
    page.goto(page_file.as_uri())
    page.wait_for_function("() => window.kg && window.kg.ready === true", timeout=30_000)
    yield w
    assert w.outside == [], "the page tried to reach the network"
    assert w.errors == [], "the page logged errors"
    assert w.dialogs == [], "a payload opened a dialog"
    assert page.evaluate("window.__xss === undefined"), "a payload ran"
    context.close()


def node_index(label: str) -> int:
    return [n.label for n in explorer_view().nodes].index(label)


def screen_point(page, vis_id: str) -> tuple[float, float]:
    """Where vis-network draws node ``vis_id``, in page coordinates."""
    box = page.locator("#kg-network canvas").bounding_box()
    dom = page.evaluate(
        """id => kg.network.canvasToDOM(kg.network.getPositions([id])[id])""", vis_id
    )
    return box["x"] + dom["x"], box["y"] + dom["y"]


def hover_until_tooltip(page, vis_id: str, tries: int = 6) -> None:
    """Hover node ``vis_id`` until vis-network shows its tooltip.

    The view may still be moving (a focus animation, physics settling) when
    the node's position is read, more so on a loaded machine, so the point
    is read again and the mouse moved off and back on each try.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for _ in range(tries):
        page.wait_for_timeout(300)
        x, y = screen_point(page, vis_id)
        page.mouse.move(x + 40, y + 40)
        page.mouse.move(x, y, steps=4)
        try:
            page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5000)
            return
        except PlaywrightTimeout:
            continue
    raise AssertionError(f"no tooltip after {tries} hovers over {vis_id}")


def test_graph_renders_every_node_on_a_drawn_canvas(watched):
    page = watched.page
    assert page.evaluate("kg.network.body.data.nodes.length") == 30
    assert page.evaluate("kg.network.body.data.edges.length") == 19
    inked = page.evaluate(
        """() => {
        const c = document.querySelector('#kg-network canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
        return n; }"""
    )
    assert inked > 5000
    assert page.locator("#kg-status").inner_text() == "30 个节点 · 19 条边"
    assert page.evaluate("kg.network.physics.options.enabled") is False  # stopped when stable


def test_search_selects_and_focuses_putin(watched):
    page = watched.page
    page.fill("#kg-search", "普京")
    page.press("#kg-search", "Enter")
    putin = f"n{node_index('普京')}"
    assert page.evaluate("kg.network.getSelectedNodes()") == [putin]
    page.wait_for_timeout(600)  # the focus animation
    x, y = screen_point(page, putin)
    box = page.locator("#kg-network canvas").bounding_box()
    assert abs(x - (box["x"] + box["width"] / 2)) < 5
    assert abs(y - (box["y"] + box["height"] / 2)) < 5
    details = page.locator("#kg-details")
    assert details.locator("h3").inner_text() == "普京"
    assert "弗拉基米尔·普京" in details.inner_text()
    assert details.locator(".kg-evidence q").inner_text() == CALL.text
    results = page.locator("#kg-results li").all_inner_texts()
    assert results == ["普京（人物）", "习近平同俄罗斯总统普京通电话（新闻）"]


def test_search_matches_aliases(watched):
    page = watched.page
    page.fill("#kg-search", "弗拉基米尔")
    page.press("#kg-search", "Enter")
    assert page.evaluate("kg.network.getSelectedNodes()") == [f"n{node_index('普京')}"]


def test_clicking_a_node_shows_its_evidence(watched):
    page = watched.page
    org = f"n{node_index('中车大连机车车辆有限公司')}"
    x, y = screen_point(page, org)
    box = page.locator("#kg-network canvas").bounding_box()
    at = {"x": x - box["x"], "y": y - box["y"]}
    assert page.evaluate("p => kg.network.getNodeAt(p)", at) == org
    page.mouse.click(x, y)
    details = page.locator("#kg-details")
    assert details.locator("h3").inner_text() == "中车大连机车车辆有限公司"
    assert details.locator(".kg-evidence q").inner_text() == UNION.text
    assert details.locator(".kg-source").inner_text() == "《大连机车职工创新成果丰硕》 2025-02-25"


def test_clicking_an_edge_shows_its_evidence(watched):
    page = watched.page
    edge = page.evaluate("kg.edges.get().find(e => e.label === '工会主席').id")
    a, b = page.evaluate("id => kg.network.getConnectedNodes(id)", edge)
    (ax, ay), (bx, by) = screen_point(page, a), screen_point(page, b)
    x, y = (ax + bx) / 2, (ay + by) / 2
    page.mouse.click(x, y)
    details = page.locator("#kg-details")
    assert details.locator("h3").inner_text() == "工会主席"
    assert "张健" in details.inner_text() and "urn:r:role" in details.inner_text()
    assert details.locator(".kg-evidence q").inner_text() == UNION.text


def test_type_and_article_filters_hide_nodes(watched):
    page = watched.page
    hidden = "kg.nodes.get({filter: n => n.hidden}).length"
    page.locator("input.kg-type[value=Person]").uncheck()
    assert page.evaluate(hidden) == len(PEOPLE)
    page.locator("input.kg-type[value=Person]").check()
    assert page.evaluate(hidden) == 0
    page.select_option("#kg-article", "a1")
    visible = page.evaluate("kg.nodes.get({filter: n => !n.hidden}).map(n => n.label)")
    assert sorted(visible) == sorted(["普京", "习近平", *EVENTS, "习近平同俄罗斯总统普京…"])
    assert page.evaluate("kg.edges.get({filter: e => !e.hidden}).length") == 2


def test_payloads_show_as_text_and_run_nothing(watched):
    page = watched.page
    assert page.title() == f"工人日报{XSS_SCRIPT}"
    assert page.locator("#kg-title").inner_text() == f"工人日报{XSS_SCRIPT}"
    assert page.locator("#kg-article option").all_inner_texts()[2].endswith(XSS_QUOTE)
    for bad in (XSS_SCRIPT, XSS_IMG, XSS_QUOTE):
        page.evaluate("i => kg.focusNode(i)", node_index(bad))
        details = page.locator("#kg-details")
        assert details.locator("h3").inner_text() == bad
        assert details.locator("dd").all_inner_texts()[1:3] == [bad, bad]  # aliases, roles
        assert details.locator(".kg-evidence q").inner_text() == HOSTILE.text
        assert details.locator(".kg-source").inner_text() == f"《{HOSTILE.headline}》"
    # hovering shows the tooltip as text
    hover_until_tooltip(page, f"n{node_index(XSS_IMG)}")
    assert page.locator("div.vis-tooltip").inner_text().startswith(XSS_IMG)
    page.evaluate("kg.showEdge(kg.data.info.edges.findIndex(e => e.label.startsWith('<img')))")
    assert page.locator("#kg-details h3").inner_text() == XSS_IMG
    assert page.evaluate("document.querySelectorAll('img, iframe, object').length") == 0
    assert page.evaluate("document.scripts.length") == 3


def test_render_png_screenshots_the_page(page_file, tmp_path):
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"render_png needs Chromium at {CHROMIUM}", pytrace=False)
    png = render_png(page_file, tmp_path / "graph.png", width=800, height=500)
    head = png.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", head[16:24]) == (800, 500)
    assert png.stat().st_size > 10_000
