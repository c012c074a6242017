"""Tests of core.lifecycle.data: reading, validating and writing ads in the marketplace CSV format."""

from __future__ import annotations

import io
import pickle
import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from core.config import CATEGORIES, DataSettings
from core.errors import Text
from core.lifecycle.data import (
    LABEL_COLUMN,
    REQUIRED_COLUMNS,
    DataError,
    LoadReport,
    ads_from_records,
    load_split,
    neutralize_for_spreadsheet,
    raw_split_path,
    read_ads_csv,
    validate_ads,
    write_split,
)

# The real rows, copied into the repository (tests/data/real/README.md says from where).
SHARED_DATA = Path(__file__).resolve().parents[1] / "data" / "real"
SAMPLE = SHARED_DATA / "real_rows_sample.csv"
TRUNCATED = SHARED_DATA / "real_rows_truncated.csv"

HEADER = ",".join(REQUIRED_COLUMNS)
HEADER_LABELLED = HEADER + ",is_bad"


def _row(title: str = "Диван", description: str = "Продаю диван", price: str = "7000.0", **extra: str) -> dict:
    """One valid ad as a dict of strings."""
    row = {
        "title": title,
        "description": description,
        "subcategory": "Мебель и интерьер",
        "category": "Для дома и дачи",
        "price": price,
        "region": "Россия",
        "city": "Москва",
        "datetime_submitted": "2019-06-01 00:00:15.180656",
    }
    row.update(extra)
    return row


def _csv(rows: list[dict], *, sep: str = ",") -> str:
    """Rows rendered as CSV text with a header (quoting like the marketplace export)."""
    buffer = io.StringIO()
    pd.DataFrame(rows).to_csv(buffer, index=False, sep=sep, lineterminator="\n")
    return buffer.getvalue()


def _write(tmp_path: Path, text: str | bytes, name: str = "ads.csv", encoding: str = "utf-8") -> Path:
    """Write text (encoded) or bytes to a file in tmp_path."""
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode(encoding))
    return path


# ----------------------------------------------------------------------------- real files


def test_real_sample_loads_with_labels_and_extra_source_column() -> None:
    frame, report = read_ads_csv(SAMPLE, require_label=True)
    assert isinstance(report, LoadReport)
    assert len(frame) == report.rows == 14
    assert list(frame.columns[: len(REQUIRED_COLUMNS)]) == list(REQUIRED_COLUMNS)
    assert "source" in frame.columns
    assert report.dropped_columns == ["source"]
    assert any("source" in warning for warning in report.warnings)
    assert frame[LABEL_COLUMN].dtype == np.int64
    assert set(frame[LABEL_COLUMN]) <= {0, 1}
    assert int(frame[LABEL_COLUMN].sum()) == 10
    assert frame["price"].dtype == np.float64
    assert isinstance(frame.index, pd.RangeIndex) and list(frame.index) == list(range(14))
    assert report.encoding == "utf-8"


def test_real_sample_keeps_multiline_descriptions_verbatim() -> None:
    frame, _ = read_ads_csv(SAMPLE)
    descriptions = frame["description"].tolist()
    multi = [text for text in descriptions if "/\n" in text]
    assert len(multi) >= 5
    assert any(text.startswith("Торговое Оборудование - В КРЕДИТ") for text in multi)
    # rows end with CRLF in the file; the CR must not leak into the last column
    assert not any(value.endswith("\r") for value in frame["source"])
    # empty fields become "" in text columns and NaN in price
    assert (frame["title"] == "").any()
    assert frame["price"].isna().any()
    assert not frame[list(REQUIRED_COLUMNS[:4])].isna().any().any()


def test_real_truncated_rows_load() -> None:
    frame, report = read_ads_csv(TRUNCATED, require_label=True)
    assert len(frame) == 24
    assert frame.loc[0, "title"] == "Диван-кровать"
    assert frame.loc[0, "price"] == 7000.0
    assert frame.loc[0, "datetime_submitted"] == "2019-06-01 00:00:15.180656"
    assert report.dropped_columns == ["source"]


def test_real_sample_from_bytes_and_file_object() -> None:
    data = SAMPLE.read_bytes()
    from_bytes, _ = read_ads_csv(data)
    with SAMPLE.open("rb") as stream:
        from_stream, _ = read_ads_csv(stream)
    from_path, _ = read_ads_csv(SAMPLE)
    pd.testing.assert_frame_equal(from_bytes, from_path)
    pd.testing.assert_frame_equal(from_stream, from_path)


