"""Rebuild kg/resources/lexicon/gazetteer.tsv from jionlp's place dictionaries.

Source: the PyPI package ``jionlp`` (Apache-2.0): ``dictionary/china_location.txt``
(province / city / county with administrative codes and short names) and
``dictionary/world_location.txt`` (countries with full names and capitals).
kg does not import jionlp at run time (it is 200 MB and prints on import);
this script distils the three upper levels of China and the world's
countries into one small table:

    name  level  parent  code  alias

``level`` is country, province, city or county; ``parent`` is the full name
of the containing place (provinces are in 中国). Run it with jionlp
installed (``pip install jionlp``), or give ``--jionlp DIR``.
"""

from __future__ import annotations

import argparse
import importlib.util
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "kg" / "resources" / "lexicon" / "gazetteer.tsv"

# The official one-character abbreviations of provincial-level divisions
# (简称): not in jionlp's table, used for 在京, 赴沪, 京津冀.
PROVINCE_ABBREVIATIONS = {
    "京": "北京市", "津": "天津市", "沪": "上海市", "渝": "重庆市", "冀": "河北省",
    "晋": "山西省", "辽": "辽宁省", "吉": "吉林省", "黑": "黑龙江省", "苏": "江苏省",
    "浙": "浙江省", "皖": "安徽省", "闽": "福建省", "赣": "江西省", "鲁": "山东省",
    "豫": "河南省", "鄂": "湖北省", "湘": "湖南省", "粤": "广东省", "琼": "海南省",
    "川": "四川省", "蜀": "四川省", "贵": "贵州省", "黔": "贵州省", "云": "云南省",
    "滇": "云南省", "陕": "陕西省", "秦": "陕西省", "甘": "甘肃省", "陇": "甘肃省",
    "青": "青海省", "蒙": "内蒙古自治区", "桂": "广西壮族自治区", "藏": "西藏自治区",
    "宁": "宁夏回族自治区", "新": "新疆维吾尔自治区", "港": "香港特别行政区",
    "澳": "澳门特别行政区", "台": "台湾省",
}

# One-character country names as news writes them in compounds (中美关系,
# 中俄, 美军, 日方): only the unambiguous ones (澳, 巴, 伊, 加, 新 name two
# countries or a province and are left out).
COUNTRY_ABBREVIATIONS = {
    "中": "中国", "美": "美国", "俄": "俄罗斯", "日": "日本", "英": "英国", "法": "法国",
    "德": "德国", "韩": "韩国", "朝": "朝鲜", "印": "印度", "乌": "乌克兰", "意": "意大利",
    "越": "越南", "泰": "泰国", "菲": "菲律宾", "叙": "叙利亚", "以": "以色列",
    "土": "土耳其", "埃": "埃及",
}


def jionlp_dir(given: str | None) -> Path:
    if given:
        return Path(given)
    spec = importlib.util.find_spec("jionlp")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("jionlp is not installed: pip install jionlp (or pass --jionlp DIR)")
    return Path(next(iter(spec.submodule_search_locations)))


def china_rows(path: Path) -> list[tuple[str, str, str, str, str]]:
    rows = []
    province = city = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        depth = len(raw) - len(raw.lstrip("\t"))
        cells = raw.strip().split("\t")
        if depth > 2 or len(cells) < 3:
            continue  # towns and villages: too many, too ambiguous
        name, code, alias = cells[0], cells[1], cells[2]
        if depth == 0:
            province = name
            rows.append((name, "province", "中国", code, alias))
        elif depth == 1:
            city = name
            if name != province:  # 上海市 is both province and city
                rows.append((name, "city", province, code, alias))
        else:
            parent = city if city != province else province
            rows.append((name, "county", parent, code, alias))
    return rows


def world_rows(path: Path) -> list[tuple[str, str, str, str, str]]:
    rows = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        cells = raw.strip().split("\t")
        if len(cells) < 3 or cells[0].endswith(":"):
            continue
        short, full, capital = cells[0], cells[1], cells[2]
        rows.append((short, "country", "", "", full if full != short else ""))
        if capital and capital != short and short != "中国":  # China's cities come below
            rows.append((capital, "capital", short, "", ""))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jionlp", help="folder of the jionlp package")
    args = ap.parse_args()
    base = jionlp_dir(args.jionlp) / "dictionary"
    rows = world_rows(base / "world_location.txt") + china_rows(base / "china_location.txt")
    rows += [(abbr, "abbreviation", full, "", "")
             for abbr, full in {**PROVINCE_ABBREVIATIONS, **COUNTRY_ABBREVIATIONS}.items()]
    header = ("# Built by scripts/build_gazetteer.py from jionlp (Apache-2.0) "
              "world_location.txt and china_location.txt.\n"
              "# name\tlevel\tparent\tcode\talias\n")
    OUT.write_text(header + "".join("\t".join(r) + "\n" for r in rows), encoding="utf-8")
    print(f"{OUT}: {len(rows)} places")


if __name__ == "__main__":
    main()
