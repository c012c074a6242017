"""The one scoring service (core/ops/scoring.py): every caller's ads are scored and recorded with its source, user
and model version; a locked or slow monitoring log never fails scoring and comes back as a warning."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pytest

from core import cli
from core.config import Settings, save_settings
from core.engine.predict import Predictor
from core.lifecycle import tracking
from core.ops import monitoring, scoring
from core.ops.serving import ScoringService
from tests.conftest import SAMPLE_AD, TrainedStore

pytestmark = pytest.mark.slow
DESCRIPTIONS = ["Звоните 8 912 345-67-89 после шести", "Диван в хорошем состоянии, самовывоз", "Пишите @ivan_petrov_99"]


def _ads(descriptions: list[str] = DESCRIPTIONS) -> pd.DataFrame:
    """Marketplace ads with ids 700, 701, … and these descriptions (each in its own category)."""
    categories = ["Для дома и дачи", "Работа", "Хобби и отдых", "Транспорт"][: len(descriptions)]
    return pd.DataFrame(
        [
            {**SAMPLE_AD, "index": 700 + i, "description": text, "category": category}
            for i, (text, category) in enumerate(zip(descriptions, categories, strict=True))
        ]
    )


@pytest.fixture(scope="module")
def predictor(trained_store: TrainedStore) -> Predictor:
    """The session's registered champion."""
    return tracking.load_predictor(trained_store.settings.tracking, version=trained_store.version)


@pytest.fixture
def settings(trained_store: TrainedStore, tmp_path: Path) -> Settings:
    """The trained store's settings with a private monitoring log (no sampled queue)."""
    copy = trained_store.settings.model_copy(deep=True)
    copy.monitoring.db_path = str(tmp_path / "state" / "monitoring.sqlite")
    copy.monitoring.store_text = True
    return copy


@contextmanager
def locked(settings: Settings) -> Iterator[None]:
    """Another connection holds the log's write lock (BEGIN EXCLUSIVE) until the block ends."""
    path = monitoring.db_path(settings.monitoring)
    path.parent.mkdir(parents=True, exist_ok=True)
    holder = sqlite3.connect(path, isolation_level=None)
    monitoring.ensure_schema(holder)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def _log(settings: Settings) -> pd.DataFrame:
    return monitoring.read_log(settings.monitoring)


# --------------------------------------------------------------------------- the service function


def test_a_table_is_scored_and_exactly_its_ads_recorded_for_the_caller(predictor, settings, trained_store) -> None:
    ads = _ads()
    scored = scoring.score(predictor, ads, source="batch", user="misha", settings=settings)
    assert len(scored.result) == 3 and scored.warning is None
    assert scored.result["truncated"].tolist() == [False, False, False]
    log = _log(settings)
    assert log["id"].tolist() == scored.prediction_ids
    assert log["source"].tolist() == ["batch"] * 3 and log["scored_by"].tolist() == ["misha"] * 3
    assert log["model_version"].tolist() == [trained_store.version] * 3
    assert log["category"].tolist() == ads["category"].tolist()
    assert log["description"].tolist() == ads["description"].tolist()
    assert log["probability"].round(9).tolist() == scored.result["prediction"].astype(float).round(9).tolist()
    assert log["threshold"].tolist() == [settings.app.threshold] * 3
    assert log["kinds"].tolist() == scored.result["kinds"].tolist()


def test_one_ad_is_scored_and_recorded_with_its_id(predictor, settings, trained_store) -> None:
    ad = scoring.Ad("Диван, звоните 8 916 523 45 67", "Звоните 8 912 345-67-89 после шести", "Для дома и дачи", 5000.0)
    scored = scoring.score(predictor, ad, source="check", user="alice", settings=settings)
    assert scored.warning is None and scored.prediction_id is not None and not scored.cut
    assert [span.value for span in scored.prediction.contacts] == ["+79123456789"]
    assert [span.value for span in scored.prediction.title_contacts] == ["+79165234567"]
    row = _log(settings).set_index("id").loc[scored.prediction_id]
    assert (row["source"], row["scored_by"], row["model_version"]) == ("check", "alice", trained_store.version)
    assert (row["title"], row["description"], row["kinds"]) == (ad.title, ad.description, "phone")


