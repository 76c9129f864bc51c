"""Reading inputs: files and folders become :class:`~kg.model.Document` records.

This is the only stage that touches the file system on the way in. The pure
parts (:func:`decode_bytes`, :func:`normalize_text`, :func:`html_to_text`,
:func:`parse_jsonl`) take bytes or text; :func:`iter_documents` does the
reading and the error routing.

``Document.text`` is the *normalised* text (see :func:`normalize_text`) and
every offset downstream (``Article.source_map``, mentions, evidence) refers to
it, not to the bytes on disk. For HTML it is the extracted text.

>>> normalize_text("第一行\\r\\n第二行\\u3000完")
'第一行\\n第二行 完'
"""

from __future__ import annotations

import codecs
import json
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from html.parser import HTMLParser
from pathlib import Path

from kg.errors import InputError, InputWarning
from kg.ingest.credits import parse_date
from kg.model import Document
from kg.text.unicode import has_surrogates, name_form, strip_format, xml_safe

ErrorHandler = Callable[[InputError], None]

TEXT_SUFFIXES = frozenset({".txt", ".md"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
JSONL_SUFFIXES = frozenset({".jsonl"})
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES
"""Extensions read when a folder is given (case-insensitive)."""

META_FIELDS = ("id", "title", "date", "source", "url")
"""JSONL fields copied (as strings) into ``Document.meta``."""

MAX_ODD_RATIO = 0.05
"""Share of unassigned, private-use or surrogate code points above which a decode is refused."""

MIN_SCRIPT_RATIO = 0.7
"""Share of characters a weakly checked decode (UTF-16/32, GB18030) must have in the
scripts of news text (Chinese, Latin, kana, Hangul, punctuation, digits)."""

MAX_CONTROL_RATIO = 0.05
"""Share of control characters above which decoded text is called binary."""

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")  # category Cc except \t\n\v\f\r
# fmt: off
_BLOCK_TAGS = frozenset({
    "p", "div", "br", "hr", "li", "ul", "ol", "dl", "dt", "dd", "tr", "td", "th", "table",
    "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "header", "footer", "main",
    "aside", "nav", "address", "blockquote", "pre", "figure", "figcaption",
})
# fmt: on
_TRANSLATE = str.maketrans({"\u3000": " ", "\xa0": " ", "\r": "\n", "\v": "\n", "\f": "\n"})
_NEWS_SCRIPTS = (  # code point ranges of plausible news text
    (0x09, 0x0D), (0x20, 0x24F), (0x370, 0x4FF), (0x2000, 0x2BFF), (0x2E80, 0x9FFF),
    (0xAC00, 0xD7AF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF),
    (0x20000, 0x3FFFF),
)


def decode_bytes(data: bytes, path: str = "") -> tuple[str, str]:
    """Decode file bytes; return ``(text, encoding)`` with any BOM removed.

    A BOM (UTF-8, UTF-16 LE/BE, UTF-32) decides; otherwise UTF-8, then
    GB18030 (a superset of GBK and GB2312) are tried, and UTF-16 LE/BE for
    a file with NUL bytes (UTF-16 without a BOM). A decode is refused when
    the text is implausible (see :func:`implausible`): random bytes after a
    BOM give mostly unassigned or private-use characters, not Chinese. NUL
    bytes that decode to nothing plausible, or too many control
    characters, mean a binary file.

    >>> decode_bytes("光明日报".encode("gb18030"))
    ('光明日报', 'gb18030')
    >>> decode_bytes(b"\\xef\\xbb\\xbf" + "新华社".encode())
    ('新华社', 'utf-8-sig')
    >>> decode_bytes("新华社电\\n".encode("utf-16-le"))
    ('新华社电\\n', 'utf-16-le')
    >>> decode_bytes(b"PK\\x03\\x04\\x00\\x00", "a.zip")
    Traceback (most recent call last):
    ...
    kg.errors.InputError: a.zip: binary file (contains NUL bytes); give a text, JSONL or HTML file
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding.removesuffix("-sig"))
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"starts with a {encoding} byte-order mark but is not valid {encoding} "
                    f"(byte {exc.start}); re-save the file as UTF-8",
                    path=path,
                ) from None
            _check_plausible(text, encoding, path, f"starts with a {encoding} byte-order mark "
                                                   "but does not decode to text")
            _check_controls(text, path)
            return text, encoding
    candidates = ["utf-16-le", "utf-16-be"] if b"\x00" in data else ["utf-8", "gb18030"]
    first_reason = ""
    for encoding in candidates:
        if encoding.startswith("utf-16") and len(data) % 2:
            continue
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        reason = implausible(text, strict=encoding == "utf-8")
        if reason is None and encoding.startswith("utf-16") and _CONTROLS.search(text):
            reason = "control characters"
        if reason is not None:
            first_reason = first_reason or f"as {encoding}: {reason}"
            continue
        _check_controls(text, path)
        return text, encoding
    if b"\x00" in data:
        raise InputError(
            "binary file (contains NUL bytes); give a text, JSONL or HTML file", path=path
        )
    if first_reason:
        raise InputError(f"does not decode to plausible text ({first_reason}); "
                         "convert the file to UTF-8", path=path)
    raise InputError(
        "cannot decode as UTF-8, UTF-16 or GB18030; convert the file to UTF-8", path=path
    )


def implausible(text: str, *, strict: bool = False) -> str | None:
    """Why ``text`` cannot be what a decode was meant to give, or None when it can.

    Too many unassigned (Cn), private-use (Co) or surrogate (Cs) code points
    always count; unless ``strict`` (UTF-8, whose validity is evidence
    enough), so does a text mostly outside the scripts of news.

    >>> implausible("新华社北京电") is None
    True
    >>> implausible("\\ue000\\ue001\\ue002甲")
    '3 of 4 characters are unassigned or private-use code points (first U+E000)'
    """
    chars = [ch for ch in text if not ch.isspace()]
    if not chars:
        return None
    odd = [ch for ch in chars if unicodedata.category(ch) in ("Cn", "Co", "Cs")]
    if len(odd) > MAX_ODD_RATIO * len(chars):
        return (f"{len(odd)} of {len(chars)} characters are unassigned or private-use code "
                f"points (first U+{ord(odd[0]):04X})")
    if strict:
        return None
    foreign = [ch for ch in chars if not _in_news_scripts(ord(ch))]
    if len(foreign) > (1 - MIN_SCRIPT_RATIO) * len(chars):
        return (f"{len(foreign)} of {len(chars)} characters are outside Chinese, Latin and "
                f"punctuation (first U+{ord(foreign[0]):04X} {unicodedata.name(foreign[0], '?')})")
    return None


def _in_news_scripts(cp: int) -> bool:
    return any(lo <= cp <= hi for lo, hi in _NEWS_SCRIPTS)


def _check_plausible(text: str, encoding: str, path: str, what: str) -> None:
    reason = implausible(text, strict=encoding.startswith("utf-8"))
    if reason is not None:
        raise InputError(f"{what}: {reason}; convert the file to UTF-8", path=path)


def _check_controls(text: str, path: str) -> None:
    controls = len(_CONTROLS.findall(text))
    if controls and controls > MAX_CONTROL_RATIO * len(text):
        raise InputError(
            f"binary file ({controls} control characters in {len(text)}); "
            "give a text, JSONL or HTML file",
            path=path,
        )


def normalize_text(text: str) -> str:
    """The text every offset refers to: LF line ends, ordinary spaces, no BOM.

    CRLF becomes LF (the only change of length besides a leading BOM); a lone
    CR, a vertical tab or a form feed becomes LF; U+3000 (ideographic space)
    and U+00A0 (no-break space) become U+0020; every other character XML
    cannot hold (NUL and the other C0 controls, U+FFFE, U+FFFF) becomes
    U+FFFD, so every output syntax can carry the text. Every other character
    is kept as it is (format characters too: names drop them, the text
    keeps them, see :mod:`kg.text.unicode`).

    >>> normalize_text("\\ufeff标题\\r\\n\\r\\n正文\\r末行\\xa0")
    '标题\\n\\n正文\\n末行 '
    >>> normalize_text("甲\\x00乙\\f丙")
    '甲\\ufffd乙\\n丙'
    """
    text = text.removeprefix("\ufeff")
    return xml_safe(text.replace("\r\n", "\n").translate(_TRANSLATE))


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


def parse_jsonl(text: str, path: str = "") -> Iterator[Document | InputError]:
    """One Document per JSONL record, or an InputError for a bad line.

    Blank lines are skipped; ``text`` is required, ``id``, ``title``,
    ``date``, ``source`` and ``url`` go into ``meta`` as strings (format
    characters removed, see :func:`check_fields`). A line with a lone
    surrogate (``"\\ud800"``, which no output can encode) is an error; a
    field of the wrong type or a date that is no date is an
    :class:`~kg.errors.InputWarning` yielded before the Document, which is
    read without that field.

    >>> out = list(parse_jsonl('{"id": 7, "text": "正文"}\\n\\n[1]\\n', "a.jsonl"))
    >>> out[0].text, dict(out[0].meta), out[0].line
    ('正文', {'id': '7'}, 1)
    >>> str(out[1])
    'a.jsonl:3: not a JSON object (got list); each line must be {"text": ...}'
    """
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError(
                f"malformed JSON ({exc.msg} at column {exc.colno})", path=path, line=number
            )
            continue
        if not isinstance(record, dict):
            yield InputError(
                f"not a JSON object (got {type(record).__name__}); "
                'each line must be {"text": ...}',
                path=path,
                line=number,
            )
            continue
        body = record.get("text")
        if not isinstance(body, str) or not body.strip():
            yield InputError('no non-empty string "text" field', path=path, line=number)
            continue
        bad = next((k for k in ("text", *META_FIELDS)
                    if isinstance(record.get(k), str) and has_surrogates(record[k])), None)
        if bad is not None:
            yield InputError(f'lone surrogate in "{bad}" (a broken \\ud800-style escape, not '
                             "a character); fix the line's encoding", path=path, line=number)
            continue
        meta, problems = check_fields(record)
        for problem in problems:
            yield InputWarning(problem, path=path, line=number)
        yield Document(path, normalize_text(body), "utf-8", line=number, meta=meta)


def check_fields(record: dict) -> tuple[dict[str, str], list[str]]:
    """The metadata of a JSONL record as strings, and what was wrong with the rest.

    ``id`` is a string or an integer, ``title``, ``source`` and ``url``
    strings, ``date`` a date (``2025-02-24``, ``2025年2月24日``); a field of
    another type, or a date that is none, is left out with a reason (the
    id then comes from the text, the date from ``--date`` or the dateline).
    Format characters (bidi controls, zero-width spaces) are removed from
    every field: they are invisible in a label and would change an IRI.

    >>> check_fields({"id": ["a", "b"], "title": "\\u202e标题", "date": "2025-13-45"})
    ({'title': '标题'}, ['"id" is a list, not a string or integer: ignored', '"date" 2025-13-45 is not a date (YYYY-MM-DD): ignored'])
    """  # noqa: E501
    meta: dict[str, str] = {}
    problems: list[str] = []
    for key in META_FIELDS:
        value = record.get(key)
        if value is None:
            continue
        if key == "id" and isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            kinds = "a string or integer" if key == "id" else "a string"
            problems.append(f'"{key}" is {_json_kind(value)}, not {kinds}: ignored')
            continue
        value = xml_safe(name_form(value) if key != "url" else strip_format(value).strip())
        if not value:
            continue
        if key == "date" and parse_date(value) is None:
            problems.append(f'"date" {value[:40]} is not a date (YYYY-MM-DD): ignored')
            continue
        meta[key] = value
    return meta, problems


def _json_kind(value: object) -> str:
    kinds = {list: "a list", dict: "an object", bool: "a boolean", float: "a number",
             int: "a number"}
    return kinds.get(type(value), type(value).__name__)


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
