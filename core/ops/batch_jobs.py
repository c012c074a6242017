"""Stored batch jobs: scored uploads kept on disk (Parquet per job, a SQLite index), keyed by file content and model.

A job is one file scored by one model version with one text limit. Its folder holds the ads as read
(`ads.parquet`) and the model's output with the monitoring log ids of the rows (`result.parquet`); the index
(`jobs.sqlite`) lists the jobs and the moderators' decisions taken from the batch table.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from core.config import BatchSettings, MonitoringSettings, resolve_path
from core.ops import monitoring

INDEX_FILE = "jobs.sqlite"
ADS_FILE = "ads.parquet"
RESULT_FILE = "result.parquet"
PREDICTION_ID = "prediction_id"
SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    job_id TEXT PRIMARY KEY,
    content_hash TEXT NOT NULL,
    model_version TEXT NOT NULL,
    max_chars INTEGER NOT NULL,
    file_name TEXT NOT NULL,
    rows INTEGER NOT NULL,
    threshold REAL NOT NULL,
    flagged INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    seconds REAL NOT NULL,
    warnings TEXT NOT NULL,
    logged INTEGER NOT NULL,
    log_error TEXT NOT NULL,
    truncated INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS job_decisions (
    job_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    decision TEXT NOT NULL CHECK (decision IN ('confirm', 'reject')),
    moderator TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    PRIMARY KEY (job_id, position)
);
"""
_COLUMNS = (
    "job_id",
    "content_hash",
    "model_version",
    "max_chars",
    "file_name",
    "rows",
    "threshold",
    "flagged",
    "created_at",
    "created_by",
    "seconds",
    "warnings",
    "logged",
    "log_error",
    "truncated",
)


def content_hash(data: bytes) -> str:
    """SHA-256 of a file's bytes (hex): the same file under any name gives the same hash."""
    return hashlib.sha256(data).hexdigest()


def job_id_for(file_hash: str, model_version: str, max_chars: int) -> str:
    """The id of the job that scores this content with this model version and text limit."""
    key = json.dumps([file_hash, str(model_version), int(max_chars)])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


def utc_now() -> str:
    """The current UTC time as 'YYYY-MM-DD HH:MM:SS'."""
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")


@dataclass(frozen=True, slots=True)
class JobInfo:
    """What the index says about a stored job."""

    job_id: str
    content_hash: str
    model_version: str
    max_chars: int
    file_name: str
    rows: int
    threshold: float
    flagged: int
    created_at: str
    created_by: str
    seconds: float
    warnings: tuple[str, ...] = ()
    logged: int = 0
    log_error: str = ""
    truncated: int = 0

    def _row(self) -> tuple:
        values = [getattr(self, name) for name in _COLUMNS]
        values[_COLUMNS.index("warnings")] = json.dumps(list(self.warnings), ensure_ascii=False)
        return tuple(values)

    @classmethod
    def _from_row(cls, row: Sequence) -> JobInfo:
        values = dict(zip(_COLUMNS, row, strict=True))
        values["warnings"] = tuple(json.loads(values["warnings"] or "[]"))
        return cls(**values)


@dataclass(slots=True)
class StoredJob:
    """A job with its data: the ads as read and the model's output (with the rows' monitoring ids)."""

    info: JobInfo
    frame: pd.DataFrame
    result: pd.DataFrame = field(repr=False)

    @property
    def prediction_ids(self) -> pd.Series:
        """Monitoring log id of every row (missing when the row was not logged)."""
        if PREDICTION_ID not in self.result:
            return pd.Series(pd.NA, index=range(len(self.result)), dtype="Int64")
        return self.result[PREDICTION_ID].astype("Int64").reset_index(drop=True)