def test_unlabelled_contest_test_file_with_index_column(tmp_path: Path) -> None:
    rows = [{"index": str(i), **_row(title=f"Ad {i}")} for i in (17, 3, 99)]
    path = _write(tmp_path, _csv(rows), "test.csv")
    frame, report = read_ads_csv(path)
    assert frame["index"].tolist() == [17, 3, 99]
    assert frame["index"].dtype == np.int64
    assert LABEL_COLUMN not in frame.columns
    assert list(frame.index) == [0, 1, 2]
    assert report.dropped_columns == []
    with pytest.raises(DataError, match="is_bad"):
        read_ads_csv(path, require_label=True)


def test_frame_index_is_range_without_index_column(tmp_path: Path) -> None:
    frame, _ = read_ads_csv(_write(tmp_path, _csv([_row(), _row()])))
    assert isinstance(frame.index, pd.RangeIndex)
    assert list(frame.index) == [0, 1]


def test_duplicate_ids_in_index_column_are_an_error(tmp_path: Path) -> None:
    rows = [{"index": "5", **_row()}, {"index": "5", **_row()}]
    with pytest.raises(DataError, match="unique"):
        read_ads_csv(_write(tmp_path, _csv(rows)))


# ----------------------------------------------------------------------------- structure errors


def test_missing_columns_are_named_with_the_columns_found(tmp_path: Path) -> None:
    rows = [{key: value for key, value in _row().items() if key not in ("price", "region")}]
    with pytest.raises(DataError) as caught:
        read_ads_csv(_write(tmp_path, _csv(rows), "train.csv"))
    message = str(caught.value)
    assert "'price'" in message and "'region'" in message
    assert "title" in message and "columns found" in message
    assert "train.csv" in message
    assert any("price" in problem for problem in caught.value.problems)


def test_data_error_is_a_coded_value_error_with_problems() -> None:
    error = DataError("csv.empty", file="ads.csv")
    assert isinstance(error, ValueError)
    assert (error.code, error.params) == ("csv.empty", {"file": "ads.csv"})
    assert str(error) == "ads.csv: the file is empty" and error.text("ru") == "ads.csv: файл пустой"
    assert error.problems == ["ads.csv: the file is empty"] and error.problems[0].code == "csv.empty"
    problems = [Text("label.missing", column="is_bad"), Text("column.duplicate", column="title")]
    both = DataError("csv.invalid", problems, file="a.csv", details=problems)
    assert both.problems == problems
    assert str(both) == (
        "a.csv: missing label column 'is_bad' (needed for training and evaluation); "
        "column 'title' appears more than once"
    )
    assert pickle.loads(pickle.dumps(both)).text("ru") == both.text("ru")


def test_header_only_csv_reads_as_no_ads_with_a_coded_warning() -> None:
    frame, report = read_ads_csv(",".join(REQUIRED_COLUMNS).encode() + b"\n")
    assert frame.empty and list(frame.columns) == list(REQUIRED_COLUMNS)
    assert report.warnings[0].code == "read.header_only"
    assert report.warnings[0] == "the file has a header but no data rows"


@pytest.mark.parametrize("content", [b"", b"   \n\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf\r\n", b"\xff\xfe"])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    with pytest.raises(DataError, match="the file is empty"):
        read_ads_csv(_write(tmp_path, content))


def test_header_only_file_gives_empty_frame_and_warning(tmp_path: Path) -> None:
    frame, report = read_ads_csv(_write(tmp_path, HEADER_LABELLED + "\n"), require_label=True)
    assert frame.empty
    assert list(frame.columns) == [*REQUIRED_COLUMNS, LABEL_COLUMN]
    assert report.rows == 0
    assert any("no data rows" in warning for warning in report.warnings)


def test_header_only_file_still_needs_the_columns(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="'city'"):
        read_ads_csv(_write(tmp_path, "title,description\n"))


def test_binary_garbage_is_not_a_csv(tmp_path: Path) -> None:
    garbage = bytes(np.random.default_rng(0).integers(0, 256, 4000, dtype=np.uint8))
    with pytest.raises(DataError, match="not a CSV file"):
        read_ads_csv(_write(tmp_path, b"\x00\x01" + garbage))


