"""The ontology's terms as a closed rdflib namespace, plus the aligned vocabularies.

``KG`` mirrors ``ontology/kg.ttl`` term for term (a test proves the two
agree); it is closed, so a typo is an error, not a new IRI.

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

__all__ = ["GAF", "KG", "NIF", "ORG", "PROV", "RDF", "RDFS", "SDO", "SEM", "SKOS", "XSD"]

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
    Communication: URIRef
    Meeting: URIRef
    Founding: URIRef
    Publication: URIRef
    Competition: URIRef
    Agreement: URIRef
    Opening: URIRef
    Visit: URIRef
    Activity: URIRef
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


EVENT_CLASS = {
    "communication": KG.Communication,
    "meeting": KG.Meeting,
    "founding": KG.Founding,
    "publication": KG.Publication,
    "competition": KG.Competition,
    "agreement": KG.Agreement,
    "opening": KG.Opening,
    "visit": KG.Visit,
    "activity": KG.Activity,
}
"""Event type (as in ``events.tsv``) → ontology class."""

ENTITY_CLASS = {"PER": KG.Person, "ORG": KG.Organization, "LOC": KG.Place}
"""Mention type → ontology class."""
