"""Reading a build's inputs: new articles from files, with what was skipped and why.

Files are read one document at a time and laid out into articles; an
article already read (in this build or an earlier one kept in a store) is
counted as a duplicate, and one that is too long or reuses an id with
another text is reported with its path and line in the :class:`BuildReport`
(raised instead under ``strict``).

>>> report = BuildReport()
>>> list(iter_articles([], date=None, strict=False, report=report)), report.files
([], 0)
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import Any

from kg.errors import InputError, InputWarning
from kg.ingest.files import iter_documents
from kg.ingest.layout import split_articles
from kg.model import Article

MAX_ARTICLE_CHARS = 200_000
"""Articles longer than this are reported and skipped, not analysed.

A news article is a few thousand characters; one of 200k is a whole book or
a file without line breaks laid out as one article. Analysing it would hold
its mentions and sentences at once and some per-article rules scan all of
them per mention, so it is refused with a reason that says how to split it.
"""


@dataclass
class BuildReport:
    """What a build read, skipped and found; printed as the summary."""

    files: int = 0
    documents: int = 0
    articles: int = 0
    skipped: list[dict] = field(default_factory=list)  # {path, line, reason}
    warnings: list[dict] = field(default_factory=list)  # {path, line, reason}: a field left out
    duplicates: int = 0  # articles whose text was already read in this build or the store
    duplicated: list[dict] = field(default_factory=list)  # {path, line, article} of each
    entities: dict[str, int] = field(default_factory=dict)  # class → count
    relations: int = 0
    events: int = 0
    seconds: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)  # stage → seconds (kg.build.stages)
    characters: int = 0  # article characters analysed
    workers: int = 1
    store: dict = field(default_factory=dict)  # path, articles before/after, triples

    def skip(self, err: InputError) -> None:
        """List ``err``: a skipped input, or (an :class:`InputWarning`) a field left out."""
        entry = {"path": err.path, "line": err.line, "reason": err.reason}
        (self.warnings if isinstance(err, InputWarning) else self.skipped).append(entry)

    def as_dict(self) -> dict:
        out = {
            "files": self.files, "documents": self.documents, "articles": self.articles,
            "duplicates": self.duplicates, "duplicated": list(self.duplicated),
            "characters": self.characters,
            "entities": dict(self.entities), "relations": self.relations,
            "events": self.events, "seconds": round(self.seconds, 3),
            "stages": {k: round(v, 3) for k, v in self.stages.items()},
            "workers": self.workers, "skipped": list(self.skipped),
            "warnings": list(self.warnings),
        }
        if self.store:
            out["store"] = dict(self.store)
        return out


def content_hash(text: str) -> str:
    """The identity of an article's content (sha1 of its text).

    >>> content_hash("正文")[:12]
    'a0d95bc304ff'
    """
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def iter_articles(paths: Sequence[str], *, date: str | None, strict: bool,
                  report: BuildReport, seen: dict[str, str] | None = None,
                  max_chars: int = MAX_ARTICLE_CHARS,
                  clock: Callable[[str], AbstractContextManager] | None = None
                  ) -> Iterator[Article]:
    """Read and lay out the inputs one document at a time; yield new articles.

    Bad inputs are reported and skipped (raised under ``strict``). ``seen``
    maps article ids already read (in this build or an earlier one kept in
    a store) to their content hash: the same text again is counted as a
    duplicate; the same id with another text is reported and skipped.
    Articles longer than ``max_chars`` are reported and skipped. ``clock``
    (a :class:`kg.build.stages.StageClock`) is told the time spent reading
    (``read``) and laying out (``layout``).
    """
    seen = {} if seen is None else seen
    clock = clock or (lambda stage: nullcontext())
    files: set[str] = set()
    documents = iter_documents(paths, on_error=report.skip, strict=strict)
    while True:
        with clock("read"):
            doc = next(documents, None)
        if doc is None:
            break
        files.add(doc.path)
        report.documents += 1
        try:
            with clock("layout"):
                articles = split_articles(doc, date=date)
        except InputError as err:
            if strict:
                raise
            report.skip(err)
            continue
        if not articles:  # e.g. a page holding only its masthead: say so, never drop silently
            report.skip(InputError("no article text (only a masthead or layout lines)",
                                   path=doc.path, line=doc.line))
        for a in articles:
            digest = content_hash(a.text)
            known = seen.get(a.id)
            if known == digest:
                report.duplicates += 1  # the same article again: listed, not analysed
                report.duplicated.append({"path": a.path, "line": a.line, "article": a.id})
                continue
            problem = _article_problem(a, known, max_chars)
            if problem is not None:
                if strict:
                    raise problem
                report.skip(problem)
                continue
            seen[a.id] = digest
            yield a
    report.files = len(files | {s["path"] for s in report.skipped})


def _article_problem(a: Article, known: str | None, max_chars: int) -> InputError | None:
    where = f"article {a.title[:20]!r}" if a.title else f"article {a.id}"
    if len(a.text) > max_chars:
        return InputError(f"{where} has {len(a.text)} characters, more than the limit of "
                          f"{max_chars}; split it into articles (a blank line and a "
                          "headline between them)", path=a.path, line=a.line)
    if known is not None:
        return InputError(f"article id {a.id!r} was already read with a different text; "
                          "give each record its own id", path=a.path, line=a.line)
    return None


def read_articles(paths: Sequence[str], *, date: str | None, strict: bool,
                  report: BuildReport) -> list[Article]:
    """Every new article of ``paths`` in a list (small inputs and tests only)."""
    return list(iter_articles(paths, date=date, strict=strict, report=report))


def batched(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    """Consecutive lists of at most ``size`` items (the last may be shorter).

    >>> [len(b) for b in batched(range(5), 2)]
    [2, 2, 1]
    """
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class Counted:
    """An iterator that counts what it has given (the articles read so far)."""

    def __init__(self, items: Iterable[Any]) -> None:
        self.items = iter(items)
        self.count = 0

    def __iter__(self) -> Counted:
        return self

    def __next__(self) -> Any:
        item = next(self.items)
        self.count += 1
        return item
