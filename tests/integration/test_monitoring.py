"""Monitoring: rows from every entry point, aggregates, PSI math and reference, agreement, feedback export."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from core import cli
from core.config import Settings, save_settings
from core.lifecycle import tracking
from core.lifecycle.data import load_split, read_ads_csv, write_split
from core.lifecycle.pipeline import prepare
from core.ops import monitoring, scoring
from core.ops.scoring import MonitoringLog
from core.ops.serving import ScoringService
from tests.conftest import SAMPLE_AD


def _settings(store, root: Path, **monitoring_options: object) -> Settings:
    """The trained store's settings with the monitoring log (and feedback) under root; store read-only."""
    settings = store.settings.model_copy(deep=True)
    settings.monitoring.db_path = str(root / "monitoring" / "log.sqlite")
    settings.data.feedback_path = str(root / "feedback" / "confirmed.csv")
    for key, value in monitoring_options.items():
        setattr(settings.monitoring, key, value)
    return settings


def _record(settings: Settings, frame: pd.DataFrame, scores: list[float], source: str) -> list[int]:
    """Record ads with given scores (model 1, threshold 0.5) through the scoring service's log; their log ids."""
    result = pd.DataFrame({"prediction": scores, "n_contacts": [0] * len(scores), "kinds": [""] * len(scores)})
    recorded = MonitoringLog(settings.monitoring, 0.5).record_frame(
        frame, result, source=source, user=None, model_version="1"
    )
    assert recorded.warning is None
    return recorded.ids


# --------------------------------------------------------------------------- PSI math


def test_psi_is_zero_for_identical_histograms_and_matches_the_formula() -> None:
    assert monitoring.population_stability_index([100, 200, 700], [1000, 2000, 7000]) == pytest.approx(0.0, abs=1e-3)
    by_hand = (0.25 - 0.5) * math.log(0.25 / 0.5) + (0.75 - 0.5) * math.log(0.75 / 0.5)
    assert by_hand == pytest.approx(0.2747, abs=1e-4)
    assert monitoring.population_stability_index([50_000, 50_000], [25_000, 75_000]) == pytest.approx(by_hand, abs=1e-4)


def test_psi_smooths_empty_bins_and_refuses_mismatched_bins() -> None:
    value = monitoring.population_stability_index([500, 500, 0], [0, 500, 500])
    assert math.isfinite(value) and value > 1.0
    assert math.isnan(monitoring.population_stability_index([1, 2], [0, 0]))
    with pytest.raises(ValueError, match="same bins"):
        monitoring.population_stability_index([1, 2], [1, 2, 3])


def test_equal_width_edges_and_bin_counts() -> None:
    edges = monitoring.score_edges(10)
    assert edges[0] == 0.0 and edges[-1] == 1.0 and len(edges) == 11
    scores = np.random.default_rng(0).uniform(size=10_000)
    counts = monitoring.bin_counts(scores, edges)
    assert counts.sum() == 10_000 and counts.min() > 900
    assert monitoring.bin_counts([1.0, 0.0, 1.5, -1.0], edges).tolist() == [2, 0, 0, 0, 0, 0, 0, 0, 0, 2]


def test_psi_status_traffic_light() -> None:
    assert monitoring.psi_status(0.05, 100) == "ok"
    assert monitoring.psi_status(0.15, 100) == "warn"
    assert monitoring.psi_status(0.4, 100) == "alert"
    assert monitoring.psi_status(0.4, monitoring.MIN_DRIFT_ADS - 1) == "few"
    assert monitoring.psi_status(float("nan"), 100) == "few"
    assert monitoring.psi_status(0.05, 100, reference_ads=monitoring.MIN_DRIFT_ADS - 1) == "few"


