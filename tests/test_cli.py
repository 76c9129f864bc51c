"""The kg command end to end, as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyoxigraph
import pytest
from conftest import SAMPLE
from rdflib import Graph

from kg.cli import main


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg.cli", *args], capture_output=True,
                          text=True, timeout=300)


def test_build_sample_end_to_end(tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = run("build", str(SAMPLE), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "8 articles" in proc.stdout
    for word in ("Person", "Organization", "Place", "relations", "events", "graph.ttl",
                 "graph.html"):
        assert word in proc.stdout
    g = Graph().parse(out / "graph.ttl")
    assert len(g) > 1000
    pyoxigraph.Store().load(path=str(out / "graph.ttl"), format=pyoxigraph.RdfFormat.TURTLE)
    html = (out / "graph.html").read_text(encoding="utf-8")
    assert "普京" in html
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["articles"] == 8 and report["skipped"] == []


def test_bad_inputs_are_reported_and_skipped(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("新华社北京3月1日电 国家主席习近平会见法国总统马克龙。\n", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "feed.jsonl").write_text(
        '{"id": "ok", "title": "工会召开会议", "text": "深圳市总工会今天召开全委会议。"}\n'
        "{not json\n"
        '{"title": "no text"}\n', encoding="utf-8")
    out = tmp_path / "out"
    proc = run("build", str(tmp_path), "-o", str(out), "--date", "2025-03-02")
    assert proc.returncode == 0, proc.stderr
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["articles"] == 2
    where = sorted((Path(s["path"]).name, s["line"]) for s in report["skipped"])
    assert where == [("binary.txt", 0), ("empty.txt", 0), ("feed.jsonl", 2), ("feed.jsonl", 3)]
    assert "feed.jsonl:2" in proc.stdout

    strict = run("build", str(tmp_path), "-o", str(tmp_path / "strict"), "--strict")
    assert strict.returncode == 1
    assert "binary.txt" in strict.stderr or "empty.txt" in strict.stderr
    assert len(strict.stderr.strip().splitlines()) == 1


def test_html_in_names_is_escaped(tmp_path: Path) -> None:
    src = tmp_path / "evil.jsonl"
    src.write_text(json.dumps({
        "id": "x1", "title": "<script>alert(1)</script>",
        "text": "<script>alert(1)</script>公司总经理<script>alert(1)</script>李明表示。"
                "记者张三<img src=x onerror=alert(1)>报道。",
    }, ensure_ascii=False) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    assert run("build", str(src), "-o", str(out)).returncode == 0
    html = (out / "graph.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html
    assert "<img src=x" not in html


def test_query_binds_params(tmp_path: Path, sample_graph) -> None:
    path = sample_graph.save(tmp_path, html=False)["graph"]
    proc = run("query", str(path),
               "SELECT ?role WHERE { ?m org:member/rdfs:label ?name ; org:role/rdfs:label ?role }",
               "--param", "name=余季平")
    assert proc.returncode == 0, proc.stderr
    header, *rows = proc.stdout.splitlines()
    # his two roles (the model reads 重庆市总工会党组书记 as 书记 of 重庆市总工会党组:
    # a known miss of the facts table), and only his
    assert header == "role" and len(rows) == 2 and "副主席" in rows


@pytest.mark.parametrize("argv", [["--help"], ["build", "--help"], ["query", "--help"]])
def test_help_explains(argv, capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 0
    text = capsys.readouterr().out
    assert "usage: kg" in text and len(text) > 300


def test_usage_errors_exit_2(tmp_path: Path, capsys) -> None:
    assert main([]) == 2
    assert main(["query", str(SAMPLE), "SELECT * {}", "--param", "oops"]) in (1, 2)
    assert main(["query", str(tmp_path / "missing.ttl"), "SELECT * {}"]) == 1
    err = capsys.readouterr().err
    assert "run `kg build` first" in err
