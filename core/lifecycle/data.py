"""Reading, validating and writing ads in the marketplace CSV format."""

from __future__ import annotations

import codecs
import csv
import io
import logging
import math
import numbers
import os
import re
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import pandas as pd

from core.config import CATEGORIES, DataSettings, resolve_path
from core.errors import DataError, Text

__all__ = ["DataError", "LoadReport", "ads_from_records", "read_ads_csv", "validate_ads"]

logger = logging.getLogger(__name__)

REQUIRED_COLUMNS: tuple[str, ...] = (
    "title",
    "description",
    "subcategory",
    "category",
    "price",
    "region",
    "city",
    "datetime_submitted",
)
LABEL_COLUMN = "is_bad"
INDEX_COLUMN = "index"
TEXT_COLUMNS: tuple[str, ...] = tuple(name for name in REQUIRED_COLUMNS if name != "price")
KNOWN_COLUMNS: tuple[str, ...] = (INDEX_COLUMN, *REQUIRED_COLUMNS, LABEL_COLUMN)

_HEAD_BYTES = 64 * 1024
_MEGABYTE = 1024 * 1024
_EXAMPLES = 5
_DELIMITERS = (",", ";", "\t", "|")
_DELIMITER_CODES = {";": "delimiter.semicolons", "\t": "delimiter.tabs", "|": "delimiter.bars"}
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_SPLIT_NAME = re.compile(r"^[A-Za-z0-9_-]+$")
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
_DECIMAL_COMMA = re.compile(r"^([-+]?\d+),(\d{1,2})$")
_CYRILLIC = frozenset("абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ")
_WORD = re.compile(r"[^\W\d_]+")
_MAGIC: tuple[tuple[bytes, str], ...] = (  # (first bytes, catalogue code of the file kind)
    (b"PK\x03\x04", "kind.zip"),
    (b"PK\x05\x06", "kind.zip_empty"),
    (b"\xd0\xcf\x11\xe0", "kind.xls"),
    (b"%PDF", "kind.pdf"),
    (b"\x1f\x8b", "kind.gzip"),
    (b"Rar!", "kind.rar"),
    (b"7z\xbc\xaf", "kind.7z"),
    (b"\x89PNG", "kind.png"),
    (b"\xff\xd8\xff", "kind.jpeg"),
    (b"GIF8", "kind.gif"),
    (b"SQLite format 3\x00", "kind.sqlite"),
    (b"PAR1", "kind.parquet"),
)


@dataclass
class LoadReport:
    """What read_ads_csv found besides the rows: warnings, encoding, unused columns."""

    rows: int
    warnings: list[Text] = field(default_factory=list)
    encoding: str = "utf-8"
    dropped_columns: list[str] = field(default_factory=list)
    delimiter: str = ","


# --------------------------------------------------------------------------- small helpers


def _mb(size: int) -> float:
    """Bytes as megabytes rounded to a tenth (messages show 12.5 or 200)."""
    return round(size / _MEGABYTE, 1)


