"""JSONL input: one article per line, its metadata fields checked.

:func:`parse_jsonl` turns the text of a ``.jsonl`` file into Documents (and an
:class:`~kg.errors.InputError` per bad line); :func:`check_fields` keeps the
metadata fields that have the right type, with a reason for each it leaves out.

>>> [d.text for d in parse_jsonl('{"text": "新华社北京电"}\\n{"text": "正文"}\\n')]
['新华社北京电', '正文']
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from kg.errors import InputError, InputWarning
from kg.ingest.credits import parse_date
from kg.ingest.decode import normalize_text
from kg.model import Document
from kg.text.unicode import has_surrogates, name_form, strip_format, xml_safe

__all__ = ["META_FIELDS", "check_fields", "parse_jsonl"]

META_FIELDS = ("id", "title", "date", "source", "url")
"""JSONL fields copied (as strings) into ``Document.meta``."""


def _lines(text: str) -> Iterator[str]:
    """``text.split("\\n")`` one line at a time (a big file is not copied into a list).

    >>> list(_lines("a\\n\\nb")) == "a\\n\\nb".split("\\n")
    True
    """
    start = 0
    while (end := text.find("\n", start)) >= 0:
        yield text[start:end]
        start = end + 1
    yield text[start:]


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
    for number, line in enumerate(_lines(text), start=1):
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
