"""The one table of kg's node types: code ↔ ontology class ↔ IRI path ↔ names.

Every module that needs to turn a mention type (``PER``) into a class name
(``Person``), an ontology class, an IRI path segment or a label reads it
here, so the four kinds can never disagree between the recognizer, the
resolver, the graph, the readback and the HTML page.

>>> by_code("ORG").name, by_code("ORG").path, by_code("ORG").zh
('Organization', 'organization', '组织')
>>> by_name("Place").code
'LOC'
>>> [t.code for t in ENTITY_TYPES]
['PER', 'ORG', 'LOC']
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.errors import UsageError

__all__ = ["ALL_TYPES", "ENTITY_CODES", "ENTITY_TYPES", "EVENT", "NODE_TYPES", "NodeType",
           "by_code", "by_name", "class_names"]


@dataclass(frozen=True, slots=True)
class NodeType:
    """One kind of node: how the recognizer, the IRIs and the ontology name it."""

    code: str  # Mention.type / Entity.type: PER, ORG, LOC, EVENT
    name: str  # the ontology class's local name, and the API's class name
    path: str  # the IRI path segment of its instances (…/person/习近平)
    zh: str
    en: str


ENTITY_TYPES = (
    NodeType("PER", "Person", "person", "人物", "person"),
    NodeType("ORG", "Organization", "organization", "组织", "organization"),
    NodeType("LOC", "Place", "place", "地点", "place"),
)
"""What the recognizer finds, in the order used for tie-breaks and summaries."""

EVENT = NodeType("EVENT", "Event", "event", "事件", "event")
ARTICLE = NodeType("ARTICLE", "NewsArticle", "article", "新闻", "news article")

ALL_TYPES = (*ENTITY_TYPES, EVENT)
"""The node types of the API (``g.entities(name)``): entities and events."""

NODE_TYPES = tuple(t.name for t in (*ALL_TYPES, ARTICLE))
"""The class names of the nodes the HTML page draws, in its legend's order."""

ENTITY_CODES = tuple(t.code for t in ENTITY_TYPES)

_BY_CODE = {t.code: t for t in (*ALL_TYPES, ARTICLE)}
_BY_NAME = {t.name: t for t in (*ALL_TYPES, ARTICLE)}


def by_code(code: str) -> NodeType:
    """The type of a mention or entity code; a :class:`~kg.errors.UsageError` if unknown.

    >>> by_code("PER").name
    'Person'
    """
    try:
        return _BY_CODE[code]
    except KeyError:
        raise UsageError(f"unknown type code {code!r}; use one of {', '.join(_BY_CODE)}") from None


def by_name(name: str) -> NodeType:
    """The type of a class name (``Person``, ``Event`` …); a UsageError if unknown.

    >>> by_name("Event").code
    'EVENT'
    """
    try:
        return _BY_NAME[name]
    except KeyError:
        known = ", ".join(t.name for t in ALL_TYPES)
        raise UsageError(f"unknown entity type {name!r}; use one of {known}") from None


def class_names() -> tuple[str, ...]:
    """The class names ``g.entities()`` accepts.

    >>> class_names()
    ('Person', 'Organization', 'Place', 'Event')
    """
    return tuple(t.name for t in ALL_TYPES)