def _show(value: Any, limit: int = 30) -> str:
    """Short repr of a cell for messages; 'empty' for missing values."""
    if _is_missing(value) or (isinstance(value, str) and not value.strip()):
        return Text("value.empty")
    text = str(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return repr(text)


def _is_missing(value: Any) -> bool:
    """True for None, NaN and pandas NA."""
    if value is None or value is pd.NA:
        return True
    return isinstance(value, float) and math.isnan(value)


def _plain_rows(rows: Sequence[int]) -> list[Text]:
    """Name 0-based positions as 1-based rows."""
    return [Text("place.row", row=row + 1) for row in rows]


def _record_rows(rows: Sequence[int]) -> list[Text]:
    """Name 0-based positions as 1-based JSON records."""
    return [Text("place.record", row=row + 1) for row in rows]


def _some(items: list[Text], total: int) -> list[Text] | Text:
    """The first items, with 'and N more' when total is larger."""
    more = total - len(items)
    return Text("list.and_more", items=items, n=more) if more > 0 else items


def _examples(
    rows: Sequence[int], values: Sequence[Any], where: Callable[[Sequence[int]], list[Text]]
) -> list[Text] | Text:
    """'row 3: 'x', row 5: empty and 4 more' for the first few bad rows."""
    shown = list(rows[:_EXAMPLES])
    names = where(shown)
    parts = [
        Text("example", place=name, value=_show(value)) for name, value in zip(names, values[:_EXAMPLES], strict=False)
    ]
    return _some(parts, len(rows))


def _normalise_name(name: Any) -> str:
    """Column name without surrounding spaces or BOM; known names are lower-cased."""
    text = str(name).strip().lstrip("\ufeff").strip()
    return text.lower() if text.lower() in KNOWN_COLUMNS else text


def _is_text_dtype(series: pd.Series) -> bool:
    """True for pandas string columns, which hold only str or NaN."""
    return isinstance(series.dtype, pd.StringDtype)


def _clean_number(value: Any) -> Any:
    """Clean number strings (1 000 -> 1000, 12,5 -> 12.5); bools become None, not numbers."""
    if isinstance(value, bool | np.bool_):
        return None
    if isinstance(value, str):
        return _DECIMAL_COMMA.sub(r"\1.\2", _SPACES.sub("", value))
    return value


def _to_float(series: pd.Series) -> pd.Series:
    """Numbers from a column of strings or numbers; unparsable and infinite values become NaN."""
    if pd.api.types.is_bool_dtype(series.dtype) or pd.api.types.is_numeric_dtype(series.dtype):
        values = series.astype(float)
    else:
        if not _is_text_dtype(series):
            series = series.astype(object).map(_clean_number)
        values = pd.to_numeric(series, errors="coerce").astype(float)
        retry = values.isna().to_numpy() & series.notna().to_numpy()
        if retry.any() and _is_text_dtype(series):
            cleaned = series[retry].astype(object).map(_clean_number)
            values[retry] = pd.to_numeric(cleaned, errors="coerce").astype(float)
    return values.where(~values.isin([math.inf, -math.inf]))


def _blank(series: pd.Series) -> np.ndarray:
    """Mask of missing or whitespace-only cells."""
    if _is_text_dtype(series):
        return (series.isna() | (series.str.strip() == "")).to_numpy(dtype=bool)
    if pd.api.types.is_numeric_dtype(series.dtype) or pd.api.types.is_bool_dtype(series.dtype):
        return series.isna().to_numpy(dtype=bool)
    return series.map(lambda v: _is_missing(v) or (isinstance(v, str) and not v.strip())).to_numpy(dtype=bool)


def _label_numbers(series: pd.Series) -> pd.Series:
    """Labels as floats: 0/1 stay, True/False become 1/0, anything else NaN."""
    if pd.api.types.is_bool_dtype(series.dtype):
        return series.astype(float)
    if series.dtype == object:
        series = series.map(lambda v: float(v) if isinstance(v, bool | np.bool_) else v)
    return _to_float(series)


def _bad_labels(series: pd.Series, *, allow_empty: bool) -> list[int]:
    """Positions whose label is not 0 or 1 (empty cells allowed when allow_empty)."""
    bad = ~_label_numbers(series).isin([0.0, 1.0]).to_numpy(dtype=bool)
    if allow_empty:
        bad &= ~_blank(series)
    return [int(i) for i in bad.nonzero()[0]]


def _is_text_cell(value: Any) -> bool:
    """True for cells a text column may hold: str, a plain number or a missing value."""
    if _is_missing(value) or isinstance(value, str):
        return True
    return isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_)


def _as_text(series: pd.Series) -> pd.Series:
    """A text column with missing values as '' (numbers written as text)."""
    if _is_text_dtype(series):
        return series.fillna("")
    return series.map(lambda v: "" if _is_missing(v) else v if isinstance(v, str) else str(v)).astype(str)


# --------------------------------------------------------------------------- validation