def test_xlsx_like_zip_is_not_a_csv(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    path = _write(tmp_path, buffer.getvalue(), "ads.xlsx")
    with pytest.raises(DataError, match="not a CSV file") as caught:
        read_ads_csv(path)
    assert "xlsx" in str(caught.value)
    assert "ads.xlsx" in str(caught.value)


def test_old_xls_is_not_a_csv() -> None:
    with pytest.raises(DataError, match="xls"):
        read_ads_csv(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)


@pytest.mark.parametrize(
    "text",
    [
        "just some words without any separators\nmore words\n",
        '[{"title": "x"}]',
        "<!DOCTYPE html><html></html>",
    ],
)
def test_text_that_is_not_a_csv(tmp_path: Path, text: str) -> None:
    with pytest.raises(DataError, match="not a CSV file"):
        read_ads_csv(_write(tmp_path, text))


def test_malformed_csv_is_reported(tmp_path: Path) -> None:
    text = HEADER + "\n" + "a,b,c,d,1,e,f,g\n" + "a,b,c,d,1,e,f,g,h,i,j\n"
    with pytest.raises(DataError, match="well-formed"):
        read_ads_csv(_write(tmp_path, text))


def test_duplicate_required_column_is_an_error(tmp_path: Path) -> None:
    text = HEADER + ",title\n" + "a,b,c,Работа,1,e,f,g,h\n"
    with pytest.raises(DataError, match="'title' appears more than once"):
        read_ads_csv(_write(tmp_path, text))


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="not found"):
        read_ads_csv(tmp_path / "nope.csv")
    with pytest.raises(DataError, match="not a file"):
        read_ads_csv(tmp_path)


# ----------------------------------------------------------------------------- encodings


def test_cp1251_file_loads_with_warning_and_correct_cyrillic(tmp_path: Path) -> None:
    rows = [_row(title="Продаю шкаф", description="Шкаф-купе, отличное состояние. Звоните!"), _row()]
    path = _write(tmp_path, _csv(rows), encoding="cp1251")
    frame, report = read_ads_csv(path)
    assert frame.loc[0, "title"] == "Продаю шкаф"
    assert frame.loc[0, "description"] == "Шкаф-купе, отличное состояние. Звоните!"
    assert frame.loc[1, "category"] == "Для дома и дачи"
    assert report.encoding == "cp1251"
    assert any("cp1251" in warning for warning in report.warnings)


def test_latin1_text_is_not_taken_for_cp1251(tmp_path: Path) -> None:
    latin = {"subcategory": "Möbel", "category": "Maison", "region": "Bayern", "city": "München"}
    rows = [_row(title="Café crème brûlée", description="Größe: naïve Übergröße, très jolie", **latin)]
    path = _write(tmp_path, _csv(rows), encoding="latin-1")
    with pytest.raises(DataError, match="not UTF-8") as caught:
        read_ads_csv(path)
    assert "line 2" in str(caught.value)


def test_bad_utf8_byte_after_the_sniffed_head_names_its_line(tmp_path: Path) -> None:
    rows = [_row(description="Описание объявления " * 40) for _ in range(200)]
    data = _csv(rows).encode("utf-8") + b"x,\xff\xfe,c,d,1,e,f,g\n"
    assert len(data) > 64 * 1024
    with pytest.raises(DataError, match="not UTF-8") as caught:
        read_ads_csv(data)
    last_line = data.count(b"\n")
    assert f"line {last_line}," in str(caught.value)


def test_utf8_bom_is_stripped(tmp_path: Path) -> None:
    path = _write(tmp_path, "\ufeff" + _csv([_row()]))
    frame, report = read_ads_csv(path)
    assert frame.columns[0] == "title"
    assert frame.loc[0, "title"] == "Диван"
    assert report.encoding == "utf-8-sig"


def test_utf16_with_bom_loads_with_warning(tmp_path: Path) -> None:
    path = _write(tmp_path, _csv([_row()], sep="\t"), encoding="utf-16")
    frame, report = read_ads_csv(path)
    assert frame.loc[0, "city"] == "Москва"
    assert report.encoding == "utf-16"
    assert any("UTF-16" in warning for warning in report.warnings)


# ----------------------------------------------------------------------------- delimiters


