"""Russian wording for the engine's CSV validation messages (core/data.py speaks English for the CLI)."""

from __future__ import annotations

import re

_SAVE_HINT_RU = "сохраните таблицу как «CSV UTF-8 (разделитель — запятая)»"
_ROW_RU = (re.compile(r"\brow (\d+) \(line (\d+)\)"), r"строка \1 (строка файла \2)")
_ROW_ONLY_RU = (re.compile(r"\brow (\d+)\b"), r"строка \1")
_COUNT_RU = (re.compile(r"\b([\d,]+) rows?\b"), r"\1 стр.")
_AD_COUNT_RU = (re.compile(r"\b([\d,]+) ads? (?:has|have)\b"), r"\1 объявл.")

# (pattern on the English message, Russian template); the first match wins.
_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE | re.DOTALL), template)
    for pattern, template in (
        (r"missing required columns? (.+?) \(columns found: (.*)\)", r"нет обязательных столбцов \1 (в файле: \2)"),
        (r"missing label column '(\w+)'.*", r"нет столбца разметки '\1' (нужен для обучения и оценки)"),
        (r"column '(\w+)' appears more than once", r"столбец '\1' встречается несколько раз"),
        (r"(?:.*: )?the file is empty", "файл пустой"),
        (r"(?:.*: )?the file is (?:more than )?(.+?) MB, the limit is (.+?) MB", r"файл больше допустимого: \1 МБ при пределе \2 МБ"),
        (r"(?:.*: )?the file has (.+), the limit is ([\d,]+) rows", r"в файле \1, а можно не больше \2 строк"),
        (r"(?:.*: )?not a CSV file: it is (?:a|an) (?!HTML).*", "это не CSV-файл (архив, книга Excel, PDF или картинка); " + _SAVE_HINT_RU),
        (r"(?:.*: )?not a CSV file: it contains binary data.*", "это не CSV-файл: в нём двоичные данные"),
        (r"(?:.*: )?not a CSV file: it looks like JSON.*", "это не CSV-файл, а JSON"),
        (r"(?:.*: )?not a CSV file: it is an HTML or XML page.*", "это не CSV-файл, а страница HTML/XML"),
        (r"(?:.*: )?not a CSV file: the first line is empty.*", "первая строка пустая, а должна содержать названия столбцов"),
        (r"(?:.*: )?the file (?:is not valid|could not be decoded as) (\S+).*", r"файл не читается как текст \1; " + _SAVE_HINT_RU),
        (r"(?:.*: )?the file is not (\S+) text.*", r"файл не в кодировке \1 и не похож на Windows-1251; " + _SAVE_HINT_RU),
        (r"(?:.*: )?not a well-formed CSV file: (.*)", r"CSV-файл повреждён: \1"),
        (r"column '(\w+)' must be 0 or 1(?: in every row)?; (.*)", r"в столбце '\1' допустимы только 0 и 1: \2"),
        (r"column 'price' is not a number in (.*?); read as empty", r"цена не число в \1 — прочитано как пустое"),
        (r"column 'price' is not a number in (.*)", r"цена не число в \1"),
        (r"column '(\w+)' must hold text; (.*)", r"в столбце '\1' должен быть текст: \2"),
        (r"column 'index' \(the ad id\) (.*)", r"столбец index (номер объявления): \1"),
        (r"read as cp1251.*", "файл в кодировке Windows-1251 (cp1251), прочитан в ней"),
        (r"read as UTF-16", "файл в кодировке UTF-16, прочитан в ней"),
        (r"columns are separated by (.+), not commas", r"столбцы разделены не запятой, а другим знаком (\1)"),
        (r"column 'category': ([\d,]+) ads? (?:has|have) a category outside the \d+ known ones: (.*)", r"у \1 объявл. неизвестная категория: \2"),
        (r"(.*) an empty description \(title-only ads\)(.*)", r"пустое описание (только заголовок): \1\2"),
        (r"the file has a header but no data rows", "в файле только заголовок, объявлений нет"),
        (r"columns not used by ContactGuard \(kept as they are\): (.*)", r"лишние столбцы оставлены как есть: \1"),
    )
)  # fmt: skip


def in_russian(message: str) -> str:
    """The moderator-facing Russian text of one validation message; the original is kept for unknown ones."""
    text = message.strip()
    for pattern, template in _RULES:
        match = pattern.fullmatch(text)
        if match:
            russian = match.expand(template)
            break
    else:
        russian = f"ошибка в файле: {text}"
    for pattern, replacement in (_ROW_RU, _ROW_ONLY_RU, _COUNT_RU, _AD_COUNT_RU):
        russian = pattern.sub(replacement, russian)
    return russian
