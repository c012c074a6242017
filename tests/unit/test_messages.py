"""Errors as codes: one catalogue in English and Russian, rendered by code for the app."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from core.config import ConfigError, load_settings
from core.errors import CATALOGUE, ContactGuardError, RequestError, Text, render
from core.lifecycle.data import DataError, read_ads_csv
from ui.messages import in_russian

ROOT = Path(__file__).resolve().parents[2]
HEADER = "title,description,subcategory,category,price,region,city,datetime_submitted\n"
CODED = {"DataError", "ConfigError", "RequestError", "ContactGuardError", "Text"}


def _problems(payload: bytes) -> list[str]:
    with pytest.raises(DataError) as caught:
        read_ads_csv(payload, max_bytes=10_000)
    return [in_russian(problem) for problem in caught.value.problems]


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        (b"", "файл пустой"),
        (b"PK\x03\x04" + b"x" * 50, "это не CSV-файл, а ZIP-архив"),
        (b"title,text\nfoo,bar\n", "нет обязательных столбцов 'description'"),
        (b'{"ads": []}', "это не CSV-файл, а JSON"),
        ((HEADER + "café,naïve crème brûlée façade,c,d,1,r,g,2020\n").encode("latin-1"), "файл не в кодировке"),
        (
            HEADER.encode() + b"x" * 20_000,
            "загруженный файл: файл 20\u202f076 байт, а можно не больше 10\u202f000 байт",
        ),
    ],
)
def test_file_problems_read_in_russian(payload: bytes, expected: str) -> None:
    messages = _problems(payload)
    assert any(expected in message for message in messages), messages
    assert not any(message.startswith("ошибка") for message in messages), messages


def test_warnings_read_in_russian_with_russian_plurals_and_numbers() -> None:
    rows = "".join(f"{i},Диван,Продам диван,Диваны,Мебель,12x,Москва,Москва,2020-01-01\n" for i in range(1, 1_203))
    _, report = read_ads_csv(("index," + HEADER + rows).encode())
    russian = [in_russian(warning) for warning in report.warnings]
    assert any(
        message.startswith("цена не число в 1\u202f202 строках: строка 1 (строка файла 2): '12x'")
        for message in russian
    ), russian
    assert any("и ещё 1\u202f197 — прочитано как пустое" in message for message in russian), russian
    assert "у 1\u202f202 объявлений неизвестная категория (известных 10): 'Мебель' (1\u202f202)" in russian
    english = [str(warning) for warning in report.warnings]
    assert any("is not a number in 1,202 rows: row 1 (line 2): '12x'" in message for message in english), english


def test_russian_plural_forms() -> None:
    forms = {n: render("index.empty", {"column": "index", "n": n, "rows": "x"}, "ru") for n in (1, 3, 5, 11, 21, 22)}
    assert "в 1 строке" in forms[1] and "в 21 строке" in forms[21]
    assert "в 3 строках" in forms[3] and "в 5 строках" in forms[5] and "в 11 строках" in forms[11]
    assert render("description.empty", {"n": 1}, "en") == "1 ad has an empty description (title-only ads)"
    assert render("description.empty", {"n": 2}, "en") == "2 ads have an empty description (title-only ads)"
    assert render("description.empty", {"n": 22}, "ru") == "пустое описание (только заголовок) у 22 объявлений"
    too_big = {"file": "a.csv", "size": 1_250.5, "limit": 10.0}
    assert render("csv.too_big", too_big, "ru") == "a.csv: файл 1\u202f250,5 МБ, а можно не больше 10 МБ"
    assert render("csv.too_big", too_big, "en") == "a.csv: the file is 1,250.5 MB, the limit is 10 MB"


def test_every_catalogue_entry_has_both_languages_and_well_formed_placeholders() -> None:
    for code, (english, russian) in CATALOGUE.items():
        assert english.strip() and russian.strip(), code
        for template in (english, russian):
            list(string.Formatter().parse(template))  # raises on an unbalanced brace


def _codes_raised_in_the_source() -> set[str]:
    """Every literal code given to DataError, ConfigError, RequestError, ContactGuardError or Text in core/ and ui/."""
    codes: set[str] = set()
    for path in [*ROOT.glob("core/**/*.py"), *ROOT.glob("ui/**/*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            first = node.args[0]
            if name in CODED and isinstance(first, ast.Constant) and isinstance(first.value, str):
                codes.add(first.value)
    return codes


def test_every_code_raised_in_the_source_is_in_the_catalogue() -> None:
    codes = _codes_raised_in_the_source()
    assert {"csv.empty", "records.invalid", "request.empty", "config.not_utf8"} <= codes
    assert codes <= set(CATALOGUE), sorted(codes - set(CATALOGUE))


def test_every_catalogue_code_is_used_in_the_source() -> None:
    literals = {
        node.value
        for path in [*ROOT.glob("core/**/*.py"), *ROOT.glob("ui/**/*.py")]
        if path.name != "errors.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }
    # codes built at run time (f"config.check.{kind}") count through their literal prefix
    prefixes = {
        literal for literal in literals if literal.endswith(".") and literal.count(".") >= 2 and " " not in literal
    }
    unused = {code for code in CATALOGUE if code not in literals and not code.startswith(tuple(prefixes))}
    assert not unused, sorted(unused)


def test_errors_render_by_code_and_unknown_ones_fall_back() -> None:
    error = RequestError("request.too_many", n=1_500, limit=1_000)
    assert isinstance(error, ContactGuardError) and error.status == 400
    assert str(error) == "1,500 ads in the request, the limit is 1,000 (serve.max_rows)"
    assert in_russian(error) == "в запросе 1\u202f500 объявл., а можно не больше 1\u202f000 (serve.max_rows)"
    assert in_russian(Text("read.utf16")) == "файл в кодировке UTF-16, прочитан в ней"
    assert in_russian(KeyError("contacts")) == "ошибка: 'contacts'"
    assert in_russian("something new") == "ошибка: something new"
    with pytest.raises(KeyError):
        Text("no.such.code")


def test_a_config_that_is_not_utf8_is_a_clear_config_error(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_bytes("serve:\n  port: 5001\n# порт\n".encode("cp1251"))
    with pytest.raises(ConfigError) as caught:
        load_settings(config)
    assert caught.value.code == "config.not_utf8"
    assert str(caught.value) == f"{config} is not UTF-8 text (invalid byte 0xef at line 3); save it as UTF-8"
    assert in_russian(caught.value) == (
        f"файл {config} не в кодировке UTF-8 (недопустимый байт 0xef в строке 3); сохраните его в UTF-8"
    )


@pytest.mark.parametrize("page", ["app.py", "app_pages/1_check.py", "app_pages/2_batch.py", "app_pages/5_settings.py"])
def test_the_app_shows_a_config_that_is_not_utf8_in_russian_without_a_traceback(
    page: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from core.ops import auth
    from tests.app.pagekit import run_page, texts

    config = tmp_path / "config.yaml"
    config.write_bytes("serve:\n  port: 5001  # порт\n".encode("cp1251"))
    monkeypatch.setenv("CONTACTGUARD_CONFIG", str(config))
    monkeypatch.setenv("CONTACTGUARD_USERS_DB", str(tmp_path / "users.sqlite"))
    monkeypatch.setattr(auth, "SECRETS_PATHS", ())
    app = run_page(page, "admin")
    assert not app.exception, [item.value for item in app.exception]
    expected = f"файл {config} не в кодировке UTF-8 (недопустимый байт 0xef в строке 2); сохраните его в UTF-8"
    assert any(expected in error for error in texts(app, "error")), texts(app, "error")
