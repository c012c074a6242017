"""AppTest of the «Мониторинг» page standalone: an empty log, then a log with rows and decisions."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit import dataframe_util
from streamlit.testing.v1 import AppTest

from core.config import Settings, save_settings
from core.lifecycle import tracking
from core.lifecycle.data import load_split, read_ads_csv
from core.ops import monitoring, scoring
from core.ops.scoring import MonitoringLog
from tests.app.pagekit import signed_in, table_with

PAGE = Path(__file__).resolve().parents[2] / "app_pages" / "6_monitoring.py"


def _page_settings(trained_store, root: Path) -> Settings:
    """The trained store's settings (registry read-only) with the log and feedback under root."""
    settings = trained_store.settings.model_copy(deep=True)
    settings.monitoring.db_path = str(root / "monitoring" / "log.sqlite")
    settings.monitoring.store_text = True
    settings.data.feedback_path = str(root / "feedback" / "confirmed.csv")
    return settings


def _open(config: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("CONTACTGUARD_CONFIG", str(config))
    app = signed_in(AppTest.from_file(str(PAGE), default_timeout=180), role="analyst")
    app.run()
    assert not app.exception, [item.value for item in app.exception]
    return app


def _texts(app: AppTest) -> str:
    parts = [
        item.value for kind in ("info", "warning", "error", "success", "caption", "markdown") for item in app.get(kind)
    ]
    return "\n".join(str(part) for part in parts)


def _shown(app: AppTest, column: str) -> pd.DataFrame:
    """The cells as the page shows them (the table's display strings) of the first table with this column."""
    element = next(item for item in app.dataframe if column in item.value.columns)
    return dataframe_util.convert_arrow_bytes_to_pandas_df(element.proto.arrow_data.styler.display_values)


def _labels(app: AppTest, column: str) -> dict[str, str]:
    """Column headers (column_config labels) of the first table with this column."""
    element = next(item for item in app.dataframe if column in item.value.columns)
    return {name: config.get("label", name) for name, config in json.loads(element.proto.columns).items()}


def test_empty_log_explains_what_will_appear(trained_store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = save_settings(_page_settings(trained_store, tmp_path), tmp_path / "config.yaml")
    app = _open(config, monkeypatch)
    assert app.title[0].value == "Мониторинг"
    assert any("Журнал пока пуст" in item.value for item in app.info)
    assert not app.get("plotly_chart")
    assert app.selectbox(key="monitoring_period").value == "7 дней"


def test_log_with_rows_shows_charts_drift_agreement_and_exports(
    trained_store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = _page_settings(trained_store, tmp_path)
    config = save_settings(settings, tmp_path / "config.yaml")
    predictor = tracking.load_predictor(settings.tracking, version=trained_store.version)
    test = load_split(settings.data, "test").head(300)
    scored = scoring.score(
        predictor, test, source="batch", user="anna", settings=settings, model_version=trained_store.version
    )
    assert scored.warning is None
    ids = scored.recorded.ids
    for prediction_id in ids[:8]:
        monitoring.record_decision(settings.monitoring, prediction_id, "confirm")
    monitoring.record_decision(settings.monitoring, ids[8], "reject")

    app = _open(config, monkeypatch)
    charts = app.get("plotly_chart")
    assert len(charts) == 4  # volume, flag rate, score histogram, PSI
    metrics = {item.label: item.value for item in app.metric}
    assert metrics["Оценено объявлений"] == "300"
    assert metrics["Решений модераторов"] == "9"
    assert metrics["Согласие модераторов"] == "89 %"
    tables = app.dataframe
    psi = next(table.value for table in tables if "psi" in table.value.columns)
    assert "Все категории" in set(psi["category"])
    assert any(str(light).startswith(("🟢", "🟡", "🔴", "⚪")) for light in psi["light"])
    assert monitoring.reference_path(settings, trained_store.version).exists()
    agreement = next(table.value for table in tables if "agreement" in table.value.columns)
    assert agreement.set_index("category").loc["Все категории", "decided"] == 9

    app.button(key="monitoring_export").click().run()
    assert not app.exception
    assert any("Записано объявлений: 9" in item.value for item in app.success)
    exported, _ = read_ads_csv(settings.data.feedback_path, require_label=True)
    assert len(exported) == 9
    verdicts = pd.Series([int(p >= settings.app.threshold) for p in scored.result["prediction"].head(9)])
    assert exported["is_bad"].tolist() == [*verdicts[:8].tolist(), 1 - int(verdicts[8])]


def test_source_filter_to_nothing_shows_the_empty_explanation(
    trained_store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = _page_settings(trained_store, tmp_path)
    config = save_settings(settings, tmp_path / "config.yaml")
    frame = load_split(settings.data, "test").head(5)
    result = pd.DataFrame({"prediction": [0.9, 0.1, 0.6, 0.2, 0.3], "n_contacts": 0, "kinds": ""})
    recorded = MonitoringLog(settings.monitoring, 0.5).record_frame(
        frame, result, source="cli", user="cli:anna", model_version=""
    )
    assert recorded.warning is None
    app = _open(config, monkeypatch)
    assert len(app.get("plotly_chart")) == 3  # no model version logged: no drift chart, an explanation instead
    assert "номера версии" in _texts(app)
    app.multiselect(key="monitoring_sources").set_value([]).run()
    assert any("Журнал пока пуст" in item.value for item in app.info)


def test_drift_is_shown_for_the_model_version_chosen(config_copy: Path) -> None:
    from core.config import load_settings
    from tests.app.pagekit import run_page

    settings = load_settings(config_copy)
    test = load_split(settings.data, "test").head(120)
    for version in ("1", "2"):
        predictor = tracking.load_predictor(settings.tracking, version=version)
        scored = scoring.score(predictor, test, source="batch", user="anna", settings=settings, model_version=version)
        assert scored.warning is None
    app = run_page("app_pages/6_monitoring.py", role="analyst")
    assert not app.exception
    chooser = app.selectbox(key="monitoring_drift_version")
    assert chooser.options == ["версия 2 (последняя в журнале)", "версия 1"]
    assert "Версия модели 2;" in _texts(app)
    assert monitoring.reference_path(settings, "2").exists() and not monitoring.reference_path(settings, "1").exists()
    app = chooser.set_value("1").run()
    assert not app.exception
    assert "Версия модели 1;" in _texts(app)
    assert monitoring.reference_path(settings, "1").exists()
    psi = next(table.value for table in app.dataframe if "psi" in table.value.columns).set_index("category")
    assert psi.loc["Все категории", "ads"] == 120


def test_who_scored_each_ad_is_shown_with_numbers_the_russian_way(
    trained_store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = _page_settings(trained_store, tmp_path)
    config = save_settings(settings, tmp_path / "config.yaml")
    frame = load_split(settings.data, "test").head(10)
    log = MonitoringLog(settings.monitoring, 0.5)
    for rows, scores, source, user in (
        (slice(0, 5), [0.873, 0.1, 0.6, 0.2, 0.3], "check", "misha"),
        (slice(5, 8), [0.9, 0.1, 0.1], "cli", "cli:anna"),
        (slice(8, 10), [0.2, 0.95], "serve", None),
    ):
        result = pd.DataFrame({"prediction": scores, "n_contacts": 0, "kinds": ""})
        recorded = log.record_frame(frame.iloc[rows], result, source=source, user=user, model_version="1")
        assert recorded.warning is None and len(recorded.ids) == len(scores)

    app = _open(config, monkeypatch)
    metrics = {item.label: item.value for item in app.metric}
    assert metrics["Доля с контактом"] == "40,0 %"  # 4 of 10 at the threshold 0.5

    counts = table_with(app, "scorer")
    assert counts[["scorer", "ads", "flagged"]].values.tolist() == [
        ["misha", 5, 2],
        ["cli:anna", 3, 1],
        ["API-сервер", 2, 1],
    ]
    assert _labels(app, "scorer")["scorer"] == "Кем проверено"
    assert _shown(app, "scorer")["flag_rate"].tolist() == ["40,0 %", "33,3 %", "50,0 %"]

    recent = table_with(app, "scored_by")
    assert _labels(app, "scored_by")["scored_by"] == "Кем проверено"
    assert recent["scored_by"].tolist() == ["API-сервер"] * 2 + ["cli:anna"] * 3 + ["misha"] * 5  # newest first
    assert recent["source"].tolist() == ["API-сервер"] * 2 + ["командная строка"] * 3 + ["проверка"] * 5
    shown = _shown(app, "scored_by")
    assert shown["probability"].tolist() == [
        "0,950", "0,200", "0,100", "0,100", "0,900", "0,300", "0,200", "0,600", "0,100", "0,873",
    ]  # fmt: skip
    assert shown["verdict"].tolist()[:2] == ["с контактом", "без контакта"]

    app.multiselect(key="monitoring_sources").set_value(["cli"]).run()
    assert table_with(app, "scorer")["scorer"].tolist() == ["cli:anna"]
