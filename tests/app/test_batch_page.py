"""The batch page: upload, validation errors, results, summary, preview and spreadsheet-safe exports."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile

import pandas as pd
import pytest

from core import monitoring
from core.config import load_settings, save_settings
from core.data import REQUIRED_COLUMNS, read_ads_csv
from core.synth import generate_ads
from tests.app.pagekit import no_exceptions, run_page, table_with, texts
from ui.batch import (
    VERDICT_CLEAN,
    VERDICT_FLAGGED,
    category_summary,
    export_full,
    export_task1,
    export_task2,
    filter_results,
    results_table,
)
from ui.resources import _predictor_for, tracking_key

PAGE = "app_pages/2_batch.py"
N_ADS = 120


def ads_csv(n: int = N_ADS, with_index: bool = True) -> bytes:
    """Synthetic ads in the marketplace CSV format; the first ad's title is a spreadsheet formula."""
    frame = generate_ads(n, seed=7)[list(REQUIRED_COLUMNS)].copy()
    frame.loc[0, "title"] = '=HYPERLINK("http://evil.example","click")'
    frame.loc[1, "description"] = "@SUM(A1:A9) " + frame.loc[1, "description"]
    if with_index:
        frame.insert(0, "index", range(1000, 1000 + n))
    return frame.to_csv(index=False).encode("utf-8")


def upload(data: bytes, name: str = "ads.csv"):
    app = run_page(PAGE)
    return app.file_uploader(key="batch_file").set_value((name, data, "text/csv")).run()


def test_good_csv_is_scored_summarised_and_logged(app_env) -> None:
    settings = load_settings(app_env.config_path)
    before = len(monitoring.read_log(settings.monitoring))
    app = upload(ads_csv())
    no_exceptions(app)
    metrics = {metric.label: metric.value for metric in app.metric}
    assert metrics["Объявлений"] == str(N_ADS)
    results = table_with(app, "prediction")
    assert len(results) == N_ADS
    assert results["prediction"].is_monotonic_decreasing
    assert app.get("plotly_chart")
    labels = [button.label for button in app.get("download_button")]
    assert labels == ["Все результаты (CSV)", "Задача 1: index,prediction", "Задача 2: index,start,finish"]
    log = monitoring.read_log(settings.monitoring)
    assert len(log) == before + N_ADS and set(log["source"].iloc[before:]) == {"batch"}
    preview = [element.value for element in app.html if "cg-ad" in element.value]
    assert len(preview) == 1


def test_filters_and_preview_follow_the_widgets(app_env) -> None:
    app = upload(ads_csv())
    category = sorted(table_with(app, "prediction")["category"].unique())[0]
    app = app.multiselect(key="batch_categories").set_value([category]).run()
    app = app.selectbox(key="batch_verdict").set_value(VERDICT_FLAGGED).run()
    no_exceptions(app)
    shown = table_with(app, "prediction")
    assert set(shown["category"]) <= {category} and shown["flagged"].all()
    options = app.selectbox(key="batch_preview").options
    assert len(options) == len(shown)
    app = app.selectbox(key="batch_verdict").set_value(VERDICT_CLEAN).run()
    assert not table_with(app, "prediction")["flagged"].any()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"title,description\nfoo,bar\n", "нет обязательных столбцов 'subcategory'"),
        (b"", "файл пустой"),
        (None, "это не CSV"),
        (b"%PDF-1.7\n%binary", "это не CSV"),
    ],
)
def test_bad_files_are_refused_with_every_problem(app_env, data: bytes | None, expected: str) -> None:
    if data is None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("sheet.xml", "<x/>")
        data = buffer.getvalue()
    app = upload(data, "bad.csv")
    no_exceptions(app)
    errors = texts(app, "error")
    assert errors and "не принят" in errors[0] and expected in errors[0], errors
    assert not app.get("download_button")


def test_row_limit_from_the_settings(config_copy) -> None:
    settings = load_settings(config_copy)
    settings.app.max_rows = 10
    save_settings(settings, config_copy)
    app = upload(ads_csv(30))
    errors = texts(app, "error")
    assert errors and "можно не больше 10 строк" in errors[0]


def test_load_warnings_are_shown(app_env) -> None:
    data = ads_csv(20).decode("utf-8").replace(",Транспорт,", ",Космос,", 1).encode("utf-8")
    app = upload(data)
    no_exceptions(app)
    assert any("Космос" in text for text in texts(app, "warning"))


