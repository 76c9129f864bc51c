"""Reading inputs: files and folders become :class:`~kg.model.Document` records.

This is the only stage that touches the file system on the way in. The pure
parts take bytes or text: decoding and normalising in :mod:`kg.ingest.decode`,
JSONL records in :mod:`kg.ingest.jsonl`, :func:`html_to_text` here;
:func:`iter_documents` does the reading and the error routing.

``Document.text`` is the *normalised* text (see
:func:`kg.ingest.decode.normalize_text`) and every offset downstream
(``Article.source_map``, mentions, evidence) refers to it, not to the bytes
on disk. For HTML it is the extracted text.

>>> html_to_text("<h1>工人日报</h1><p>第一段</p>")
'工人日报\\n\\n第一段'
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from html.parser import HTMLParser
from pathlib import Path

from kg.errors import InputError
from kg.ingest.decode import decode_bytes, normalize_text
from kg.ingest.jsonl import parse_jsonl
from kg.model import Document

ErrorHandler = Callable[[InputError], None]

TEXT_SUFFIXES = frozenset({".txt", ".md"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
JSONL_SUFFIXES = frozenset({".jsonl"})
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES
"""Extensions read when a folder is given (case-insensitive)."""

# fmt: off
_BLOCK_TAGS = frozenset({
    "p", "div", "br", "hr", "li", "ul", "ol", "dl", "dt", "dd", "tr", "td", "th", "table",
    "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "header", "footer", "main",
    "aside", "nav", "address", "blockquote", "pre", "figure", "figcaption",
})
# fmt: on


class _TextExtractor(HTMLParser):
    """Collect visible text; block elements become paragraph breaks."""

    SKIP = frozenset({"script", "style", "head", "title", "noscript", "template", "svg"})
    BLOCKS = _BLOCK_TAGS

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self.skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skipping.append(tag)
        elif tag in self.BLOCKS:
            self.chunks.append("\n\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.BLOCKS:
            self.chunks.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            if tag in self.skipping:  # tolerate unbalanced markup
                del self.skipping[self.skipping.index(tag) :]
        elif tag in self.BLOCKS:
            self.chunks.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            # Source line breaks inside a paragraph are not text.
            self.chunks.append(" ".join(data.split("\n")).replace("\r", " ").replace("\t", " "))


def html_to_text(html: str) -> str:
    """Visible text of an HTML page, one paragraph per block element.

    Scripts, styles and the ``<head>`` are dropped; entities are unescaped.

    >>> html_to_text("<p>新华社北京2月24日电</p><script>alert(1)</script><p>A&amp;B</p>")
    '新华社北京2月24日电\\n\\nA&B'
    """
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    paragraphs = []
    for block in "".join(parser.chunks).split("\n\n"):
        lines = [" ".join(line.split(" ")).strip() for line in block.split("\n")]
        text = "\n".join(line for line in lines if line)
        if text:
            paragraphs.append(text)
    return "\n\n".join(paragraphs)


def iter_documents(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    on_error: ErrorHandler | None = None,
    strict: bool = False,
) -> Iterator[Document]:
    """Read files and folders into Documents, in a deterministic order.

    Folders are walked recursively in sorted order (hidden entries skipped)
    and only ``.txt``, ``.md``, ``.jsonl``, ``.html`` and ``.htm`` files are
    read; a file named explicitly is read whatever its extension (unknown
    ones as plain text). A ``.jsonl`` file gives one Document per record.

    Each problem (missing path, binary or undecodable file, empty file, bad
    JSONL line) is an :class:`InputError` carrying the path and line. With
    ``on_error`` given it is passed there and the file or line is skipped;
    the rest goes on. When ``on_error`` is None, or ``strict`` is true, the
    error is raised instead. The pipeline always passes a collector.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "b.txt").write_text("正文二", encoding="utf-8")
    >>> _ = (folder / "a.txt").write_text("正文一", encoding="gb18030")
    >>> [(pathlib.Path(d.path).name, d.text) for d in iter_documents(folder)]
    [('a.txt', '正文一'), ('b.txt', '正文二')]
    """

    def report(error: InputError) -> None:
        if strict or on_error is None:
            raise error
        on_error(error)

    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    for given in paths:
        for path in _expand(Path(given), report):
            yield from _read_file(path, report)


def _expand(path: Path, report: ErrorHandler) -> Iterator[Path]:
    if path.is_file():
        yield path  # named explicitly: read whatever the extension
        return
    if not path.is_dir():
        report(InputError("no such file or folder", path=str(path)))
        return
    found = []
    for folder, dirs, files in os.walk(path):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found += [
            Path(folder, name)
            for name in files
            if not name.startswith(".") and Path(name).suffix.lower() in SUFFIXES
        ]
    # Sorted by path components, so a folder's files come in one block.
    yield from sorted(found, key=lambda p: p.relative_to(path).parts)
    if not found:
        report(InputError("folder has no .txt, .md, .jsonl, .html or .htm files", path=str(path)))


def _read_file(path: Path, report: ErrorHandler) -> Iterator[Document]:
    name = str(path)
    suffix = path.suffix.lower()
    try:
        data = path.read_bytes()
    except OSError as exc:
        report(InputError(f"cannot read file ({exc.strerror or exc})", path=name))
        return
    try:
        text, encoding = decode_bytes(data, name)
    except InputError as exc:
        report(exc)
        return
    del data  # a JSONL file's documents are read one by one: hold its bytes no longer
    text = normalize_text(text)
    if suffix in HTML_SUFFIXES:
        text = normalize_text(html_to_text(text))  # entities such as &nbsp;
    if not text.strip():
        report(InputError("empty file (no text after decoding); add text or remove it", path=name))
        return
    if suffix in JSONL_SUFFIXES:
        for item in parse_jsonl(text, name):
            if isinstance(item, InputError):
                report(item)
            else:
                yield Document(item.path, item.text, encoding, item.line, item.meta)
        return
    yield Document(name, text, encoding)
