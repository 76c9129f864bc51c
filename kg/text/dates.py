"""Find date expressions and normalise them against the article's date.

Dates come out as ISO strings at the precision the text gives: a day
(``2025-02-24``), a month (``2024-09``) or a year (``2024``). Vague words
(近日, 日前, 目前) are recognised but give ``None``: they only say "before
the article", and kg never invents a day for them; nor do the words of a day
an earlier sentence gave (同日, 当天), which only the article's events can
place (:mod:`kg.extract.episodes`).

>>> normalize("2月24日下午", "2025-02-25")
'2025-02-24'
>>> normalize("去年9月", "2025-02-25"), normalize("2024年底", "2025-02-25")
('2024-09', '2024-12')
>>> normalize("近日", "2025-02-25") is None, normalize("上月", "2025-01-10")
(True, '2024-12')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

_NUM = "0-9０-９"
_DATE_RE = re.compile(
    rf"(?:(?P<y>[{_NUM}]{{4}})年|(?P<ry>去年|今年|明年|前年))?"
    rf"(?:(?P<m>[{_NUM}]{{1,2}})月)?"
    rf"(?:(?P<d>[{_NUM}]{{1,2}})日)?"
    r"(?P<part>底|初|末|中旬|上旬|下旬|前夕)?"
    r"|(?P<relm>上月|本月|下月|上个月|这个月)"
    r"|(?P<rel>今天|今日|昨天|昨日|前天|明天|近日|日前|目前|近期|眼下|如今|同日|同一天|当天|当日|当晚)"
)
_REL_DAYS = {"今天": 0, "今日": 0, "昨天": -1, "昨日": -1, "前天": -2, "明天": 1}
_REL_YEARS = {"去年": -1, "今年": 0, "明年": 1, "前年": -2}
_REL_MONTHS = {"上月": -1, "上个月": -1, "本月": 0, "这个月": 0, "下月": 1}


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression at ``start:end`` and its ISO value (or ``None``)."""

    start: int
    end: int
    text: str
    value: str | None


def _int(s: str) -> int:
    return int(s.translate(str.maketrans("０１２３４５６７８９", "0123456789")))


def _iso(y: int, m: int | None = None, d: int | None = None) -> str | None:
    try:
        if d is not None and m is not None:
            return date(y, m, d).isoformat()
        if m is not None:
            return f"{y:04d}-{m:02d}" if 1 <= m <= 12 else None
    except ValueError:
        return None
    return f"{y:04d}"


def _value(match: re.Match[str], base: date | None) -> str | None:
    g = match.groupdict()
    if g["relm"]:
        if base is None:
            return None
        months = base.year * 12 + base.month - 1 + _REL_MONTHS[g["relm"]]
        return f"{months // 12:04d}-{months % 12 + 1:02d}"
    if g["rel"]:
        days = _REL_DAYS.get(g["rel"])
        return None if days is None or base is None else (base + timedelta(days)).isoformat()
    if g["y"]:
        year = _int(g["y"])
    elif g["ry"]:
        if base is None:
            return None
        year = base.year + _REL_YEARS[g["ry"]]
    elif base is not None and (g["m"] or g["d"]):
        year = base.year
    else:
        return None
    month = _int(g["m"]) if g["m"] else None
    if month is None and not g["d"] and g["part"] in ("底", "末"):
        month = 12  # 2024年底: the last month, never a day
    if g["d"] and month is None:
        if base is None or g["y"] or g["ry"]:
            return None
        month = base.month
    day = _int(g["d"]) if g["d"] else None
    return _iso(year, month, day)


def find_dates(text: str, base: str | None) -> list[DateMention]:
    """All date expressions in ``text``, valued against ISO date ``base``.

    >>> [(d.text, d.value) for d in find_dates("2021年9月，协会成立；今天在京召开", "2025-02-24")]
    [('2021年9月', '2021-09'), ('今天', '2025-02-24')]
    """
    base_date = _parse_base(base)
    out = []
    for match in _DATE_RE.finditer(text):
        g = match.groupdict()
        if not match.group() or not any(g[k] for k in ("rel", "relm", "m", "d", "y", "ry")):
            continue
        out.append(DateMention(match.start(), match.end(), match.group(), _value(match, base_date)))
    return out


def _parse_base(base: str | None) -> date | None:
    if not base:
        return None
    try:
        return date.fromisoformat(base[:10])
    except ValueError:
        return None


def normalize(expr: str, base: str | None) -> str | None:
    """The ISO value of the first date expression in ``expr``."""
    found = find_dates(expr, base)
    return found[0].value if found else None