@pytest.mark.parametrize(("sep", "word"), [(";", "semicolons"), ("\t", "tabs")])
def test_semicolon_and_tab_separated_files_are_detected(tmp_path: Path, sep: str, word: str) -> None:
    rows = [_row(description="Цена 5, торг; звоните"), _row()]
    frame, report = read_ads_csv(_write(tmp_path, _csv(rows, sep=sep)))
    assert len(frame) == 2
    assert frame.loc[0, "description"] == "Цена 5, торг; звоните"
    assert frame.loc[0, "price"] == 7000.0
    assert report.delimiter == sep
    assert any(word in warning for warning in report.warnings)


def test_russian_excel_export_semicolons_cp1251_decimal_comma(tmp_path: Path) -> None:
    rows = [_row(price="1 200,50"), _row(price="99,9"), _row(price="1,000")]
    frame, report = read_ads_csv(_write(tmp_path, _csv(rows, sep=";"), encoding="cp1251"))
    assert frame["price"].tolist()[:2] == [1200.5, 99.9]
    assert np.isnan(frame["price"].iloc[2])
    assert report.encoding == "cp1251" and report.delimiter == ";"
    assert frame.loc[0, "city"] == "Москва"


def test_blank_lines_before_the_header_are_skipped(tmp_path: Path) -> None:
    frame, _ = read_ads_csv(_write(tmp_path, "\n\n" + _csv([_row()])))
    assert frame.loc[0, "title"] == "Диван"


def test_header_names_are_trimmed_and_case_insensitive(tmp_path: Path) -> None:
    text = _csv([_row()]).replace("title,description", " Title , DESCRIPTION", 1)
    frame, _ = read_ads_csv(_write(tmp_path, text))
    assert list(frame.columns) == list(REQUIRED_COLUMNS)


# ----------------------------------------------------------------------------- labels and values


def test_bad_labels_with_require_label_name_rows_and_lines(tmp_path: Path) -> None:
    rows = [
        _row(description="строка 1/\nстрока 2", is_bad="1"),
        _row(is_bad="yes"),
        _row(description="a/\nb/\nc", is_bad="0"),
        _row(is_bad=""),
        _row(is_bad="1.0"),
    ]
    path = _write(tmp_path, _csv(rows))
    with pytest.raises(DataError) as caught:
        read_ads_csv(path, require_label=True)
    message = str(caught.value)
    assert "is_bad" in message and "2 rows are not" in message
    assert "row 2 (line 4): 'yes'" in message
    assert "row 4 (line 8): empty" in message


def test_bad_labels_without_require_label_are_a_warning(tmp_path: Path) -> None:
    rows = [_row(is_bad="1"), _row(is_bad="maybe"), _row(is_bad="")]
    frame, report = read_ads_csv(_write(tmp_path, _csv(rows)))
    assert frame[LABEL_COLUMN].iloc[0] == 1
    assert frame[LABEL_COLUMN].isna().tolist() == [False, True, True]
    assert any("'maybe'" in warning for warning in report.warnings)


def test_labels_written_as_floats_are_accepted(tmp_path: Path) -> None:
    frame, _ = read_ads_csv(_write(tmp_path, _csv([_row(is_bad="1.0"), _row(is_bad="0")])), require_label=True)
    assert frame[LABEL_COLUMN].tolist() == [1, 0]
    assert frame[LABEL_COLUMN].dtype == np.int64


def test_price_with_junk_is_a_warning_with_rows(tmp_path: Path) -> None:
    rows = [
        _row(price="1 500"),
        _row(price="договорная"),
        _row(price=""),
        _row(price="12.5"),
        _row(price="inf"),
    ]
    frame, report = read_ads_csv(_write(tmp_path, _csv(rows)))
    assert frame["price"].iloc[0] == 1500.0
    assert np.isnan(frame["price"].iloc[1])
    assert np.isnan(frame["price"].iloc[2])
    assert frame["price"].iloc[3] == 12.5
    assert np.isnan(frame["price"].iloc[4])
    warning = next(w for w in report.warnings if "price" in w)
    assert "2 rows" in warning
    assert "row 2 (line 3): 'договорная'" in warning
    assert "row 5" in warning


def test_unknown_categories_and_empty_descriptions_are_counted(tmp_path: Path) -> None:
    rows = [
        _row(category="Авто"),
        _row(category="Авто"),
        _row(description=""),
        _row(description="", title=""),
    ]
    frame, report = read_ads_csv(_write(tmp_path, _csv(rows)))
    assert frame["description"].tolist()[2:] == ["", ""]
    category_warning = next(w for w in report.warnings if "category" in w)
    assert "2 ads have" in category_warning and "'Авто' (2)" in category_warning
    text_warning = next(w for w in report.warnings if "empty description" in w)
    assert text_warning.startswith("2 ads have")
    assert "1 ad has neither" in text_warning


