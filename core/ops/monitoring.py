"""Log of every scored ad, the review queue and moderators' decisions (SQLite); volume, drift, agreement, export.

Every entry point (check page, batch, CLI, scoring server) writes through `insert_rows`, which also puts the
flagged ads and a reproducible sample of the others into the review queue (`core.ops.review_queue` works it).
Queued and decided ads keep their text whatever `monitoring.store_text` says for the rest of the log.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
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
    ad_json TEXT,
    scored_by TEXT
);
CREATE INDEX IF NOT EXISTS predictions_time ON predictions (scored_at);
CREATE TABLE IF NOT EXISTS decisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    prediction_id INTEGER NOT NULL REFERENCES predictions(id),
    decided_at TEXT NOT NULL,
    decision TEXT NOT NULL CHECK (decision IN ('confirm', 'reject')),
    moderator TEXT
);
CREATE TABLE IF NOT EXISTS queue (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ad_hash TEXT NOT NULL UNIQUE,
    prediction_id INTEGER NOT NULL,
    queued_at TEXT NOT NULL,
    reason TEXT NOT NULL,
    source TEXT,
    model_version TEXT,
    category TEXT,
    probability REAL NOT NULL,
    verdict INTEGER NOT NULL,
    ad_json TEXT NOT NULL,
    rank REAL NOT NULL,
    leased_by TEXT,
    leased_at TEXT,
    lease_until REAL,
    decided_at TEXT,
    decision_id INTEGER
);
"""
# Columns added after the first release (older logs are migrated when opened).
PREDICTION_COLUMNS = {
    "scored_by": "TEXT",  # who scored the ad: the moderator's login, cli:<OS user>; NULL for the scoring server
}
DECISION_COLUMNS = {
    "label": "INTEGER",  # 1 = the ad has a contact, 0 = it has none (what the moderator said)
    "queue_id": "INTEGER",
    "taken_at": "TEXT",  # when the moderator took the ad from the queue (lease start)
    "undone_at": "TEXT",
    "ad_json": "TEXT",  # the decided ad's text, kept whatever store_text says
    "spans_json": "TEXT",  # the highlighted contacts the moderator saw
}
INDEXES = """
CREATE INDEX IF NOT EXISTS decisions_prediction ON decisions (prediction_id, undone_at, id);
CREATE INDEX IF NOT EXISTS decisions_moderator ON decisions (moderator, id);
CREATE INDEX IF NOT EXISTS queue_open ON queue (rank, id) WHERE decided_at IS NULL;
CREATE INDEX IF NOT EXISTS queue_holder ON queue (leased_by) WHERE decided_at IS NULL;
CREATE INDEX IF NOT EXISTS queue_prediction ON queue (prediction_id);
"""
QUEUE_REASONS = ("flagged", "sample")
AD_COLUMNS = ("title", "description", "subcategory", "category", "price", "region", "city", "datetime_submitted")


def db_path(settings: MonitoringSettings) -> Path:
    """Absolute path of the monitoring database."""
    return resolve_path(settings.db_path)


def ensure_schema(connection: sqlite3.Connection) -> None:
    """Create the tables and indexes; add the decision columns an older log lacks; write-ahead logging.

    WAL (kept in the file) lets readers work while a writer writes, and with synchronous=NORMAL a commit
    needs no fsync: a queue take or decision costs well under a millisecond instead of a disk flush.
    """
    try:
        connection.execute("PRAGMA journal_mode=WAL")
    except sqlite3.OperationalError as error:  # another connection is busy: the next one switches
        if "locked" not in str(error):
            raise
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.executescript(SCHEMA)
    for table, columns in (("predictions", PREDICTION_COLUMNS), ("decisions", DECISION_COLUMNS)):
        present = {row[1] for row in connection.execute(f"PRAGMA table_info({table})")}
        for column, kind in columns.items():
            if column not in present:
                try:
                    connection.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")
                except sqlite3.OperationalError as error:  # another process added it first
                    if "duplicate column" not in str(error):
                        raise
    connection.executescript(INDEXES)


_SCHEMA_READY: set[tuple[str, int, int]] = set()  # (path, device, inode) of log files this process has set up


