"""Bad and strange inputs never stop a build and are never silently lost."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kg.build.pipeline import build


def write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def skipped(report) -> dict[tuple[str, int], str]:
    return {(Path(s["path"]).name, s["line"]): s["reason"] for s in report.skipped}


GOOD = "新华社北京2月24日电 国家主席习近平同俄罗斯总统普京通电话。"


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """A folder of bad and odd files next to a good one, built once."""
    d = tmp_path_factory.mktemp("mixed")
    write(d, "good.txt", GOOD)
    write(d, "undecodable.txt", b"\x80\x81\xfe\xff abc \xc3\x28" * 20)
    write(d, "binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    write(d, "empty.txt", b"")
    write(d, "blank.md", "  \n\n \u3000\n")
    write(d, "feed.jsonl", "\n".join([
        json.dumps({"id": "ok1", "text": GOOD}, ensure_ascii=False),
        '{"id": "broken", "text": "没有结尾',
        "[1, 2]",
        json.dumps({"id": "notext", "title": "无正文"}, ensure_ascii=False),
        json.dumps({"id": "ok2", "text": "本报记者 刘旭"}, ensure_ascii=False),
    ]))
    write(d, "markup.txt", "<html><script>alert('普京')</script><p>大连市总工会召开会议。</p>"
                           "<b>未闭合")
    write(d, "quotes.txt", "“他说：（国家主席习近平【同俄罗斯总统普京《通电话》」」））"
                           "“““（（（")
    write(d, "one.txt", "中")
    write(d, "latin.txt", "Hello world. No Chinese here at all: 1234 (ok) \"quoted")
    graph, report = build([str(d)])
    return d, graph, report


def test_each_bad_file_is_reported_with_its_path_and_line(mixed) -> None:
    _, _, report = mixed
    found = skipped(report)
    assert set(found) == {("undecodable.txt", 0), ("binary.txt", 0), ("empty.txt", 0),
                          ("blank.md", 0), ("feed.jsonl", 2), ("feed.jsonl", 3),
                          ("feed.jsonl", 4)}
    assert "cannot decode" in found["undecodable.txt", 0]
    assert "binary" in found["binary.txt", 0]
    assert "empty" in found["empty.txt", 0]
    assert "malformed JSON" in found["feed.jsonl", 2]
    assert "not a JSON object" in found["feed.jsonl", 3]
    assert '"text"' in found["feed.jsonl", 4]


def test_odd_but_readable_files_become_articles(mixed) -> None:
    from kg.rdf.namespace import KG, RDF

    d, graph, report = mixed
    # good, 2 JSONL records, markup, quotes, one character, latin
    assert report.articles == 7
    assert report.files == len(list(d.iterdir())) == 10
    sources = {str(o) for o in graph.objects(None, KG.sourceFile)}
    for name in ("good.txt", "feed.jsonl", "markup.txt", "quotes.txt", "one.txt", "latin.txt"):
        assert str(d / name) in sources, name
    assert len(set(graph.subjects(RDF.type, KG.NewsArticle))) == 7
    labels = {str(o) for o in graph.objects(None, None) if getattr(o, "language", "") == "zh"}
    assert "普京" in labels and "习近平" in labels


def test_summary_and_report_json_list_every_skip(mixed, tmp_path) -> None:
    d, _, _ = mixed
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "kg.cli", "build", str(d), "-o", str(out),
                           "--no-html"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "skipped:   7" in proc.stdout
    assert f"{d / 'feed.jsonl'}:2: malformed JSON" in proc.stdout
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert len(report["skipped"]) == 7 and report["articles"] == 7
    assert {"path", "line", "reason"} == set(report["skipped"][0])


def test_strict_turns_a_skip_into_a_nonzero_exit(mixed, tmp_path) -> None:
    d, _, _ = mixed
    proc = subprocess.run([sys.executable, "-m", "kg.cli", "build", str(d), "-o",
                           str(tmp_path / "o"), "--strict", "-q"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode != 0
    assert "kg build:" in proc.stderr and ".txt" in proc.stderr
    assert not (tmp_path / "o" / "graph.ttl").exists()


def test_a_20_megabyte_single_line_is_reported_not_analysed(tmp_path) -> None:
    line = ("国家主席习近平同俄罗斯总统普京通电话，" * 1_100_000)[:7_000_000]  # 21 MB in UTF-8
    big = write(tmp_path, "huge.txt", line)
    assert big.stat().st_size > 20_000_000
    write(tmp_path, "good.txt", GOOD)
    _, report = build([str(tmp_path)])
    assert report.articles == 1
    ((where, reason),) = skipped(report).items()
    assert where == ("huge.txt", 0)
    assert "7000000 characters, more than the limit of 200000" in reason


def test_the_article_limit_is_a_parameter(tmp_path) -> None:
    write(tmp_path, "a.txt", GOOD)
    _, report = build([str(tmp_path)], max_chars=10)
    assert report.articles == 0 and "limit of 10" in report.skipped[0]["reason"]
    _, report = build([str(tmp_path)], max_chars=len(GOOD))
    assert report.articles == 1 and not report.skipped


def test_a_reused_id_with_another_text_is_reported_and_the_same_text_counted(tmp_path) -> None:
    write(tmp_path, "a.jsonl", "\n".join(json.dumps(r, ensure_ascii=False) for r in [
        {"id": "x", "text": GOOD}, {"id": "x", "text": GOOD}, {"id": "x", "text": "另一篇。"}]))
    _, report = build([str(tmp_path)])
    assert report.articles == 1 and report.duplicates == 1
    assert [(s["line"], s["reason"][:14]) for s in report.skipped] == [(3, "article id 'x'")]


def test_the_plausibility_check_holds_nothing_per_character() -> None:
    # a 10,000-article JSONL file is ~27 MB: the check once built lists of its
    # characters (~600 MB, the peak of a whole build)
    import tracemalloc

    from kg.ingest.decode import implausible

    text = "新华社北京3月1日电 国家主席习近平会见法国总统马克龙。\n" * 40_000  # 1.2 M chars
    tracemalloc.start()
    try:
        assert implausible(text, strict=False) is None
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20 * 2**20, peak