def test_drift_is_low_for_the_same_distribution_and_high_for_a_shift() -> None:
    rng = np.random.default_rng(1)
    categories = ["Транспорт"] * 2000 + ["Работа"] * 2000
    reference_scores = np.concatenate([rng.beta(0.5, 2, 2000), rng.beta(2, 0.5, 2000)])
    reference = monitoring.build_reference(reference_scores, categories, 10)
    same = pd.DataFrame({"category": ["Транспорт"] * 500, "probability": rng.beta(0.5, 2, 500), "model_version": "1"})
    shifted = pd.DataFrame({"category": ["Работа"] * 500, "probability": rng.beta(0.5, 2, 500), "model_version": "1"})
    drift = monitoring.drift_by_category(pd.concat([same, shifted], ignore_index=True), reference).set_index("category")
    assert drift.loc["Транспорт", "psi"] < monitoring.PSI_WARN and drift.loc["Транспорт", "status"] == "ok"
    assert drift.loc["Работа", "psi"] > monitoring.PSI_ALERT and drift.loc["Работа", "status"] == "alert"
    assert drift.loc[monitoring.ALL_CATEGORIES, "ads"] == 1000


# --------------------------------------------------------------------------- aggregates and agreement


def test_volume_flag_rate_distribution_and_agreement(tmp_path: Path) -> None:
    settings = Settings()
    settings.monitoring.db_path = str(tmp_path / "log.sqlite")
    frame = pd.DataFrame([{**SAMPLE_AD, "category": "Транспорт"}] * 3 + [{**SAMPLE_AD, "category": "Работа"}] * 2)
    ids = _record(settings, frame, [0.9, 0.8, 0.1, 0.7, 0.2], source="check")
    assert len(ids) == 5
    monitoring.record_decision(settings.monitoring, ids[0], "confirm")
    monitoring.record_decision(settings.monitoring, ids[1], "reject")
    monitoring.record_decision(settings.monitoring, ids[3], "confirm")
    log = monitoring.read_log(settings.monitoring)

    volume = monitoring.volume_by_category(log, "h").set_index("category")
    assert volume.loc["Транспорт", "ads"] == 3 and volume.loc["Транспорт", "flag_rate"] == pytest.approx(2 / 3)
    assert volume.loc["Работа", "flag_rate"] == pytest.approx(0.5)
    summary = monitoring.category_summary(log).set_index("category")
    assert summary.loc[monitoring.ALL_CATEGORIES, "ads"] == 5
    assert summary.loc[monitoring.ALL_CATEGORIES, "flag_rate"] == pytest.approx(0.6)
    histogram = monitoring.score_distribution(log, bins=10)
    assert histogram["ads"].sum() == 5 and histogram["share"].sum() == pytest.approx(1.0)

    agreement = monitoring.agreement_by_category(log).set_index("category")
    assert agreement.loc["Транспорт", "decided"] == 2 and agreement.loc["Транспорт", "agreement"] == 0.5
    assert agreement.loc["Работа", "agreement"] == 1.0
    assert agreement.loc[monitoring.ALL_CATEGORIES, "agreement"] == pytest.approx(2 / 3)


def test_aggregates_of_an_empty_log_are_empty(tmp_path: Path) -> None:
    settings = Settings()
    settings.monitoring.db_path = str(tmp_path / "log.sqlite")
    log = monitoring.read_log(settings.monitoring)
    assert log.empty
    assert monitoring.volume_by_category(log).empty
    assert monitoring.category_summary(log).empty
    assert monitoring.agreement_by_category(log).empty
    assert monitoring.score_distribution(log)["ads"].sum() == 0
    assert monitoring.latest_model_version(log) is None


# --------------------------------------------------------------------------- reference distribution


def test_reference_is_computed_once_per_version_and_drift_of_val_scores_is_low(trained_store, tmp_path: Path) -> None:
    settings = _settings(trained_store, tmp_path)
    predictor = tracking.load_predictor(settings.tracking, version=trained_store.version)
    reference = monitoring.reference_distribution(settings, trained_store.version, predictor=predictor)
    path = monitoring.reference_path(settings, trained_store.version)
    assert path.exists() and path.parent == monitoring.db_path(settings.monitoring).parent
    assert reference["split"] == "val" and reference["model_version"] == trained_store.version
    assert sum(reference["overall"]) == reference["ads"] == len(load_split(settings.data, "val"))
    stamp = path.stat().st_mtime_ns
    again = monitoring.reference_distribution(settings, trained_store.version)  # no predictor: must hit the cache
    assert again["edges"] == reference["edges"] and path.stat().st_mtime_ns == stamp

    test = load_split(settings.data, "test")
    scored = scoring.score(
        predictor, test, source="batch", user=None, settings=settings, model_version=trained_store.version
    )
    assert scored.warning is None and len(scored.recorded.ids) == len(test)
    drift = monitoring.score_drift(settings, monitoring.read_log(settings.monitoring)).set_index("category")
    assert drift.loc[monitoring.ALL_CATEGORIES, "ads"] == len(test)
    assert drift.loc[monitoring.ALL_CATEGORIES, "psi"] < monitoring.PSI_WARN


