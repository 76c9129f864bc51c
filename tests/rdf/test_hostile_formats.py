"""Issue 15, item 4: every output format is read back by its standard reader, for any input.

A JSONL record holds arbitrary text (NUL, other controls, noncharacters,
format characters, astral characters, lone surrogates: JSON escapes them
all) next to a real sentence; the build is saved in every format and each
file is parsed by rdflib or networkx.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import networkx as nx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph

from kg.api import build
from kg.rdf.export import EXPORT_FORMATS

SENTENCE = "新华社北京2月24日电 国家主席习近平同法国总统马克龙通电话。"
READERS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "rdf": "xml"}

hostile = st.text(alphabet=st.one_of(
    st.sampled_from("\x00\x01\x08\x0b\x0c\x1f\x7f\x85\ufffe\uffff\u200b\u202e\ufeff\ud800"
                    "<>&\"'\\{}"),
    st.characters(codec=None),
    st.sampled_from("国家主席习近平总统普京会见。，"),
), min_size=1, max_size=60)


def read_back(path: Path, fmt: str) -> int:
    if fmt == "graphml":
        return nx.read_graphml(path).number_of_nodes()
    if fmt in ("trig", "nq"):
        ds = Dataset()
        ds.parse(path, format="trig" if fmt == "trig" else "nquads")
        return len(ds)
    return len(Graph().parse(path, format=READERS[fmt]))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=hostile, title=hostile)
def test_every_format_reads_back_whatever_the_text(text: str, title: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        feed = folder / "feed.jsonl"
        records = [{"id": "good", "text": SENTENCE},
                   {"id": "odd", "title": title, "text": SENTENCE[:12] + text + SENTENCE[12:]},
                   {"id": "raw", "text": text}]
        feed.write_text("\n".join(json.dumps(r) for r in records), encoding="ascii")
        g = build([str(feed)], scratch=folder)
        try:
            written = g.save(folder / "out", html=False, formats=EXPORT_FORMATS)
        finally:
            g.close()
        for fmt in EXPORT_FORMATS:
            path = folder / "out" / f"graph.{fmt}"
            assert path in written.values()
            assert read_back(path, fmt) > 0, fmt


def test_nul_in_text_gives_readable_rdf_xml_and_graphml(tmp_path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"id": "n\u0000ul", "title": "标题\u0000",
                                "text": "国家主席习近平\u0000同法国总统马克龙\u0001通电话。"}),
                    encoding="ascii")
    g = build([str(feed)], scratch=tmp_path)
    try:
        g.save(tmp_path / "out", html=False, formats=["rdf", "graphml"])
    finally:
        g.close()
    assert b"\x00" not in (tmp_path / "out" / "graph.rdf").read_bytes()
    parsed = Graph().parse(tmp_path / "out" / "graph.rdf", format="xml")
    labels = {str(o) for o in parsed.objects(None, None) if str(o) in ("习近平", "马克龙")}
    assert labels == {"习近平", "马克龙"}
    assert "习近平" in {d["label"] for _, d in
                     nx.read_graphml(tmp_path / "out" / "graph.graphml").nodes(data=True)}
