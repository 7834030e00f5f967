"""Amounts and dates of a quote in the other language, stated in the question's language (planqa.figures)."""

from __future__ import annotations

import pytest

from planqa.figures import stated


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("对通过评审的团队给予每队3200元的奖励", "en", ["3,200 yuan"]),
        ("一次性给予12万元资助", "en", ["120,000 yuan"]),
        ("总投入不超过1.5亿元", "en", ["150,000,000 yuan"]),
        ("补助0.5万元", "en", ["5,000 yuan"]),
        ("材料须于2026年3月5日前提交，2026年4月公布结果", "en", ["March 5, 2026", "April 2026"]),
        ("2026年13月", "en", []),  # no such month: nothing is made up
        ("Grants of 7,500 yuan are paid by June 1, 2026.", "zh", ["7500元", "2026年6月1日"]),
        ("up to 2.5 million yuan", "zh", ["2500000元"]),
        ("the measures apply from 1 May 2025 to the 3rd of March, 2026", "zh", ["2025年5月1日", "2026年3月3日"]),
        ("due on August 2nd, 2026", "zh", ["2026年8月2日"]),
        ("每人500元，每人500元", "en", ["500 yuan"]),  # a figure said twice is stated once
        ("", "en", []),
        ("没有数字的句子。", "en", []),
        ("A sentence with no figures 🙂", "zh", []),
    ],
)
def test_figures_are_stated_in_the_other_language(text, language, expected):
    assert stated(text, language) == expected


def test_figures_keep_their_order_in_the_text():
    assert stated("截止日期2026年1月9日，补贴300元", "en") == ["January 9, 2026", "300 yuan"]
