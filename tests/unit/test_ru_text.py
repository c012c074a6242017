"""Russian numbers for the dashboard and the gate's refusal reasons in Russian plain text."""

from __future__ import annotations

import pandas as pd
import pytest

from ui.models_view import reason_in_russian
from ui.render import verdict_text
from ui.ru_format import compared_to, exact_decimal, ru_int, ru_number, ru_percent, ru_table


def test_numbers_the_russian_way() -> None:
    assert ru_int(60000) == "60\u202f000"
    assert ru_number(1815.25, 2) == "1\u202f815,25"
    assert ru_percent(0.395) == "39,5 %"
    assert ru_number(-0.05, 4, signed=True) == "-0,0500" and ru_number(0.01, 2, signed=True) == "+0,01"
    assert ru_number(float("nan")) == "—" and ru_percent(None) == "—"


@pytest.mark.parametrize(("value", "shown"), [(0.5, "0,50"), (0.985, "0,985"), (0.1234, "0,1234"), (0.7, "0,70")])
def test_a_threshold_is_never_rounded(value: float, shown: str) -> None:
    assert exact_decimal(value) == shown


@pytest.mark.parametrize(
    ("probability", "threshold", "text"),
    [
        (0.981, 0.985, "Контактов не найдено: вероятность 0,981 < порога 0,985"),
        (0.9849, 0.985, "Контактов не найдено: вероятность 0,9849 < порога 0,985"),
        (0.98496, 0.985, "Контактов не найдено: вероятность 0,98496 < порога 0,985"),
        (0.985, 0.985, "Найден контакт: вероятность 0,985 ≥ порога 0,985"),
        (0.7, 0.5, "Найден контакт: вероятность 0,70 ≥ порога 0,50"),
    ],
)
def test_verdict_never_reads_equal_on_the_wrong_side(probability: float, threshold: float, text: str) -> None:
    assert verdict_text(probability, threshold) == text
    assert compared_to(probability, threshold) in text


def test_tables_keep_numbers_and_show_commas() -> None:
    frame = pd.DataFrame({"name": ["a"], "auc": [0.98765], "share": [0.25], "ads": [60000.0], "delta": [0.01]})
    styled = ru_table(frame, percent=["share"], integers=["ads"], signed=["delta"])
    html = styled.to_html()
    assert all(piece in html for piece in ("0,9877", "25,0 %", "60\u202f000", "+0,0100"))
    assert styled.data["auc"].dtype.kind == "f"  # the table still sorts as numbers


def test_gate_reasons_in_russian_keep_names_verbatim() -> None:
    reason = (
        "mean ROC-AUC 0.9000 is lower than the champion's 0.9500; ROC-AUC in '**x**' drops by 0.0500, more than "
        "the tolerance 0.0050 (2 categories drop too much); mean ROC-AUC on hand-written set 'untouched' drops by "
        "0.0200 (0.9800 -> 0.9600), more than the tolerance 0.0100"
    )
    assert reason_in_russian(reason) == (
        "Средний ROC-AUC 0,9000 ниже, чем у чемпиона (0,9500); ROC-AUC в категории «**x**» падает на 0,0500 — "
        "больше допуска 0,0050 (слишком сильно падают категорий: 2); средний ROC-AUC на ручном наборе "
        "«нетронутый» падает на 0,0200 (0,9800 → 0,9600) — больше допуска 0,0100"
    )
    promoted = (
        "mean ROC-AUC 0.9700 >= champion's 0.9600 and no category drops by more than 0.0050; no hand-written "
        "set's mean ROC-AUC drops by more than 0.0100 (golden +0.0010, untouched -0.0020)"
    )
    assert reason_in_russian(promoted) == (
        "Средний ROC-AUC 0,9700 не ниже, чем у чемпиона (0,9600), и ни одна категория не падает больше чем на "
        "0,0050; ни на одном ручном наборе средний ROC-AUC не падает больше чем на 0,0100 (золотой +0,0010, "
        "нетронутый -0,0020)"
    )
    assert reason_in_russian("there is no champion yet") == "Чемпиона ещё нет"
    assert reason_in_russian("something new [a](http://x)") == "Something new [a](http://x)"