def file_key(path: Path) -> tuple[str, int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return str(path), stat.st_dev, stat.st_ino


BUSY_SECONDS = 30.0  # how long a connection waits for a locked database by default


def _connect(
    settings: MonitoringSettings,
    isolation_level: str | None = "DEFERRED",
    check_same_thread: bool = True,
    timeout: float = BUSY_SECONDS,
) -> sqlite3.Connection:
    path = db_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(
        path, timeout=timeout, isolation_level=isolation_level, check_same_thread=check_same_thread
    )
    try:
        if file_key(path) in _SCHEMA_READY:  # set up before by this process: only the per-connection pragma
            connection.execute("PRAGMA synchronous=NORMAL")
        else:
            ensure_schema(connection)
            if (key := file_key(path)) is not None:
                _SCHEMA_READY.add(key)
    except sqlite3.Error:
        connection.close()
        raise
    return connection


def connect(settings: MonitoringSettings, check_same_thread: bool = True) -> sqlite3.Connection:
    """A connection to the log in autocommit mode (the caller opens its own transactions); check_same_thread=False
    for a connection that several threads use one at a time."""
    return _connect(settings, isolation_level=None, check_same_thread=check_same_thread)


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def prediction_rows(
    settings: MonitoringSettings,
    frame: pd.DataFrame,
    result: pd.DataFrame,
    *,
    source: str,
    model_version: str,
    threshold: float,
    scored_by: str | None = None,
) -> list[tuple]:
    """The log rows (predictions table, without id) of scored ads; the queue payload (or None) ends each row."""
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
    verdicts = (probability >= threshold).astype(int).tolist()
    queued = _queue_payloads(settings, frame, texts, verdicts)
    return list(
        zip(
            [now] * count,
            [source] * count,
            [model_version] * count,
            texts["category"],
            probability.tolist(),
            [threshold] * count,
            verdicts,
            n_contacts,
            kinds,
            texts["title"] if stored else [None] * count,
            texts["description"] if stored else [None] * count,
            ad_json,
            [scored_by or None] * count,
            queued,
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
    scored_by: str | None = None,
) -> list[tuple]:
    """The log rows of scored ads given as plain dicts (the scoring server's and the check page's path)."""
    now = _now()
    stored = settings.store_text
    rows = []
    for ad, p, count, kind in zip(ads, probability, n_contacts, kinds, strict=True):
        ad_json = None
        if stored:
            ad_json = json.dumps({c: _plain(ad[c]) for c in AD_COLUMNS if c in ad}, ensure_ascii=False)
        queued = None
        if settings.queue_enabled:
            queued = queue_payload(
                {c: ad.get(c) for c in AD_COLUMNS if c in ad}, int(p >= threshold), settings.queue_sample_unflagged
            )
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
                scored_by or None,
                queued,
            )
        )
    return rows


def write_rows(settings: MonitoringSettings, rows: Sequence[tuple], timeout: float = BUSY_SECONDS) -> list[int]:
    """Write log rows now (in one transaction, waiting at most timeout seconds for a locked log); returns their ids."""
    if not rows:
        return []
    with closing(_connect(settings, timeout=timeout)) as connection, connection:
        return insert_rows(connection, rows)


def insert_rows(connection: sqlite3.Connection, rows: Sequence[tuple]) -> list[int]:
    """Insert prediction rows in one write transaction (the caller commits) and queue those that carry a
    queue payload (a repeated ad is queued once); returns the prediction ids."""
    connection.execute("BEGIN IMMEDIATE")  # take the write lock before reading the next id
    first = connection.execute("SELECT COALESCE(MAX(id), 0) FROM predictions").fetchone()[0] + 1
    connection.executemany(
        "INSERT INTO predictions (scored_at, source, model_version, category, probability, threshold, verdict,"
        " n_contacts, kinds, title, description, ad_json, scored_by) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [row[:13] for row in rows],
    )
    ids = list(range(first, first + len(rows)))
    queued = [
        (
            payload[0],
            prediction_id,
            row[0],
            payload[1],
            row[1],
            row[2],
            row[3],
            row[4],
            row[6],
            payload[2],
            prediction_id,
        )
        for prediction_id, row in zip(ids, rows, strict=True)
        if len(row) > 13 and (payload := row[13]) is not None
    ]
    if queued:
        connection.executemany(
            "INSERT OR IGNORE INTO queue (ad_hash, prediction_id, queued_at, reason, source, model_version, category,"
            " probability, verdict, ad_json, rank) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            queued,
        )
    return ids


def ad_hash(title: object, description: object, category: object) -> str:
    """Identity of an ad for the queue: SHA-256 of its category, title and description (trimmed)."""
    key = "\x1f".join("" if value is None else str(value).strip() for value in (category, title, description))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def sampled_for_review(digest: str, share: float) -> bool:
    """Whether an unflagged ad joins the queue for quality control: its hash, read as a number in [0, 1), < share."""
    return share > 0 and int(digest[:13], 16) / 16**13 < share


def queue_payload(ad: Mapping[str, Any], verdict: int, sample_share: float) -> tuple[str, str, str] | None:
    """(hash, reason, ad JSON) when the ad enters the review queue: flagged, or drawn for quality control."""
    digest = ad_hash(ad.get("title"), ad.get("description"), ad.get("category"))
    if verdict:
        reason = "flagged"
    elif sampled_for_review(digest, sample_share):
        reason = "sample"
    else:
        return None
    record = {c: _plain(ad.get(c)) for c in AD_COLUMNS if c in ad}
    return digest, reason, json.dumps(record, ensure_ascii=False)


