"""Reading inputs: encodings, errors with file and line, JSONL, HTML, folders."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.ingest.decode import decode_bytes, normalize_text
from kg.ingest.files import html_to_text, iter_documents

PAGE = (
    "习近平同俄罗斯总统普京通电话\n\n"
    "新华社北京2月24日电 2月24日下午，国家主席习近平应约同俄罗斯总统普京通电话。\n"
)


def collect(paths, **kwargs):
    errors: list[InputError] = []
    docs = list(iter_documents(paths, on_error=errors.append, **kwargs))
    return docs, errors


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (PAGE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + PAGE.encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + PAGE.encode("utf-16-le"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + PAGE.encode("utf-16-be"), "utf-16-be"),
        (PAGE.encode("gb18030"), "gb18030"),
        (PAGE.encode("gbk"), "gb18030"),
        (PAGE.replace("\n", "\r\n").encode("gb18030"), "gb18030"),
    ],
)
def test_every_encoding_gives_the_same_text(tmp_path: Path, data: bytes, encoding: str):
    path = tmp_path / "page.txt"
    path.write_bytes(data)
    (doc,) = iter_documents(path)
    assert doc.text == PAGE
    assert doc.encoding == encoding
    assert doc.path == str(path)
    assert doc.line == 0
    assert dict(doc.meta) == {}


def test_decode_bytes_is_pure_and_strips_the_bom():
    assert decode_bytes(codecs.BOM_UTF16_LE + "工人日报".encode("utf-16-le")) == (
        "工人日报",
        "utf-16-le",
    )
    assert decode_bytes("中华全国总工会".encode("gb2312")) == ("中华全国总工会", "gb18030")


def test_normalization_keeps_one_character_per_character_except_crlf():
    text = "标题\r\n\r\n新华社\u3000北京\xa0电\r末"
    assert normalize_text(text) == "标题\n\n新华社 北京 电\n末"
    # Without CRLF the length is unchanged: offsets survive normalisation.
    no_crlf = "新华社\u3000北京\xa0电\r末"
    assert len(normalize_text(no_crlf)) == len(no_crlf)


def test_binary_file_is_reported_and_skipped(tmp_path: Path):
    (tmp_path / "a.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (tmp_path / "b.txt").write_text("正文。", encoding="utf-8")
    docs, errors = collect(tmp_path)
    assert [d.text for d in docs] == ["正文。"]
    assert len(errors) == 1
    assert errors[0].path == str(tmp_path / "a.txt")
    assert "binary file" in errors[0].reason


def test_control_characters_mean_binary(tmp_path: Path):
    path = tmp_path / "c.txt"
    path.write_bytes(b"\x01\x02\x03\x04ab")
    with pytest.raises(InputError, match="binary file"):
        list(iter_documents(path))


def test_undecodable_file_says_what_to_do(tmp_path: Path):
    path = tmp_path / "bad.txt"
    path.write_bytes("正文".encode() + b"\x81\xff\x80")  # not UTF-8, not GB18030
    with pytest.raises(InputError) as info:
        list(iter_documents(path))
    assert str(info.value) == (
        f"{path}: cannot decode as UTF-8, UTF-16 or GB18030; convert the file to UTF-8"
    )


def test_empty_and_whitespace_only_files(tmp_path: Path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text(" \n\u3000\r\n", encoding="utf-8")
    docs, errors = collect(tmp_path)
    assert docs == []
    assert [(Path(e.path).name, e.line) for e in errors] == [("blank.txt", 0), ("empty.txt", 0)]
    assert all(e.reason.startswith("empty file") for e in errors)


def test_malformed_jsonl_lines_are_reported_with_their_line(tmp_path: Path):
    path = tmp_path / "news.jsonl"
    lines = [
        json.dumps(
            {
                "id": "n1",
                "title": "标题一",
                "text": "新华社电 正文一。",
                "date": "2025/2/24",
                "source": "新华社",
                "url": "http://example.org/1",
                "extra": 1,
            },
            ensure_ascii=False,
        ),
        "",
        '{"text": "未闭合',
        "[1, 2]",
        '{"title": "无正文"}',
        '{"text": "  "}',
        json.dumps({"id": 42, "text": "正文二。"}, ensure_ascii=False),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    docs, errors = collect(path)
    assert [(d.line, d.text, dict(d.meta)) for d in docs] == [
        (
            1,
            "新华社电 正文一。",
            {
                "id": "n1",
                "title": "标题一",
                "date": "2025/2/24",
                "source": "新华社",
                "url": "http://example.org/1",
            },
        ),
        (7, "正文二。", {"id": "42"}),
    ]
    assert [(e.path, e.line) for e in errors] == [(str(path), n) for n in (3, 4, 5, 6)]
    assert str(errors[0]).startswith(f"{path}:3: malformed JSON")
    assert "not a JSON object" in errors[1].reason
    assert errors[2].reason == errors[3].reason == 'no non-empty string "text" field'


def test_strict_mode_raises_even_with_a_handler(tmp_path: Path):
    path = tmp_path / "news.jsonl"
    path.write_text('{"text": "好。"}\nnot json\n', encoding="utf-8")
    seen: list[InputError] = []
    with pytest.raises(InputError) as info:
        list(iter_documents(path, on_error=seen.append, strict=True))
    assert (info.value.path, info.value.line) == (str(path), 2)
    assert seen == []


def test_without_a_handler_errors_are_raised(tmp_path: Path):
    with pytest.raises(InputError, match="no such file or folder"):
        list(iter_documents(tmp_path / "missing.txt"))


def test_folders_are_walked_recursively_in_sorted_order(tmp_path: Path):
    files = {
        "b.txt": "乙。",
        "a/z.md": "甲乙。",
        "a/b/c.htm": "<p>丙。</p>",
        "a.jsonl": '{"text": "丁。"}\n{"text": "戊。"}',
        "c.pdf": "不读",
        "d.TXT": "己。",
        ".hidden/e.txt": "不读",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    docs, errors = collect(tmp_path)
    got = [(str(Path(d.path).relative_to(tmp_path)), d.line, d.text) for d in docs]
    assert got == [
        ("a/b/c.htm", 0, "丙。"),
        ("a/z.md", 0, "甲乙。"),
        ("a.jsonl", 1, "丁。"),
        ("a.jsonl", 2, "戊。"),
        ("b.txt", 0, "乙。"),
        ("d.TXT", 0, "己。"),
    ]
    assert errors == []
    # A file named explicitly is read whatever its extension.
    (doc,) = iter_documents(tmp_path / "c.pdf")
    assert doc.text == "不读"


def test_html_is_stripped_of_tags_scripts_and_entities(tmp_path: Path):
    html = (
        "<html><head><title>网页标题</title><style>p{color:red}</style></head><body>"
        "<h1>习近平同俄罗斯总统普京通电话</h1>"
        "<p>新华社北京2月24日电</p><script>alert(1)</script>"
        "<p>中俄&nbsp;两国&amp;人民&lt;友谊&gt;\n长存。<br>第二行</p></body></html>"
    )
    path = tmp_path / "page.html"
    path.write_text(html, encoding="utf-8")
    (doc,) = iter_documents(path)
    assert doc.text == (
        "习近平同俄罗斯总统普京通电话\n\n新华社北京2月24日电\n\n"
        "中俄 两国&人民<友谊> 长存。\n\n第二行"
    )
    assert html_to_text("<p>新华社北京2月24日电</p><script>alert(1)</script>") == (
        "新华社北京2月24日电"
    )


def test_a_20_megabyte_single_line_is_read(tmp_path: Path):
    path = tmp_path / "big.txt"
    text = "中国工人阶级和广大劳动群众。" * 700_000
    path.write_text(text, encoding="utf-8")
    (doc,) = iter_documents(path)
    assert len(doc.text) == len(text)
