"""The ontology file and the Python namespace agree, and every term is documented."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, Literal
from rdflib.namespace import OWL, RDF, RDFS

from kg.rdf.namespace import KG

ONTOLOGY = Path(__file__).resolve().parents[2] / "ontology" / "kg.ttl"


def ontology() -> Graph:
    return Graph().parse(ONTOLOGY)


def test_namespace_mirrors_the_ontology() -> None:
    g = ontology()
    ns = str(KG._NS)
    in_file = {str(s)[len(ns):] for s in g.subjects() if str(s).startswith(ns)}
    in_code = set(KG.__annotations__)
    assert in_file == in_code


def test_every_term_has_zh_en_labels_and_a_comment() -> None:
    g = ontology()
    for name in KG.__annotations__:
        term = KG[name]
        langs = {lbl.language for lbl in g.objects(term, RDFS.label) if isinstance(lbl, Literal)}
        assert {"zh", "en"} <= langs, name
        assert g.value(term, RDFS.comment) is not None, name
        kinds = set(g.objects(term, RDF.type))
        assert kinds & {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}, name


def test_classes_align_with_schema_org() -> None:
    g = ontology()
    sdo = "https://schema.org/"
    for name, parent in [("Person", "Person"), ("Organization", "Organization"),
                         ("Place", "Place"), ("Event", "Event"), ("NewsArticle", "NewsArticle")]:
        parents = {str(p) for p in g.objects(KG[name], RDFS.subClassOf)}
        assert sdo + parent in parents, name


def test_graph_uses_only_declared_kg_terms(sample_graph) -> None:
    """Every kg: term of a built graph is in kg.ttl (the core) or events.ttl (the schema's)."""
    ns = str(KG._NS)
    used = {str(t)[len(ns):] for triple in sample_graph.graph for t in triple
            if str(t).startswith(ns)}
    events = Graph().parse(ONTOLOGY.with_name("events.ttl"))
    declared = {str(s)[len(ns):] for s in events.subjects() if str(s).startswith(ns)}
    assert used <= set(KG.__annotations__) | declared
    assert "Communication" in used and "Communication" in declared
