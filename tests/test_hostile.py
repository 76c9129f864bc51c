"""The failures a hostile but realistic user found (issue 15), one test or more per item.

Every test reads real files through ``kg build`` (the CLI entry point, in
process) or the pipeline, and fails on the code before the fixes.
"""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from kg.build.pipeline import build
from kg.cli import main
from kg.errors import InputError
from kg.ingest.decode import decode_bytes
from kg.ingest.reading import BuildReport

GOOD = "新华社北京2月24日电 国家主席习近平同法国总统马克龙通电话。"
SECOND = "新华社莫斯科2月25日电 法国总统马克龙在爱丽舍宫会见外交部长王毅。"


def jsonl(folder: Path, name: str, *records: dict | str) -> Path:
    path = folder / name
    # a lone surrogate can only be written escaped ("\\ud800"), as broken exporters do
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii="\\u" in repr(r))
             for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def labels(graph: Graph) -> set[str]:
    return {str(o) for o in graph.objects(None, RDFS.label)}


def where(report: BuildReport, kind: str = "skipped") -> dict[tuple[str, int], str]:
    return {(Path(s["path"]).name, s["line"]): s["reason"] for s in getattr(report, kind)}


# -------------------------------------------------------------- 1. lone surrogates


def test_a_lone_surrogate_skips_its_line_and_the_rest_is_built(tmp_path) -> None:
    # json.dumps writes "\ud800" as the escape a broken exporter leaves
    feed = jsonl(tmp_path, "feed.jsonl",
                 {"id": "good", "text": GOOD},
                 {"id": "bad-text", "text": "外交部发言人\ud800毛宁表示"},
                 {"id": "bad-title", "title": "标题\udfff", "text": SECOND})
    graph, report = build([str(feed)])
    assert report.articles == 1
    assert set(where(report)) == {("feed.jsonl", 2), ("feed.jsonl", 3)}
    assert "lone surrogate" in where(report)[("feed.jsonl", 2)]
    assert {"习近平", "马克龙"} <= labels(graph)