# --------------------------------------------------------------------------- entry points


def test_cli_predict_logs_rows_with_source_cli(trained_store, tmp_path: Path) -> None:
    settings = _settings(trained_store, tmp_path)
    config = save_settings(settings, tmp_path / "config.yaml")
    ads = tmp_path / "ads.csv"
    write_split(pd.DataFrame([SAMPLE_AD, {**SAMPLE_AD, "description": "Без контактов, торг"}]), ads)
    code = cli.main(["--config", str(config), "predict", str(ads), "-o", str(tmp_path / "out.csv"), "--quiet"])
    assert code == 0
    log = monitoring.read_log(settings.monitoring)
    assert list(log["source"]) == ["cli", "cli"]
    assert set(log["model_version"]) == {trained_store.version}
    assert log["probability"].between(0, 1).all()
    output = pd.read_csv(tmp_path / "out.csv")
    assert output["prediction"].round(6).tolist() == log["probability"].round(6).tolist()


def _records(ads: list[dict]) -> bytes:
    return json.dumps({"dataframe_records": ads}, ensure_ascii=False).encode()


def test_served_ads_are_logged_with_source_serve_and_too_many_rows_are_refused(trained_store, tmp_path: Path) -> None:
    settings = _settings(trained_store, tmp_path, store_text=True)
    settings.serve.max_rows = 3
    model = tracking.load_model(settings.tracking, tracking.model_uri(settings.tracking))
    service = ScoringService.from_settings(model, settings, version=trained_store.version)

    answer = service.invoke(_records([SAMPLE_AD, {**SAMPLE_AD, "description": "Продаю без торга"}]), "application/json")
    assert answer.status == 200
    predictions = answer.payload["predictions"]
    assert len(predictions) == 2 and {"start", "finish", "kind", "text", "value", "score"} <= set(
        predictions[0]["contacts"][0]
    )
    log = monitoring.read_log(settings.monitoring)
    assert list(log["source"]) == ["serve", "serve"]
    assert set(log["model_version"]) == {trained_store.version}
    assert log["n_contacts"].tolist() == [1, 0] and log["kinds"].tolist() == ["phone", ""]
    assert json.loads(log["ad_json"][0])["description"] == SAMPLE_AD["description"]

    refused = service.invoke(_records([SAMPLE_AD] * 4), "application/json")
    assert refused.status == 400 and "limit is 3 (serve.max_rows)" in refused.payload["message"]
    assert len(monitoring.read_log(settings.monitoring)) == 2


