"""Log of every scored ad and of moderators' decisions (SQLite), for the monitoring page."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from core.config import MonitoringSettings, resolve_path

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
    now = _now()
    rows = []
    for (_, ad), (_, scored) in zip(frame.iterrows(), result.iterrows(), strict=True):
        probability = float(scored["prediction"])
        ad_json = None
        if settings.store_text:
            ad_json = json.dumps({c: _plain(ad.get(c)) for c in AD_COLUMNS if c in ad}, ensure_ascii=False)
        rows.append(
            (
                now,
                source,
                model_version,
                str(ad.get("category", "") or ""),
                probability,
                threshold,
                int(probability >= threshold),
                int(scored.get("n_contacts", 0) or 0),
                str(scored.get("kinds", "") or ""),
                str(ad.get("title", "") or "") if settings.store_text else None,
                str(ad.get("description", "") or "") if settings.store_text else None,
                ad_json,
            )
        )
    with closing(_connect(settings)) as connection, connection:
        cursor = connection.execute("SELECT COALESCE(MAX(id), 0) FROM predictions")
        first = cursor.fetchone()[0] + 1
        connection.executemany(
            "INSERT INTO predictions (scored_at, source, model_version, category, probability, threshold, verdict,"
            " n_contacts, kinds, title, description, ad_json) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            rows,
        )
    return list(range(first, first + len(rows)))


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
    """Logged predictions joined with the latest moderator decision on each."""
    query = (
        "SELECT p.*, (SELECT d.decision FROM decisions d WHERE d.prediction_id = p.id ORDER BY d.id DESC LIMIT 1)"
        " AS decision FROM predictions p"
    )
    params: tuple = ()
    if since:
        query += " WHERE p.scored_at >= ?"
        params = (since,)
    with closing(_connect(settings)) as connection:
        return pd.read_sql_query(query + " ORDER BY p.id", connection, params=params)
