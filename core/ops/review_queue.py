"""The moderators' review queue in the monitoring store: take the next ad under a lease, decide, skip, undo; stats.

Ads enter the queue in `core.ops.monitoring.insert_rows` (flagged ones and a sample of the others, once per ad).
Taking is one write transaction (`BEGIN IMMEDIATE` + one `UPDATE … RETURNING`), so two moderators never hold
the same item; a lease that runs out (`monitoring.queue_lease_seconds`) puts the item back for anyone, and
`release` puts back a moderator's items at once when they sign out (or an admin signs their account out).
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd

from core.config import MonitoringSettings
from core.ops import monitoring

ITEM_COLUMNS = (
    "id, prediction_id, ad_hash, queued_at, reason, source, model_version, category, probability, verdict,"
    " ad_json, leased_by, leased_at, lease_until"
)


class LeaseLostError(RuntimeError):
    """The item is no longer leased to this moderator (the lease ran out and someone else took it, or it was decided)."""


@dataclass(frozen=True, slots=True)
class QueueItem:
    """One queued ad as a moderator holds it."""

    id: int
    prediction_id: int
    ad_hash: str
    queued_at: str
    reason: str
    source: str
    model_version: str
    category: str
    probability: float
    verdict: int
    ad: dict[str, Any]
    leased_by: str
    leased_at: str
    lease_until: float

    @property
    def title(self) -> str:
        """The ad's title ('' when missing)."""
        return str(self.ad.get("title") or "")

    @property
    def description(self) -> str:
        """The ad's description ('' when missing)."""
        return str(self.ad.get("description") or "")

    @property
    def price(self) -> float | None:
        """The ad's price, when it is a number."""
        value = self.ad.get("price")
        return float(value) if isinstance(value, int | float) and value == value else None

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> QueueItem:
        """Build from a row selected with ITEM_COLUMNS."""
        return cls(
            int(row[0]),
            int(row[1]),
            str(row[2]),
            str(row[3]),
            str(row[4]),
            str(row[5] or ""),
            str(row[6] or ""),
            str(row[7] or ""),
            float(row[8]),
            int(row[9]),
            json.loads(row[10]),
            str(row[11] or ""),
            str(row[12] or ""),
            float(row[13] or 0.0),
        )


@dataclass(frozen=True, slots=True)
class Undone:
    """What undo reverted: the decision and the item now back in front of the moderator."""

    decision_id: int
    item: QueueItem


_CONNECTIONS: OrderedDict[tuple[int, str], tuple[sqlite3.Connection, object]] = OrderedDict()
_CONNECTIONS_LOCK = threading.RLock()
_KEPT_CONNECTIONS = 4


@contextmanager
def _connection(settings: MonitoringSettings) -> Iterator[sqlite3.Connection]:
    """This process's connection to the log (kept open: opening and closing a WAL database costs more than a
    take), used by one thread at a time; dropped after an error so the next call opens a fresh one."""
    path = monitoring.db_path(settings)
    key = (os.getpid(), str(path))
    with _CONNECTIONS_LOCK:
        connection, file = _CONNECTIONS.get(key, (None, None))
        if connection is not None and monitoring.file_key(path) != file:  # the file was removed or replaced
            _CONNECTIONS.pop(key)
            connection.close()
            connection = None
        if connection is None:
            connection = monitoring.connect(settings, check_same_thread=False)
            _CONNECTIONS[key] = (connection, monitoring.file_key(path))
            while len(_CONNECTIONS) > _KEPT_CONNECTIONS:
                _CONNECTIONS.popitem(last=False)[1][0].close()
        _CONNECTIONS.move_to_end(key)
        try:
            yield connection
        except sqlite3.Error:
            _CONNECTIONS.pop(key, None)
            connection.close()
            raise


@contextmanager
def _write(settings: MonitoringSettings) -> Iterator[sqlite3.Connection]:
    """The connection inside one write transaction (BEGIN IMMEDIATE), committed on success, rolled back on error."""
    with _connection(settings) as connection:
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield connection
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")


