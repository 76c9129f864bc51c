"""Named queries, neighbours, paths and events, on a small graph built by hand."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from kg import KnowledgeGraph, UsageError
from kg.cli import main
from kg.rdf.namespace import KG, NIF, ORG, PROV, RDF, RDFS, SDO, SEM, SKOS
from kg.rdf.ontology import class_iri
from kg.rdf.queries import QUERY_DIR, named_queries

ID = "https://w3id.org/kg-cn/id/"


def iri(kind: str, name: str) -> URIRef:
    return URIRef(f"{ID}{kind}/{name}")


def zh(text: str) -> Literal:
    return Literal(text, lang="zh")


@pytest.fixture(scope="module")
def small() -> KnowledgeGraph:
    """Two articles: a union in 重庆市 (in 中国) with its chair, and a phone call."""
    g = Graph()
    a1, a2 = iri("article", "a1"), iri("article", "a2")
    for a in (a1, a2):
        g.add((a, RDF.type, KG.NewsArticle))
    people = {"yu": "余季平", "xi": "习近平", "putin": "普京"}
    for key, name in people.items():
        g.add((iri("person", key), RDF.type, KG.Person))
        g.add((iri("person", key), RDFS.label, zh(name)))
    union, cq, cn = iri("organization", "cqzgh"), iri("place", "cq"), iri("place", "cn")
    g.add((union, RDF.type, KG.Organization))
    g.add((union, RDFS.label, zh("重庆市总工会")))
    g.add((union, SKOS.altLabel, zh("市总工会")))
    for node, name in ((cq, "重庆市"), (cn, "中国")):
        g.add((node, RDF.type, KG.Place))
        g.add((node, RDFS.label, zh(name)))
    for n, (subj, pred, obj) in enumerate(((union, SDO.location, cq),
                                           (cq, SDO.containedInPlace, cn))):
        g.add((subj, pred, obj))
        st = iri("statement", str(n))  # the network shows reified facts
        for p, o in ((RDF.type, KG.Statement), (RDF.subject, subj), (RDF.predicate, pred),
                     (RDF.object, obj), (PROV.wasDerivedFrom, a1)):
            g.add((st, p, o))
    role = iri("role", "chair")
    g.add((role, RDF.type, KG.Role))
    g.add((role, RDFS.label, zh("主席")))
    m = iri("membership", "m1")
    for p, o in ((RDF.type, ORG.Membership), (ORG.member, iri("person", "yu")),
                 (ORG.organization, union), (ORG.role, role), (PROV.wasDerivedFrom, a1)):
        g.add((m, p, o))
    call = iri("event", "a2-1")
    day = Literal("2025-02-24", datatype=XSD.date)
    for p, o in ((RDF.type, class_iri("Communication")), (RDFS.label, zh("习近平、普京通电话")),
                 (KG.trigger, zh("通电话")), (SDO.startDate, day),
                 (SEM.hasActor, iri("person", "xi")), (SEM.hasActor, iri("person", "putin")),
                 (PROV.wasDerivedFrom, a2)):
        g.add((call, p, o))
    found = iri("event", "a2-2")
    for p, o in ((RDF.type, class_iri("Founding")), (RDFS.label, zh("成立")),
                 (KG.trigger, zh("成立")),
                 (SDO.startDate, Literal("2024-09", datatype=XSD.gYearMonth)),
                 (PROV.wasDerivedFrom, a2)):
        g.add((found, p, o))
    for key, art, start in (("yu", a1, 3), ("xi", a2, 0), ("putin", a2, 8)):
        men = URIRef(f"{art}#char={start},{start + 2}")
        g.add((iri("person", key), KG.mention, men))
        g.add((men, KG.article, art))
        g.add((men, NIF.beginIndex, Literal(start)))
    g.add((union, KG.mention, URIRef(f"{a1}#char=0,3")))
    g.add((URIRef(f"{a1}#char=0,3"), KG.article, a1))
    return KnowledgeGraph(g)


def test_every_query_file_is_documented() -> None:
    names = named_queries()
    assert set(names) == {"about", "co-mentions", "events", "organizations-in-place", "path",
                          "people-of-organization"}
    for path in QUERY_DIR.glob("*.rq"):
        q = names[path.stem]
        assert q.doc and path.read_text(encoding="utf-8").startswith("# ")
        assert all(p.doc for p in q.params)
        for p in q.params:  # Oxigraph substitutes only projected variables
            assert f"?{p.name}" in q.text.split("WHERE")[0], (q.name, p.name)


def test_people_of_an_organization_by_name_or_alias(small) -> None:
    for name in ("重庆市总工会", "市总工会"):
        rows = small.query("people-of-organization", org=name)
        assert [(str(r["name"]), str(r["role"])) for r in rows] == [("余季平", "主席")]


def test_organizations_in_a_place_follow_the_hierarchy(small) -> None:
    for place in ("重庆市", "中国"):
        rows = small.query("organizations-in-place", place=place)
        assert [(str(r["name"]), str(r["location"])) for r in rows] == [("重庆市总工会", "重庆市")]


def test_events_of_a_day_and_a_range(small) -> None:
    assert [str(r["label"]) for r in small.events("2025-02-24", "2025-02-24")] == \
        ["习近平、普京通电话"]
    assert [str(r["date"]) for r in small.events(start="2024-09-30", end="2024-10-01")] == \
        ["2024-09"]
    assert [str(r["date"]) for r in small.events()] == ["2024-09", "2025-02-24"]
    assert small.events(start="2025-03-01") == []
    row = small.events("2025-02-24", "2025-02-24")[0]
    assert row["type"] == class_iri("Communication") and row["article"] == iri("article", "a2")


def test_everything_about_an_entity(small) -> None:
    rows = small.query("about", name="普京")
    got = {(str(r["direction"]), r["property"], str(r.get("valueLabel", ""))) for r in rows}
    assert ("out", RDFS.label, "") in got
    assert ("in", SEM.hasActor, "习近平、普京通电话") in got


def test_co_mentions_count_shared_articles(small) -> None:
    rows = small.query("co-mentions")
    pairs = {frozenset((str(r["aLabel"]), str(r["bLabel"]))): int(r["articles"]) for r in rows}
    assert pairs == {frozenset({"习近平", "普京"}): 1, frozenset({"余季平", "重庆市总工会"}): 1}


def test_neighbors_and_path(small) -> None:
    near = small.neighbors("余季平")
    assert [(n["label"], n["relation"], n["direction"]) for n in near] == \
        [("重庆市总工会", "主席", "out")]
    assert small.path("余季平", "中国") == [("余季平", "主席", "重庆市总工会"),
                                          ("重庆市总工会", "位于", "重庆市"),
                                          ("重庆市", "位于", "中国")]
    assert small.query("path", a="习近平", b="普京") == [
        {"from": "习近平", "relation": "参与", "to": "习近平、普京通电话"},
        {"from": "习近平、普京通电话", "relation": "参与", "to": "普京"}]
    assert small.path("余季平", "普京") == []
    with pytest.raises(UsageError, match="no entity is named"):
        small.path("余季平", "无名氏")


def test_values_are_bound_never_pasted(small) -> None:
    evil = '普京" } ; DROP ALL ; SELECT * { ?s ?p "'
    before = len(small)
    for name in named_queries():
        if name != "path" and "name" in {p.name for p in named_queries()[name].params}:
            assert small.query(name, name=evil) == []
    assert small.query("people-of-organization", org=evil) == []
    assert small.query("organizations-in-place", place=evil + "}") == []
    assert small.events(start=evil, end=evil) == []
    assert small.sparql("SELECT ?p WHERE { ?p rdfs:label ?n }", n=evil) == []
    assert len(small) == before


def test_unknown_query_and_params_are_usage_errors(small) -> None:
    with pytest.raises(UsageError, match="no named query"):
        small.query("nope")
    with pytest.raises(UsageError, match="needs --param org"):
        small.query("people-of-organization")
    with pytest.raises(UsageError, match="no parameter 'x'"):
        small.query("events", x="1")


def test_cli_query_named_and_list(small, tmp_path: Path, capsys) -> None:
    path = small.export(tmp_path / "g.ttl")
    assert main(["query", "--list"]) == 0
    out = capsys.readouterr().out
    assert "people-of-organization:" in out and "--param org=" in out
    assert main(["query", str(path), "--name", "people-of-organization",
                 "--param", "org=重庆市总工会"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "org\tperson\tname\trole\tarticle"
    assert out[1].split("\t")[2:4] == ["余季平", "主席"]
    assert main(["query", str(path), "--name", "path", "--param", "a=余季平",
                 "--param", "b=中国"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "重庆市\t位于\t中国"
    assert main(["query", str(path)]) == 2
    assert main(["query", str(path), "--name", "events", "--param", "when=1"]) == 2


def test_named_queries_on_the_sample(sample_graph) -> None:
    member = sample_graph.sparql(
        "SELECT ?org ?name WHERE { ?m org:organization/rdfs:label ?org ; "
        "org:member/rdfs:label ?name } ORDER BY ?org ?name LIMIT 1")
    if member:
        rows = sample_graph.query("people-of-organization", org=member[0]["org"])
        assert member[0]["name"] in {r["name"] for r in rows}
    assert all(str(r["date"]) >= "2025" for r in sample_graph.events(start="2025-01-01"))