def _structural_problems(
    frame: pd.DataFrame, *, require_label: bool, where: Callable[[Sequence[int]], list[Text]]
) -> list[Text]:
    """Problems that make a frame unusable: missing columns, bad labels, bad ids, non-text cells."""
    problems: list[Text] = []
    names = [str(name) for name in frame.columns]
    duplicated = sorted({name for name in names if names.count(name) > 1 and name in KNOWN_COLUMNS})
    for name in duplicated:
        problems.append(Text("column.duplicate", column=name))
    missing = [name for name in REQUIRED_COLUMNS if name not in names]
    if missing:
        found: Any = ", ".join(names[:15])
        if len(names) > 15:
            found = Text("columns.found_more", columns=found, n=len(names))
        listed = ", ".join(f"'{name}'" for name in missing)
        problems.append(Text("columns.missing", n=len(missing), columns=listed, found=found or Text("columns.none")))
    if duplicated:
        return problems
    if require_label and LABEL_COLUMN not in names:
        problems.append(Text("label.missing", column=LABEL_COLUMN))
    if require_label and LABEL_COLUMN in names:
        column = frame[LABEL_COLUMN]
        bad = _bad_labels(column, allow_empty=False)
        if bad:
            values = [column.iloc[i] for i in bad[:_EXAMPLES]]
            problems.append(
                Text("label.not_binary", column=LABEL_COLUMN, n=len(bad), examples=_examples(bad, values, where))
            )
    if INDEX_COLUMN in names:
        column = frame[INDEX_COLUMN]
        blank = _blank(column)
        empty = [int(i) for i in blank.nonzero()[0]]
        if empty:
            problems.append(Text("index.empty", column=INDEX_COLUMN, n=len(empty), rows=where(empty[:_EXAMPLES])))
        keys = column.astype(object).map(lambda v: str(v).strip()).where(~blank)
        repeated = keys[keys.duplicated(keep=False) & keys.notna()]
        if len(repeated):
            first = repeated.iloc[0]
            rows = [int(i) for i in (keys == first).to_numpy().nonzero()[0]]
            problems.append(
                Text(
                    "index.not_unique",
                    column=INDEX_COLUMN,
                    n=int(repeated.nunique()),
                    value=repr(first),
                    rows=where(rows[:_EXAMPLES]),
                )
            )
    for name in TEXT_COLUMNS:
        if name not in names:
            continue
        column = frame[name]
        if column.dtype != object:
            continue
        wrong = ~column.map(_is_text_cell).to_numpy(dtype=bool)
        rows = [int(i) for i in wrong.nonzero()[0]]
        if rows:
            kinds = [
                Text("example.type", place=label, type=type(column.iloc[i]).__name__)
                for label, i in zip(where(rows[:_EXAMPLES]), rows, strict=False)
            ]
            problems.append(Text("column.not_text", column=name, n=len(rows), examples=kinds))
    return problems


def validate_ads(frame: pd.DataFrame, *, require_label: bool = False) -> list[Text]:
    """Problems that make a table of ads unusable (empty list when it is fine)."""
    if not isinstance(frame, pd.DataFrame):
        return [Text("table.not_frame", type=type(frame).__name__)]
    return _structural_problems(frame, require_label=require_label, where=_plain_rows)


