"""The page's view equals the view the rdflib readback gave, on every kind of graph.

``reference_view`` is the view as it was read triple by triple through rdflib
(``kg.view.from_graph`` and ``Reader.top_nodes`` before the view ran on SPARQL),
kept here as the oracle: node order, labels, aliases, counts, roles, articles,
evidence and its order, edges and their order, capping. Where it took "the
first" of several values (``Graph.value``, the first five mentions), it took
them in the store's order, and so must the view.
"""

from __future__ import annotations

import collections

import pytest
from composed_articles import ARTICLES, PAGE
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

import kg
from kg.api import KnowledgeGraph
from kg.rdf.bridge import ox_of
from kg.rdf.namespace import KG, NIF, ORG, RDF, RDFS, SDO, SEM, SKOS, XSD
from kg.rdf.readback import Reader, article_id
from kg.rdf.store import Store
from kg.view import from_graph
from kg.view.from_graph import graph_view, oxigraph_of
from kg.view.model import EdgeView, Evidence, GraphView, NodeView

# ------------------------------------------------- the rdflib readback, as it was


def _text(g: Graph, node: Node, prop: URIRef) -> str:
    value = g.value(node, prop)
    return str(value) if value is not None else ""


def _evidence(reader: Reader, node: Node) -> Evidence | None:
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
    found = [e for m in mentions[:5] if (e := _evidence(reader, m))]
    if name == "Event":
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
        tuple(sorted({article_id(m) for m in mentions})),
        tuple(dict.fromkeys(found)), str(date or ""),
    )


def _top_nodes(reader: Reader, limit: int | None) -> tuple[list[tuple[Node, str]], int]:
    everything = sorted(reader.node_class.items(), key=lambda x: str(x[0]))
    if limit is None or len(everything) <= limit:
        return everything, 0
    weight = collections.Counter(s for s, _, _ in reader.g.triples((None, KG.mention, None)))
    for ev, _, _ in reader._event_edges():
        weight[ev] += 1
    ranked = sorted(everything, key=lambda x: (-weight[x[0]], str(x[0])))[:limit]
    return sorted(ranked, key=lambda x: str(x[0])), len(everything)


def reference_view(reader: Reader, title: str = "kg", max_nodes: int | None = None) -> GraphView:
    g = reader.g
    top, total = _top_nodes(reader, max_nodes)
    nodes = [_node(reader, node, name) for node, name in top]
    kept = {n.id for n in nodes}
    edges = []
    for src, dst, pred, label, fact in reader.edges():
        if total and (str(src) not in kept or str(dst) not in kept):
            continue
        ev = _evidence(reader, fact)
        edges.append(EdgeView(str(src), str(dst), label, pred, (ev,) if ev else ()))
    shown = {a for n in nodes for a in n.articles} if total else None
    articles = []
    for art in sorted(g.subjects(RDF.type, KG.NewsArticle), key=str):
        if shown is not None and article_id(art) not in shown:
            continue
        date = g.value(art, SDO.dateCreated) or g.value(art, SDO.datePublished)
        articles.append((article_id(art), _text(g, art, SDO.headline), str(date or "")))
    return GraphView(tuple(nodes), tuple(edges), tuple(articles), title, total)


# ------------------------------------------------- graphs

ID = "https://w3id.org/kg-cn/id/"
ONT = "https://w3id.org/kg-cn/ontology#"  # role properties are not in the closed KG namespace
EVIL = '"} . ?s ?p ?o } UNION { """\'\\ <x> \n#'


