"""Errors as codes with parameters, and the one catalogue of their English and Russian text.

A failure is raised as `DataError("csv.empty", file="ads.csv")`; its code and parameters travel with it and
`render(code, params, lang)` writes it in English (the CLI, logs, the scoring server) or Russian (the app).
Warnings and the single problems inside an error are `Text` values: strings holding the English text that
also carry their code and parameters, so they can be rendered again in another language.
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from typing import Any

LANGUAGES = ("en", "ru")
_SAVE_HINT_EN = "save the sheet as 'CSV UTF-8 (comma delimited)'"
_SAVE_HINT_RU = "сохраните таблицу как «CSV UTF-8 (разделитель — запятая)»"

# code: (English, Russian). Placeholders are {param}; {n:row|rows} picks a plural form of the number n
# (English: singular|plural; Russian: one|few|many, e.g. {n:строка|строки|строк}).
CATALOGUE: dict[str, tuple[str, str]] = {
    # places, values and lists used inside other messages
    "place.row": ("row {row}", "строка {row}"),
    "place.row_line": ("row {row} (line {line})", "строка {row} (строка файла {line})"),
    "place.record": ("record {row}", "запись {row}"),
    "value.empty": ("empty", "пусто"),
    "example": ("{place}: {value}", "{place}: {value}"),
    "example.type": ("{place}: {type}", "{place}: {type}"),
    "list.and_more": ("{items} and {n} more", "{items} и ещё {n}"),
    "list.and_more_values": ("{items} and {n} other values", "{items} и ещё {n} {n:значение|значения|значений}"),
    "kind.zip": ("a ZIP archive (an Excel .xlsx workbook is one)", "ZIP-архив (книга Excel .xlsx — тоже он)"),
    "kind.zip_empty": ("an empty ZIP archive", "пустой ZIP-архив"),
    "kind.xls": ("an old Excel .xls (MS Office) file", "старая книга Excel .xls (MS Office)"),
    "kind.pdf": ("a PDF document", "PDF-документ"),
    "kind.gzip": ("a gzip archive", "архив gzip"),
    "kind.rar": ("a RAR archive", "архив RAR"),
    "kind.7z": ("a 7-Zip archive", "архив 7-Zip"),
    "kind.png": ("a PNG image", "картинка PNG"),
    "kind.jpeg": ("a JPEG image", "картинка JPEG"),
    "kind.gif": ("a GIF image", "картинка GIF"),
    "kind.sqlite": ("an SQLite database", "база данных SQLite"),
    "kind.parquet": ("a Parquet file", "файл Parquet"),
    # reading files
    "file.upload": ("the upload", "загруженный файл"),
    "file.not_found": ("file not found: {path}", "файл не найден: {path}"),
    "file.not_a_file": ("not a file: {path}", "это не файл: {path}"),
    "file.unreadable": ("cannot read {file}: {reason}", "не удаётся прочитать {file}: {reason}"),
    "file.unsupported_source": (
        "cannot read ads from {kind}; give a path, bytes or a file",
        "объявления нельзя прочитать из {kind}: нужен путь, байты или файл",
    ),
    "csv.empty": ("{file}: the file is empty", "{file}: файл пустой"),
    "csv.too_big": ("{file}: the file is {size} MB, the limit is {limit} MB", "{file}: файл {size} МБ, а можно не больше {limit} МБ"),
    "csv.too_big_bytes": (
        "{file}: the file is {size} bytes, the limit is {limit} bytes",
        "{file}: файл {size} байт, а можно не больше {limit} байт",
    ),
    "csv.too_big_stream": (
        "{file}: the file is more than {limit} MB, the limit is {limit} MB",
        "{file}: файл больше {limit} МБ, а можно не больше {limit} МБ",
    ),
    "csv.too_many_rows": (
        "{file}: the file has {rows} {rows:row|rows}, the limit is {limit} rows",
        "{file}: в файле {rows} {rows:строка|строки|строк}, а можно не больше {limit}",
    ),
    "csv.too_many_rows_at_least": (
        "{file}: the file has more than {limit} rows, the limit is {limit} rows",
        "{file}: в файле больше {limit} строк, а можно не больше {limit}",
    ),
    "csv.binary_kind": (
        "{file}: not a CSV file: it is {kind}; " + _SAVE_HINT_EN,
        "{file}: это не CSV-файл, а {kind}; " + _SAVE_HINT_RU,
    ),
    "csv.utf16_no_bom": (
        "{file}: not a CSV file: it looks like UTF-16 text without a byte-order mark; " + _SAVE_HINT_EN,
        "{file}: это не CSV-файл: похоже на текст UTF-16 без метки порядка байтов; " + _SAVE_HINT_RU,
    ),
    "csv.binary_nul": (
        "{file}: not a CSV file: it contains binary data (NUL bytes)",
        "{file}: это не CSV-файл: в нём двоичные данные (нулевые байты)",
    ),
    "csv.binary_control": (
        "{file}: not a CSV file: it contains binary data (control bytes)",
        "{file}: это не CSV-файл: в нём двоичные данные (управляющие байты)",
    ),
    "csv.first_line_empty": (
        "{file}: not a CSV file: the first line is empty (expected the column names)",
        "{file}: первая строка пустая, а должна содержать названия столбцов",
    ),
    "csv.html": ("{file}: not a CSV file: it is an HTML or XML page; " + _SAVE_HINT_EN, "{file}: это не CSV-файл, а страница HTML/XML"),
    "csv.json": (
        "{file}: not a CSV file: it looks like JSON (send JSON to the scoring API instead)",
        "{file}: это не CSV-файл, а JSON (JSON принимает сервер оценки)",
    ),
    "csv.no_header": (
        "{file}: not a CSV file: the first line has no column names separated by commas, semicolons or tabs "
        "(it starts with {start})",
        "{file}: это не CSV-файл: в первой строке нет названий столбцов через запятую, точку с запятой или "
        "табуляцию (она начинается с {start})",
    ),
    "csv.not_utf8": (
        "{file}: the file is not UTF-8 text (invalid byte 0x{byte} at line {line}, byte {offset}) and does not "
        "look like Windows-1251 Cyrillic either; " + _SAVE_HINT_EN,
        "{file}: файл не в кодировке UTF-8 (недопустимый байт 0x{byte} в строке {line}, байт {offset}) и не похож "
        "на Windows-1251; " + _SAVE_HINT_RU,
    ),
    "csv.not_encoding": (
        "{file}: the file is not valid {encoding} text (invalid byte 0x{byte} at line {line}, byte {offset}); "
        + _SAVE_HINT_EN,
        "{file}: файл не читается как текст {encoding} (недопустимый байт 0x{byte} в строке {line}, байт "
        "{offset}); " + _SAVE_HINT_RU,
    ),
    "csv.undecodable": (
        "{file}: the file could not be decoded as {encoding}; " + _SAVE_HINT_EN,
        "{file}: файл не читается как текст {encoding}; " + _SAVE_HINT_RU,
    ),
    "csv.malformed": ("{file}: not a well-formed CSV file: {detail}", "{file}: CSV-файл повреждён: {detail}"),
    "csv.invalid": ("{file}: {details:;}", "{file}: {details:;}"),
    # problems of a table of ads (CSV rows or JSON records)
    "table.not_frame": (
        "expected a table of ads (pandas DataFrame), got {type}",
        "ожидалась таблица объявлений (pandas DataFrame), а получен {type}",
    ),
    "column.duplicate": ("column '{column}' appears more than once", "столбец '{column}' встречается несколько раз"),
    "columns.missing": (
        "missing required {n:column|columns} {columns} (columns found: {found})",
        "нет обязательных столбцов {columns} (в файле: {found})",
    ),
    "columns.found_more": ("{columns} … ({n} in all)", "{columns} … (всего {n})"),
    "columns.none": ("none", "нет"),
    "label.missing": (
        "missing label column '{column}' (needed for training and evaluation)",
        "нет столбца разметки '{column}' (нужен для обучения и оценки)",
    ),
    "label.not_binary": (
        "column '{column}' must be 0 or 1 in every row; {n} {n:row is|rows are} not: {examples}",
        "в столбце '{column}' допустимы только 0 и 1, а в {n} {n:строке|строках|строках} нет: {examples}",
    ),
    "label.not_binary_ignored": (
        "column '{column}' must be 0 or 1; {n} {n:row is|rows are} not: {examples}; those labels are ignored",
        "в столбце '{column}' допустимы только 0 и 1, а в {n} {n:строке|строках|строках} нет: {examples}; "
        "эти метки не учтены",
    ),
    "label.not_binary_strict": (
        "column '{column}' must be 0 or 1; {n} {n:row is|rows are} not: {examples}",
        "в столбце '{column}' допустимы только 0 и 1, а в {n} {n:строке|строках|строках} нет: {examples}",
    ),
    "index.empty": (
        "column '{column}' (the ad id) is empty in {n} {n:row|rows}: {rows}",
        "столбец {column} (номер объявления) пустой в {n} {n:строке|строках|строках}: {rows}",
    ),
    "index.not_unique": (
        "column '{column}' (the ad id) must be unique; {n} value(s) repeat, e.g. {value} in {rows}",
        "столбец {column} (номер объявления) должен быть уникальным; повторяются значения ({n}), например {value} в: "
        "{rows}",
    ),
    "column.not_text": (
        "column '{column}' must hold text; {n} {n:row holds|rows hold} other values ({examples})",
        "в столбце '{column}' должен быть текст, а в {n} {n:строке|строках|строках} другое ({examples})",
    ),
    "price.not_number": (
        "column 'price' is not a number in {n} {n:row|rows}: {examples}",
        "цена не число в {n} {n:строке|строках|строках}: {examples}",
    ),
    "price.not_number_read_empty": (
        "column 'price' is not a number in {n} {n:row|rows}: {examples}; read as empty",
        "цена не число в {n} {n:строке|строках|строках}: {examples} — прочитано как пустое",
    ),
    "category.unknown": (
        "column 'category': {n} {n:ad has|ads have} a category outside the {known} known ones: {values}",
        "у {n} {n:объявления|объявлений|объявлений} неизвестная категория (известных {known}): {values}",
    ),
    "category.count": ("'{value}' ({n})", "'{value}' ({n})"),
    "category.empty": ("(empty) ({n})", "(пусто) ({n})"),
    "description.empty": (
        "{n} {n:ad has|ads have} an empty description (title-only ads)",
        "пустое описание (только заголовок) у {n} {n:объявления|объявлений|объявлений}",
    ),
    "description.and_title_empty": (
        "{n} {n:ad has|ads have} an empty description (title-only ads); {m} {m:ad has|ads have} neither title "
        "nor description",
        "пустое описание (только заголовок) у {n} {n:объявления|объявлений|объявлений}; ни заголовка, ни описания "
        "у {m}",
    ),
    "read.utf16": ("read as UTF-16", "файл в кодировке UTF-16, прочитан в ней"),
    "read.cp1251": ("read as cp1251 (Windows-1251), not UTF-8", "файл в кодировке Windows-1251 (cp1251), прочитан в ней"),
    "read.delimiter": ("columns are separated by {name}, not commas", "столбцы разделены не запятой, а {name}"),
    "delimiter.semicolons": ("semicolons", "точкой с запятой"),
    "delimiter.tabs": ("tabs", "табуляцией"),
    "delimiter.bars": ("vertical bars", "вертикальной чертой"),
    "read.header_only": ("the file has a header but no data rows", "в файле только заголовок, объявлений нет"),
    "read.extra_columns": (
        "columns not used by ContactGuard (kept as they are): {columns}",
        "лишние столбцы оставлены как есть: {columns}",
    ),
    # JSON records (the scoring server)
    "records.not_list": ("expected a list of ads (JSON objects), got {type}", "ожидался список объявлений (объектов JSON), а получен {type}"),
    "records.too_many": ("{n} ads in the request, the limit is {limit}", "в запросе {n} объявл., а можно не больше {limit}"),
    "records.not_objects": ("every ad must be a JSON object: {items}", "каждое объявление должно быть объектом JSON: {items}"),
    "records.item_type": ("{place} is {type}", "{place} — это {type}"),
    "records.field_missing": ("missing required field '{field}'", "нет обязательного поля '{field}'"),
    "records.field_missing_some": (
        "field '{field}' is missing from {rows} (use null for an empty value)",
        "поля '{field}' нет в: {rows} (для пустого значения передайте null)",
    ),
    "records.invalid": ("invalid ads: {details:;}", "ошибки в объявлениях: {details:;}"),
    # prepared splits
    "split.bad_name": (
        "bad split name {name}: use letters, digits, '_' or '-' (e.g. train, val, test)",
        "недопустимое имя части {name}: только латинские буквы, цифры, '_' и '-' (например, train, val, test)",
    ),
    "split.missing": (
        "no prepared '{split}' split at {path}; run the prepare stage first",
        "нет подготовленной части '{split}' ({path}); сначала выполните подготовку данных (prepare)",
    ),
    # settings (config.yaml)
    "config.not_utf8": (
        "{path} is not UTF-8 text (invalid byte 0x{byte} at line {line}); save it as UTF-8",
        "файл {path} не в кодировке UTF-8 (недопустимый байт 0x{byte} в строке {line}); сохраните его в UTF-8",
    ),
    "config.unreadable": ("cannot read {path}: {reason}", "не удаётся прочитать {path}: {reason}"),
    "config.not_yaml": ("config is not valid YAML: {detail}", "файл настроек — не YAML: {detail}"),
    "config.not_mapping": ("config must be a mapping of sections", "файл настроек должен состоять из разделов"),
    "config.invalid": ("{details}", "{details}"),
    "config.round_trip": (
        "internal error: settings would not round-trip through YAML",
        "внутренняя ошибка: настройки не сохраняются в YAML без потерь",
    ),
    "config.problems": ("{problems:;}", "{problems:;}"),
    "config.problem": ("{key}: {message}", "{key}: {message}"),
    "config.unknown_key": ("unknown key", "неизвестный ключ"),
    "config.path_outside": (
        "{path} lies outside the allowed folders ({folders}): use a path under the project folder, or name another "
        "folder in the environment variable CONTACTGUARD_STATE_DIR",
        "путь {path} лежит вне разрешённых папок ({folders}): укажите путь внутри папки проекта или добавьте "
        "папку в переменную окружения CONTACTGUARD_STATE_DIR",
    ),
    "config.read_only_key": (
        "{key} cannot be changed from the dashboard: set it with the environment variable {env} or in the config "
        "file used by the command line",
        "{key} нельзя изменить из приложения: задайте переменную окружения {env} или измените файл настроек, "
        "с которым работает командная строка",
    ),
    # pydantic's checks, written from their parameters
    "config.check.greater_than": ("Input should be greater than {gt}", "значение должно быть больше {gt}"),
    "config.check.greater_than_equal": (
        "Input should be greater than or equal to {ge}",
        "значение должно быть не меньше {ge}",
    ),
    "config.check.less_than": ("Input should be less than {lt}", "значение должно быть меньше {lt}"),
    "config.check.less_than_equal": ("Input should be less than or equal to {le}", "значение должно быть не больше {le}"),
    "config.check.missing": ("Field required", "нужно указать значение"),
    "config.check.string_too_short": (
        "String should have at least {min_length} {min_length:character|characters}",
        "нужно не меньше {min_length} {min_length:символа|символов|символов}",
    ),
    "config.check.string_too_long": (
        "String should have at most {max_length} {max_length:character|characters}",
        "можно не больше {max_length} {max_length:символа|символов|символов}",
    ),
    "config.check.string_pattern_mismatch": ("String should match pattern '{pattern}'", "значение не подходит под шаблон '{pattern}'"),
    "config.check.literal_error": ("Input should be one of: {expected}", "допустимые значения: {expected}"),
    "config.check.int_parsing": ("Input should be a valid integer", "нужно целое число"),
    "config.check.int_from_float": ("Input should be a whole number", "нужно целое число"),
    "config.check.float_parsing": ("Input should be a valid number", "нужно число"),
    "config.check.bool_parsing": ("Input should be true or false", "нужно true или false"),
    "config.check.string_type": ("Input should be a valid string", "нужна строка"),
    "config.check.list_type": ("Input should be a valid list", "нужен список"),
    "config.check.value_error": ("Value error, {detail}", "недопустимое значение: {detail}"),
    # the MLflow tracking store (core/lifecycle/tracking.py): short network limits, never a hang
    "tracking.unreachable": (
        "the MLflow tracking store {uri} does not answer: {reason} (gave up after {seconds} s; the limits are "
        "tracking.request_timeout_seconds and tracking.max_retries); start the tracking server or point "
        "MLFLOW_TRACKING_URI (or tracking.uri in the config file) at one that runs",
        "хранилище MLflow {uri} не отвечает: {reason} (ожидание прервано через {seconds} с; пределы задают "
        "настройки tracking.request_timeout_seconds и tracking.max_retries); запустите сервер MLflow или укажите "
        "работающий адрес в переменной окружения MLFLOW_TRACKING_URI (или tracking.uri в файле настроек)",
    ),
    "tracking.reason.refused": ("connection refused", "соединение отклонено"),
    "tracking.reason.no_route": ("no route to the host", "нет маршрута до сервера"),
    "tracking.reason.unknown_host": ("unknown host {host}", "неизвестный сервер {host}"),
    "tracking.reason.timeout": ("no answer within {seconds} s", "нет ответа за {seconds} с"),
    "tracking.reason.other": ("{detail}", "{detail}"),
    # the scoring server's requests
    "request.not_object": (
        "expected a JSON object with one of the keys {keys}",
        "ожидался объект JSON с одним из ключей {keys}",
    ),
    "request.keys": (
        "expected exactly one of the keys {keys} (keys found: {found})",
        "ожидался ровно один из ключей {keys} (найдены: {found})",
    ),
    "request.not_list": ("'{key}' must be a list of ads (JSON objects), got {type}", "'{key}' должен быть списком объявлений, а получен {type}"),
    "request.split_shape": (
        "'dataframe_split' must be an object with the lists 'columns' and 'data'",
        "'dataframe_split' должен быть объектом со списками 'columns' и 'data'",
    ),
    "request.split_rows": (
        "'dataframe_split': every row of 'data' must hold {n} values ({rows})",
        "'dataframe_split': в каждой строке 'data' должно быть значений: {n} ({rows})",
    ),
    "request.columns_shape": (
        "'{key}' given as columns must map every field to a list, all of the same length",
        "'{key}' по столбцам: каждому полю нужен список, все одной длины",
    ),
    "request.empty": ("the request holds no ads: send at least one", "в запросе нет объявлений: отправьте хотя бы одно"),
    "request.too_many": (
        "{n} ads in the request, the limit is {limit} (serve.max_rows)",
        "в запросе {n} объявл., а можно не больше {limit} (serve.max_rows)",
    ),
    "request.text_too_long": (
        "text longer than the limit of {limit} characters per title or description (detect.max_chars): {items}",
        "текст длиннее {limit} символов в заголовке или описании (detect.max_chars): {items}",
    ),
    "request.text_item": ("{place} {column} ({length} characters)", "{place}, {column} ({length} симв.)"),
    "request.not_utf8": ("the body is not UTF-8 text", "тело запроса не в кодировке UTF-8"),
    "request.not_json": (
        "the body is not valid JSON: {reason} (line {line}, column {column})",
        "тело запроса — не JSON: {reason} (строка {line}, столбец {column})",
    ),
    "request.charset": ("the scoring server only reads UTF-8", "сервер оценки читает только UTF-8"),
    "request.content_type": (
        "content type {content_type} is not supported: send application/json or text/csv",
        "тип содержимого {content_type} не поддерживается: отправьте application/json или text/csv",
    ),
    "request.content_type_none": (
        "the request has no Content-Type: send application/json or text/csv",
        "у запроса нет заголовка Content-Type: отправьте application/json или text/csv",
    ),
    "request.body_too_large": (
        "request body of {size} bytes is larger than the limit of {limit} bytes "
        "(send fewer ads per request; serve.max_rows sets the limit)",
        "тело запроса {size} байт больше предела {limit} байт (отправляйте меньше объявлений; предел задаёт "
        "serve.max_rows)",
    ),
    "request.signature": ("the ads do not fit the model's signature: {reason}", "объявления не подходят к сигнатуре модели: {reason}"),
    "request.timeout": (
        "the request took longer than {seconds} seconds (MLFLOW_SCORING_SERVER_REQUEST_TIMEOUT); send fewer ads",
        "запрос шёл дольше {seconds} с (MLFLOW_SCORING_SERVER_REQUEST_TIMEOUT); отправьте меньше объявлений",
    ),
    "request.internal": ("internal error while scoring (see the server log)", "внутренняя ошибка при оценке (см. журнал сервера)"),
    # the command line
    "cli.no_model": (
        "no model holds {uri}: train one with `python -m core ensure-model` (or `make model`)",
        "ни одна модель не отмечена как {uri}: обучите первую (`python -m core ensure-model` или `make model`)",
    ),
    "cli.no_password": (
        "no password: set {env} or run in a terminal",
        "нет пароля: задайте переменную {env} или запустите команду в терминале",
    ),
    "cli.passwords_differ": ("the passwords differ", "пароли не совпадают"),
    # the monitoring log (core/ops/scoring.py): scoring goes on, the caller shows the warning
    "monitoring.not_written": (
        "monitoring log not written ({n} {n:ad|ads}): {reason}",
        "проверка не записана в журнал мониторинга ({n} {n:объявление|объявления|объявлений}): {reason}",
    ),
    "monitoring.locked": (
        "the log database stayed locked by another process for more than {seconds} s",
        "база журнала занята другим процессом дольше {seconds} с",
    ),
    "monitoring.lagging": (
        "the monitoring log lags behind: {n} {n:ad|ads} waiting to be written, the oldest for {seconds} s",
        "журнал мониторинга отстаёт: записи ждут {n} {n:объявление|объявления|объявлений}, самое старое — {seconds} с",
    ),
    "monitoring.dropped": (
        "the monitoring log's queue is full: {n} {n:ad|ads} not logged",
        "очередь записи в журнал мониторинга переполнена, не записано: {n} {n:объявление|объявления|объявлений}",
    ),
    # settings read from an older config.yaml
    "config.legacy_threshold_moved": (
        "settings: evaluate.threshold ({old}) is no longer a setting; read as app.threshold, the one threshold of "
        "the deployment (dashboard, scoring server, CLI, evaluation); rename the key (a save from the settings page does)",
        "настройки: evaluate.threshold ({old}) больше не используется; значение прочитано как app.threshold — единый "
        "порог (приложение, сервер оценки, командная строка, оценка модели); переименуйте ключ (это делает "
        "сохранение на странице настроек)",
    ),
    "config.legacy_threshold_ignored": (
        "settings: evaluate.threshold ({old}) is no longer a setting and is ignored; app.threshold ({used}) is the "
        "one threshold of the deployment (dashboard, scoring server, CLI, evaluation); remove the old key (a save "
        "from the settings page does)",
        "настройки: evaluate.threshold ({old}) больше не используется и пропущен; единый порог — app.threshold "
        "({used}) (приложение, сервер оценки, командная строка, оценка модели); удалите старый ключ (это делает "
        "сохранение на странице настроек)",
    ),
}  # fmt: skip


class Text(str):
    """One coded message as its English text; `code` and `params` render it in another language."""

    code: str
    params: dict[str, Any]

    def __new__(cls, code: str, **params: Any) -> Text:
        """The English text of code with params (KeyError for a code outside the catalogue)."""
        self = super().__new__(cls, render(code, params, "en"))
        self.code = code
        self.params = params
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle by code and parameters (worker processes send errors back)."""
        return (_text, (self.code, self.params))

    def text(self, lang: str = "en") -> str:
        """The message in lang ('en' or 'ru')."""
        return render(self.code, self.params, lang)


