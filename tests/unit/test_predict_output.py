"""Contest task 2 spans as integers and the per-ad length cap (detect.max_chars)."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

from core.config import DetectSettings, ModelSettings
from core.engine.predict import Predictor, cap_ad_texts, cap_text, contest_task1, contest_task2


def _ads(descriptions: list[object], titles: list[object] | None = None) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "title": titles or ["Диван"] * len(descriptions),
            "description": descriptions,
            "subcategory": "Мебель",
            "category": "Для дома и дачи",
            "price": 100.0,
        }
    )


def test_task2_spans_are_written_as_integers() -> None:
    predictor = Predictor(None, DetectSettings(), ModelSettings())  # rules only: no classifier needed
    result = predictor.predict_frame(_ads(["звоните 8 912 345-67-89", "без контактов", "пишите ivan@mail.ru"]))
    task2 = contest_task2([7, 8, 9], result)
    assert str(task2["start"].dtype) == "Int64" and str(task2["finish"].dtype) == "Int64"
    lines = task2.to_csv(index=False).splitlines()
    assert lines[0] == "index,start,finish"
    assert lines[1] == "7,8,23" and lines[2] == "8,," and lines[3].startswith("9,7,")
    assert ".0" not in "\n".join(lines)
    assert list(contest_task1([7, 8, 9], result).columns) == ["index", "prediction"]


def test_task2_accepts_float_spans_and_any_index() -> None:
    result = pd.DataFrame({"start": [96.0, np.nan], "finish": [112.0, np.nan]}, index=[40, 41])
    text = contest_task2(["a", "b"], result).to_csv(index=False)
    assert text.splitlines() == ["index,start,finish", "a,96,112", "b,,"]
    assert pd.read_csv(io.StringIO(text))["start"].iloc[0] == 96


def test_cap_text() -> None:
    assert cap_text("abcdef", 4) == ("abcd", True)
    assert cap_text("abcd", 4) == ("abcd", False)
    assert cap_text("", 4) == ("", False)


def test_cap_ad_texts_cuts_title_and_description_and_marks_the_ads() -> None:
    frame = _ads(["x" * 12, "short", np.nan, "y" * 3], titles=["t", "t", "z" * 20, "t"])
    frame.index = [10, 11, 12, 13]
    capped, truncated = cap_ad_texts(frame, 5)
    assert truncated.tolist() == [True, False, True, False] and list(truncated.index) == [10, 11, 12, 13]
    assert capped["description"].tolist()[:2] == ["xxxxx", "short"] and pd.isna(capped["description"].iloc[2])
    assert capped["title"].tolist() == ["t", "t", "zzzzz", "t"]
    assert capped["description"].dtype == frame["description"].dtype
    assert frame["description"].iloc[0] == "x" * 12  # the input is left alone
    same, none_cut = cap_ad_texts(frame, 100)
    assert same is frame and not none_cut.any()


def test_cap_ad_texts_on_empty_and_titleless_frames() -> None:
    empty, truncated = cap_ad_texts(_ads([]), 5)
    assert empty.empty and truncated.empty
    capped, truncated = cap_ad_texts(pd.DataFrame({"description": ["abcdefgh"]}), 5)
    assert capped["description"].tolist() == ["abcde"] and truncated.tolist() == [True]