def _normalise(
    frame: pd.DataFrame,
    *,
    require_label: bool,
    where: Callable[[Sequence[int]], list[Text]],
    strict: bool,
) -> tuple[pd.DataFrame, list[Text], list[Text]]:
    """Typed copy of a structurally valid frame with warnings; strict turns value warnings into problems."""
    frame = frame.reset_index(drop=True).copy()
    warnings: list[Text] = []
    problems: list[Text] = []

    for name in TEXT_COLUMNS:
        frame[name] = _as_text(frame[name])

    raw_price = frame["price"]
    price = _to_float(raw_price)
    junk = price.isna().to_numpy() & ~_blank(raw_price)
    junk_rows = [int(i) for i in junk.nonzero()[0]]
    if junk_rows:
        values = [raw_price.iloc[i] for i in junk_rows[:_EXAMPLES]]
        examples = _examples(junk_rows, values, where)
        if strict:
            problems.append(Text("price.not_number", n=len(junk_rows), examples=examples))
        else:
            warnings.append(Text("price.not_number_read_empty", n=len(junk_rows), examples=examples))
    frame["price"] = price

    if LABEL_COLUMN in frame.columns:
        column = frame[LABEL_COLUMN]
        labels = _label_numbers(column)
        bad = _bad_labels(column, allow_empty=True)
        if bad and not require_label:
            values = [column.iloc[i] for i in bad[:_EXAMPLES]]
            examples = _examples(bad, values, where)
            if strict:
                problems.append(Text("label.not_binary_strict", column=LABEL_COLUMN, n=len(bad), examples=examples))
            else:
                warnings.append(Text("label.not_binary_ignored", column=LABEL_COLUMN, n=len(bad), examples=examples))
        labels = labels.where(labels.isin([0.0, 1.0]))
        frame[LABEL_COLUMN] = labels.astype("int64") if labels.notna().all() else labels.astype("Int64")

    if INDEX_COLUMN in frame.columns:
        ids = frame[INDEX_COLUMN]
        as_numbers = _to_float(ids)
        if as_numbers.notna().all() and (as_numbers % 1 == 0).all():
            frame[INDEX_COLUMN] = as_numbers.astype("int64")

    if len(frame):
        categories = frame["category"]
        unknown = categories[~categories.isin(CATEGORIES)]
        if len(unknown):
            counts = Counter(value.strip() for value in unknown)
            shown: Any = [
                Text("category.empty", n=n) if not value else Text("category.count", value=value, n=n)
                for value, n in counts.most_common(_EXAMPLES)
            ]
            more = len(counts) - min(len(counts), _EXAMPLES)
            if more:
                shown = Text("list.and_more_values", items=shown, n=more)
            warnings.append(Text("category.unknown", n=len(unknown), known=len(CATEGORIES), values=shown))
        no_text = frame["description"].str.strip() == ""
        if no_text.any():
            no_title = no_text & (frame["title"].str.strip() == "")
            if no_title.any():
                warnings.append(Text("description.and_title_empty", n=int(no_text.sum()), m=int(no_title.sum())))
            else:
                warnings.append(Text("description.empty", n=int(no_text.sum())))
    return frame, warnings, problems


# --------------------------------------------------------------------------- reading bytes


def _remaining_size(stream: Any) -> int | None:
    """Bytes left in a seekable stream without reading them; None when unknown."""
    try:
        if not stream.seekable():
            return None
        position = stream.tell()
        end = stream.seek(0, io.SEEK_END)
        stream.seek(position)
        return int(end - position)
    except (AttributeError, OSError, ValueError):
        return None


def _read_stream(stream: Any, limit: int | None) -> bytes:
    """Read a stream to its end, or until more than limit bytes arrived (short reads are retried)."""
    chunks: list[bytes] = []
    total = 0
    while limit is None or total < limit:
        chunk = stream.read(-1 if limit is None else limit - total)
        if not chunk:
            break
        if isinstance(chunk, str):
            chunk = chunk.encode("utf-8")
        chunks.append(bytes(chunk))
        total += len(chunk)
    return b"".join(chunks)