@pytest.fixture
def scored(app_env):
    frame, _ = read_ads_csv(ads_csv())
    settings = load_settings(app_env.config_path)
    predictor = _predictor_for(tracking_key(settings.tracking), app_env.champion, settings.tracking)
    return frame, predictor.predict_frame(frame), settings.app.threshold


def test_exports_are_contest_shaped_and_spreadsheet_safe(scored) -> None:
    frame, result, threshold = scored
    task1 = pd.read_csv(io.BytesIO(export_task1(frame, result)))
    assert list(task1.columns) == ["index", "prediction"] and task1["index"].tolist()[:2] == [1000, 1001]
    task2_text = export_task2(frame, result).decode("utf-8")
    assert all(re.fullmatch(r"\d+,\d*,\d*", line) for line in task2_text.splitlines()[1:])  # 96, never 96.0
    task2 = pd.read_csv(io.StringIO(task2_text))
    assert list(task2.columns) == ["index", "start", "finish"] and len(task2) == N_ADS
    clean = result["start"].isna().to_numpy()
    assert task2.loc[clean, "start"].isna().all() and task2.loc[~clean, "start"].notna().all()
    full_text = export_full(frame, result, threshold).decode("utf-8-sig")
    full = pd.read_csv(io.StringIO(full_text))
    assert full.loc[0, "title"].startswith("'=HYPERLINK")
    assert full.loc[1, "description"].startswith("'@SUM")
    assert {"prediction", "verdict", "start", "finish", "contacts", "kinds", "truncated"} <= set(full.columns)
    assert not full["truncated"].any()
    spans = [(row["start"], row["finish"]) for row in csv.DictReader(io.StringIO(full_text))]
    assert all(re.fullmatch(r"\d*", value) for pair in spans for value in pair)
    assert any(start for start, _ in spans)
    assert ((full["prediction"] >= threshold).astype(int) == full["verdict"]).all()


def test_table_helpers(scored) -> None:
    frame, result, threshold = scored
    table = results_table(frame, result, threshold)
    summary = category_summary(table)
    assert summary["ads"].sum() == len(frame)
    assert summary["flag_rate"].between(0, 1).all() and summary["flag_rate"].is_monotonic_decreasing
    assert len(filter_results(table, [], VERDICT_FLAGGED)) + len(filter_results(table, [], VERDICT_CLEAN)) == len(frame)


LONG_AD_CHARS = 50_000


def test_overlong_ad_is_cut_reported_and_marked(app_env) -> None:
    frame, _ = read_ads_csv(ads_csv(20))
    max_chars = load_settings(app_env.config_path).detect.max_chars
    filler = " Диван почти новый, доставка по городу."
    long_text = "Звоните 8 912 345-67-89." + filler * (LONG_AD_CHARS // len(filler))
    frame.loc[2, "description"] = long_text[:LONG_AD_CHARS]
    app = upload(frame.to_csv(index=False).encode("utf-8"))
    no_exceptions(app)
    limit = f"{max_chars:,}".replace(",", "\u202f")
    warnings = [text for text in texts(app, "warning") if "обрез" in text or "проверены только" in text]
    assert warnings == [
        f"1 объявл. с заголовком или описанием длиннее {limit} символов: проверены только первые {limit} символов. "
        "В полном файле результатов у них столбец truncated = True. Предел задаётся настройкой detect.max_chars."
    ]
    assert table_with(app, "prediction").set_index("row")["truncated"].to_dict() == {
        row: row == 3 for row in range(1, 21)
    }
    batch = app.session_state["batch_result"]
    full = pd.read_csv(io.StringIO(export_full(batch.frame, batch.result, 0.5).decode("utf-8-sig")))
    assert full["truncated"].tolist() == [index == 2 for index in range(20)]
    assert len(full.loc[2, "description"]) == LONG_AD_CHARS  # the download keeps the whole text
    contacts = json.loads(full.loc[2, "contacts"])
    assert [c["value"] for c in contacts] == ["+79123456789"] and full.loc[2, "start"] == 8
    task2_text = export_task2(batch.frame, batch.result).decode("utf-8")
    assert all(re.fullmatch(r"\d+,\d*,\d*", line) for line in task2_text.splitlines()[1:])

    app = app.selectbox(key="batch_preview").set_value(3).run()
    no_exceptions(app)
    assert f"Текст обрезан до первых {limit} символов — проверены и показаны только они." in texts(app, "caption")
