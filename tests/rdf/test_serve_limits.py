"""kg serve under hostile use: a real server on 127.0.0.1, raw sockets and urllib.

Issue 15, items 9 (bad Content-Length), 10 (time and size limits), 11
(SERVICE and CORS) and 12 (store folders).
"""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from kg.cli import main
from kg.errors import GraphError
from kg.rdf.serve import make_server, open_store

PAGE = ("新华社北京2月24日电 国家主席习近平同法国总统马克龙通电话。\n\n"
        "本报重庆2月24日电 重庆市总工会党组书记、副主席余季平在会上讲话。")
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
PEOPLE = "SELECT ?name WHERE { ?p a kg:Person ; rdfs:label ?name } ORDER BY ?name"


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("limits")
    page = d / "page.txt"
    page.write_text(PAGE, encoding="utf-8")
    assert main(["build", str(page), "-o", str(d / "out"), "-q", "--no-html"]) == 0
    return d / "out" / "graph.ttl"


class Running:
    """A server in a thread; its URL; stopped at the end."""

    def __init__(self, store, **options) -> None:
        self.server = make_server(store, "127.0.0.1", 0, quiet=True, **options)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        host, port = self.server.server_address[:2]
        self.host, self.port = host, port
        self.url = f"http://{host}:{port}/sparql"

    def get(self, query: str, headers: dict | None = None, timeout: float = 60):
        req = urllib.request.Request(self.url + "?" + urllib.parse.urlencode({"query": query}),
                                     headers=headers or {})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                return resp.status, dict(resp.headers), resp.read()
        except urllib.error.HTTPError as err:
            return err.code, dict(err.headers), err.read()

    def raw(self, request: bytes, timeout: float = 5) -> bytes:
        with socket.create_connection((self.host, self.port), timeout=timeout) as sock:
            sock.sendall(request)
            chunks = []
            while True:
                data = sock.recv(65536)
                if not data:
                    return b"".join(chunks)
                chunks.append(data)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


@pytest.fixture
def running(graph_file):
    servers = []

    def start(**options) -> Running:
        servers.append(Running(open_store(graph_file), **options))
        return servers[-1]

    yield start
    for s in servers:
        s.stop()


# -------------------------------------------------------------- 9. Content-Length


@pytest.mark.parametrize("length", ["abc", "-1"])
def test_a_bad_content_length_gets_400_at_once(running, length) -> None:
    s = running()
    started = time.monotonic()
    reply = s.raw(f"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query"
                  f"\r\nContent-Length: {length}\r\n\r\nASK {{}}".encode())
    assert time.monotonic() - started < 3  # no hang
    assert reply.startswith(b"HTTP/1.0 400 ")
    assert b"Content-Length must be a number of bytes" in reply
    assert s.get("ASK { ?s ?p ?o }")[0] == 200  # and the server still answers


# -------------------------------------------------------------- 10. limits


def test_a_long_query_is_stopped_and_does_not_starve_the_others(running) -> None:
    s = running(timeout=2)
    slow: dict = {}

    def long_one() -> None:
        started = time.monotonic()
        slow["answer"] = s.get(CARTESIAN)
        slow["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=long_one)
    thread.start()
    time.sleep(0.3)
    started = time.monotonic()
    status, _, body = s.get(PEOPLE, {"Accept": "text/csv"})
    assert status == 200 and time.monotonic() - started < 1.5
    assert body.decode("utf-8").splitlines()[1:] == ["习近平", "余季平", "马克龙"]
    thread.join(20)
    status, _, body = slow["answer"]
    assert status == 503 and b"time limit of 2 s" in body
    assert slow["seconds"] < 6


def test_an_answer_over_the_size_limit_gets_413(running) -> None:
    s = running(max_bytes=2000)
    status, _, body = s.get("SELECT * WHERE { ?s ?p ?o }")
    assert status == 413 and b"over the limit of 2,000 bytes" in body
    assert s.get("SELECT * WHERE { ?s ?p ?o } LIMIT 1")[0] == 200


def test_kg_serve_has_the_limit_options() -> None:
    from kg.cli_parser import make_parser

    args = make_parser().parse_args(["serve", "g.ttl"])
    assert (args.timeout, args.max_result_mb, args.allow_service, args.cors) == (
        30.0, 64.0, False, None)


# -------------------------------------------------------------- 11. SERVICE and CORS


class Listener:
    """A TCP port that records whether anything connected to it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.sock.settimeout(0.2)
        self.hits = 0
        self.done = False
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while not self.done:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.hits += 1
            conn.close()

    def close(self) -> None:
        self.done = True
        self.thread.join(2)
        self.sock.close()


def test_service_is_refused_unless_allowed(running) -> None:
    target = Listener()
    try:
        query = (f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{target.sock.getsockname()[1]}"
                 "/sparql> { ?s ?p ?o } }")
        status, _, body = running().get(query)
        assert status == 403 and b"--allow-service" in body
        assert target.hits == 0
        status, _, _ = running(allow_service=True, timeout=5).get(query)
        assert status != 403 and target.hits >= 1  # allowed: the server did connect
    finally:
        target.close()


def test_service_in_a_string_or_a_variable_is_not_refused(running) -> None:
    q = 'SELECT ?service WHERE { ?service ?p "SERVICE <http://10.0.0.1/>" }'
    assert running().get(q)[0] == 200


def test_no_cors_header_unless_an_origin_is_given(running) -> None:
    status, headers, _ = running().get("ASK { ?s ?p ?o }", {"Origin": "https://evil.example"})
    assert status == 200 and "Access-Control-Allow-Origin" not in headers
    status, headers, _ = running(cors="http://localhost:8000").get("ASK { ?s ?p ?o }")
    assert headers["Access-Control-Allow-Origin"] == "http://localhost:8000"


# -------------------------------------------------------------- 12. store folders


def test_query_and_serve_on_a_store_folder_see_its_triples(tmp_path, graph_file,
                                                           capsys) -> None:
    page = tmp_path / "page.txt"
    page.write_text(PAGE, encoding="utf-8")
    store = tmp_path / "kgstore"
    out = tmp_path / "out"
    assert main(["build", str(page), "-o", str(out), "--store", str(store), "-q",
                 "--no-html"]) == 0
    capsys.readouterr()
    assert main(["query", str(store), PEOPLE]) == 0
    got = capsys.readouterr()
    assert got.out.splitlines() == ["name", "习近平", "余季平", "马克龙"]
    served = open_store(store)
    try:
        s = Running(served)
        try:
            status, _, body = s.get("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
            assert status == 200
            n = int(json.loads(body)["results"]["bindings"][0]["n"]["value"])
            assert n > 0 and n == len(served)
        finally:
            s.stop()
    finally:
        served.close()


def test_a_folder_that_is_not_a_store_is_refused_and_left_empty(tmp_path, capsys) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["query", str(empty), PEOPLE]) == 1
    err = capsys.readouterr().err.strip()
    assert "not a kg store" in err and "\n" not in err
    with pytest.raises(GraphError, match="not a kg store"):
        open_store(empty)
    assert list(empty.iterdir()) == []  # no RocksDB files made in it