class _Source:
    """Bytes of a CSV given as a path, bytes or a binary file object."""

    def __init__(self, source: str | Path | bytes | BinaryIO, max_bytes: int | None) -> None:
        """Open the source lazily for paths; read bytes and streams into memory."""
        self.path: Path | None = None
        self.data: bytes | None = None
        self.exact_size = True
        if isinstance(source, bytes | bytearray | memoryview):
            self.name: str = Text("file.upload")
            self.data = bytes(source)
            self.size = len(self.data)
        elif isinstance(source, str | os.PathLike):
            self.path = Path(source)
            self.name = self.path.name or str(self.path)
            try:
                if not self.path.exists():
                    raise DataError("file.not_found", path=str(self.path))
                if not self.path.is_file():
                    raise DataError("file.not_a_file", path=str(self.path))
                self.size = self.path.stat().st_size
            except OSError as error:
                raise DataError("file.unreadable", file=self.name, reason=str(error.strerror or error)) from None
        elif hasattr(source, "read"):
            self.name = Path(str(getattr(source, "name", "") or "")).name or Text("file.upload")
            remaining = _remaining_size(source)
            if max_bytes is not None and remaining is not None and remaining > max_bytes:
                self.data, self.size = b"", remaining
                return
            self.data = _read_stream(source, None if max_bytes is None else max_bytes + 1)
            self.size = len(self.data)
            self.exact_size = max_bytes is None or self.size <= max_bytes
        else:
            raise DataError("file.unsupported_source", kind=type(source).__name__)

    def head(self, size: int = _HEAD_BYTES) -> bytes:
        """The first bytes of the file."""
        if self.data is not None:
            return self.data[:size]
        assert self.path is not None
        with self.path.open("rb") as stream:
            return stream.read(size)

    def read_all(self) -> bytes:
        """The whole file."""
        return self.data if self.data is not None else self.path.read_bytes()  # type: ignore[union-attr]

    def open_binary(self) -> BinaryIO:
        """A fresh binary stream over the file."""
        if self.data is not None:
            return io.BytesIO(self.data)
        assert self.path is not None
        return self.path.open("rb")


def _line_of(data: bytes, position: int) -> int:
    """1-based line number of a byte position."""
    return data.count(b"\n", 0, position) + 1


def _looks_cp1251(raw: bytes) -> bool:
    """True when bytes decode as cp1251 into mostly whole Cyrillic words (not Latin-1 accents)."""
    try:
        text = raw.decode("cp1251")
    except UnicodeDecodeError:
        return False
    non_ascii = [char for char in text if ord(char) > 127]
    if not non_ascii:
        return False
    cyrillic = sum(char in _CYRILLIC for char in non_ascii)
    if cyrillic < 0.7 * len(non_ascii):
        return False
    in_pure = in_any = 0
    for word in _WORD.findall(text):
        letters = sum(char in _CYRILLIC for char in word)
        if letters:
            in_any += letters
            in_pure += letters if letters == len(word) and len(word) > 1 else 0
    return in_any > 0 and in_pure >= 0.6 * in_any


def _not_text_error(name: str, data: bytes, error: UnicodeDecodeError, encoding: str = "utf-8") -> DataError:
    """DataError for bytes that are neither UTF-8 nor cp1251 Cyrillic, naming the first bad byte's line."""
    byte = data[error.start] if error.start < len(data) else 0
    place = {"byte": f"{byte:02x}", "line": _line_of(data, error.start), "offset": error.start + 1}
    if encoding in ("utf-8", "utf-8-sig"):
        return DataError("csv.not_utf8", file=name, **place)
    return DataError("csv.not_encoding", file=name, encoding=encoding, **place)