def test_a_long_ad_is_cut_before_it_is_scored_and_recorded(predictor, settings) -> None:
    settings.detect.max_chars = 500
    ad = scoring.Ad("Диван", "Звоните 8 912 345-67-89. " + "Диван почти новый. " * 50, "Для дома и дачи")
    scored = scoring.score(predictor, ad, source="check", user="alice", settings=settings)
    assert scored.cut and scored.original_chars == len(ad.description) and len(scored.ad.description) == 500
    assert _log(settings)["description"].tolist() == [scored.ad.description]


def test_a_locked_log_never_fails_scoring_and_says_so(predictor, settings) -> None:
    ads = _ads()
    with locked(settings):
        table = scoring.score(predictor, ads, source="cli", user="cli:tester", settings=settings)
        one = scoring.score(
            predictor,
            scoring.Ad(
                SAMPLE_AD["title"], DESCRIPTIONS[0], "Для дома и дачи", SAMPLE_AD["price"], SAMPLE_AD["subcategory"]
            ),
            source="check",
            user="alice",
            settings=settings,
        )
    expected = scoring.score(predictor, ads, source="batch", user="misha", settings=settings, log=_off(settings))
    pd.testing.assert_series_equal(table.result["prediction"], expected.result["prediction"])
    assert table.prediction_ids == [None, None, None] and one.prediction_id is None
    assert one.prediction.contacts and one.prediction.probability == pytest.approx(expected.result["prediction"][0])
    for warning, n in ((table.warning, "3 ads"), (one.warning, "1 ad")):
        assert warning is not None and warning.code == "monitoring.not_written"
        assert str(warning).startswith(f"monitoring log not written ({n}): the log database stayed locked")
    assert table.warning.text("ru").startswith("проверка не записана в журнал мониторинга (3 объявления): база")
    assert _log(settings).empty  # nothing half-written once the lock is gone


def _off(settings: Settings) -> scoring.MonitoringLog:
    """A log that records nothing (monitoring.enabled false)."""
    off = settings.monitoring.model_copy(update={"enabled": False})
    return scoring.MonitoringLog(off, settings.app.threshold)


def test_monitoring_off_records_nothing_and_warns_nothing(predictor, settings) -> None:
    settings.monitoring.enabled = False
    scored = scoring.score(predictor, _ads(), source="cli", user="cli:tester", settings=settings)
    assert scored.warning is None and scored.prediction_ids == [None] * 3 and scored.recorded.logged == 0
    assert not monitoring.db_path(settings.monitoring).exists()


def test_an_unknown_source_is_refused(predictor, settings) -> None:
    with pytest.raises(ValueError, match="unknown scoring source 'web'"):
        scoring.score(predictor, _ads(), source="web", user="x", settings=settings)


def test_the_background_writer_queues_and_says_when_it_lags_or_drops(settings) -> None:
    writer = monitoring.LogWriter(settings.monitoring, queue_size=4, flush_seconds=0.05)
    reported: list[str] = []
    log = scoring.MonitoringLog(settings.monitoring, 0.5, writer, report=lambda warning: reported.append(warning.code))
    ads = [{**SAMPLE_AD, "description": text} for text in DESCRIPTIONS]
    first = log.record_ads(
        ads, [0.9, 0.1, 0.8], [1, 0, 1], ["phone", "", "messenger"], source="serve", user=None, model_version="7"
    )
    assert first.queued == 3 and first.warning is None and first.ids == []
    dropped = log.record_ads(ads[:2], [0.9, 0.1], [1, 0], ["phone", ""], source="serve", user=None, model_version="7")
    assert dropped.queued == 0 and dropped.warning is not None and dropped.warning.code == "monitoring.dropped"
    assert dropped.warning.text("ru") == "очередь записи в журнал мониторинга переполнена, не записано: 2 объявления"
    log.lag_seconds = 0.05  # the writer has not started: its oldest ads wait
    time.sleep(0.1)
    lagging = log.record_ads(ads[:1], [0.9], [1], ["phone"], source="serve", user=None, model_version="7")
    assert lagging.queued == 1 and lagging.warning is not None and lagging.warning.code == "monitoring.lagging"
    assert "4 ads waiting" in str(lagging.warning)
    assert reported == ["monitoring.dropped", "monitoring.lagging"]
    writer.start()
    state = writer.stop(10.0)
    assert state.pending_ads == 0 and state.written_ads == 4 and state.dropped_ads == 2
    written = _log(settings)
    assert written["source"].tolist() == ["serve"] * 4 and written["scored_by"].isna().all()
    assert written["model_version"].tolist() == ["7"] * 4


