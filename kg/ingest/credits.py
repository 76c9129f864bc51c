"""Credit lines of a page: bylines, photo credits, datelines, dates, mastheads.

Pure parsers of single lines (or of the masthead block), used by
:mod:`kg.ingest.layout` to classify a page's lines and fill an Article's agency,
place, dates, source and credits. Credits are ``(role, name, start, end)``
with offsets into the parsed text; nothing here rewrites characters.

>>> parse_byline("本报记者 张志强")
('本报', [('reporter', '张志强', 5, 8)])
>>> d = parse_dateline("新华社北京2月24日电 正文")
>>> d.agency, d.place, resolve_date(d.month, d.day, "2025-02-25")
('新华社', '北京', '2025-02-24')
>>> parse_masthead("2025年2月25日 星期二\\n某某日报社出版")
('2025-02-25', '某某日报')
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from kg.text.chars import CJK

HEADING_MAX = 80
"""No heading (and no masthead line) is longer than this; :mod:`kg.ingest.layout` uses it too."""

_NAME = re.compile(rf"[{CJK}][{CJK}·]{{1,5}}")
_ROLE_TOKEN = re.compile(
    rf"(?P<agency>本报|[{CJK}]{{1,8}}?(?:社|报|台|网))?(?:特约|见习|实习)?"
    rf"(?P<role>记者|通讯员)(?P<name>[{CJK}][{CJK}·]{{1,5}})?"
)
_ROLES = {"记者": "reporter", "通讯员": "correspondent"}
_TOKEN = re.compile(r"[^\s、，,]+")
_SUPPLIED = re.compile(rf"(?P<agency>[{CJK}]{{1,8}}?)?发?[（(](?P<inner>[^（）()]{{1,40}})[）)]")
_DATELINE = re.compile(
    rf"(?P<agency>本报|[{CJK}]{{1,8}}?(?:社|报|台))"
    rf"(?:(?P<place>[{CJK}]{{1,12}}?)(?P<month>[0-9０-９]{{1,2}})月(?P<day>[0-9０-９]{{1,2}})日)?"
    rf"(?P<kind>电|讯)(?:\s*[（(](?P<who>[^（）()]{{1,40}})[）)])?"
)
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_MASTHEAD_STRONG = re.compile(
    r"^\d{4}年\d{1,2}月\d{1,2}日\s*(?:星期|周)[一二三四五六日天]"
    r"|出版物号|统一刊号|CN\s*\d{2}\s*-\s*\d{4}|社出版|主管主办"
)
_MASTHEAD_WEAK = re.compile(
    rf"^[甲乙丙丁戊己庚辛壬癸][子丑寅卯辰巳午未申酉戌亥]年|农历|第\s*\d+\s*期"
    rf"|今日\s*[0-9一二三四五六七八九十]+\s*版|https?://|www\.|^[{CJK}]{{2,8}}报$"
    r"|^[A-Z0-9][A-Z0-9 '’&.,\-]*$"
)


@dataclass(frozen=True, slots=True)
class Dateline:
    """A dateline at the start of a paragraph (``新华社北京2月24日电``).

    ``text`` is the dateline proper, ``end`` the offset after it and any
    reporter parenthesis; ``credits`` are ``(role, name, start, end)``.
    """

    text: str
    agency: str
    place: str
    month: int | None
    day: int | None
    end: int
    credits: tuple[tuple[str, str, int, int], ...] = ()


def parse_dateline(text: str) -> Dateline | None:
    """The dateline opening ``text``, if any.

    >>> d = parse_dateline("本报上海3月12日电（记者李婷）中国纺织……")
    >>> d.text, d.agency, d.place, d.month, d.day, d.end, d.credits
    ('本报上海3月12日电', '本报', '上海', 3, 12, 16, (('reporter', '李婷', 13, 15),))
    >>> parse_dateline("新华社电 据报道").text
    '新华社电'
    >>> parse_dateline("该报讯息显示") is None
    True
    """
    m = _DATELINE.match(text[:120])
    if not m:
        return None
    agency, who = m["agency"], m["who"]
    if m["kind"] == "讯" and agency != "本报" and not who:
        return None
    if not m["month"] and not agency.endswith("社") and agency != "本报":
        return None
    credits: tuple[tuple[str, str, int, int], ...] = ()
    if who:
        found = _credits_in(who, m.start("who"), photo=False)
        credits = tuple(found[1]) if found else ()
    month = int(m["month"]) if m["month"] else None
    day = int(m["day"]) if m["day"] else None
    return Dateline(m[0][: m.end("kind")], agency, m["place"] or "", month, day, m.end(), credits)


def _credits_in(text: str, offset: int, *, photo: bool):
    """``(agency, [(role, name, start, end)])`` for a credit line, else None."""
    role = "photographer" if photo else ""
    agency, credits = "", []
    for tok in _TOKEN.finditer(text):
        marker = _ROLE_TOKEN.fullmatch(tok[0])
        if marker:
            agency = agency or marker["agency"] or ""
            role = "photographer" if photo else _ROLES[marker["role"]]
            if marker["name"]:
                at = offset + tok.start() + marker.start("name")
                credits.append((role, marker["name"], at, at + len(marker["name"])))
        elif role and _NAME.fullmatch(tok[0]):
            credits.append((role, tok[0], offset + tok.start(), offset + tok.end()))
        else:
            return None
    return (agency, credits) if credits else None


def parse_byline(line: str):
    """``(agency, [(role, name, start, end)])`` for a byline, else None.

    >>> parse_byline("本报记者 张志强 通讯员 李明")
    ('本报', [('reporter', '张志强', 5, 8), ('correspondent', '李明', 13, 15)])
    >>> parse_byline("新华社记者 王家明 赵燕华")[1][1]
    ('reporter', '赵燕华', 10, 13)
    >>> parse_byline("让创新成果走出实验室") is None
    True
    """
    if len(line) > 50 or not _ROLE_TOKEN.match(line):
        return None
    return _credits_in(line, 0, photo=False)


def parse_photo_credit(line: str):
    """``(agency, [(photographer, name, start, end)])`` for a photo credit.

    >>> parse_photo_credit("新华社记者 许杰 摄")
    ('新华社', [('photographer', '许杰', 6, 8)])
    >>> parse_photo_credit("新华社发（李然 摄）")
    ('新华社', [('photographer', '李然', 5, 7)])
    >>> parse_photo_credit("他在拍摄") is None
    True
    """
    if len(line) > 50:
        return None
    supplied = _SUPPLIED.fullmatch(line)
    if supplied and supplied["inner"].rstrip().endswith("摄"):
        inner = supplied["inner"].rstrip()[:-1]
        found = _credits_in(inner, supplied.start("inner"), photo=True)
        agency = (supplied["agency"] or "").removesuffix("发")
        return (agency or (found[0] if found else ""), found[1]) if found else None
    if not line.endswith("摄"):
        return None
    body = line[:-1]
    if not _ROLE_TOKEN.match(body) and not body[-1:].isspace():
        return None  # "X摄" without a role or a space is too often prose
    return _credits_in(body, 0, photo=True)


def parse_date(text: str) -> str | None:
    """ISO date from ``2025-02-24``, ``2025/2/24`` or ``2025年2月24日``.

    >>> parse_date("2025/2/24"), parse_date("2025年2月24日"), parse_date("2月30日")
    ('2025-02-24', '2025-02-24', None)
    """
    m = _DATE.search(text[:40])
    if not m:
        return None
    try:
        return datetime.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError:
        return None


def resolve_date(month: int | None, day: int | None, published: str | None) -> str | None:
    """A dateline's month and day as an ISO date in the publication's year.

    A date after publication belongs to the year before.

    >>> resolve_date(2, 24, "2025-02-25"), resolve_date(12, 31, "2025-01-01")
    ('2025-02-24', '2024-12-31')
    >>> resolve_date(None, None, "2025-02-25") is None
    True
    """
    if month is None or day is None or not published:
        return None
    pub = datetime.date.fromisoformat(published)
    for year in (pub.year, pub.year - 1):
        try:
            when = datetime.date(year, month, day)
        except ValueError:
            return None
        if when <= pub:
            return when.isoformat()
    return None


def masthead_end(text: str) -> int:
    """Offset where the page's masthead ends (0 if the page has none).

    The masthead is the leading run of masthead-like lines (English name,
    date line with weekday, lunar date, issue number, publisher, serial
    number, URL) with at least one that only a masthead has.

    >>> page = "2025年2月25日 星期二\\n某某日报社出版\\n标题"
    >>> page[masthead_end(page):]
    '\\n标题'
    >>> masthead_end("标题\\n2025年2月25日 星期二")
    0
    """
    end, strong, pos = 0, False, 0
    for raw in text.split("\n"):
        line = raw.strip()
        if line:
            if len(line) > HEADING_MAX:
                break
            if _MASTHEAD_STRONG.search(line):
                strong = True
            elif not _MASTHEAD_WEAK.search(line):
                break
            end = pos + len(raw)
        pos += len(raw) + 1
    return end if strong else 0


def parse_masthead(text: str) -> tuple[str | None, str]:
    """``(publication date, publication name)`` from masthead text.

    >>> parse_masthead("2025年2月25日 星期二\\n某某委员会主管主办 某某日报社出版")
    ('2025-02-25', '某某日报')
    """
    published = parse_date(text)
    source = ""
    for line in text.split("\n"):
        line = line.strip()
        if "社出版" in line:
            name = re.split(r"\s|主办|主管", line[: line.index("社出版")])[-1]
            source = name if re.fullmatch(rf"[{CJK}]{{2,12}}", name) else source
        elif not source and re.fullmatch(rf"[{CJK}]{{2,8}}报", line):
            source = line
    return published, source
