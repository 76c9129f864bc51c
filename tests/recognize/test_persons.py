"""kg.recognize.persons: people named next to a title."""

from __future__ import annotations

import pytest

from kg.recognize.persons import title_persons


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        ("国家主席习近平应约同俄罗斯总统普京通电话", ["习近平", "普京"]),
        ("重庆市总工会党组书记、副主席余季平表示", ["余季平"]),
        ("国网大连供电公司二次检修工区副主任董明说。", ["董明"]),
        ("中车大连机车车辆有限公司工会主席张健介绍经验时说", ["张健"]),
        ("广西钢铁炼钢厂技术专家陆志坚说", ["陆志坚"]),
        ("本报记者 刘旭", ["刘旭"]),
        ("法国总统马克龙在爱丽舍宫会见了来访的外长", ["马克龙"]),
        ("市人社局局长王建国介绍", ["王建国"]),
        # addressing someone is not naming them
        ("中国春节前夕我同总统先生视频会晤", []),
        ("区长们在会上发言", []),
    ],
)
def test_title_persons(sentence: str, names: list[str]) -> None:
    found = title_persons(sentence)
    assert [m.text for m in found] == names
    for m in found:
        assert sentence[m.start:m.end] == m.text
        assert m.type == "PER" and m.recognizer == "rule:title"