def test_a_lone_surrogate_fails_a_strict_build_with_one_line(tmp_path, capsys) -> None:
    feed = jsonl(tmp_path, "feed.jsonl", {"text": GOOD}, {"text": "正文\ud800"})
    assert main(["build", str(feed), "-o", str(tmp_path / "out"), "--strict", "-q"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("kg build: ") and "feed.jsonl:2" in err and "\n" not in err


# -------------------------------------------------------------- 2. field types


def test_wrong_field_types_are_left_out_and_listed(tmp_path) -> None:
    feed = jsonl(tmp_path, "feed.jsonl",
                 {"id": ["a", "b"], "url": {"a": 1}, "title": ["x"], "text": GOOD},
                 {"id": "n2", "date": "2025-13-45", "text": SECOND},
                 {"id": "n3", "date": 12, "text": "新华社北京3月1日电 外交部长王毅会见法国外长。"})
    graph, report = build([str(feed)], date="2025-03-01")
    assert report.articles == 3 and report.skipped == []
    assert [(w["line"], w["reason"]) for w in report.warnings] == [
        (1, '"id" is a list, not a string or integer: ignored'),
        (1, '"title" is a list, not a string: ignored'),
        (1, '"url" is an object, not a string: ignored'),
        (2, '"date" 2025-13-45 is not a date (YYYY-MM-DD): ignored'),
        (3, '"date" is a number, not a string: ignored'),
    ]
    turtle = graph.serialize(format="nt")
    assert "%5B" not in turtle and "{'a': 1}" not in turtle and "['x']" not in turtle
    assert "2025-03-01" in turtle  # the bad dates gave way to --date


def test_wrong_field_types_are_in_report_json_and_fail_strict(tmp_path, capsys) -> None:
    feed = jsonl(tmp_path, "feed.jsonl", {"id": "n1", "url": {"a": 1}, "text": GOOD})
    out = tmp_path / "out"
    assert main(["build", str(feed), "-o", str(out), "-q", "--no-html"]) == 0
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["warnings"] == [{"path": str(feed), "line": 1,
                                   "reason": '"url" is an object, not a string: ignored'}]
    assert main(["build", str(feed), "-o", str(tmp_path / "strict"), "-q", "--strict"]) == 1
    assert '"url" is an object' in capsys.readouterr().err


# -------------------------------------------------------------- 3. format characters


def test_format_characters_leave_names_and_iris_but_not_the_text(tmp_path) -> None:
    text = ("新华社北京2月24日电 国家主席\u200b习\u200d近平同法国总统\u202e马克龙通电话，"
            "会见\u200f张三。")
    feed = jsonl(tmp_path, "feed.jsonl", {"id": "\u200bn1", "title": "\u202e通电话", "text": text})
    graph, _report = build([str(feed)])
    names = labels(graph)
    assert {"习近平", "马克龙"} <= names
    assert not any(ch in name for name in names for ch in "\u200b\u200d\u200f\u202e")
    for s in set(graph.subjects()):
        assert not any(ch in str(s) for ch in "\u200b\u200d\u200f\u202e"), s
        assert "%E2%80%8" not in str(s), s  # nor percent-encoded
    # the text and its offsets stay exact: every anchor is the slice it claims
    nif = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
    anchors = list(graph.subject_objects(URIRef(nif + "anchorOf")))
    for span, anchor in anchors:
        start = int(graph.value(span, URIRef(nif + "beginIndex")))
        end = int(graph.value(span, URIRef(nif + "endIndex")))
        assert text[start:end] == str(anchor), (start, end, anchor)
    assert Literal("习\u200d近平") in {a for _, a in anchors}  # the mention keeps its text


def test_a_name_with_a_joiner_merges_with_the_plain_name(tmp_path) -> None:
    feed = jsonl(tmp_path, "feed.jsonl", {"id": "a", "text": GOOD},
                 {"id": "b", "text": "新华社北京2月26日电 国家主席习\u200d近平会见法国总统"
                                     "马克龙。"})
    graph, _ = build([str(feed)])
    people = [s for s, o in graph.subject_objects(RDFS.label) if str(o) == "习近平"]
    assert len(people) == 1
    mentions = list(graph.objects(people[0], URIRef("https://w3id.org/kg-cn/ontology#mention")))
    assert len(mentions) == 2


# -------------------------------------------------------------- 6. implausible decodes


def _garbage_utf16(n: int, seed: int = 7) -> bytes:
    rng = random.Random(seed)
    units = []
    while len(units) < n:
        u = rng.randrange(0x0100, 0x10000)
        if not 0xD800 <= u <= 0xDFFF:  # no surrogates: the decode itself succeeds
            units.append(u)
    return b"".join(u.to_bytes(2, "little") for u in units)


def test_garbage_after_a_utf16_bom_is_refused_with_what_was_seen(tmp_path) -> None:
    data = b"\xff\xfe" + _garbage_utf16(400)
    with pytest.raises(InputError) as err:
        decode_bytes(data, "garbage.txt")
    message = str(err.value)
    assert message.startswith("garbage.txt: starts with a utf-16-le byte-order mark but does "
                              "not decode to text:")
    assert "characters are" in message and "U+" in message
    page = tmp_path / "garbage.txt"
    page.write_bytes(data)
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    _graph, report = build([str(tmp_path)])
    assert report.articles == 1 and ("garbage.txt", 0) in where(report)


def test_utf16_without_bom_is_read_not_called_binary(tmp_path) -> None:
    page = tmp_path / "page.txt"
    page.write_bytes((GOOD + "\n").encode("utf-16-le"))
    graph, report = build([str(page)])
    assert report.skipped == [] and report.articles == 1
    assert {"习近平", "马克龙"} <= labels(graph)
    assert decode_bytes((GOOD + "\n").encode("utf-16-be"))[1] == "utf-16-be"


def test_binary_with_nul_bytes_is_still_binary() -> None:
    with pytest.raises(InputError, match="binary file"):
        decode_bytes(bytes(range(256)) * 4, "x.bin")


# -------------------------------------------------------------- 7. no usable article


def test_a_mistyped_path_fails_and_keeps_the_previous_outputs(tmp_path, capsys) -> None:
    page = tmp_path / "page.txt"
    page.write_text(GOOD, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(page), "-o", str(out), "-q"]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert before["graph.ttl"]
    assert main(["build", str(tmp_path / "typo.txt"), "-o", str(out), "-q"]) == 1
    err = capsys.readouterr().err
    assert "no usable article" in err and "typo.txt: no such file or folder" in err
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before


# -------------------------------------------------------------- 8. outputs as a set


def test_no_html_removes_the_old_page_and_leftovers_go(tmp_path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(GOOD, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(page), "-o", str(out), "-q", "--format", "ttl,nt"]) == 0
    assert {"graph.ttl", "graph.nt", "graph.html", "report.json"} <= set(os.listdir(out))
    (out / ".graph.ttl.abc123.tmp").write_bytes(b"half a graph")  # a killed write
    (out / "notes.txt").write_text("mine", encoding="utf-8")  # not ours: kept
    assert main(["build", str(page), "-o", str(out), "-q", "--no-html"]) == 0
    assert sorted(os.listdir(out)) == ["graph.ttl", "notes.txt", "report.json"]


def test_a_failed_write_leaves_the_previous_set(tmp_path, monkeypatch) -> None:
    page = tmp_path / "page.txt"
    page.write_text(GOOD, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(page), "-o", str(out), "-q"]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    (tmp_path / "page.txt").write_text(SECOND, encoding="utf-8")

    import kg.view.html

    def full_disk(view, path):
        Path(path).write_bytes(b"<html>")  # part of the page, then the disk is full
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(kg.view.html, "write_html", full_disk)
    assert main(["build", str(page), "-o", str(out), "-q"]) == 1
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


# -------------------------------------------------------------- 9. one-line errors


def _one_line(capsys, code: int, expected: int = 1) -> str:
    assert code == expected
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "Traceback" not in err, err
    return err


def test_output_pointing_at_a_file_is_one_line(tmp_path, capsys) -> None:
    page = tmp_path / "page.txt"
    page.write_text(GOOD, encoding="utf-8")
    err = _one_line(capsys, main(["build", str(page), "-o", str(page), "-q"]), 2)
    assert "is a file, not a folder" in err


def test_a_read_only_output_folder_is_one_line(tmp_path, capsys) -> None:
    page = tmp_path / "page.txt"
    page.write_text(GOOD, encoding="utf-8")
    if os.geteuid() == 0:  # root writes through permission bits, not into /proc
        out = Path("/proc/kg-hostile-test")
        err = _one_line(capsys, main(["build", str(page), "-o", str(out), "-q"]))
    else:
        out = tmp_path / "ro"
        out.mkdir()
        out.chmod(0o555)
        try:
            err = _one_line(capsys, main(["build", str(page), "-o", str(out), "-q"]))
        finally:
            out.chmod(0o755)
    assert err.startswith(f"kg build: cannot write to {out}: ")


def test_a_bad_param_iri_is_one_line(tmp_path, capsys) -> None:
    page = tmp_path / "page.txt"
    page.write_text(GOOD, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(page), "-o", str(out), "-q", "--no-html"]) == 0
    err = _one_line(capsys, main(["query", str(out / "graph.ttl"), "--name",
                                  "people-of-organization", "--param", "org=http://x/> <y"]), 2)
    assert "not a valid IRI" in err


def test_a_port_out_of_range_is_one_line(tmp_path, capsys) -> None:
    page = tmp_path / "page.txt"
    page.write_text(GOOD, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(page), "-o", str(out), "-q", "--no-html"]) == 0
    err = _one_line(capsys, main(["serve", str(out / "graph.ttl"), "--port", "99999"]), 2)
    assert "0 to 65535" in err


