"""Exports: every RDF syntax round-trips to the same graph; GraphML to the same network."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

import kg
from kg.cli import main
from kg.rdf.export import jsonld_context
from kg.rdf.namespace import KG, PROV, RDF, RDFS
from kg.rdf.terms import to_term

ROOT = Path(__file__).resolve().parents[2]


def plain(g: Graph) -> Graph:
    """A memory copy, so rdflib compares the triples and nothing else."""
    out = Graph()
    for t in g:
        out.add(t)
    return out


@pytest.mark.parametrize("fmt,syntax", [("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld"),
                                        ("rdf", "xml")])
def test_rdf_exports_round_trip_through_rdflib(sample_graph, tmp_path: Path, fmt: str,
                                               syntax: str) -> None:
    path = sample_graph.export(tmp_path / f"graph.{fmt}")
    back = Graph().parse(path, format=syntax)
    assert isomorphic(back, plain(sample_graph.graph))
    assert isomorphic(kg.load(path).graph, sample_graph.graph)  # and through Oxigraph


def test_jsonld_uses_the_shipped_context(sample_graph, tmp_path: Path) -> None:
    doc = json.loads(sample_graph.export(tmp_path / "g.jsonld").read_text(encoding="utf-8"))
    shipped = json.loads((ROOT / "ontology" / "context.jsonld").read_text(encoding="utf-8"))
    assert doc["@context"] == shipped["@context"] == jsonld_context()["@context"]
    person = next(n for n in doc["@graph"] if "kg:Person" in n.get("@type", []))
    assert person["rdfs:label"][0]["@language"] == "zh"


@pytest.mark.parametrize("fmt,syntax", [("trig", "trig"), ("nq", "nquads")])
def test_datasets_have_one_graph_per_article(sample_graph, tmp_path: Path, fmt: str,
                                             syntax: str) -> None:
    path = sample_graph.export(tmp_path / f"graph.{fmt}")
    ds = Dataset()
    ds.parse(path, format=syntax)
    union = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        union.add((s, p, o))
    assert isomorphic(union, plain(sample_graph.graph))
    articles = set(sample_graph.graph.subjects(RDF.type, KG.NewsArticle))
    sources = set(sample_graph.graph.objects(None, PROV.wasDerivedFrom))
    names = {c.identifier for c in ds.graphs()} - {ds.default_graph.identifier}
    assert articles <= names == sources | articles
    # a mention and its entity link sit in the mention's article; the label is shared
    putin = next(iter(sample_graph.graph.subjects(RDFS.label, to_term("普京"))))
    for art in articles:
        g = ds.graph(art)
        for m in g.objects(putin, KG.mention):
            assert (m, KG.article, art) in g
        assert (putin, RDFS.label, None) not in g
        assert (art, RDF.type, KG.NewsArticle) in g
    assert (putin, RDF.type, KG.Person) in ds.default_graph


def test_graphml_round_trips_the_network(sample_graph, tmp_path: Path) -> None:
    path = sample_graph.export(tmp_path / "graph.graphml")
    back = nx.read_graphml(path, force_multigraph=True)
    net = sample_graph.to_networkx()
    assert back.number_of_nodes() == net.number_of_nodes()
    assert back.number_of_edges() == net.number_of_edges()
    node = next(n for n, d in net.nodes(data=True) if d["label"] == "普京")
    assert back.nodes[node] == net.nodes[node]
    assert {d["predicate"] for *_, d in back.edges(data=True)} == \
        {d["predicate"] for *_, d in net.edges(data=True)}


def test_cli_export_and_build_formats(tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    assert main(["build", str(ROOT / "examples" / "gongren-ribao-2025-02-25.txt"), "-o",
                 str(out), "--no-html", "-q", "--format", "ttl,nt,jsonld,trig,nq,graphml"]) == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == ["graph.graphml", "graph.jsonld", "graph.nq", "graph.nt", "graph.trig",
                     "graph.ttl", "report.json"]
    target = tmp_path / "x" / "g.nq"
    assert main(["export", str(out / "graph.ttl"), "--format", "nq", "-o", str(target)]) == 0
    assert isomorphic(kg.load(target).graph, kg.load(out / "graph.nt").graph)
    assert main(["export", str(out / "graph.ttl"), "--format", "pdf", "-o",
                 str(tmp_path / "g.pdf")]) == 2
    assert "unknown export format" in capsys.readouterr().err


def test_save_writes_atomically(sample_graph, tmp_path: Path) -> None:
    sample_graph.save(tmp_path, html=False)
    sample_graph.save(tmp_path, html=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.ttl", "report.json"]
    assert isinstance(next(iter(kg.load(tmp_path / "graph.ttl").graph))[0], URIRef)