def _queue_payloads(
    settings: MonitoringSettings, frame: pd.DataFrame, texts: dict[str, list[str]], verdicts: list[int]
) -> list[tuple[str, str, str] | None]:
    """The queue payload (or None) of every row of a scored frame."""
    count = len(verdicts)
    if not settings.queue_enabled:
        return [None] * count
    share = settings.queue_sample_unflagged
    chosen: list[tuple[int, str, str]] = []
    for index, verdict in enumerate(verdicts):
        if not verdict and share <= 0:
            continue
        digest = ad_hash(texts["title"][index], texts["description"][index], texts["category"][index])
        if verdict:
            chosen.append((index, digest, "flagged"))
        elif sampled_for_review(digest, share):
            chosen.append((index, digest, "sample"))
    payloads: list[tuple[str, str, str] | None] = [None] * count
    if not chosen:
        return payloads
    rows = frame.iloc[[index for index, _, _ in chosen]]
    columns = {c: rows[c].tolist() for c in AD_COLUMNS if c in rows.columns}
    for position, (index, digest, reason) in enumerate(chosen):
        record = {c: _plain(values[position]) for c, values in columns.items()}
        payloads[index] = (digest, reason, json.dumps(record, ensure_ascii=False))
    return payloads


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
            ensure_schema(connection)
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


def span_records(contacts: Sequence[Any], title_contacts: Sequence[Any] = ()) -> list[dict[str, Any]]:
    """Highlighted contacts (core.engine.spans.Span) as plain dicts with where they are, to store with a decision."""
    located = [("title", span) for span in title_contacts] + [("description", span) for span in contacts]
    return [{"where": where, **span.to_dict()} for where, span in located]


def decision_for(verdict: int, has_contact: bool) -> str:
    """confirm when the moderator agrees with the logged verdict, reject otherwise."""
    return "confirm" if int(has_contact) == int(verdict) else "reject"


class UnknownPredictionError(KeyError):
    """A decision names a prediction id that the log does not have."""

    def __init__(self, prediction_id: int) -> None:
        """prediction_id: the id that was not found."""
        super().__init__(f"no logged prediction with id {prediction_id}")
        self.prediction_id = prediction_id


@dataclass(frozen=True, slots=True)
class DecisionRequest:
    """One moderator answer to record: the logged prediction, confirm/reject, the ad's text and the contacts shown."""

    prediction_id: int
    decision: str
    ad: Mapping[str, Any] | None = None
    spans: Sequence[Mapping[str, Any]] | None = None


def record_decision(
    settings: MonitoringSettings,
    prediction_id: int,
    decision: str,
    moderator: str = "",
    *,
    ad: Mapping[str, Any] | None = None,
    spans: Sequence[Mapping[str, Any]] | None = None,
) -> int:
    """Store a moderator's confirm/reject of a logged verdict with the ad's text; returns the decision id.

    The text comes from `ad` (the check page passes what it showed), else from the log or the queue item. An open
    queue item of the same ad is closed by this decision, so nobody reviews it again.
    """
    return record_decisions(settings, [DecisionRequest(prediction_id, decision, ad, spans)], moderator)[0]


def record_decisions(
    settings: MonitoringSettings,
    requests: Sequence[DecisionRequest],
    moderator: str = "",
    *,
    before_commit: Callable[[], object] | None = None,
) -> list[int]:
    """Store many decisions (as record_decision does each) in one transaction: all of them or none; their ids.

    `before_commit` runs inside the transaction after the last row (a bulk action writes its own bookkeeping
    there); when it raises, no decision is stored.
    """
    for request in requests:
        if request.decision not in ("confirm", "reject"):
            raise ValueError("decision must be 'confirm' or 'reject'")
    if not requests:
        return []
    with closing(connect(settings)) as connection:
        connection.execute("BEGIN IMMEDIATE")
        try:
            now = _now()
            ids = [_insert_decision(connection, request, moderator, now) for request in requests]
            if before_commit is not None:
                before_commit()
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise
    return ids