# --------------------------------------------------------------------------- the CLI


def _predict(config: Path, folder: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, pd.DataFrame, str]:
    """`python -m core predict` on the three ads; (exit code, output, stderr)."""
    source, target = folder / "ads.csv", folder / "scored.csv"
    _ads().to_csv(source, index=False)
    code = cli.main(["--config", str(config), "predict", str(source), "-o", str(target), "--quiet"])
    err = capsys.readouterr().err
    return code, pd.read_csv(target) if target.exists() else pd.DataFrame(), err


def test_the_cli_records_its_ads_as_the_os_user(settings, trained_store, tmp_path: Path, capsys) -> None:
    config = save_settings(settings, tmp_path / "state" / "config.yaml")
    code, output, err = _predict(config, tmp_path, capsys)
    assert code == 0 and output["index"].tolist() == [700, 701, 702] and "warning" not in err
    log = _log(settings)
    assert log["source"].tolist() == ["cli"] * 3 and log["scored_by"].tolist() == [cli.cli_user()] * 3
    assert cli.cli_user().startswith("cli:") and log["model_version"].tolist() == [trained_store.version] * 3
    assert log["probability"].round(6).tolist() == output["prediction"].round(6).tolist()


def test_the_cli_scores_while_the_log_is_locked_and_warns(settings, tmp_path: Path, capsys) -> None:
    config = save_settings(settings, tmp_path / "state" / "config.yaml")
    with locked(settings):
        code, output, err = _predict(config, tmp_path, capsys)
    assert code == 0 and len(output) == 3 and output["prediction"].between(0, 1).all()
    assert (
        "warning: monitoring log not written (3 ads): the log database stayed locked by another process for "
        "more than 1 s" in err.splitlines()
    )
    assert "3 ads -> " in err and "Traceback" not in err
    assert _log(settings).empty


# --------------------------------------------------------------------------- the scoring server


def test_the_server_records_both_paths_with_source_serve_and_no_user(settings, trained_store) -> None:
    model = tracking.load_model(settings.tracking, tracking.model_uri(settings.tracking))
    service = ScoringService.from_settings(model, settings, version=trained_store.version)
    ads = _ads().drop(columns=["index"])
    body = json.dumps({"dataframe_records": ads.to_dict(orient="records")}, ensure_ascii=False).encode()
    fast = service.invoke(body, "application/json")  # plain dicts, no DataFrame
    csv = service.invoke(ads.to_csv(index=False).encode(), "text/csv")  # the DataFrame path
    assert fast.status == 200 and csv.status == 200
    log = _log(settings)
    assert len(log) == 6 and log["source"].tolist() == ["serve"] * 6 and log["scored_by"].isna().all()
    assert log["model_version"].tolist() == [trained_store.version] * 6
    assert log["description"].tolist() == ads["description"].tolist() * 2


def test_the_server_answers_while_the_log_is_locked(settings, trained_store, caplog) -> None:
    model = tracking.load_model(settings.tracking, tracking.model_uri(settings.tracking))
    service = ScoringService.from_settings(model, settings, version=trained_store.version)
    with locked(settings):
        answer = service.invoke(_ads().drop(columns=["index"]).to_csv(index=False).encode(), "text/csv")
    assert answer.status == 200 and len(answer.payload["predictions"]) == 3
    assert "monitoring log not written (3 ads): the log database stayed locked" in caplog.text
    assert _log(settings).empty
