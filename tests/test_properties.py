"""Property tests: arbitrary input never crashes ingest, layout or recognize,
offsets always hold, and every character is in an article or a reported skip."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.build.batch import analyze
from kg.errors import InputError
from kg.ingest.credits import masthead_end
from kg.ingest.decode import decode_bytes, normalize_text
from kg.ingest.jsonl import parse_jsonl
from kg.ingest.layout import split_articles
from kg.ingest.reading import BuildReport, iter_articles
from kg.model import Document
from kg.recognize import recognize

SLOW = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=SLOW)
NEWS = st.sampled_from(["国家主席习近平", "同俄罗斯总统普京通电话", "。", "，", "\n", "\n\n",
                        "新华社北京2月24日电 ", "本报记者 刘旭", "大连市总工会", "（下转第3版）",
                        "“", "”", "（", "》", " ", "\u3000", "\r\n", "<p>", "&amp;"])
TEXT = st.lists(st.one_of(NEWS, st.text(max_size=6)), max_size=30).map("".join)


@SETTINGS
@given(st.binary(max_size=300))
def test_decoding_arbitrary_bytes_gives_text_or_an_input_error(data: bytes) -> None:
    try:
        text, encoding = decode_bytes(data, "x.txt")
    except InputError as err:
        assert err.path == "x.txt" and err.reason
    else:
        assert isinstance(text, str) and encoding


@SETTINGS
@given(TEXT)
def test_normalising_keeps_every_character_but_crlf(text: str) -> None:
    out = normalize_text(text)
    assert normalize_text(out) == out
    assert len(out) == len(text.removeprefix("\ufeff")) - text.removeprefix("\ufeff").count("\r\n")
    assert "\r" not in out and "\u3000" not in out


@SETTINGS
@given(st.lists(st.one_of(TEXT, st.builds(lambda t: json.dumps({"text": t}), TEXT)), max_size=8))
def test_every_jsonl_line_is_a_document_or_a_reported_error(lines: list[str]) -> None:
    text = "\n".join(line.replace("\n", " ").replace("\r", " ") for line in lines)
    out = list(parse_jsonl(text, "f.jsonl"))
    expected = [i for i, line in enumerate(text.split("\n"), start=1) if line.strip()]
    assert [item.line for item in out] == expected


@SETTINGS
@given(TEXT)
def test_recognized_offsets_are_exact_on_any_text(text: str) -> None:
    for m in recognize(text):
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start:m.end] == m.text


@SETTINGS
@given(TEXT)
def test_layout_and_analysis_keep_offsets_on_any_text(text: str) -> None:
    articles = split_articles(Document("r.txt", text, "utf-8"), date="2025-02-25")
    covered = sorted(s + k for a in articles for _, s, n in a.source_map for k in range(n))
    assert len(covered) == len(set(covered))
    wanted = [i for i in range(masthead_end(text), len(text)) if not text[i].isspace()]
    assert [i for i in covered if not text[i].isspace()] == wanted
    for r in analyze(articles):
        t = r.article.text
        for m in (*r.mentions, *r.extraction.mentions):
            assert t[m.start:m.end] == m.text
        for rel in r.extraction.relations:
            assert t[rel.start:rel.end] == rel.evidence
        for ev in r.extraction.events:
            assert t[ev.trigger_start:ev.trigger_end] == ev.trigger


@settings(max_examples=25, deadline=None, suppress_health_check=SLOW)
@given(st.lists(st.one_of(st.binary(max_size=80), TEXT.map(lambda t: t.encode("utf-8")),
                          TEXT.map(lambda t: t.encode("gb18030", "replace"))),
                min_size=1, max_size=4))
def test_every_file_is_read_or_reported(tmp_path_factory, contents: list[bytes]) -> None:
    folder = tmp_path_factory.mktemp("any")
    for i, data in enumerate(contents):
        (folder / f"{i}.txt").write_bytes(data)
    report = BuildReport()
    articles = list(iter_articles([str(folder)], date="2025-02-25", strict=False,
                                  report=report))
    read = {a.path for a in articles}
    reported = {s["path"] for s in report.skipped} | {d["path"] for d in report.duplicated}
    for i in range(len(contents)):
        path = str(folder / f"{i}.txt")
        assert path in read or path in reported, path
    assert report.files == len(contents)
