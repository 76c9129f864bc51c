"""kg serve: a real SPARQL endpoint on a free port, queried with SPARQLWrapper."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from rdflib import Graph
from SPARQLWrapper import CSV, JSON, POST, TURTLE, XML, SPARQLWrapper

from kg.rdf.serve import make_server, open_store


@pytest.fixture(scope="module")
def endpoint(sample_graph, tmp_path_factory):
    path = sample_graph.save(tmp_path_factory.mktemp("serve"), html=False)["graph"]
    server = make_server(open_store(path), "127.0.0.1", 0, quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    yield f"http://{host}:{port}/sparql", sample_graph
    server.shutdown()
    server.server_close()
    thread.join(5)


def client(url: str, query: str, fmt: str) -> SPARQLWrapper:
    s = SPARQLWrapper(url)
    s.setQuery(query)
    s.setReturnFormat(fmt)
    return s


PEOPLE = ("PREFIX kg: <https://w3id.org/kg-cn/ontology#> "
          "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
          "SELECT ?p ?name WHERE { ?p a kg:Person ; rdfs:label ?name } ORDER BY ?name")


def test_select_as_json_matches_the_api(endpoint) -> None:
    url, g = endpoint
    got = client(url, PEOPLE, JSON).queryAndConvert()
    names = [b["name"]["value"] for b in got["results"]["bindings"]]
    assert names == [str(r["name"]) for r in g.sparql(PEOPLE)]
    assert got["results"]["bindings"][0]["name"]["xml:lang"] == "zh"


def test_select_by_post_and_in_xml_and_csv(endpoint) -> None:
    url, g = endpoint
    s = client(url, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", XML)
    s.setMethod(POST)
    doc = s.queryAndConvert()
    assert int(doc.getElementsByTagName("literal")[0].firstChild.data) == len(g)
    csv = client(url, PEOPLE, CSV).queryAndConvert().decode("utf-8").splitlines()
    assert csv[0] == "p,name" and len(csv) == 1 + len(g.sparql(PEOPLE))


def test_ask_and_construct_as_turtle(endpoint) -> None:
    url, _ = endpoint
    ask = client(url, "ASK { ?s a <https://w3id.org/kg-cn/ontology#NewsArticle> }", JSON)
    assert ask.queryAndConvert()["boolean"] is True
    construct = ("CONSTRUCT { ?p <http://www.w3.org/2000/01/rdf-schema#label> ?n } WHERE { "
                 "?p a <https://w3id.org/kg-cn/ontology#Person> ; "
                 "<http://www.w3.org/2000/01/rdf-schema#label> ?n }")
    raw = client(url, construct, TURTLE).query()
    assert raw.response.headers["Content-Type"].startswith("text/turtle")
    g = Graph().parse(data=raw.response.read().decode("utf-8"), format="turtle")
    assert len(g) == len(client(url, PEOPLE, JSON).queryAndConvert()["results"]["bindings"])


def test_updates_are_refused_and_errors_are_400(endpoint) -> None:
    url, g = endpoint
    before = len(g)
    for data, ctype in ((b"update=DROP+ALL", "application/x-www-form-urlencoded"),
                        (b"DROP ALL", "application/sparql-update")):
        req = urllib.request.Request(url, data=data, headers={"Content-Type": ctype})
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(req, timeout=10)
        assert err.value.code == 403
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(url + "?query=SELECT+WHERE+%7B", timeout=10)
    assert err.value.code == 400
    got = client(url, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", JSON).queryAndConvert()
    assert int(got["results"]["bindings"][0]["n"]["value"]) == before


def test_content_negotiation(endpoint) -> None:
    url, _ = endpoint
    q = "?query=ASK%20%7B%7D"
    for accept, expect in (("text/csv", "text/csv"), ("*/*", "application/sparql-results+json"),
                           ("application/sparql-results+xml;q=0.9, text/csv;q=0.1",
                            "application/sparql-results+xml")):
        req = urllib.request.Request(url + q, headers={"Accept": accept})
        with urllib.request.urlopen(req, timeout=10) as resp:
            assert resp.headers["Content-Type"].startswith(expect)
    req = urllib.request.Request(url + q, headers={"Accept": "image/png"})
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(req, timeout=10)
    assert err.value.code == 406


def test_store_folder_is_served_read_only(sample_graph, tmp_path: Path) -> None:
    from kg.rdf.store import Store

    with Store(tmp_path / "db") as s:
        s.add(sample_graph.graph)
    store = open_store(tmp_path / "db")
    assert len(store) == len(sample_graph)
