"""The ontology's terms as a closed rdflib namespace, plus the aligned vocabularies.

``KG`` mirrors ``ontology/kg.ttl`` (the hand-written core) term for term (a
test proves the two agree); it is closed, so a typo is an error, not a new
IRI. Event classes and role properties are not listed here: they come from
the event schema (:mod:`kg.rdf.ontology`).

>>> str(KG.Person)
'https://w3id.org/kg-cn/ontology#Person'
>>> KG.Persn
Traceback (most recent call last):
...
AttributeError: term 'Persn' not in namespace 'https://w3id.org/kg-cn/ontology#'
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import ORG, PROV, RDF, RDFS, SDO, SKOS, XSD, DefinedNamespace

__all__ = ["GAF", "KG", "NIF", "ORG", "PREFIXES", "PROV", "RDF", "RDFS", "SDO", "SEM", "SKOS",
           "XSD"]

SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
GAF = Namespace("http://groundedannotationframework.org/gaf#")


class KG(DefinedNamespace):
    """Classes and properties of ``ontology/kg.ttl``."""

    _NS = Namespace("https://w3id.org/kg-cn/ontology#")
    _fail = True

    # classes
    Person: URIRef
    Organization: URIRef
    Place: URIRef
    Event: URIRef
    NewsArticle: URIRef
    Mention: URIRef
    Evidence: URIRef
    Statement: URIRef
    Role: URIRef
    # properties
    mention: URIRef
    article: URIRef
    sourceOffset: URIRef
    sourceFile: URIRef
    textLength: URIRef
    recognizer: URIRef
    rule: URIRef
    confidence: URIRef
    evidence: URIRef
    subjectMention: URIRef
    objectMention: URIRef
    holdsTitle: URIRef
    trigger: URIRef
    triggerMention: URIRef
    dateText: URIRef
    notAfter: URIRef
    about: URIRef
    agency: URIRef
    dateline: URIRef
    datelinePlace: URIRef


PREFIXES: dict[str, str] = {
    "kg": str(KG._NS), "schema": str(SDO), "org": str(ORG), "sem": str(SEM), "prov": str(PROV),
    "skos": str(SKOS), "nif": str(NIF), "gaf": str(GAF), "rdf": str(RDF), "rdfs": str(RDFS),
    "xsd": str(XSD),
}
"""The prefixes of every file and query kg writes, and of the CURIEs in its schema."""