def _parquet_table(frame: pd.DataFrame) -> pa.Table:
    """The frame as an Arrow table; object columns Arrow cannot type (mixed values) are stored as text."""
    frame = frame.reset_index(drop=True)
    try:
        return pa.Table.from_pandas(frame, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        fixed = frame.copy()
        for column in fixed.columns:
            if fixed[column].dtype == object:
                fixed[column] = fixed[column].map(lambda value: value if pd.isna(value) else str(value))
        return pa.Table.from_pandas(fixed, preserve_index=False)


class JobStore:
    """The folder of stored batch jobs."""

    def __init__(self, folder: str | Path, max_jobs: int = 50) -> None:
        self.folder = Path(folder)
        self.max_jobs = max_jobs

    @classmethod
    def from_settings(cls, settings: BatchSettings) -> JobStore:
        """The store of the configured folder (relative paths are under the project)."""
        return cls(resolve_path(settings.jobs_dir), settings.max_jobs)

    def _connect(self) -> sqlite3.Connection:
        self.folder.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.folder / INDEX_FILE, timeout=30)
        connection.executescript(SCHEMA)
        return connection

    def _job_dir(self, job_id: str) -> Path:
        return self.folder / job_id

    def list(self) -> list[JobInfo]:
        """Every stored job, newest first."""
        if not (self.folder / INDEX_FILE).exists():
            return []
        with closing(self._connect()) as connection:
            rows = connection.execute(
                f"SELECT {', '.join(_COLUMNS)} FROM jobs ORDER BY created_at DESC, rowid DESC"
            ).fetchall()
        return [JobInfo._from_row(row) for row in rows]

    def get(self, job_id: str) -> JobInfo | None:
        """The index entry of a job, or None."""
        if not (self.folder / INDEX_FILE).exists():
            return None
        with closing(self._connect()) as connection:
            row = connection.execute(f"SELECT {', '.join(_COLUMNS)} FROM jobs WHERE job_id = ?", (job_id,)).fetchone()
        return None if row is None else JobInfo._from_row(row)

    def find(self, file_hash: str, model_version: str, max_chars: int) -> JobInfo | None:
        """The stored job of this content, model version and text limit, or None."""
        return self.get(job_id_for(file_hash, model_version, max_chars))

    def load(self, job_id: str) -> StoredJob | None:
        """A job with its ads and results, or None when it is gone (deleted or its files are missing)."""
        info = self.get(job_id)
        folder = self._job_dir(job_id)
        if info is None or not (folder / ADS_FILE).exists() or not (folder / RESULT_FILE).exists():
            return None
        frame = pq.read_table(folder / ADS_FILE).to_pandas()
        result = pq.read_table(folder / RESULT_FILE).to_pandas()
        for column in ("start", "finish", PREDICTION_ID):
            if column in result:
                result[column] = result[column].astype("Int64")
        return StoredJob(info, frame, result)

    def flagged(self, info: JobInfo, threshold: float) -> int:
        """Rows of a job at or above this threshold (read from its results unless it is the job's own threshold)."""
        if threshold == info.threshold:
            return info.flagged
        path = self._job_dir(info.job_id) / RESULT_FILE
        if not path.exists():
            return info.flagged
        scores = pq.read_table(path, columns=["prediction"]).column("prediction").to_numpy()
        return int((scores >= threshold).sum())

    def save(self, info: JobInfo, frame: pd.DataFrame, result: pd.DataFrame) -> JobInfo:
        """Store a scored file (written to a temp folder, then renamed) and prune the oldest jobs beyond max_jobs.

        When another session stored the same job meanwhile, that one is kept and returned.
        """
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self._job_dir(info.job_id)
        staging = Path(tempfile.mkdtemp(prefix=f".{info.job_id}-", dir=self.folder))
        try:
            pq.write_table(_parquet_table(frame), staging / ADS_FILE)
            pq.write_table(_parquet_table(result), staging / RESULT_FILE)
            if target.exists():
                shutil.rmtree(target)  # a folder without an index entry: left by a crash or a half-done delete
            os.replace(staging, target)
        finally:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)
        with closing(self._connect()) as connection, connection:
            connection.execute(
                f"INSERT OR IGNORE INTO jobs ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})",
                info._row(),
            )
        self.prune()
        return self.get(info.job_id) or info

    def delete(self, job_id: str) -> bool:
        """Remove a job (index entry, decisions and files); False when there was none."""
        existed = self.get(job_id) is not None
        if existed:
            with closing(self._connect()) as connection, connection:
                connection.execute("DELETE FROM jobs WHERE job_id = ?", (job_id,))
                connection.execute("DELETE FROM job_decisions WHERE job_id = ?", (job_id,))
        shutil.rmtree(self._job_dir(job_id), ignore_errors=True)
        return existed

    def prune(self) -> list[str]:
        """Delete the oldest jobs beyond max_jobs; returns their ids."""
        surplus = self.list()[self.max_jobs :]
        for info in surplus:
            self.delete(info.job_id)
        return [info.job_id for info in surplus]

    def record_decisions(self, job_id: str, positions: Sequence[int], decision: str, moderator: str) -> None:
        """Remember the latest decision on these rows (0-based positions) of a job."""
        if decision not in ("confirm", "reject"):
            raise ValueError("decision must be 'confirm' or 'reject'")
        now = utc_now()
        with closing(self._connect()) as connection, connection:
            connection.executemany(
                "INSERT OR REPLACE INTO job_decisions (job_id, position, decision, moderator, decided_at)"
                " VALUES (?,?,?,?,?)",
                [(job_id, int(position), decision, moderator, now) for position in positions],
            )

    def decisions(self, job_id: str) -> pd.DataFrame:
        """The latest decision on each decided row of a job: position, decision, moderator, decided_at."""
        columns = ["position", "decision", "moderator", "decided_at"]
        if not (self.folder / INDEX_FILE).exists():
            return pd.DataFrame(columns=columns)
        with closing(self._connect()) as connection:
            return pd.read_sql_query(
                f"SELECT {', '.join(columns)} FROM job_decisions WHERE job_id = ? ORDER BY position",
                connection,
                params=(job_id,),
            )


def record_bulk_decision(
    log: MonitoringSettings,
    store: JobStore,
    job_id: str,
    decision: str,
    moderator: str,
    rows: Sequence[tuple[int, int, Mapping[str, Any] | None]],
) -> list[int]:
    """One moderator's confirm/reject of many rows of a job, given as (position, log id, ad): the monitoring
    decisions and the job's decision table written all or nothing; returns the decision ids in row order.

    The job's rows are written and committed inside the log's transaction, right before the log commits: an error
    in either leaves neither written (only a crash between the two commits could leave the job's table ahead).
    """
    requests = [monitoring.DecisionRequest(int(prediction_id), decision, ad) for _, prediction_id, ad in rows]
    positions = [int(position) for position, _, _ in rows]
    return monitoring.record_decisions(
        log, requests, moderator, before_commit=lambda: store.record_decisions(job_id, positions, decision, moderator)
    )
