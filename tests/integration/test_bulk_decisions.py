"""Bulk decisions (the batch page's confirm/reject of many rows): one transaction, all or nothing, and the same rows
in the monitoring log and the job's table as one call per row would write."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pandas as pd
import pytest

from core.config import MonitoringSettings, Settings
from core.ops import monitoring, review_queue
from core.ops.batch_jobs import JobInfo, JobStore, record_bulk_decision
from ui.batch import BatchResult, decide_rows

ADS = 500
JOB = "job-under-test"


def _ads(count: int) -> list[dict]:
    """Ads as the batch page keeps them (every AD_COLUMNS field), half of them with a phone."""
    return [
        {
            "title": f"Лот {index}",
            "description": f"Продаю, звоните 8 912 {index:03d}-{index % 100:02d}-11"
            if index % 2
            else f"Продаю {index}",
            "subcategory": "Автомобили",
            "category": "Транспорт",
            "price": 1000.0 + index,
            "region": "Москва",
            "city": "Москва",
            "datetime_submitted": "2025-01-01 10:00:00",
        }
        for index in range(count)
    ]


def _logged_store(folder: Path, ads: list[dict]) -> tuple[MonitoringSettings, JobStore, list[int]]:
    """A monitoring log with the ads scored (odd ones flagged, so they are queued) and an empty job store."""
    folder.mkdir(parents=True, exist_ok=True)
    settings = MonitoringSettings(db_path=str(folder / "monitoring.sqlite"))
    verdicts = [index % 2 for index in range(len(ads))]
    rows = monitoring.rows_from_ads(
        settings,
        ads,
        [0.9 if verdict else 0.1 for verdict in verdicts],
        verdicts,
        ["phone" if verdict else "" for verdict in verdicts],
        source="batch",
        model_version="1",
        threshold=0.5,
    )
    ids = monitoring.write_rows(settings, rows)
    return settings, JobStore(folder / "jobs"), ids


def _copy(settings: MonitoringSettings, folder: Path) -> tuple[MonitoringSettings, JobStore]:
    """A copy of the log (checkpointed first) in another folder, with an empty job store there."""
    source = monitoring.db_path(settings)
    with closing(sqlite3.connect(source)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    folder.mkdir(parents=True)
    shutil.copy(source, folder / source.name)
    return MonitoringSettings(db_path=str(folder / source.name)), JobStore(folder / "jobs")


def _table(path: Path, query: str) -> pd.DataFrame:
    with closing(sqlite3.connect(path)) as connection:
        return pd.read_sql_query(query, connection)


def _tables(settings: MonitoringSettings, store: JobStore) -> dict[str, pd.DataFrame]:
    """Every table a decision writes to, ordered, with the decision time apart (it is when the call ran)."""
    log = monitoring.db_path(settings)
    return {
        "decisions": _table(log, "SELECT * FROM decisions ORDER BY id"),
        "queue": _table(log, "SELECT * FROM queue ORDER BY id"),
        "predictions": _table(log, "SELECT * FROM predictions ORDER BY id"),
        "job_decisions": _table(store.folder / "jobs.sqlite", "SELECT * FROM job_decisions ORDER BY job_id, position")
        if (store.folder / "jobs.sqlite").exists()
        else pd.DataFrame(),
    }


def _without_times(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    return {name: frame.drop(columns=["decided_at"], errors="ignore") for name, frame in tables.items()}


def _positions() -> list[int]:
    """Every row of the job but a few (a bulk action decides what was selected)."""
    return [position for position in range(ADS) if position % 50 != 7]


def test_one_bulk_call_writes_exactly_the_rows_of_one_call_per_row(tmp_path: Path) -> None:
    ads = _ads(ADS)
    single, single_jobs, ids = _logged_store(tmp_path / "single", ads)
    for position in (1, 3):  # decided before: a second decision on these leaves their queue items alone
        monitoring.record_decision(single, ids[position], "reject", moderator="vera")
    item = review_queue.take_next(single, "olga")  # held by another moderator: a bulk decision closes it anyway
    assert item is not None and item.prediction_id == ids[5]
    bulk, bulk_jobs = _copy(single, tmp_path / "bulk")  # the same log, byte for byte, for the bulk call
    queue = _tables(bulk, bulk_jobs)["queue"]
    open_items = set(queue.loc[queue["decided_at"].isna(), "prediction_id"])
    positions = _positions()

    # Before: one monitoring transaction per row, then the job's table (what the batch page did).
    for position in positions:
        monitoring.record_decision(single, ids[position], "confirm", moderator="misha", ad=ads[position])
    single_jobs.record_decisions(JOB, positions, "confirm", "misha")
    # Now: one call.
    decision_ids = record_bulk_decision(
        bulk, bulk_jobs, JOB, "confirm", "misha", [(position, ids[position], ads[position]) for position in positions]
    )

    expected, got = _tables(single, single_jobs), _tables(bulk, bulk_jobs)
    for name in expected:
        pd.testing.assert_frame_equal(_without_times(got)[name], _without_times(expected)[name], check_exact=True)
    decisions = got["decisions"].set_index("id")
    assert decision_ids == decisions.index[decisions["moderator"] == "misha"].tolist()
    assert len(decision_ids) == len(positions) == 490
    # One action, one moment: every row of the bulk call (and every queue item it closed) has the same time.
    assert decisions.loc[decision_ids, "decided_at"].nunique() == 1
    closed = got["queue"][got["queue"]["decision_id"].isin(decision_ids)]
    assert set(closed["decided_at"]) == set(decisions.loc[decision_ids, "decided_at"])
    assert len(closed) == len(open_items & {ids[position] for position in positions}) == 242  # 1, 3 were closed
    assert got["job_decisions"]["decided_at"].nunique() == 1


def _fail_at(path: Path, table: str, after: int) -> None:
    """A trigger that aborts the insert of row number `after` + 1 into a table (a constraint the row violates)."""
    with closing(sqlite3.connect(path)) as connection, connection:
        connection.execute(
            f"CREATE TRIGGER refuse_{table} BEFORE INSERT ON {table} "
            f"WHEN (SELECT COUNT(*) FROM {table}) >= {after} BEGIN SELECT RAISE(ABORT, 'row refused'); END"
        )


def _nothing_written(settings: MonitoringSettings, store: JobStore, queued: int) -> None:
    tables = _tables(settings, store)
    assert tables["decisions"].empty
    assert tables["queue"]["decided_at"].isna().all() and tables["queue"]["decision_id"].isna().all()
    assert review_queue.queue_size(settings) == queued
    assert tables["job_decisions"].empty or JOB not in set(tables["job_decisions"]["job_id"])


def test_a_refused_decision_row_in_the_middle_leaves_nothing_written(tmp_path: Path) -> None:
    ads = _ads(ADS)
    settings, store, ids = _logged_store(tmp_path, ads)
    store.record_decisions("other", [0], "confirm", "vera")  # another job's decision (creates the index)
    queued = review_queue.queue_size(settings)
    _fail_at(monitoring.db_path(settings), "decisions", ADS // 2)
    with pytest.raises(sqlite3.IntegrityError, match="row refused"):
        record_bulk_decision(
            settings,
            store,
            JOB,
            "reject",
            "misha",
            [(position, ids[position], ads[position]) for position in range(ADS)],
        )
    _nothing_written(settings, store, queued)


def test_a_job_table_that_refuses_its_rows_rolls_the_log_back(tmp_path: Path) -> None:
    ads = _ads(ADS)
    settings, store, ids = _logged_store(tmp_path, ads)
    store.record_decisions("other", [0], "confirm", "vera")
    _fail_at(store.folder / "jobs.sqlite", "job_decisions", ADS // 2)
    queued = review_queue.queue_size(settings)
    with pytest.raises(sqlite3.IntegrityError, match="row refused"):
        record_bulk_decision(
            settings,
            store,
            JOB,
            "confirm",
            "misha",
            [(position, ids[position], ads[position]) for position in range(ADS)],
        )
    _nothing_written(settings, store, queued)


def test_an_unwritable_job_store_or_an_unknown_log_id_leaves_nothing_written(tmp_path: Path) -> None:
    ads = _ads(ADS)
    settings, _, ids = _logged_store(tmp_path, ads)
    queued = review_queue.queue_size(settings)
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the job folder should be", encoding="utf-8")
    unwritable = JobStore(blocked)
    rows = [(position, ids[position], ads[position]) for position in range(ADS)]
    with pytest.raises(OSError):
        record_bulk_decision(settings, unwritable, JOB, "confirm", "misha", rows)
    store = JobStore(tmp_path / "jobs")
    rows[300] = (300, max(ids) + 1_000, ads[300])  # a row whose log entry is gone
    with pytest.raises(monitoring.UnknownPredictionError):
        record_bulk_decision(settings, store, JOB, "confirm", "misha", rows)
    _nothing_written(settings, store, queued)


def _batch(ads: list[dict], ids: list[int]) -> BatchResult:
    """A stored job as the batch page holds it: the ads, the model's output with the rows' log ids."""
    info = JobInfo(JOB, "hash", "1", 2000, "ads.csv", len(ads), 0.5, len(ads) // 2, "2025-01-01 10:00:00", "anna", 1.0)
    result = pd.DataFrame(
        {"prediction": [0.9 if index % 2 else 0.1 for index in range(len(ads))], "prediction_id": ids}
    ).astype({"prediction_id": "Int64"})
    result.loc[len(ads) - 1, "prediction_id"] = pd.NA  # the last row was never logged
    return BatchResult(info, pd.DataFrame(ads), result)


def test_the_batch_page_decision_records_all_rows_or_says_none_was(tmp_path: Path) -> None:
    settings = Settings()
    settings.monitoring.db_path = str(tmp_path / "monitoring.sqlite")
    settings.batch.jobs_dir = str(tmp_path / "jobs")
    ads = _ads(ADS)
    rows = monitoring.rows_from_ads(
        settings.monitoring, ads, [0.5] * ADS, [1] * ADS, ["phone"] * ADS,
        source="batch", model_version="1", threshold=0.5,
    )  # fmt: skip
    ids = monitoring.write_rows(settings.monitoring, rows)
    batch = _batch(ads, ids)
    store = JobStore.from_settings(settings.batch)

    _fail_at(monitoring.db_path(settings.monitoring), "decisions", 100)
    outcome = decide_rows(settings, batch, list(range(ADS)), "reject", "misha")
    assert outcome.recorded == 0 and outcome.not_logged == 1
    assert outcome.errors == ["ошибка журнала (row refused), поэтому ни одно решение не записано (выбрано 499)"]
    assert monitoring.read_decisions(settings.monitoring).empty and store.decisions(JOB).empty

    with closing(sqlite3.connect(monitoring.db_path(settings.monitoring))) as connection, connection:
        connection.execute("DROP TRIGGER refuse_decisions")
    outcome = decide_rows(settings, batch, list(range(ADS)), "reject", "misha")
    assert (outcome.recorded, outcome.not_logged, outcome.errors) == (ADS - 1, 1, [])
    decisions = monitoring.read_decisions(settings.monitoring)
    assert decisions["prediction_id"].tolist() == ids[:-1] and set(decisions["moderator"]) == {"misha"}
    assert store.decisions(JOB)["position"].tolist() == list(range(ADS - 1))