# -------------------------------------------------------------- 5. bounded evidence

CITIES = ("北京", "上海", "天津", "重庆", "广州", "深圳", "杭州", "南京", "武汉", "成都",
          "西安", "长沙", "郑州", "济南", "青岛", "大连", "沈阳", "哈尔滨", "昆明", "南宁")


def test_a_long_article_without_punctuation_gives_a_page_proportional_to_its_graph(
        tmp_path) -> None:
    from kg.view.html import render_html
    from kg.view.model import GraphView

    phrases = [f"代表团在{city}市考察产业园区并与当地企业座谈" for city in CITIES]
    text = ""
    while len(text) < 20_000:
        text += "".join(phrases)
    feed = jsonl(tmp_path, "long.jsonl", {"id": "long", "title": "长文", "text": text})
    g = __import__("kg").build([str(feed)], scratch=tmp_path)
    try:
        view = g.view()
    finally:
        g.close()
    assert len(view.nodes) >= 15
    page = render_html(view)
    per_item = (len(page.encode()) - len(render_html(GraphView((), ())).encode())) / (
        len(view.nodes) + len(view.edges))
    assert per_item < 2_000, per_item  # was the 20,000-character text per mention
    payload = page[page.index('"info":'):]
    assert text[:1000] not in payload
    longest = max(len(ev.text) for n in view.nodes for ev in n.evidence)
    assert longest > 19_000  # the graph keeps the whole sentence; only the page cuts it
