"""kg.rdf.store: the Oxigraph-backed store behind saving, loading and querying."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kg.errors import GraphError, UsageError
from kg.rdf.namespace import KG, NIF, RDF, RDFS
from kg.rdf.store import Store

BASE = "https://w3id.org/kg-cn/id/"
PUTIN = URIRef(BASE + "person/%E6%99%AE%E4%BA%AC")
RUSSIA = URIRef(BASE + "place/%E4%BF%84%E7%BD%97%E6%96%AF")


def small() -> Graph:
    g = Graph()
    g.add((PUTIN, RDF.type, KG.Person))
    g.add((PUTIN, RDFS.label, Literal("普京", lang="zh")))
    g.add((RUSSIA, RDF.type, KG.Place))
    g.add((RUSSIA, RDFS.label, Literal("俄罗斯", lang="zh")))
    m = URIRef(BASE + "article/a1#char=3,5")
    g.add((PUTIN, KG.mention, m))
    g.add((m, NIF.beginIndex, Literal(3)))
    g.add((m, NIF.anchorOf, Literal("普京")))
    return g


def test_add_query_and_len() -> None:
    s = Store()
    assert s.add(small()) == 7 and len(s) == 7
    rows = s.query("SELECT ?p ?name WHERE { ?p a kg:Person ; rdfs:label ?name }")
    assert rows == [{"p": PUTIN, "name": Literal("普京", lang="zh")}]
    assert s.query("ASK { ?p rdfs:label ?n }", n="俄罗斯") == [{"ask": True}]


def test_bound_values_are_not_pasted() -> None:
    s = Store()
    s.add(small())
    evil = '普京" } ; DROP ALL ; SELECT * { ?s ?p "'
    # a projected variable goes through Oxigraph's substitution, the other through rdflib
    assert s.query("SELECT ?p ?name WHERE { ?p rdfs:label ?name }", name=evil) == []
    assert s.query("SELECT ?p WHERE { ?p rdfs:label ?name }", name=evil) == []
    assert s.query("SELECT ?p WHERE { ?p rdfs:label ?name }", name="普京") == [{"p": PUTIN}]
    assert len(s) == 7


def test_plain_strings_read_back_equal() -> None:
    s = Store()
    s.add(small())
    g = s.to_rdflib()
    assert Literal("普京") in set(g.objects(None, NIF.anchorOf))
    assert isomorphic(g, small())
    rows = s.query("SELECT ?t WHERE { ?m nif:anchorOf ?t }")
    assert rows == [{"t": Literal("普京")}]


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld", "trig", "nq", "rdf"])
def test_dump_and_load_round_trip(tmp_path: Path, fmt: str) -> None:
    s = Store()
    s.add(small())
    path = s.dump(tmp_path / f"g.{fmt}")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp left
    back = Store()
    assert back.load(path) == 7
    assert isomorphic(back.to_rdflib(), small())


def test_turtle_uses_our_prefixes(tmp_path: Path) -> None:
    s = Store()
    s.add(small())
    text = s.dump(tmp_path / "g.ttl").read_text(encoding="utf-8")
    assert "@prefix kg: <https://w3id.org/kg-cn/ontology#> ." in text
    assert '"普京"@zh' in text


def test_persistent_store_grows_across_runs(tmp_path: Path) -> None:
    with Store(tmp_path / "db") as s:
        s.add(small())
    with Store(tmp_path / "db") as s:
        assert len(s) == 7
        s.add([(RUSSIA, RDFS.label, Literal("俄国", lang="zh"))])
    with Store(tmp_path / "db") as s:
        assert len(s) == 8
    with pytest.raises(GraphError, match="closed"):
        len(s)


def test_errors_are_kg_errors(tmp_path: Path) -> None:
    s = Store()
    with pytest.raises(GraphError, match="no such graph file"):
        s.load(tmp_path / "missing.ttl")
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .", encoding="utf-8")
    with pytest.raises(GraphError, match="cannot parse"):
        s.load(bad)
    with pytest.raises(UsageError, match="unknown RDF"):
        s.dump(tmp_path / "g.xyz")
    with pytest.raises(GraphError, match="SPARQL"):
        s.query("SELECT WHERE {")


def test_named_graphs_are_queried_as_a_union(tmp_path: Path) -> None:
    s = Store()
    s.add(small(), graph=BASE + "article/a1")
    assert s.query("SELECT ?p WHERE { ?p a kg:Person }") == [{"p": PUTIN}]
    rows = s.query("SELECT ?g WHERE { GRAPH ?g { ?p a kg:Person } }")
    assert rows == [{"g": URIRef(BASE + "article/a1")}]
    # a triple syntax gets the union of the graphs
    back = Store()
    back.load(s.dump(tmp_path / "g.nt"))
    assert isomorphic(back.to_rdflib(), small())