def _held(connection: sqlite3.Connection, user: str, now: float) -> tuple | None:
    """The newest undecided item whose live lease this user holds."""
    return connection.execute(
        f"SELECT {ITEM_COLUMNS} FROM queue WHERE leased_by = ? AND decided_at IS NULL AND lease_until >= ?"
        " ORDER BY leased_at DESC LIMIT 1",
        (user, now),
    ).fetchone()


def take_next(settings: MonitoringSettings, user: str, now: float | None = None) -> QueueItem | None:
    """The ad this user holds (lease renewed) or the next free one, leased to them; None when the queue is empty."""
    if not user:
        raise ValueError("a moderator name is needed to take from the queue")
    now = time.time() if now is None else now
    until = now + settings.queue_lease_seconds
    with _write(settings) as connection:
        row = _held(connection, user, now)
        if row is not None:
            connection.execute("UPDATE queue SET lease_until = ? WHERE id = ?", (until, row[0]))
            return QueueItem.from_row((*row[:13], until))
        row = connection.execute(
            f"UPDATE queue SET leased_by = ?, leased_at = ?, lease_until = ? WHERE id = ("
            " SELECT id FROM queue WHERE decided_at IS NULL AND (lease_until IS NULL OR lease_until < ?)"
            f" ORDER BY rank, id LIMIT 1) RETURNING {ITEM_COLUMNS}",
            (user, _stamp(now), until, now),
        ).fetchone()
    return QueueItem.from_row(row) if row is not None else None


def decide(
    settings: MonitoringSettings,
    user: str,
    item_id: int,
    has_contact: bool,
    spans: Sequence[Mapping[str, Any]] | None = None,
    now: float | None = None,
) -> int:
    """Record the moderator's answer (the ad has a contact or not) on an item they hold; returns the decision id.

    The decision stores the ad's text and the contacts shown (whatever monitoring.store_text says) and is
    'confirm' when the answer matches the model's verdict, 'reject' otherwise.
    """
    now = time.time() if now is None else now
    with _write(settings) as connection:
        row = connection.execute(
            "SELECT prediction_id, verdict, ad_json, leased_at FROM queue"
            " WHERE id = ? AND decided_at IS NULL AND leased_by = ?",
            (item_id, user),
        ).fetchone()
        if row is None:
            raise LeaseLostError(f"queue item {item_id} is not held by {user}")
        prediction_id, verdict, ad_json, leased_at = row
        stamp = _stamp(now)
        cursor = connection.execute(
            "INSERT INTO decisions (prediction_id, decided_at, decision, moderator, label, queue_id, taken_at, ad_json,"
            " spans_json) VALUES (?,?,?,?,?,?,?,?,?)",
            (
                prediction_id,
                stamp,
                monitoring.decision_for(verdict, has_contact),
                user,
                int(bool(has_contact)),
                item_id,
                leased_at,
                ad_json,
                None if spans is None else json.dumps(list(spans), ensure_ascii=False),
            ),
        )
        decision_id = int(cursor.lastrowid or 0)
        connection.execute(
            "UPDATE queue SET decided_at = ?, decision_id = ?, lease_until = NULL WHERE id = ?",
            (stamp, decision_id, item_id),
        )
    return decision_id


def skip(settings: MonitoringSettings, user: str, item_id: int) -> bool:
    """Release an item this user holds and push it to the back of the queue; False when they did not hold it."""
    with _write(settings) as connection:
        back = connection.execute("SELECT COALESCE(MAX(rank), 0) + 1 FROM queue WHERE decided_at IS NULL").fetchone()
        cursor = connection.execute(
            "UPDATE queue SET leased_by = NULL, leased_at = NULL, lease_until = NULL, rank = ?"
            " WHERE id = ? AND decided_at IS NULL AND leased_by = ?",
            (back[0], item_id, user),
        )
        return cursor.rowcount == 1


def release(settings: MonitoringSettings, user: str) -> int:
    """Give back every item this user holds, keeping their place in the queue; returns how many."""
    with _write(settings) as connection:
        cursor = connection.execute(
            "UPDATE queue SET leased_by = NULL, leased_at = NULL, lease_until = NULL"
            " WHERE leased_by = ? AND decided_at IS NULL",
            (user,),
        )
        return cursor.rowcount


