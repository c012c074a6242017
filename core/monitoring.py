"""Log of every scored ad and moderators' decisions (SQLite); volume, drift (PSI), agreement, feedback export."""

from __future__ import annotations

import json
import logging
import os
import re
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Sequence
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from core.config import MonitoringSettings, Settings, resolve_path

logger = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS predictions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    scored_at TEXT NOT NULL,
    source TEXT NOT NULL,
    model_version TEXT,
    category TEXT,
    probability REAL NOT NULL,
    threshold REAL NOT NULL,
    verdict INTEGER NOT NULL,
    n_contacts INTEGER NOT NULL,
    kinds TEXT,
    title TEXT,
    description TEXT,
    ad_json TEXT
);
CREATE INDEX IF NOT EXISTS predictions_time ON predictions (scored_at);
CREATE TABLE IF NOT EXISTS decisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    prediction_id INTEGER NOT NULL REFERENCES predictions(id),
    decided_at TEXT NOT NULL,
    decision TEXT NOT NULL CHECK (decision IN ('confirm', 'reject')),
    moderator TEXT
);
"""
AD_COLUMNS = ("title", "description", "subcategory", "category", "price", "region", "city", "datetime_submitted")


def db_path(settings: MonitoringSettings) -> Path:
    """Absolute path of the monitoring database."""
    return resolve_path(settings.db_path)


def _connect(settings: MonitoringSettings) -> sqlite3.Connection:
    path = db_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, timeout=30)
    connection.executescript(SCHEMA)
    return connection


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def log_predictions(
    settings: MonitoringSettings,
    frame: pd.DataFrame,
    result: pd.DataFrame,
    *,
    source: str,
    model_version: str,
    threshold: float,
) -> list[int]:
    """Append one row per scored ad; returns their ids (empty when monitoring is off)."""
    if not settings.enabled or frame.empty:
        return []
    rows = prediction_rows(settings, frame, result, source=source, model_version=model_version, threshold=threshold)
    with closing(_connect(settings)) as connection, connection:
        return insert_rows(connection, rows)


def prediction_rows(
    settings: MonitoringSettings,
    frame: pd.DataFrame,
    result: pd.DataFrame,
    *,
    source: str,
    model_version: str,
    threshold: float,
) -> list[tuple]:
    """The log rows (predictions table, without id) of scored ads."""
    now = _now()
    count = len(frame)
    probability = result["prediction"].astype(float).to_numpy()
    texts = {c: _text_column(frame, c) for c in ("category", "title", "description")}
    n_contacts = result["n_contacts"].fillna(0).astype(int).tolist() if "n_contacts" in result else [0] * count
    kinds = _text_column(result, "kinds")
    ad_json: list[str | None] = [None] * count
    if settings.store_text:
        present = [c for c in AD_COLUMNS if c in frame.columns]
        ad_json = [
            json.dumps({c: _plain(v) for c, v in zip(present, values, strict=True)}, ensure_ascii=False)
            for values in frame[present].itertuples(index=False, name=None)
        ]
    stored = settings.store_text
    return list(
        zip(
            [now] * count,
            [source] * count,
            [model_version] * count,
            texts["category"],
            probability.tolist(),
            [threshold] * count,
            (probability >= threshold).astype(int).tolist(),
            n_contacts,
            kinds,
            texts["title"] if stored else [None] * count,
            texts["description"] if stored else [None] * count,
            ad_json,
            strict=True,
        )
    )


def rows_from_ads(
    settings: MonitoringSettings,
    ads: Sequence[dict[str, Any]],
    probability: Sequence[float],
    n_contacts: Sequence[int],
    kinds: Sequence[str],
    *,
    source: str,
    model_version: str,
    threshold: float,
) -> list[tuple]:
    """The log rows of scored ads given as plain dicts (the scoring server's path without DataFrames)."""
    now = _now()
    stored = settings.store_text
    rows = []
    for ad, p, count, kind in zip(ads, probability, n_contacts, kinds, strict=True):
        ad_json = None
        if stored:
            ad_json = json.dumps({c: _plain(ad[c]) for c in AD_COLUMNS if c in ad}, ensure_ascii=False)
        rows.append(
            (
                now,
                source,
                model_version,
                "" if ad.get("category") is None else str(ad["category"]),
                float(p),
                threshold,
                int(p >= threshold),
                int(count),
                kind,
                ad.get("title") if stored else None,
                ad.get("description") if stored else None,
                ad_json,
            )
        )
    return rows


def write_rows(settings: MonitoringSettings, rows: Sequence[tuple]) -> list[int]:
    """Write log rows now (in one transaction); returns their ids."""
    if not rows:
        return []
    with closing(_connect(settings)) as connection, connection:
        return insert_rows(connection, rows)


def insert_rows(connection: sqlite3.Connection, rows: Sequence[tuple]) -> list[int]:
    """Insert prediction rows in one write transaction (the caller commits); returns their ids."""
    connection.execute("BEGIN IMMEDIATE")  # take the write lock before reading the next id
    first = connection.execute("SELECT COALESCE(MAX(id), 0) FROM predictions").fetchone()[0] + 1
    connection.executemany(
        "INSERT INTO predictions (scored_at, source, model_version, category, probability, threshold, verdict,"
        " n_contacts, kinds, title, description, ad_json) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        rows,
    )
    return list(range(first, first + len(rows)))


@dataclass(slots=True)
class WriterState:
    """What the background writer has not written yet: ads waiting, age of the oldest, drops and errors."""

    pending_ads: int
    oldest_seconds: float
    written_ads: int
    dropped_ads: int
    failed_writes: int


class LogWriter:
    """Writes prediction rows to the monitoring log from a background thread, in batches.

    `submit` never blocks: rows go into a bounded queue (`queue_size` ads); when the queue is full the new
    rows are dropped and counted. The thread gathers up to `batch_size` rows (waiting at most
    `flush_seconds`), writes them in one transaction and retries while the database is locked; the
    rows it holds meanwhile are the lag, reported by `state()` and logged when it grows.
    """

    LAG_LOG_SECONDS = 5.0

    def __init__(
        self,
        settings: MonitoringSettings,
        queue_size: int = 100_000,
        batch_size: int = 2_000,
        flush_seconds: float = 0.5,
        busy_seconds: float = 0.2,
        on_progress: Any = None,
    ) -> None:
        """Configure the writer; `start()` starts its thread; on_progress(state) is called after each loop."""
        self.settings = settings
        self.queue_size = queue_size
        self.batch_size = batch_size
        self.flush_seconds = flush_seconds
        self.busy_seconds = busy_seconds
        self.on_progress = on_progress
        self._batches: deque[tuple[float, list[tuple]]] = deque()
        self._queued = 0
        self._held: list[tuple] = []
        self._held_since: float | None = None
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._written = 0
        self._dropped = 0
        self._failed = 0
        self._last_lag_log = 0.0

    def start(self) -> LogWriter:
        """Start the background thread (once)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="monitoring-log-writer", daemon=True)
            self._thread.start()
        return self

    def submit(self, rows: list[tuple]) -> bool:
        """Queue rows for writing; False (and counted as dropped) when the queue is full."""
        if not rows:
            return True
        with self._lock:
            if self._queued + len(rows) > self.queue_size:
                self._dropped += len(rows)
                return False
            self._batches.append((time.monotonic(), rows))
            self._queued += len(rows)
            if self._queued >= self.batch_size:
                self._wake.notify()
        return True

    def state(self) -> WriterState:
        """Ads not written yet (queued plus held by the thread), the oldest one's age, totals."""
        now = time.monotonic()
        with self._lock:
            starts = [self._batches[0][0]] if self._batches else []
            if self._held_since is not None:
                starts.append(self._held_since)
            pending = self._queued + len(self._held)
            return WriterState(
                pending, now - min(starts) if starts else 0.0, self._written, self._dropped, self._failed
            )

    def stop(self, timeout: float = 10.0) -> WriterState:
        """Write what is queued (for at most timeout seconds), stop the thread and return the final state."""
        self._stop.set()
        with self._lock:
            self._wake.notify()
        if self._thread is not None:
            self._thread.join(timeout)
        return self.state()

    def _take(self) -> None:
        """Move up to batch_size queued rows into the held batch (waiting up to flush_seconds for more)."""
        with self._lock:
            if self._queued < self.batch_size and not self._stop.is_set():
                self._wake.wait(self.flush_seconds)
            while self._batches and len(self._held) < self.batch_size:
                started, rows = self._batches.popleft()
                self._queued -= len(rows)
                if self._held_since is None:
                    self._held_since = started
                self._held.extend(rows)

    def _run(self) -> None:
        """The thread: gather, write, retry while locked, report; drain the queue when stopping."""
        connection: sqlite3.Connection | None = None
        try:
            while True:
                self._take()
                if self._held:
                    connection = self._write(connection)
                self._report()
                if self._stop.is_set() and not self._held and not self._queued:
                    return
                if self._held:  # the write failed: wait a little before the retry
                    self._stop.wait(min(self.flush_seconds, 0.2))
        finally:
            if connection is not None:
                connection.close()

    def _write(self, connection: sqlite3.Connection | None) -> sqlite3.Connection | None:
        """Write the held rows; on a locked or failing database keep them for the next try."""
        try:
            if connection is None:
                connection = self._open()
            with connection:
                insert_rows(connection, self._held)
        except (sqlite3.Error, OSError) as error:
            self._failed += 1
            if not isinstance(error, sqlite3.OperationalError) or "locked" not in str(error):
                if connection is not None:
                    connection.close()
                connection = None
                if self._failed == 1 or self._failed % 100 == 0:
                    logger.warning("monitoring log not written (will retry): %s", error)
            return connection
        with self._lock:
            self._written += len(self._held)
            self._held = []
            self._held_since = None
        return connection

    def _open(self) -> sqlite3.Connection:
        """A connection with a short busy timeout (a locked database must not stall the thread long)."""
        path = db_path(self.settings)
        path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(path, timeout=self.busy_seconds, isolation_level="DEFERRED")
        try:
            connection.executescript(SCHEMA)
        except sqlite3.Error:
            connection.close()
            raise
        return connection

    def _report(self) -> None:
        """Call on_progress and log a line while the writer lags (at most every LAG_LOG_SECONDS)."""
        state = self.state()
        if self.on_progress is not None:
            self.on_progress(state)
        now = time.monotonic()
        if state.oldest_seconds >= self.LAG_LOG_SECONDS and now - self._last_lag_log >= self.LAG_LOG_SECONDS:
            self._last_lag_log = now
            logger.warning(
                "monitoring log lags: %d ads waiting, oldest %.1f s, %d dropped (database locked or slow?)",
                state.pending_ads,
                state.oldest_seconds,
                state.dropped_ads,
            )
        elif state.pending_ads == 0 and self._last_lag_log:
            self._last_lag_log = 0.0
            logger.warning("monitoring log caught up: %d ads written, %d dropped", state.written_ads, state.dropped_ads)


def _text_column(frame: pd.DataFrame, column: str) -> list[str]:
    """A column as plain strings ('' for missing values or a missing column)."""
    if column not in frame.columns:
        return [""] * len(frame)
    return frame[column].astype(object).where(frame[column].notna(), "").astype(str).tolist()


def _plain(value: object) -> object:
    if value is None or (isinstance(value, float) and value != value):
        return None
    return value if isinstance(value, int | float | str) else str(value)


def record_decision(settings: MonitoringSettings, prediction_id: int, decision: str, moderator: str = "") -> None:
    """Store a moderator's confirm/reject of a logged verdict."""
    if decision not in ("confirm", "reject"):
        raise ValueError("decision must be 'confirm' or 'reject'")
    with closing(_connect(settings)) as connection, connection:
        exists = connection.execute("SELECT 1 FROM predictions WHERE id = ?", (prediction_id,)).fetchone()
        if exists is None:
            raise KeyError(f"no logged prediction with id {prediction_id}")
        connection.execute(
            "INSERT INTO decisions (prediction_id, decided_at, decision, moderator) VALUES (?,?,?,?)",
            (prediction_id, _now(), decision, moderator),
        )


def read_log(settings: MonitoringSettings, since: str | None = None) -> pd.DataFrame:
    """Logged predictions joined with the latest moderator decision on each and the name of who made it."""
    query = (
        "SELECT p.*, (SELECT d.decision FROM decisions d WHERE d.prediction_id = p.id ORDER BY d.id DESC LIMIT 1)"
        " AS decision, (SELECT d.moderator FROM decisions d WHERE d.prediction_id = p.id ORDER BY d.id DESC LIMIT 1)"
        " AS moderator FROM predictions p"
    )
    params: tuple = ()
    if since:
        query += " WHERE p.scored_at >= ?"
        params = (since,)
    with closing(_connect(settings)) as connection:
        return pd.read_sql_query(query + " ORDER BY p.id", connection, params=params)


# --------------------------------------------------------------------------- aggregates

PSI_WARN = 0.1
PSI_ALERT = 0.25
MIN_DRIFT_ADS = 30
REFERENCE_SPLIT = "val"
REFERENCE_FORMAT = 2  # bump when the binning changes: cached references of another format are recomputed
ALL_CATEGORIES = "(all)"
_PSI_SMOOTHING = 0.5


def _timestamps(log: pd.DataFrame) -> pd.Series:
    """The scored_at column as UTC timestamps."""
    return pd.to_datetime(log["scored_at"], format="%Y-%m-%d %H:%M:%S.%f", utc=True)


def volume_by_category(log: pd.DataFrame, freq: str = "D") -> pd.DataFrame:
    """Ads scored, ads flagged and flag rate per category and period (freq: pandas alias, 'h' or 'D')."""
    columns = ["period", "category", "ads", "flagged", "flag_rate"]
    if log.empty:
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame(
        {
            "period": _timestamps(log).dt.floor(freq).dt.tz_localize(None),
            "category": log["category"].fillna("").astype(str),
            "verdict": log["verdict"].astype(int),
        }
    )
    table = frame.groupby(["period", "category"], sort=True).agg(ads=("verdict", "size"), flagged=("verdict", "sum"))
    table = table.reset_index()
    table["flag_rate"] = table["flagged"] / table["ads"]
    return table[columns]


def category_summary(log: pd.DataFrame) -> pd.DataFrame:
    """Per category (and over all): ads, flagged, flag rate, mean score, first and last scoring time."""
    columns = ["category", "ads", "flagged", "flag_rate", "mean_score", "first", "last"]
    if log.empty:
        return pd.DataFrame(columns=columns)
    frame = log.assign(category=log["category"].fillna("").astype(str), verdict=log["verdict"].astype(int))
    groups = [(str(name), group) for name, group in frame.groupby("category", sort=True)]
    rows = []
    for name, group in [*groups, (ALL_CATEGORIES, frame)]:
        rows.append(
            {
                "category": name,
                "ads": len(group),
                "flagged": int(group["verdict"].sum()),
                "flag_rate": float(group["verdict"].mean()),
                "mean_score": float(group["probability"].mean()),
                "first": str(group["scored_at"].min()),
                "last": str(group["scored_at"].max()),
            }
        )
    return pd.DataFrame(rows, columns=columns)


def score_distribution(log: pd.DataFrame, bins: int = 10) -> pd.DataFrame:
    """Histogram of logged probabilities over equal-width bins of [0, 1]: left, right, ads, share."""
    edges = np.linspace(0.0, 1.0, bins + 1)
    scores = np.clip(log["probability"].astype(float).to_numpy(), 0.0, 1.0) if not log.empty else np.array([])
    counts, _ = np.histogram(scores, bins=edges)
    total = counts.sum()
    return pd.DataFrame(
        {
            "left": edges[:-1],
            "right": edges[1:],
            "ads": counts.astype(int),
            "share": counts / total if total else np.zeros(bins),
        }
    )


# --------------------------------------------------------------------------- drift (PSI)


def score_edges(bins: int) -> np.ndarray:
    """Equal-width bin edges over [0, 1] (robust for confident classifiers whose scores pile up at 0 and 1)."""
    return np.linspace(0.0, 1.0, bins + 1)


def bin_counts(scores: Sequence[float], edges: Sequence[float]) -> np.ndarray:
    """Counts of scores per bin [e_i, e_i+1) (the last bin includes 1.0)."""
    values = np.clip(np.asarray(scores, dtype=float), 0.0, 1.0)
    counts, _ = np.histogram(values, bins=np.asarray(edges, dtype=float))
    return counts.astype(int)


def population_stability_index(expected: Sequence[float], actual: Sequence[float]) -> float:
    """PSI = sum((a - e) * ln(a / e)) over the bins' shares; counts get +0.5 each so empty bins stay finite."""
    e = np.asarray(expected, dtype=float)
    a = np.asarray(actual, dtype=float)
    if e.shape != a.shape:
        raise ValueError(f"PSI needs the same bins: {e.shape} vs {a.shape}")
    if e.sum() <= 0 or a.sum() <= 0:
        return float("nan")
    e = (e + _PSI_SMOOTHING) / (e.sum() + _PSI_SMOOTHING * e.size)
    a = (a + _PSI_SMOOTHING) / (a.sum() + _PSI_SMOOTHING * a.size)
    return float(np.sum((a - e) * np.log(a / e)))


def psi_status(psi: float, ads: int, reference_ads: int | None = None) -> str:
    """Traffic light for a PSI: ok (< 0.1), warn (< 0.25), alert, or few (too few ads on either side)."""
    if ads < MIN_DRIFT_ADS or (reference_ads is not None and reference_ads < MIN_DRIFT_ADS) or psi != psi:
        return "few"
    if psi < PSI_WARN:
        return "ok"
    return "warn" if psi < PSI_ALERT else "alert"


def build_reference(scores: Sequence[float], categories: Sequence[str], bins: int) -> dict[str, Any]:
    """Reference histogram of scores (overall and per category) on equal-width bins."""
    scores = np.asarray(scores, dtype=float)
    categories = np.asarray([str(c) for c in categories], dtype=object)
    edges = score_edges(bins)
    return {
        "bins": bins,
        "edges": edges.tolist(),
        "ads": int(scores.size),
        "overall": bin_counts(scores, edges).tolist(),
        "per_category": {
            str(name): bin_counts(scores[categories == name], edges).tolist() for name in sorted(set(categories))
        },
    }


def reference_path(settings: Settings, model_version: str) -> Path:
    """JSON cache of a model version's reference histogram, next to the log."""
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{settings.tracking.model_name}-v{model_version}")
    return db_path(settings.monitoring).with_name(f"reference-{slug}.json")


def reference_distribution(
    settings: Settings, model_version: str, predictor: Any = None, split: str = REFERENCE_SPLIT
) -> dict[str, Any]:
    """The model version's score histogram on the prepared split (cached as JSON next to the log)."""
    path = reference_path(settings, model_version)
    if path.exists():
        try:
            cached = json.loads(path.read_text(encoding="utf-8"))
            wanted = (REFERENCE_FORMAT, settings.monitoring.psi_bins, split)
            if (cached.get("format"), cached.get("bins"), cached.get("split")) == wanted:
                return cached
        except (OSError, ValueError):
            pass
    from core.data import load_split

    if predictor is None:
        from core import tracking

        predictor = tracking.load_predictor(settings.tracking, version=model_version)
    frame = load_split(settings.data, split)
    scores = predictor.predict_frame(frame)["prediction"].astype(float).to_numpy()
    reference = build_reference(scores, frame["category"].tolist(), settings.monitoring.psi_bins)
    reference.update(
        {"format": REFERENCE_FORMAT, "model_version": str(model_version), "split": split, "computed_at": _now()}
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_suffix(f".{os.getpid()}.tmp")
    temp.write_text(json.dumps(reference, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(temp, path)
    return reference


def drift_by_category(log: pd.DataFrame, reference: dict[str, Any]) -> pd.DataFrame:
    """PSI of the logged scores against the reference, per category and over all, with a status."""
    columns = ["category", "ads", "psi", "status"]
    if log.empty:
        return pd.DataFrame(columns=columns)
    edges = reference["edges"]
    categories = log["category"].fillna("").astype(str)
    rows = []
    for name, group in log.groupby(categories, sort=True):
        expected = reference["per_category"].get(str(name))
        if expected is None:
            rows.append({"category": str(name), "ads": len(group), "psi": float("nan"), "status": "few"})
            continue
        psi = population_stability_index(expected, bin_counts(group["probability"], edges))
        status = psi_status(psi, len(group), int(sum(expected)))
        rows.append({"category": str(name), "ads": len(group), "psi": psi, "status": status})
    psi = population_stability_index(reference["overall"], bin_counts(log["probability"], edges))
    status = psi_status(psi, len(log), int(sum(reference["overall"])))
    rows.append({"category": ALL_CATEGORIES, "ads": len(log), "psi": psi, "status": status})
    return pd.DataFrame(rows, columns=columns)


def latest_model_version(log: pd.DataFrame) -> str | None:
    """The model version of the most recent logged row that has one."""
    if log.empty:
        return None
    versions = log["model_version"].dropna().astype(str)
    versions = versions[versions != ""]
    return str(versions.iloc[-1]) if len(versions) else None


def score_drift(settings: Settings, log: pd.DataFrame, model_version: str | None = None) -> pd.DataFrame:
    """PSI per category of one model version's logged scores (default: the latest) vs its reference."""
    version = model_version or latest_model_version(log)
    if version is None:
        return pd.DataFrame(columns=["category", "ads", "psi", "status"])
    rows = log[log["model_version"].astype(str) == str(version)]
    return drift_by_category(rows, reference_distribution(settings, version))


# --------------------------------------------------------------------------- moderators


def agreement_by_category(log: pd.DataFrame) -> pd.DataFrame:
    """Per category (and over all): decided ads, confirmed, rejected and agreement = confirmed / decided."""
    columns = ["category", "decided", "confirmed", "rejected", "agreement"]
    if log.empty or "decision" not in log:
        return pd.DataFrame(columns=columns)
    decided = log[log["decision"].isin(["confirm", "reject"])]
    if decided.empty:
        return pd.DataFrame(columns=columns)
    decided = decided.assign(category=decided["category"].fillna("").astype(str))
    groups = [(str(name), group) for name, group in decided.groupby("category", sort=True)]
    rows = []
    for name, group in [*groups, (ALL_CATEGORIES, decided)]:
        confirmed = int((group["decision"] == "confirm").sum())
        rows.append(
            {
                "category": name,
                "decided": len(group),
                "confirmed": confirmed,
                "rejected": len(group) - confirmed,
                "agreement": confirmed / len(group),
            }
        )
    return pd.DataFrame(rows, columns=columns)


@dataclass(slots=True)
class ExportResult:
    """What export_confirmed wrote."""

    path: Path
    rows: int
    skipped_without_text: int


def labelled_feedback(log: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Decided rows as labelled marketplace ads (is_bad = verdict if confirmed else 1 - verdict)."""
    columns = [*AD_COLUMNS, "is_bad"]
    if log.empty or "decision" not in log:
        return pd.DataFrame(columns=columns), 0
    decided = log[log["decision"].isin(["confirm", "reject"])]
    with_text = decided[decided["ad_json"].notna()]
    rows = []
    for _, row in with_text.iterrows():
        ad = json.loads(row["ad_json"])
        verdict = int(row["verdict"])
        record = {column: ad.get(column) for column in AD_COLUMNS}
        record["is_bad"] = verdict if row["decision"] == "confirm" else 1 - verdict
        rows.append(record)
    return pd.DataFrame(rows, columns=columns), len(decided) - len(with_text)


def export_confirmed(settings: Settings, path: str | Path | None = None) -> ExportResult:
    """Write moderator-decided ads as a labelled CSV (default: data.feedback_path) that prepare merges."""
    from core.data import write_split

    target = resolve_path(path or settings.data.feedback_path)
    frame, skipped = labelled_feedback(read_log(settings.monitoring))
    if not frame.empty:
        write_split(frame, target)
    return ExportResult(target, len(frame), skipped)