def hostile_graph() -> Graph:
    """A hand-made graph with every corner the view reads: several labels, classes and
    evidence, missing ends, falsy dates, blank nodes, more than five mentions."""
    g = Graph()
    arts = [URIRef(f"{ID}article/a{i}") for i in range(5)]
    for art in arts:
        g.add((art, RDF.type, KG.NewsArticle))
    g.add((arts[0], SDO.headline, Literal("头条" + EVIL)))
    g.add((arts[0], SDO.dateCreated, Literal("2025-02-25", datatype=XSD.date)))
    g.add((arts[1], SDO.headline, Literal("第二篇", lang="zh")))
    g.add((arts[1], SDO.dateCreated, Literal("")))  # falsy: datePublished is shown
    g.add((arts[1], SDO.datePublished, Literal("2025-02", datatype=XSD.gYearMonth)))
    g.add((arts[2], SDO.dateCreated, Literal("0", datatype=XSD.integer)))  # falsy too
    g.add((arts[3], SDO.datePublished, Literal("2024", datatype=XSD.gYear)))
    g.add((arts[4], SDO.headline, Literal("one")))
    g.add((arts[4], SDO.headline, Literal("two")))

    def sentence(i: int, art: int, text: str) -> URIRef:
        ev = URIRef(f"{arts[art]}#char={i},{i + 9}")
        g.add((ev, NIF.anchorOf, Literal(text)))
        g.add((ev, KG.article, arts[art]))
        return ev

    def mention(node: Node, i: int, art: int, ev: URIRef | None) -> None:
        m = URIRef(f"{arts[art]}#char={i},{i + 2}")
        g.add((node, KG.mention, m))
        g.add((m, NIF.anchorOf, Literal("名字")))
        if ev is not None:
            g.add((m, KG.evidence, ev))

    p1, p2, o1, o2 = (URIRef(f"{ID}{n}") for n in ("person/p1", "person/p2", "org/o1", "org/o2"))
    blank, place = BNode("b1"), URIRef(f"{ID}place/%E5%8C%97")
    g.add((p1, RDF.type, KG.Person))
    g.add((p1, RDF.type, KG.Organization))  # two classes: the first of the vocabulary wins
    g.add((p1, RDFS.label, Literal("甲", lang="zh")))
    g.add((p1, RDFS.label, Literal("甲甲", lang="zh")))
    for alias in ("乙", EVIL, "丙"):
        g.add((p1, SKOS.altLabel, Literal(alias, lang="zh")))
    shared = sentence(500, 0, "同一句")
    for i in range(9):  # more than five mentions, two sharing a sentence, one with none
        ev = shared if i in (2, 3) else None if i == 4 else sentence(10 * i, i % 3, f"句{i}{EVIL}")
        mention(p1, 10 * i, i % 3, ev)
    g.add((p2, RDF.type, KG.Person))
    g.add((p2, RDFS.label, Literal("丁")))
    g.add((blank, RDF.type, KG.Person))
    mention(blank, 700, 3, sentence(700, 3, "空白"))
    for org, name in ((o1, "机构"), (o2, "上级")):
        g.add((org, RDF.type, KG.Organization))
        g.add((org, RDFS.label, Literal(name, lang="zh")))
    mention(o1, 800, 1, sentence(800, 1, "机构句"))
    g.add((place, RDF.type, KG.Place))
    g.add((place, RDFS.label, Literal("北", lang="zh")))

    role, title = URIRef(f"{ID}role/chair"), URIRef(f"{ID}role/title")
    g.add((role, RDFS.label, Literal("主席", lang="zh")))
    g.add((title, RDFS.label, Literal("书记", lang="zh")))
    for k, (member, org, r) in enumerate(((p1, o1, role), (None, o1, Literal("文字")),
                                          (p2, o2, None))):
        m = URIRef(f"{ID}membership/m{k}")
        g.add((m, RDF.type, ORG.Membership))
        for prop, value in ((ORG.member, member), (ORG.organization, org), (ORG.role, r)):
            if value is not None:
                g.add((m, prop, value))
        if k != 2:
            g.add((m, KG.evidence, sentence(900 + k, 0, f"任职{k}")))
    g.add((p1, KG.holdsTitle, title))
    g.add((p1, KG.holdsTitle, URIRef(f"{ID}role/unlabelled")))
    for k, (s, p, o) in enumerate(((p1, SDO.location, place), (o1, ORG.subOrganizationOf, o2),
                                   (p1, KG.holdsTitle, title), (p2, SDO.location, BNode("x")))):
        st = URIRef(f"{ID}statement/s{k}")
        g.add((st, RDF.type, KG.Statement))
        for prop, value in ((RDF.subject, s), (RDF.predicate, p), (RDF.object, o)):
            g.add((st, prop, value))
        g.add((st, KG.evidence, sentence(950 + k, 1, f"陈述{k}")))

    e1, e2, e3 = (URIRef(f"{ID}event/e{i}") for i in range(1, 4))
    g.add((e1, RDF.type, KG.Event))
    g.add((e1, RDFS.label, Literal("逮捕", lang="zh")))
    g.add((e1, SDO.startDate, Literal("2025-02-24", datatype=XSD.date)))
    for i in range(7):  # more than five sentences: the first five by IRI
        g.add((e1, KG.evidence, sentence(1000 + 7 * (6 - i), i % 2, f"事件{i}")))
    g.add((e1, URIRef(ONT + "arrestee"), p1))
    g.add((e1, SEM.hasActor, p1))  # written beside kg:arrestee: not an edge of its own
    g.add((e1, SEM.hasActor, p2))
    g.add((e1, URIRef(ONT + "place"), place))
    g.add((e1, SEM.hasPlace, place))
    mention(e1, 1100, 0, sentence(1100, 0, "触发"))
    g.add((e2, RDF.type, KG.Event))
    g.add((e2, RDFS.label, Literal("会见")))
    g.add((e2, SDO.startDate, Literal("0", datatype=XSD.integer)))
    g.add((e2, SEM.hasActor, o1))
    g.add((e3, RDF.type, KG.Event))
    g.add((e3, SDO.startDate, Literal("2025-03", datatype=XSD.gYearMonth)))
    g.add((e3, SEM.hasActor, blank))
    g.add((e3, SEM.hasActor, URIRef(f"{ID}person/unknown")))
    return g