def undo(settings: MonitoringSettings, user: str, now: float | None = None) -> Undone | None:
    """Revert this user's last standing queue decision and lease its item to them again (the item they held
    meanwhile goes back to its place in the queue); None when there is nothing to undo."""
    now = time.time() if now is None else now
    with _write(settings) as connection:
        last = connection.execute(
            "SELECT id, queue_id FROM decisions WHERE moderator = ? AND undone_at IS NULL AND queue_id IS NOT NULL"
            " ORDER BY id DESC LIMIT 1",
            (user,),
        ).fetchone()
        if last is None:
            return None
        decision_id, queue_id = last
        stamp = _stamp(now)
        connection.execute("UPDATE decisions SET undone_at = ? WHERE id = ?", (stamp, decision_id))
        connection.execute(
            "UPDATE queue SET leased_by = NULL, leased_at = NULL, lease_until = NULL"
            " WHERE leased_by = ? AND decided_at IS NULL AND id != ?",
            (user, queue_id),
        )
        row = connection.execute(
            "UPDATE queue SET decided_at = NULL, decision_id = NULL, leased_by = ?, leased_at = ?, lease_until = ?"
            f" WHERE id = ? RETURNING {ITEM_COLUMNS}",
            (user, stamp, now + settings.queue_lease_seconds, queue_id),
        ).fetchone()
    return Undone(int(decision_id), QueueItem.from_row(row))


@dataclass(frozen=True, slots=True)
class QueueCounts:
    """Counters for the queue page."""

    left: int
    done_by_me_today: int


def counts(settings: MonitoringSettings, user: str, day_start: str | None = None) -> QueueCounts:
    """Undecided items in the queue and this user's standing decisions since day_start (default: local midnight)."""
    start = day_start or local_day_start()
    with _connection(settings) as connection:
        left = connection.execute("SELECT COUNT(*) FROM queue WHERE decided_at IS NULL").fetchone()[0]
        done = connection.execute(
            "SELECT COUNT(*) FROM decisions WHERE moderator = ? AND undone_at IS NULL AND decided_at >= ?",
            (user, start),
        ).fetchone()[0]
    return QueueCounts(int(left), int(done))


def queue_size(settings: MonitoringSettings) -> int:
    """Undecided items in the queue."""
    with _connection(settings) as connection:
        return int(connection.execute("SELECT COUNT(*) FROM queue WHERE decided_at IS NULL").fetchone()[0])


def local_day_start() -> str:
    """The server's local midnight today, as a log timestamp (UTC text)."""
    midnight = datetime.now().astimezone().replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _stamp(epoch: float) -> str:
    """A log timestamp (the text format of monitoring._now) for epoch seconds."""
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _parse(column: pd.Series) -> pd.Series:
    return pd.to_datetime(column, format="%Y-%m-%d %H:%M:%S.%f", utc=True, errors="coerce")


def moderator_stats(decisions: pd.DataFrame) -> pd.DataFrame:
    """Per moderator: decisions, ads per hour, median seconds per ad (taken → decided), agreement with the model.

    Ads per hour = decisions / hours from their first take (or decision) to their last decision in the data.
    """
    columns = ["moderator", "decisions", "ads_per_hour", "median_seconds", "agreement", "first", "last"]
    if decisions.empty:
        return pd.DataFrame(columns=columns)
    frame = decisions.assign(
        moderator=decisions["moderator"].fillna("").astype(str),
        decided=_parse(decisions["decided_at"]),
        taken=_parse(decisions["taken_at"]),
    )
    rows = []
    for name, group in frame.groupby("moderator", sort=True):
        seconds = (group["decided"] - group["taken"]).dt.total_seconds().dropna()
        seconds = seconds[seconds >= 0]
        start = group["taken"].fillna(group["decided"]).min()
        hours = (group["decided"].max() - start).total_seconds() / 3600
        rows.append(
            {
                "moderator": str(name),
                "decisions": len(group),
                "ads_per_hour": len(group) / hours if hours > 0 else float("nan"),
                "median_seconds": float(np.median(seconds)) if len(seconds) else float("nan"),
                "agreement": float((group["decision"] == "confirm").mean()),
                "first": str(group["decided_at"].min())[:19],
                "last": str(group["decided_at"].max())[:19],
            }
        )
    return pd.DataFrame(rows, columns=columns).sort_values("decisions", ascending=False, ignore_index=True)