def test_the_model_itself_writes_no_log_and_reads_no_config(
    trained_store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("model: {iterations: lots}\n", encoding="utf-8")
    monkeypatch.setenv("CONTACTGUARD_CONFIG", str(bad))
    monkeypatch.chdir(tmp_path)
    model = tracking.load_model(trained_store.settings.tracking, tracking.model_uri(trained_store.settings.tracking))
    assert len(model.predict(pd.DataFrame([SAMPLE_AD] * 5))) == 5
    assert sorted(path.name for path in tmp_path.iterdir()) == ["bad.yaml"]


def test_a_failing_monitoring_log_only_warns(trained_store, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    settings = _settings(trained_store, tmp_path)
    (tmp_path / "not-a-folder").write_text("", encoding="utf-8")
    settings.monitoring.db_path = str(tmp_path / "not-a-folder" / "log.sqlite")
    model = tracking.load_model(settings.tracking, tracking.model_uri(settings.tracking))
    service = ScoringService.from_settings(model, settings, version=trained_store.version)
    answer = service.invoke(_records([SAMPLE_AD]), "application/json")
    assert answer.status == 200 and len(answer.payload["predictions"]) == 1
    assert "monitoring log not written" in caplog.text


# --------------------------------------------------------------------------- feedback export


def test_export_confirmed_writes_labelled_ads_that_prepare_merges(trained_store, tmp_path: Path) -> None:
    settings = _settings(trained_store, tmp_path, store_text=True)
    frame = pd.DataFrame(
        [
            {**SAMPLE_AD, "description": "Звоните 8 912 345-67-89"},
            {**SAMPLE_AD, "description": "Пишите в личку, номер ниже"},
            {**SAMPLE_AD, "description": "Отличное состояние, 2019 год"},
        ]
    )
    ids = _record(settings, frame, [0.95, 0.2, 0.1], source="check")
    monitoring.record_decision(settings.monitoring, ids[0], "confirm")  # flagged, right -> is_bad 1
    monitoring.record_decision(settings.monitoring, ids[1], "reject")  # clean, wrong -> is_bad 1
    monitoring.record_decision(settings.monitoring, ids[2], "confirm")  # clean, right -> is_bad 0

    result = monitoring.export_confirmed(settings)
    assert result.rows == 3 and result.skipped_without_text == 0
    assert result.path == Path(settings.data.feedback_path)
    exported, _ = read_ads_csv(result.path, require_label=True)
    assert exported["is_bad"].tolist() == [1, 1, 0]
    assert exported["description"].tolist() == frame["description"].tolist()

    small = settings.model_copy(deep=True)
    small.data.prepared_dir = str(tmp_path / "prepared")
    small.synth.n_train, small.synth.n_val, small.synth.n_test = 100, 50, 50
    prepare(small)
    train = load_split(small.data, "train")
    assert len(train) == 103
    assert train["description"].tail(3).tolist() == frame["description"].tolist()


def test_export_skips_only_decisions_whose_text_was_never_kept(tmp_path: Path) -> None:
    settings = Settings()
    settings.monitoring.db_path = str(tmp_path / "log.sqlite")
    settings.monitoring.queue_sample_unflagged = 0.0
    settings.data.feedback_path = str(tmp_path / "feedback.csv")
    frame = pd.DataFrame([SAMPLE_AD, {**SAMPLE_AD, "description": "Без контактов"}])
    ids = _record(settings, frame, [0.9, 0.1], source="serve")
    monitoring.record_decision(settings.monitoring, ids[0], "confirm")  # queued: the queue item has the text
    monitoring.record_decision(settings.monitoring, ids[1], "confirm")  # neither queued nor stored nor given
    result = monitoring.export_confirmed(settings)
    assert result.rows == 1 and result.skipped_without_text == 1
    assert pd.read_csv(settings.data.feedback_path)["description"].tolist() == [SAMPLE_AD["description"]]


def test_queue_decisions_export_with_the_default_config_and_the_prepare_command_merges_them(
    trained_store, tmp_path: Path
) -> None:
    from core.ops import review_queue

    settings = _settings(trained_store, tmp_path)
    assert settings.monitoring.store_text is False
    settings.data.prepared_dir = str(tmp_path / "prepared")
    settings.synth.n_train, settings.synth.n_val, settings.synth.n_test = 100, 50, 50
    config = save_settings(settings, tmp_path / "config.yaml")
    frame = pd.DataFrame(
        [
            {**SAMPLE_AD, "description": "Звоните 8 912 345-67-89"},
            {**SAMPLE_AD, "description": "Артикул 8912345678, только самовывоз"},
        ]
    )
    _record(settings, frame, [0.95, 0.7], source="cli")
    for has_contact in (True, False):
        item = review_queue.take_next(settings.monitoring, "misha")
        review_queue.decide(settings.monitoring, "misha", item.id, has_contact)
    result = monitoring.export_confirmed(settings)
    assert result.rows == 2 and result.skipped_without_text == 0

    assert cli.main(["--config", str(config), "prepare"]) == 0
    train = load_split(settings.data, "train")
    assert len(train) == 102
    merged = train.tail(2)
    assert merged["description"].tolist() == frame["description"].tolist()
    assert merged["is_bad"].astype(int).tolist() == [1, 0]
