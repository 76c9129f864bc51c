"""SHACL: every graph kg build writes conforms, and broken graphs are caught."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, XSD

from kg.cli import main
from kg.rdf.namespace import KG, NIF, ORG, PROV, RDF, RDFS, SDO
from kg.rdf.validate import ONTOLOGY_DIR, format_report, validate

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def sample(sample_graph) -> Graph:
    out = Graph()
    for t in sample_graph.graph:
        out.add(t)
    return out


def copy(g: Graph) -> Graph:
    out = Graph()
    for t in g:
        out.add(t)
    return out


def test_the_sample_conforms(sample) -> None:
    report = validate(sample)
    assert report.conforms, format_report(report)
    assert report.violations == ()


def test_every_ontology_property_has_domain_and_range() -> None:
    g = Graph().parse(ONTOLOGY_DIR / "kg.ttl")
    props = [*g.subjects(RDF.type, OWL.ObjectProperty), *g.subjects(RDF.type, OWL.DatatypeProperty)]
    assert props
    for p in props:
        assert g.value(p, RDFS.domain) is not None and g.value(p, RDFS.range) is not None, p


def first(g: Graph, cls: URIRef, having: URIRef | None = None) -> URIRef:
    return sorted(s for s in g.subjects(RDF.type, cls)
                  if having is None or g.value(s, having) is not None)[0]


def break_label(g: Graph) -> None:
    p = first(g, KG.Person)
    g.remove((p, RDFS.label, None))
    g.add((p, RDFS.label, Literal("Putin", lang="en")))


def break_untyped(g: Graph) -> None:
    p = first(g, KG.Person, KG.mention)
    g.remove((p, RDF.type, None))


def break_offsets(g: Graph) -> None:
    m = first(g, KG.Mention)
    g.remove((m, NIF.beginIndex, None))
    g.add((m, NIF.beginIndex, Literal(10_000)))


def break_offset_type(g: Graph) -> None:
    m = first(g, KG.Mention)
    g.remove((m, NIF.endIndex, None))
    g.add((m, NIF.endIndex, Literal("5")))


def break_mention_article(g: Graph) -> None:
    g.remove((first(g, KG.Mention), KG.article, None))


def break_outside_article(g: Graph) -> None:
    m = first(g, KG.Mention)
    g.add((g.value(m, KG.article), KG.textLength, Literal(int(g.value(m, NIF.endIndex)) - 1)))


def break_membership(g: Graph) -> None:
    g.remove((first(g, ORG.Membership), ORG.role, None))


def break_date(g: Graph) -> None:
    ev = sorted(g.subjects(SDO.startDate, None))[0]
    g.remove((ev, SDO.startDate, None))
    g.add((ev, SDO.startDate, Literal("2月24日")))


def break_provenance(g: Graph) -> None:
    g.remove((first(g, ORG.Membership), PROV.wasDerivedFrom, None))


def break_evidence(g: Graph) -> None:
    g.remove((first(g, ORG.Membership), KG.evidence, None))


def break_statement(g: Graph) -> None:
    st = first(g, KG.Statement)
    g.remove((g.value(st, RDF.subject), g.value(st, RDF.predicate), g.value(st, RDF.object)))


BREAKAGES = [
    (break_label, "rdfs:label", "Chinese name"),
    (break_untyped, "", "must be typed"),
    (break_offsets, "nif:beginIndex", "≤ nif:endIndex"),
    (break_offset_type, "nif:endIndex", "integer"),
    (break_mention_article, "kg:article", "exactly one kg:NewsArticle"),
    (break_outside_article, "", "ends after the end of its article"),
    (break_membership, "org:role", "exactly one org:role"),
    (break_date, "schema:startDate", "xsd:date"),
    (break_provenance, "prov:wasDerivedFrom", "where it comes from"),
    (break_evidence, "", "needs kg:evidence"),
    (break_statement, "", "direct triple"),
]


@pytest.mark.parametrize("breakage,path,message", BREAKAGES,
                         ids=[b.__name__ for b, _, _ in BREAKAGES])
def test_each_kind_of_breakage_is_caught(sample, breakage, path, message) -> None:
    g = copy(sample)
    breakage(g)
    report = validate(g)
    assert not report.conforms
    assert any(message in v.message and (not path or v.path == path)
               for v in report.violations), format_report(report)


def test_cli_validate(sample_graph, tmp_path: Path, capsys) -> None:
    good = sample_graph.save(tmp_path, html=False)["graph"]
    assert main(["validate", str(good)]) == 0
    assert "conforms" in capsys.readouterr().out
    g = copy(sample_graph.graph)
    break_label(g)
    p = first(g, KG.Person)
    g.add((p, SDO.birthDate, Literal("x", datatype=XSD.string)))
    bad = tmp_path / "bad.ttl"
    bad.write_text(g.serialize(format="turtle"), encoding="utf-8")
    assert main(["validate", str(bad)]) == 1
    out = capsys.readouterr().out
    assert f"kg:Person 'Putin' <{p}> rdfs:label: needs exactly one Chinese name" in out
    assert "does not conform: 1 violation(s)" in out


def test_the_wheel_carries_the_ontology(tmp_path: Path) -> None:
    """`kg validate` works from `pip install kg`, not only from a checkout."""
    import subprocess
    import sys
    import zipfile

    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", str(ROOT),
                    "-w", str(tmp_path)], check=True, capture_output=True)
    (wheel,) = tmp_path.glob("kg-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in ("kg.ttl", "shapes.ttl", "context.jsonld"):
        assert f"kg/ontology/{name}" in names
        assert zipfile.ZipFile(wheel).read(f"kg/ontology/{name}") == (
            ROOT / "ontology" / name).read_bytes()
    assert {"kg/resources/ner/ner.npz", "kg/rdf/queries/events.rq",
            "kg/resources/html/template.html"} <= names