def _sniff_binary(name: str, head: bytes) -> None:
    """Raise DataError for archives, spreadsheets, images and other binary files."""
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            raise DataError("csv.binary_kind", file=name, kind=Text(kind))
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return
    if b"\x00" in head:
        sample = head[:4096]
        if len(sample) > 8 and sample[1::2].count(0) > 0.4 * len(sample[1::2]):
            raise DataError("csv.utf16_no_bom", file=name)
        raise DataError("csv.binary_nul", file=name)
    controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 12, 13))
    if controls > max(2, len(head) // 100):
        raise DataError("csv.binary_control", file=name)


def _choose_encoding(source: _Source, head: bytes, warnings: list[Text]) -> str:
    """Encoding for pandas: utf-8(-sig), utf-16, or cp1251 when the text is Cyrillic in it."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        warnings.append(Text("read.utf16"))
        return "utf-16"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(head, final=len(head) >= source.size)
        return "utf-8"
    except UnicodeDecodeError as error:
        if _looks_cp1251(head):
            warnings.append(Text("read.cp1251"))
            return "cp1251"
        raise _not_text_error(source.name, head, error) from None


def _first_line(head: bytes, encoding: str) -> str:
    """The first non-blank line decoded: the header (a cut multi-byte character at the end is ignored)."""
    text = head.decode(encoding, errors="ignore").lstrip("\ufeff")
    for line in text.splitlines():
        if line.strip():
            return line
    return ""


def _sniff_header(name: str, line: str) -> tuple[str, list[str]]:
    """Delimiter and column names of the header line; DataError when it is no CSV header."""
    stripped = line.lstrip()
    if not stripped.strip():
        raise DataError("csv.first_line_empty", file=name)
    lowered = stripped[:200].lower()
    if lowered.startswith(("<!doctype", "<html", "<?xml")):
        raise DataError("csv.html", file=name)
    if stripped.startswith(("{", "[")):
        raise DataError("csv.json", file=name)
    best: tuple[tuple[int, int], str, list[str]] | None = None
    for delimiter in _DELIMITERS:
        names = next(csv.reader([line], delimiter=delimiter), [])
        known = sum(_normalise_name(column) in KNOWN_COLUMNS for column in names)
        key = (known, len(names))
        if best is None or key > best[0]:
            best = (key, delimiter, names)
    assert best is not None
    (known, width), delimiter, names = best
    if width <= 1 and known == 0:
        raise DataError("csv.no_header", file=name, start=_show(line, 40))
    return delimiter, names


def _record_lines(source: _Source, encoding: str, delimiter: str, rows: Sequence[int]) -> dict[int, int]:
    """First file line (1-based) of each wanted 0-based data row, read lazily up to the last one."""
    wanted = set(rows)
    if not wanted:
        return {}
    limit = max(wanted)
    found: dict[int, int] = {}
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    with source.open_binary() as binary:
        text = io.TextIOWrapper(binary, encoding=encoding, errors="replace", newline="")
        reader = csv.reader(text, delimiter=delimiter)
        row = -1
        previous_end = 0
        try:
            for record in reader:
                start = previous_end + 1
                previous_end = reader.line_num
                if not record:
                    continue
                if row in wanted:
                    found[row] = start
                row += 1
                if row > limit:
                    break
        except csv.Error:
            pass
        text.detach()
    return found


def _parse(source: _Source, encoding: str, delimiter: str, nrows: int | None, **options: Any) -> pd.DataFrame:
    """Run the pandas C parser over the source."""
    with source.open_binary() as stream:
        return pd.read_csv(
            stream,
            sep=delimiter,
            dtype=str,
            keep_default_na=False,
            na_values=[""],
            encoding=encoding,
            encoding_errors="strict",
            engine="c",
            nrows=nrows,
            **options,
        )


def _parse_with_fallback(
    source: _Source, encoding: str, delimiter: str, nrows: int | None, warnings: list[Text]
) -> tuple[pd.DataFrame, str]:
    """Parse; on a late decoding error retry as cp1251 Cyrillic or raise a DataError naming the line."""
    try:
        return _parse(source, encoding, delimiter, nrows), encoding
    except pd.errors.EmptyDataError:
        raise DataError("csv.empty", file=source.name) from None
    except pd.errors.ParserError as error:
        raise _parser_error(source.name, error) from None
    except UnicodeDecodeError:
        pass
    data = source.read_all()
    try:
        data.decode(encoding)
    except UnicodeDecodeError as error:
        if encoding == "utf-8" and _looks_cp1251(data):
            warnings.append(Text("read.cp1251"))
            try:
                return _parse(source, "cp1251", delimiter, nrows), "cp1251"
            except pd.errors.ParserError as parse_error:
                raise _parser_error(source.name, parse_error) from None
        raise _not_text_error(source.name, data, error, encoding) from None
    raise DataError("csv.undecodable", file=source.name, encoding=encoding)


def _parser_error(name: str, error: Exception) -> DataError:
    """DataError for a malformed CSV (unbalanced quotes, too many fields)."""
    detail = str(error).strip().replace("Error tokenizing data. C error: ", "")
    return DataError("csv.malformed", file=name, detail=detail)


def _count_rows(source: _Source, encoding: str, delimiter: str) -> int | None:
    """Number of data rows, parsing only the first column; None if it fails."""
    try:
        return len(_parse(source, encoding, delimiter, None, usecols=[0]))
    except (ValueError, UnicodeDecodeError):
        return None


def read_ads_csv(
    source: str | Path | bytes | BinaryIO,
    *,
    max_rows: int | None = None,
    max_bytes: int | None = None,
    require_label: bool = False,
) -> tuple[pd.DataFrame, LoadReport]:
    """Read a marketplace CSV (path, bytes or binary file) into a typed frame and a report."""
    src = _Source(source, max_bytes)
    name = src.name
    if max_bytes is not None and src.size > max_bytes:
        size_mb, limit_mb = _mb(src.size), _mb(max_bytes)
        if not src.exact_size:
            raise DataError("csv.too_big_stream", file=name, limit=limit_mb)
        if f"{size_mb:.1f}" == f"{limit_mb:.1f}":
            raise DataError("csv.too_big_bytes", file=name, size=src.size, limit=max_bytes)
        raise DataError("csv.too_big", file=name, size=size_mb, limit=limit_mb)
    head = src.head()
    if not head.lstrip(codecs.BOM_UTF8).strip():
        raise DataError("csv.empty", file=name)
    _sniff_binary(name, head)
    warnings: list[Text] = []
    encoding = _choose_encoding(src, head, warnings)
    first_line = _first_line(head, encoding)
    if not first_line and len(head) >= src.size:
        raise DataError("csv.empty", file=name)
    delimiter, header = _sniff_header(name, first_line)
    if delimiter != ",":
        warnings.append(Text("read.delimiter", name=Text(_DELIMITER_CODES[delimiter])))

    nrows = None if max_rows is None else max_rows + 1
    frame, encoding = _parse_with_fallback(src, encoding, delimiter, nrows, warnings)
    if max_rows is not None and len(frame) > max_rows:
        total = _count_rows(src, encoding, delimiter)
        if total is None:
            raise DataError("csv.too_many_rows_at_least", file=name, limit=max_rows)
        raise DataError("csv.too_many_rows", file=name, rows=total, limit=max_rows)

    header_names = [_normalise_name(column) for column in header]
    names = [_normalise_name(column) for column in frame.columns]
    if len(header_names) == len(names):
        names = [
            original if original in KNOWN_COLUMNS else parsed
            for original, parsed in zip(header_names, names, strict=True)
        ]
    frame.columns = names

    line_cache: dict[int, int] = {}

    def where(rows: Sequence[int]) -> list[Text]:
        """Name rows with their data row and file line numbers."""
        missing = [row for row in rows if row not in line_cache]
        if missing:
            line_cache.update(_record_lines(src, encoding, delimiter, missing))
        return [
            Text("place.row_line", row=row + 1, line=line_cache[row])
            if row in line_cache
            else Text("place.row", row=row + 1)
            for row in rows
        ]

    problems = _structural_problems(frame, require_label=require_label, where=where)
    if problems:
        raise DataError("csv.invalid", problems, file=name, details=problems)
    frame, value_warnings, _ = _normalise(frame, require_label=require_label, where=where, strict=False)
    warnings.extend(value_warnings)
    if frame.empty:
        warnings.insert(0, Text("read.header_only"))
    extra = [column for column in frame.columns if column not in KNOWN_COLUMNS]
    if extra:
        warnings.append(Text("read.extra_columns", columns=", ".join(f"'{column}'" for column in extra)))
    encoding_name = {"utf-8-sig": "utf-8-sig", "utf-16": "utf-16", "cp1251": "cp1251"}.get(encoding, "utf-8")
    report = LoadReport(
        rows=len(frame), warnings=warnings, encoding=encoding_name, dropped_columns=extra, delimiter=delimiter
    )
    return frame, report


# --------------------------------------------------------------------------- JSON records


def ads_from_records(records: list[dict], *, max_rows: int | None = None) -> pd.DataFrame:
    """Frame of ads from JSON-like records, validated like a CSV; DataError naming the bad records."""
    if not isinstance(records, list | tuple):
        raise DataError("records.not_list", type=type(records).__name__)
    if max_rows is not None and len(records) > max_rows:
        raise DataError("records.too_many", n=len(records), limit=max_rows)
    if not records:
        empty = pd.DataFrame({column: pd.Series(dtype=str) for column in REQUIRED_COLUMNS})
        empty["price"] = empty["price"].astype(float)
        return empty
    problems: list[Text] = []
    not_objects = [i for i, record in enumerate(records) if not isinstance(record, dict)]
    if not_objects:
        kinds = [
            Text("records.item_type", place=label, type=type(records[i]).__name__)
            for label, i in zip(_record_rows(not_objects[:_EXAMPLES]), not_objects, strict=False)
        ]
        raise DataError("records.not_objects", items=kinds)
    for column in REQUIRED_COLUMNS:
        absent = [i for i, record in enumerate(records) if column not in record]
        if len(absent) == len(records):
            problems.append(Text("records.field_missing", field=column))
        elif absent:
            shown = _some(_record_rows(absent[:_EXAMPLES]), len(absent))
            problems.append(Text("records.field_missing_some", field=column, rows=shown))
    if problems:
        raise DataError("records.invalid", problems, details=problems)
    frame = pd.DataFrame.from_records(list(records))
    frame.columns = [str(column) for column in frame.columns]
    problems = _structural_problems(frame, require_label=False, where=_record_rows)
    if not problems:
        frame, warnings, problems = _normalise(frame, require_label=False, where=_record_rows, strict=True)
        for warning in warnings:
            logger.info("ads_from_records: %s", warning)
    if problems:
        raise DataError("records.invalid", problems, details=problems)
    return frame


# --------------------------------------------------------------------------- splits on disk


def _split_file(folder: str, split: str) -> Path:
    """<folder>/<split>.csv after checking the split name is a plain word."""
    if not isinstance(split, str) or not _SPLIT_NAME.match(split):
        raise DataError("split.bad_name", name=repr(split))
    return resolve_path(folder) / f"{split}.csv"


def raw_split_path(settings: DataSettings, split: str) -> Path:
    """Path of a marketplace split file, <raw_dir>/<split>.csv (used when source=csv)."""
    return _split_file(settings.raw_dir, split)


def load_split(settings: DataSettings, split: str, *, require_label: bool | None = None) -> pd.DataFrame:
    """Read <prepared_dir>/<split>.csv written by prepare; train and val must be labelled by default."""
    path = _split_file(settings.prepared_dir, split)
    if not path.exists():
        raise DataError("split.missing", split=split, path=str(path))
    need_label = split in ("train", "val") if require_label is None else require_label
    frame, report = read_ads_csv(path, max_rows=settings.max_rows, require_label=need_label)
    for warning in report.warnings:
        logger.warning("%s: %s", path.name, warning)
    return frame


def write_split(frame: pd.DataFrame, path: Path) -> None:
    """Write ads as UTF-8 CSV (no frame index) atomically, creating the folder."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".csv", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            frame.to_csv(stream, index=False, lineterminator="\n")
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp_name, 0o644)
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


# --------------------------------------------------------------------------- spreadsheet export


def _neutralize_cell(value: Any) -> Any:
    """Prefix an apostrophe to strings a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralize_for_spreadsheet(frame: pd.DataFrame) -> pd.DataFrame:
    """Copy whose text cells (and headers) starting with = + - @ tab or CR get a leading apostrophe."""
    result = frame.copy()
    for position in range(frame.shape[1]):
        series = frame.iloc[:, position]
        if _is_text_dtype(series):
            risky = series.str.startswith(_FORMULA_PREFIXES).fillna(False).to_numpy(dtype=bool)
            if risky.any():
                result.isetitem(position, series.where(~risky, "'" + series))
        elif series.dtype == object:
            result.isetitem(position, series.map(_neutralize_cell))
    result.columns = [_neutralize_cell(column) for column in frame.columns]
    return result