def _text(code: str, params: dict[str, Any]) -> Text:
    return Text(code, **params)


class ContactGuardError(Exception):
    """A failure with a catalogue code and parameters; str() is the English text."""

    def __init__(self, code: str, **params: Any) -> None:
        """Keep the code and parameters (KeyError for an unknown code: every code is in the catalogue)."""
        self.coded = Text(code, **params)
        super().__init__(str(self.coded))

    @property
    def code(self) -> str:
        """The catalogue code, e.g. 'csv.empty'."""
        return self.coded.code

    @property
    def params(self) -> dict[str, Any]:
        """The parameters of the message."""
        return self.coded.params

    def text(self, lang: str = "en") -> str:
        """The message in lang ('en' or 'ru')."""
        return self.coded.text(lang)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle by code and parameters."""
        return (_rebuild, (type(self), self.code, self.params, self.__dict__))


def _rebuild(cls: type, code: str, params: dict[str, Any], state: dict[str, Any]) -> ContactGuardError:
    error = cls.__new__(cls)
    ContactGuardError.__init__(error, code, **params)
    error.__dict__.update(state)
    return error


class DataError(ContactGuardError, ValueError):
    """Ads that cannot be read; `problems` are the single coded problems (default: the error itself)."""

    def __init__(self, code: str, problems: Sequence[Text] | None = None, **params: Any) -> None:
        """Keep the code, parameters and itemised problems."""
        super().__init__(code, **params)
        self.problems: list[Text] = list(problems) if problems else [self.coded]


class ConfigError(ContactGuardError, ValueError):
    """config.yaml is unreadable or invalid; the message names the bad key."""


class UsageError(ContactGuardError, ValueError):
    """A command line used in a way that cannot work (a missing password, two different passwords)."""


class RequestError(ContactGuardError):
    """A request the scoring server refuses: HTTP status and a code; never quotes the request."""

    def __init__(self, code: str, status: int = 400, **params: Any) -> None:
        """Keep the code, parameters and HTTP status."""
        super().__init__(code, **params)
        self.status = status


class _Formatter(string.Formatter):
    """str.format with language-aware values and plural forms ({n:row|rows})."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> str:
        """Plural form for a spec with '|', else the value rendered in the language."""
        if "|" in format_spec:
            return _plural(int(value), format_spec.split("|"), self.lang)
        if format_spec == ";" and isinstance(value, list | tuple):
            return "; ".join(render_value(item, self.lang) for item in value)
        if format_spec:
            return format(value, format_spec)
        return render_value(value, self.lang)