def test_text_values_that_look_like_missing_markers_are_kept(tmp_path: Path) -> None:
    frame, _ = read_ads_csv(_write(tmp_path, _csv([_row(title="NA", description="None")])))
    assert frame.loc[0, "title"] == "NA"
    assert frame.loc[0, "description"] == "None"


def test_all_known_categories_give_no_category_warning(tmp_path: Path) -> None:
    rows = [_row(category=category) for category in CATEGORIES]
    _, report = read_ads_csv(_write(tmp_path, _csv(rows)))
    assert not any("category" in warning for warning in report.warnings)


# ----------------------------------------------------------------------------- limits


def test_max_rows_limit(tmp_path: Path) -> None:
    path = _write(tmp_path, _csv([_row(description=f"строка/\n{i}") for i in range(5)]))
    with pytest.raises(DataError, match="5 rows, the limit is 3"):
        read_ads_csv(path, max_rows=3)
    frame, _ = read_ads_csv(path, max_rows=5)
    assert len(frame) == 5


def test_max_bytes_limit_for_path_bytes_and_stream(tmp_path: Path) -> None:
    text = _csv([_row(description="x" * 1000) for _ in range(3000)])
    path = _write(tmp_path, text)
    size = path.stat().st_size
    expected = f"the file is {size / 1024 / 1024:.1f} MB, the limit is 1 MB"
    for source in (path, path.read_bytes(), io.BytesIO(path.read_bytes())):
        with pytest.raises(DataError, match=re.escape(expected)):
            read_ads_csv(source, max_bytes=1024 * 1024)
    frame, _ = read_ads_csv(path, max_bytes=size)
    assert len(frame) == 3000


class _Pipe(io.RawIOBase):
    """A non-seekable stream, like a socket or a pipe."""

    def __init__(self, data: bytes) -> None:
        self._inner = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        return self._inner.read(size)


def test_max_bytes_limit_for_a_stream_of_unknown_size() -> None:
    data = _csv([_row(description="y" * 500) for _ in range(300)]).encode("utf-8")
    assert len(data) > 100_000
    with pytest.raises(DataError, match=r"more than 0\.1 MB, the limit is 0\.1 MB"):
        read_ads_csv(_Pipe(data), max_bytes=100_000)  # type: ignore[arg-type]
    frame, _ = read_ads_csv(_Pipe(data), max_bytes=len(data))  # type: ignore[arg-type]
    assert len(frame) == 300


# ----------------------------------------------------------------------------- validate_ads and records


def test_validate_ads() -> None:
    frame = pd.DataFrame([_row(), _row()])
    assert validate_ads(frame) == []
    assert any("is_bad" in problem for problem in validate_ads(frame, require_label=True))
    labelled = frame.assign(is_bad=[1, 2])
    problems = validate_ads(labelled, require_label=True)
    assert len(problems) == 1 and "row 2: '2'" in problems[0]
    missing = validate_ads(frame.drop(columns=["city"]))
    assert len(missing) == 1 and "'city'" in missing[0]
    assert validate_ads("not a frame") != []  # type: ignore[arg-type]
    assert validate_ads(frame.assign(title=[{"a": 1}, "ok"]))[0].startswith("column 'title' must hold text")


def test_ads_from_records() -> None:
    records = [_row(price=None), {**_row(), "price": 1200, "is_bad": 1, "extra": "x"}]
    frame = ads_from_records(records)
    assert frame["price"].tolist()[1] == 1200.0
    assert np.isnan(frame["price"].iloc[0])
    assert frame["title"].tolist() == ["Диван", "Диван"]
    assert "extra" in frame.columns
    assert frame[LABEL_COLUMN].isna().tolist() == [True, False]


def test_ads_from_records_errors() -> None:
    with pytest.raises(DataError, match="missing required field 'city'"):
        ads_from_records([{k: v for k, v in _row().items() if k != "city"}])
    with pytest.raises(DataError, match=r"'region' is missing from record 2"):
        ads_from_records([_row(), {k: v for k, v in _row().items() if k != "region"}])
    with pytest.raises(DataError, match="record 2: 'abc'"):
        ads_from_records([_row(), _row(price="abc")])
    with pytest.raises(DataError, match="JSON object"):
        ads_from_records([_row(), "oops"])  # type: ignore[list-item]
    with pytest.raises(DataError, match="list"):
        ads_from_records({"title": "x"})  # type: ignore[arg-type]
    with pytest.raises(DataError, match="must hold text"):
        ads_from_records([_row(title=["x"])])  # type: ignore[arg-type]
    with pytest.raises(DataError, match="limit is 1"):
        ads_from_records([_row(), _row()], max_rows=1)