@pytest.fixture(scope="module")
def composed_graph(tmp_path_factory):
    folder = tmp_path_factory.mktemp("composed")
    for name, text in {**ARTICLES, "page": PAGE}.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return kg.build([str(folder)], date="2026-11-10")


def caps(view: GraphView) -> list[int | None]:
    n = len(view.nodes)
    return [None, n, n - 1, n // 2, 3, 1]


def assert_same(reader: Reader, reference: Reader | None = None) -> None:
    reference = reference or reader
    for cap in caps(reference_view(reference)):
        assert graph_view(reader, "t", cap) == reference_view(reference, "t", cap), cap


def test_sample_view_is_the_readback_view(sample_graph) -> None:
    assert_same(sample_graph._reader)


def test_composed_articles_view_is_the_readback_view(composed_graph) -> None:
    view = composed_graph.view()
    assert any(n.type == "Event" for n in view.nodes) and view.edges
    assert_same(composed_graph._reader)


def test_hostile_graph_view_is_the_readback_view() -> None:
    copied = KnowledgeGraph(hostile_graph())  # its triples in an Oxigraph store
    view = copied.view()
    assert len(view.nodes) == 9 and len(view.edges) == 12
    arrest = next(n for n in view.nodes if n.label == "逮捕")
    assert len(arrest.evidence) == 6  # five of its seven sentences, then its mention's
    assert_same(copied._reader)


def test_a_plain_rdflib_graph_reads_as_its_oxigraph_copy() -> None:
    plain = hostile_graph()
    assert ox_of(plain) is None
    copy = Store.wrap(oxigraph_of(plain)).to_rdflib()  # "first" values: in the copy's order
    assert_same(Reader(plain), Reader(copy))
    ids = {n.id for n in graph_view(Reader(plain)).nodes}
    assert "b1" in ids  # blank nodes keep their ids


class Counting:
    """A pyoxigraph store that keeps the text of every query it runs."""

    def __init__(self, inner) -> None:
        self.inner, self.queries = inner, []

    def query(self, text: str, **kwargs):
        self.queries.append(text)
        return self.inner.query(text, **kwargs)


def counted(monkeypatch, g: KnowledgeGraph, cap: int | None = None) -> list[str]:
    store = Counting(g.store.ox)
    monkeypatch.setattr(from_graph, "oxigraph_of", lambda _: store)
    monkeypatch.setattr(g.graph.store, "triples", None)  # nothing is read through rdflib
    graph_view(g._reader, "t", cap)
    return store.queries


def test_a_few_queries_read_the_view_of_any_graph(monkeypatch, sample_graph,
                                                  composed_graph) -> None:
    small = KnowledgeGraph(hostile_graph())
    runs = [counted(monkeypatch, g, cap) for g in (small, sample_graph, composed_graph)
            for cap in (None, 3)]
    assert all(q == runs[0] for q in runs) and len(runs[0]) == 5


def test_untrusted_text_is_data_not_query(monkeypatch) -> None:
    g = KnowledgeGraph(hostile_graph())
    texts = {str(o) for o in g.graph.objects() if isinstance(o, Literal)
             and (len(o) > 4 or not str(o).isascii())}
    assert EVIL in texts and not any(t in q for q in counted(monkeypatch, g) for t in texts)
    view = g.view()
    assert ("a0", "头条" + EVIL, "2025-02-25") in view.articles
    assert EVIL in next(n for n in view.nodes if n.id.endswith("person/p1")).aliases


def test_a_view_leaves_the_graph_as_it_was() -> None:
    plain, stored = hostile_graph(), KnowledgeGraph(hostile_graph())
    sizes = len(plain), len(stored)
    graph_view(Reader(plain), max_nodes=3)
    stored.view(max_nodes=3)
    assert (len(plain), len(stored)) == sizes
