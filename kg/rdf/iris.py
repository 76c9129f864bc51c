"""The IRIs of articles, text spans and facts, and typed date literals.

Every IRI kg mints for a record is made here, from the record's identity, so
the same article, span or fact gets the same IRI in every build.
"""

from __future__ import annotations

import hashlib
from urllib.parse import quote

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from kg.resolve import DEFAULT_BASE

__all__ = ["article_iri", "hash_iri", "span_iri", "typed_date"]


def article_iri(article_id: str, base: str = DEFAULT_BASE) -> URIRef:
    """The IRI of an article.

    >>> str(article_iri("a1", "https://example.org/"))
    'https://example.org/article/a1'
    """
    return URIRef(f"{base}article/{quote(article_id, safe='')}")


def span_iri(article_id: str, start: int, end: int, base: str = DEFAULT_BASE) -> URIRef:
    """A text span's IRI: the article IRI with an RFC 5147 fragment.

    >>> str(span_iri("a1", 3, 6, "https://example.org/"))
    'https://example.org/article/a1#char=3,6'
    """
    return URIRef(f"{article_iri(article_id, base)}#char={start},{end}")


def hash_iri(base: str, kind: str, *parts: object) -> URIRef:
    digest = hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:16]
    return URIRef(f"{base}{kind}/{digest}")


def typed_date(value: str) -> Literal:
    """An ISO day, month or year as ``xsd:date``, ``xsd:gYearMonth`` or ``xsd:gYear``.

    >>> typed_date("2024-09").datatype == XSD.gYearMonth
    True
    """
    kind = {10: XSD.date, 7: XSD.gYearMonth, 4: XSD.gYear}.get(len(value), XSD.string)
    return Literal(value, datatype=kind)