def test_ads_from_empty_records() -> None:
    frame = ads_from_records([])
    assert frame.empty and list(frame.columns) == list(REQUIRED_COLUMNS)


# ----------------------------------------------------------------------------- splits


def test_write_split_then_load_split_round_trip(tmp_path: Path) -> None:
    settings = DataSettings(prepared_dir=str(tmp_path / "prepared"), raw_dir=str(tmp_path / "raw"))
    tricky = 'Звоните: "8 912"/\n /\nили пишите, =1+2\r\nконец'
    frame = ads_from_records([_row(description=tricky, is_bad=1), _row(price=None, is_bad=0, title="")])
    write_split(frame, tmp_path / "prepared" / "train.csv")
    assert not list((tmp_path / "prepared").glob(".*"))
    loaded = load_split(settings, "train")
    pd.testing.assert_frame_equal(loaded, frame)
    assert loaded.loc[0, "description"] == tricky


def test_load_split_errors(tmp_path: Path) -> None:
    settings = DataSettings(prepared_dir=str(tmp_path))
    with pytest.raises(DataError, match="prepare"):
        load_split(settings, "val")
    with pytest.raises(DataError, match="split name"):
        load_split(settings, "../secrets")
    write_split(pd.DataFrame([_row()]), tmp_path / "train.csv")
    with pytest.raises(DataError, match="is_bad"):
        load_split(settings, "train")
    write_split(pd.DataFrame([_row()]), tmp_path / "test.csv")
    assert len(load_split(settings, "test")) == 1


def test_load_split_respects_max_rows(tmp_path: Path) -> None:
    settings = DataSettings(prepared_dir=str(tmp_path), max_rows=1)
    write_split(pd.DataFrame([_row(), _row()]), tmp_path / "test.csv")
    with pytest.raises(DataError, match="limit is 1"):
        load_split(settings, "test")


def test_raw_split_path(tmp_path: Path) -> None:
    assert raw_split_path(DataSettings(raw_dir=str(tmp_path)), "val") == tmp_path / "val.csv"
    relative = raw_split_path(DataSettings(), "train")
    assert relative.is_absolute() and relative.parts[-3:] == ("data", "raw", "train.csv")


# ----------------------------------------------------------------------------- spreadsheet export


def test_neutralize_for_spreadsheet() -> None:
    frame = pd.DataFrame(
        {
            "description": ['=HYPERLINK("http://evil","x")', "+7912", "-1", "@x", "\tcmd", "обычный текст"],
            "price": [1.0, -1.0, 2.0, 3.0, 4.0, 5.0],
            "mixed": ["=1", 2, None, "ok", "-", "\r=2"],
        }
    )
    safe = neutralize_for_spreadsheet(frame)
    assert safe["description"].tolist() == [
        '\'=HYPERLINK("http://evil","x")',
        "'+7912",
        "'-1",
        "'@x",
        "'\tcmd",
        "обычный текст",
    ]
    assert safe["price"].tolist() == frame["price"].tolist()
    assert safe["mixed"].tolist()[:2] == ["'=1", 2]
    assert safe["mixed"].iloc[2] is None
    assert safe["mixed"].tolist()[3:] == ["ok", "'-", "'\r=2"]
    assert frame["description"].iloc[0].startswith("=")  # the original is untouched


def test_neutralize_keeps_string_dtype_and_headers(tmp_path: Path) -> None:
    frame, _ = read_ads_csv(_write(tmp_path, _csv([_row(title="=cmd|' /C calc'!A0")])))
    frame["=evil"] = frame["title"]
    safe = neutralize_for_spreadsheet(frame)
    assert safe.loc[0, "title"] == "'=cmd|' /C calc'!A0"
    assert safe["title"].dtype == frame["title"].dtype
    assert "'=evil" in safe.columns


def test_core_data_does_not_import_streamlit() -> None:
    import core.lifecycle.data

    assert "streamlit" not in Path(core.lifecycle.data.__file__).read_text(encoding="utf-8")