def _plural(n: int, forms: list[str], lang: str) -> str:
    """English: one|other; Russian: one|few|many."""
    if lang == "ru" and len(forms) == 3:
        if n % 10 == 1 and n % 100 != 11:
            return forms[0]
        if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
            return forms[1]
        return forms[2]
    return forms[0] if n == 1 else forms[-1]


def render_value(value: Any, lang: str) -> str:
    """A parameter in lang: coded texts re-rendered, lists joined by ', ', numbers written the language's way."""
    if isinstance(value, Text):
        return value.text(lang)
    if isinstance(value, list | tuple):
        return ", ".join(render_value(item, lang) for item in value)
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}".replace(",", "\u202f") if lang == "ru" else f"{value:,}"
    if isinstance(value, float):
        text = f"{value:,.1f}".removesuffix(".0")
        return text.replace(",", "\u202f").replace(".", ",") if lang == "ru" else text
    return str(value)


def render(code: str, params: Mapping[str, Any], lang: str = "en") -> str:
    """The catalogue text of code in lang ('en' or 'ru') with the parameters filled in."""
    english, russian = CATALOGUE[code]
    template = russian if lang == "ru" else english
    return _Formatter(lang).vformat(template, (), dict(params))


def problems_text(problems: Sequence[Text], lang: str = "en") -> str:
    """Problems joined by '; ' in lang."""
    return "; ".join(render_value(problem, lang) for problem in problems)
