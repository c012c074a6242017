"""The batch page shows the engine's CSV problems in Russian."""

from __future__ import annotations

import pytest

from core.data import DataError, read_ads_csv
from ui.messages import in_russian

HEADER = "title,description,subcategory,category,price,region,city,datetime_submitted\n"


def _problems(payload: bytes) -> list[str]:
    with pytest.raises(DataError) as caught:
        read_ads_csv(payload, max_bytes=10_000)
    return [in_russian(problem) for problem in caught.value.problems]


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        (b"", "файл пустой"),
        (b"PK\x03\x04" + b"x" * 50, "это не CSV-файл"),
        (b"title,text\nfoo,bar\n", "нет обязательных столбцов 'description'"),
        (b'{"ads": []}', "это не CSV-файл, а JSON"),
        ((HEADER + "café,naïve crème brûlée façade,c,d,1,r,g,2020\n").encode("latin-1"), "файл не в кодировке"),
        (HEADER.encode() + b"x" * 20_000, "файл больше"),
    ],
)
def test_file_problems_read_in_russian(payload: bytes, expected: str) -> None:
    messages = _problems(payload)
    assert any(expected in message for message in messages), messages
    assert not any(message.startswith("ошибка в файле:") for message in messages), messages


def test_warnings_read_in_russian() -> None:
    text = HEADER + "Диван,Продам диван,Диваны,Мебель,12x,Москва,Москва,2020-01-01\n"
    _, report = read_ads_csv(text.encode())
    russian = [in_russian(warning) for warning in report.warnings]
    assert any("цена не число в 1 стр.: строка 1" in message for message in russian), russian
    assert any("неизвестная категория" in message for message in russian), russian


def test_unknown_message_keeps_the_original() -> None:
    assert in_russian("something new") == "ошибка в файле: something new"
