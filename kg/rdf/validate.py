"""Check a graph against ``ontology/shapes.ttl`` (SHACL, run by pySHACL).

The ontology supplies the class hierarchy, so the shape of ``kg:Event`` also
applies to a ``kg:Meeting``. :func:`validate` returns a :class:`Report` whose
violations name the focus node by its label, so they can be read without a
SPARQL tool.

>>> from rdflib import Graph, Literal, URIRef
>>> from kg.rdf.namespace import KG, RDF, RDFS
>>> g = Graph()
>>> p = URIRef("https://w3id.org/kg-cn/id/person/x")
>>> _ = g.add((p, RDF.type, KG.Person)).add((p, RDFS.label, Literal("普京")))
>>> report = validate(g)
>>> report.conforms, report.violations[0].path
(False, 'rdfs:label')
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from kg.errors import GraphError
from kg.rdf.namespace import NIF, PREFIXES, RDF, RDFS
from kg.rdf.ontology import event_ontology, schema_shapes

__all__ = ["ONTOLOGY_DIR", "Report", "Violation", "format_report", "validate"]

_PACKAGE = Path(__file__).resolve().parents[1]  # kg/
ONTOLOGY_DIR = next((d for d in (_PACKAGE.parent / "ontology", _PACKAGE / "ontology")
                     if (d / "shapes.ttl").is_file()), _PACKAGE.parent / "ontology")
"""``ontology/`` of a checkout, else the copy an installed wheel carries in ``kg/``."""


@dataclass(frozen=True, slots=True)
class Violation:
    """One SHACL result: which node, which property, what is wrong."""

    focus: str  # IRI of the node that breaks a shape
    label: str  # its rdfs:label, or the text of a span
    type: str  # its class as a CURIE
    path: str  # the property as a CURIE ("" for a node-level constraint)
    message: str
    value: str = ""
    severity: str = "Violation"

    def __str__(self) -> str:
        who = f"{self.type} {self.label!r}" if self.label else self.type or "node"
        where = f" {self.path}" if self.path else ""
        value = f" (value: {self.value})" if self.value else ""
        return f"{who} <{self.focus}>{where}: {self.message}{value}"


@dataclass(frozen=True, slots=True)
class Report:
    """The outcome of :func:`validate`."""

    conforms: bool
    violations: tuple[Violation, ...]
    triples: int

    def __bool__(self) -> bool:
        return self.conforms


def _curie(term: Node | None) -> str:
    if term is None:
        return ""
    text = str(term)
    for prefix, ns in PREFIXES.items():
        if text.startswith(ns):
            return f"{prefix}:{text[len(ns):]}"
    return text if isinstance(term, URIRef) else f"[{text}]" if text else ""


@lru_cache(maxsize=4)
def _load(path: str) -> Graph:
    try:
        return Graph().parse(path, format="turtle")
    except FileNotFoundError as exc:
        raise GraphError(f"{path}: no such shapes file") from exc
    except Exception as exc:
        raise GraphError(f"{path}: cannot parse the shapes: {exc}") from exc


def _with(base: Graph, extra: Graph) -> Graph:
    out = Graph()
    for t in base:
        out.add(t)
    for t in extra:
        out.add(t)
    return out


def validate(graph: Graph, shapes: str | Path | None = None) -> Report:
    """Validate ``graph`` against the project's shapes (or ``shapes``).

    The project's shapes are ``ontology/shapes.ttl`` plus the role shapes of
    every event type of the schema and of this process's registrations
    (:func:`kg.rdf.ontology.schema_shapes`); the ontology is ``ontology/kg.ttl``
    plus the event classes and role properties made from the same schema.
    """
    import pyshacl

    if shapes is None:
        shapes_graph = _with(_load(str(ONTOLOGY_DIR / "shapes.ttl")), schema_shapes())
    else:
        shapes_graph = _load(str(shapes))
    ontology = _with(_load(str(ONTOLOGY_DIR / "kg.ttl")), event_ontology())
    data = Graph()  # a plain copy: pySHACL walks the graph many times
    for t in graph:
        data.add(t)
    triples = len(data)
    conforms, results, _ = pyshacl.validate(
        data, shacl_graph=shapes_graph, ont_graph=ontology, inference="none",
        advanced=True, allow_warnings=True, inplace=True)
    out = []
    for res in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(res, SH.focusNode)
        label = graph.value(focus, RDFS.label) or graph.value(focus, NIF.anchorOf) or ""
        types = sorted(_curie(t) for t in graph.objects(focus, RDF.type))
        value = results.value(res, SH.value)
        out.append(Violation(
            str(focus), str(label), ", ".join(types), _curie(results.value(res, SH.resultPath)),
            str(results.value(res, SH.resultMessage) or "does not conform"),
            str(value) if isinstance(value, (URIRef, Literal)) else "",
            _curie(results.value(res, SH.resultSeverity)).removeprefix("http://www.w3.org/ns/shacl#"),
        ))
    out.sort(key=lambda v: (v.type, v.label, v.focus, v.path, v.message))
    return Report(bool(conforms), tuple(out), triples)


def format_report(report: Report, limit: int = 50) -> str:
    """The report as lines a person reads: one violation per line, then a count."""
    if report.conforms:
        return f"conforms: {report.triples} triples satisfy ontology/shapes.ttl"
    lines = [str(v) for v in report.violations[:limit]]
    more = len(report.violations) - limit
    if more > 0:
        lines.append(f"… and {more} more")
    lines.append(f"does not conform: {len(report.violations)} violation(s) "
                 f"in {report.triples} triples")
    return "\n".join(lines)