def _insert_decision(connection: sqlite3.Connection, request: DecisionRequest, moderator: str, now: str) -> int:
    """Insert one decision (closing the ad's open queue item) in the caller's transaction; returns its id."""
    prediction_id, ad = request.prediction_id, request.ad
    row = connection.execute(
        "SELECT verdict, ad_json, scored_at FROM predictions WHERE id = ?", (prediction_id,)
    ).fetchone()
    if row is None:
        raise UnknownPredictionError(prediction_id)
    verdict, logged_text, scored_at = row
    if ad is not None:
        item = connection.execute(
            "SELECT id, ad_json, decided_at FROM queue WHERE ad_hash = ?",
            (ad_hash(ad.get("title"), ad.get("description"), ad.get("category")),),
        ).fetchone()
    else:
        item = connection.execute(
            "SELECT id, ad_json, decided_at FROM queue WHERE prediction_id = ?", (prediction_id,)
        ).fetchone()
    text = None
    if ad is not None:
        text = json.dumps({c: _plain(ad.get(c)) for c in AD_COLUMNS if c in ad}, ensure_ascii=False)
    text = text or logged_text or (item[1] if item else None)
    queue_id = item[0] if item is not None and item[2] is None else None
    label = int(verdict) if request.decision == "confirm" else 1 - int(verdict)
    cursor = connection.execute(
        "INSERT INTO decisions (prediction_id, decided_at, decision, moderator, label, queue_id, taken_at,"
        " ad_json, spans_json) VALUES (?,?,?,?,?,?,?,?,?)",
        (
            prediction_id,
            now,
            request.decision,
            moderator,
            label,
            queue_id,
            scored_at,
            text,
            None if request.spans is None else json.dumps(list(request.spans), ensure_ascii=False),
        ),
    )
    decision_id = int(cursor.lastrowid or 0)
    if queue_id is not None:
        connection.execute(
            "UPDATE queue SET decided_at = ?, decision_id = ?, lease_until = NULL, leased_by = ? WHERE id = ?",
            (now, decision_id, moderator, queue_id),
        )
    return decision_id


def read_log(settings: MonitoringSettings, since: str | None = None) -> pd.DataFrame:
    """Logged predictions joined with the latest standing moderator decision on each: who, when, the label and the
    decided ad's text (decision_ad_json)."""
    query = (
        "SELECT p.*, d.decision AS decision, d.moderator AS moderator, d.label AS label, d.decided_at AS decided_at,"
        " d.taken_at AS taken_at, d.ad_json AS decision_ad_json, d.spans_json AS spans_json FROM predictions p"
        " LEFT JOIN decisions d ON d.id = (SELECT MAX(x.id) FROM decisions x"
        " WHERE x.prediction_id = p.id AND x.undone_at IS NULL)"
    )
    if since:
        query += " WHERE p.scored_at >= ?"
    return _query_frame(settings, query + " ORDER BY p.id", since)


def _query_frame(settings: MonitoringSettings, query: str, since: str | None) -> pd.DataFrame:
    """Run a read query on the log (with `since` as its one parameter when given) into a frame."""
    with closing(_connect(settings)) as connection:
        return pd.read_sql_query(query, connection, params=(since,) if since else ())


def read_decisions(settings: MonitoringSettings, since: str | None = None) -> pd.DataFrame:
    """Every standing (not undone) decision with its prediction's source, category, verdict and model version."""
    query = (
        "SELECT d.id, d.prediction_id, d.decided_at, d.decision, d.moderator, d.label, d.queue_id, d.taken_at,"
        " p.source, p.category, p.verdict, p.probability, p.model_version FROM decisions d"
        " JOIN predictions p ON p.id = d.prediction_id WHERE d.undone_at IS NULL"
    )
    if since:
        query += " AND d.decided_at >= ?"
    return _query_frame(settings, query + " ORDER BY d.id", since)


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
    from core.lifecycle.data import load_split

    if predictor is None:
        from core.lifecycle import tracking

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
    if "decision_ad_json" in decided:
        texts = decided["decision_ad_json"].where(decided["decision_ad_json"].notna(), decided["ad_json"])
    else:
        texts = decided["ad_json"]
    rows = []
    for (_, row), text in zip(decided.iterrows(), texts, strict=True):
        if text is None or (isinstance(text, float) and text != text):
            continue
        ad = json.loads(text)
        verdict = int(row["verdict"])
        record = {column: ad.get(column) for column in AD_COLUMNS}
        record["is_bad"] = verdict if row["decision"] == "confirm" else 1 - verdict
        rows.append(record)
    return pd.DataFrame(rows, columns=columns), len(decided) - len(rows)


def export_confirmed(settings: Settings, path: str | Path | None = None) -> ExportResult:
    """Write moderator-decided ads as a labelled CSV (default: data.feedback_path) that prepare merges."""
    from core.lifecycle.data import write_split

    target = resolve_path(path or settings.data.feedback_path)
    frame, skipped = labelled_feedback(read_log(settings.monitoring))
    if not frame.empty:
        write_split(frame, target)
    return ExportResult(target, len(frame), skipped)


def feedback_csv_bytes(path: str | Path) -> bytes:
    """The exported feedback file's bytes (for a browser download of exactly what was written)."""
    return Path(path).read_bytes()
