"""The records that flow through the pipeline.

Every record is a frozen dataclass. Offsets are code-point offsets into
``Article.text`` and are the truth: ``article.text[m.start:m.end] == m.text``
holds for every mention, relation and event (the test suite checks it).

>>> m = Mention(0, 3, "习近平", "PER")
>>> m.text, m.type
('习近平', 'PER')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from kg.text.unicode import name_form


def _frozen_mapping(value: Mapping[str, str] | None) -> Mapping[str, str]:
    return MappingProxyType(dict(value or {}))


@dataclass(frozen=True, slots=True)
class Document:
    """One decoded unit of input: a whole file, or one JSONL line.

    ``text`` is the decoded text after CRLF and full-width-space
    normalisation; ``line`` is the 1-based line for JSONL records (else 0).
    ``meta`` holds JSONL fields (``id``, ``title``, ``date``, ``source``,
    ``url``) and is empty for plain files.

    >>> Document("a.txt", "正文", "utf-8").line
    0
    """

    path: str
    text: str
    encoding: str
    line: int = 0
    meta: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "meta", _frozen_mapping(self.meta))


@dataclass(frozen=True, slots=True)
class Part:
    """A labelled span of an article's text.

    ``kind`` is one of ``title``, ``subtitle`` (kicker or subtitle),
    ``byline``, ``dateline``, ``body``, ``subhead`` (a heading inside the
    body), ``caption``, ``credit`` (photo credit), ``continuation``.

    >>> Part("title", 0, 4).kind
    'title'
    """

    kind: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Credit:
    """A person credited in a byline or photo credit.

    ``role`` is ``reporter``, ``correspondent`` or ``photographer``;
    ``start``/``end`` locate ``name`` in the article text.

    >>> Credit("reporter", "陈刚", 10, 12).name
    '陈刚'
    """

    role: str
    name: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Article:
    """One article with its text in reading order and where it came from.

    ``source_map`` is a tuple of ``(article_start, source_start, length)``
    runs: article characters ``article_start .. article_start+length`` are
    document characters ``source_start ..``. Characters the layout inserted
    (the newline between a headline and the body) belong to no run.

    >>> a = Article("x", "标题\\n正文", "标题", source_map=((0, 10, 2), (3, 0, 2)))
    >>> a.source_offset(3), a.source_offset(2)
    (0, None)
    """

    id: str
    text: str
    title: str = ""
    date: str | None = None  # ISO date of the dateline or publication
    published: str | None = None  # ISO publication date of the page/record
    source: str = ""  # the publication, e.g. 人民日报
    agency: str = ""  # 新华社, 本报 …
    dateline: str = ""  # e.g. 新华社北京2月24日电
    place: str = ""  # the dateline's place, e.g. 北京
    url: str = ""
    path: str = ""  # the file it came from
    line: int = 0  # the JSONL line, or 0
    parts: tuple[Part, ...] = ()
    credits: tuple[Credit, ...] = ()
    source_map: tuple[tuple[int, int, int], ...] = ()

    def source_offset(self, offset: int) -> int | None:
        """Map an article offset to a document offset (``None`` if inserted)."""
        for start, src, length in self.source_map:
            if start <= offset < start + length:
                return src + offset - start
        return None

    def parts_of(self, kind: str) -> tuple[Part, ...]:
        """The parts of one kind, in order."""
        return tuple(p for p in self.parts if p.kind == kind)


@dataclass(frozen=True, slots=True)
class Mention:
    """A typed span of text: ``text == article.text[start:end]``.

    >>> Mention(2, 5, "习近平", "PER", recognizer="rule:title").recognizer
    'rule:title'
    """

    start: int
    end: int
    text: str
    type: str  # PER, ORG or LOC
    subtype: str = ""  # finer type: country, province, city, union, …
    score: float = 1.0
    recognizer: str = ""
    article_id: str = ""


@dataclass(frozen=True, slots=True)
class Relation:
    """A fact between two mentions, with the sentence that states it.

    ``predicate`` is one of ``holds_position`` (subject PER, object
    ORG/LOC or ``None`` for a bare title, ``role`` set), ``located_in``
    (ORG/LOC in LOC) and ``part_of`` (ORG in ORG); read back from a graph,
    an entity's part in an event is ``participant_in``, ``place_of`` or
    ``subject_of`` with the event as object. Bylines are not
    relations: they are ``Article.credits``. ``start``/``end`` locate the
    evidence sentence in the article.

    >>> p = Mention(8, 10, "王平", "PER")
    >>> o = Mention(0, 6, "中车株洲公司", "ORG")
    >>> Relation(p, "holds_position", o, "x", 0, 10, "…", role="工会主席").role
    '工会主席'
    """

    subject: Mention
    predicate: str
    object: Mention | None  # None for a bare title (国家主席习近平)
    article_id: str
    start: int
    end: int
    evidence: str
    role: str = ""
    rule: str = ""
    score: float = 1.0
    subject_iri: str = ""  # filled by resolve, and when read back from a graph
    object_iri: str = ""
    subject_label: str = ""
    object_label: str = ""


@dataclass(frozen=True, slots=True)
class Event:
    """Something that happened, found from a trigger word in a sentence.

    ``arguments`` pairs a role (``participant``, ``organizer``, ``place``)
    with a mention. ``date`` is ISO (``2025-02-24``, ``2024-09``) or ``None``.
    ``name`` is the event's own name when the text gives one (第十五届全国运动会,
    at ``name_start``); ``summary`` is the shortest span of its sentence that
    states it (see :mod:`kg.extract.labels`); ``part_of`` is the
    ``trigger_start`` of the event of the same article this one is part of
    (the earthquake of a report's lead for its deaths), else ``-1``;
    ``repeats`` is the ``trigger_start`` of the event of the same article
    this report tells again (a headline and its lead), else ``-1``.

    >>> e = Event("x", 0, 5, "双方通电话", "通电话", 2, 5, "communication", summary="双方通电话")
    >>> e.type, e.label
    ('communication', '双方通电话')
    """

    article_id: str
    start: int  # evidence sentence
    end: int
    evidence: str
    trigger: str
    trigger_start: int
    trigger_end: int
    type: str
    date: str | None = None
    date_text: str = ""
    arguments: tuple[tuple[str, Mention], ...] = ()
    rule: str = ""
    score: float = 1.0
    name: str = ""
    name_start: int = -1
    summary: str = ""
    part_of: int = -1
    repeats: int = -1

    @property
    def label(self) -> str:
        """A short human label: the event's name, else the span that states it.

        >>> Event("x", 0, 9, "…", "召开", 4, 6, "meeting", name="第二十二次联席会议").label
        '第二十二次联席会议'
        >>> Event("x", 0, 9, "…", "召开", 4, 6, "meeting").label  # no text kept: the trigger
        '召开'
        """
        return name_form(self.name or self.summary or self.trigger)  # no \u202e in a label


@dataclass(frozen=True, slots=True)
class Entity:
    """A real-world thing: the merged mentions of one name.

    ``key`` is the stable identity (type and canonical name) from which the
    IRI is derived; ``aliases`` are the other surface forms seen.

    >>> Entity("PER:习近平", "习近平", "PER").label
    '习近平'
    """

    key: str
    label: str
    type: str  # PER, ORG, LOC, or EVENT when read back from a graph
    aliases: tuple[str, ...] = ()
    mentions: tuple[Mention, ...] = ()
    iri: str = ""
    subtype: str = ""
