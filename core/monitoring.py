"""Log of every scored ad and moderators' decisions (SQLite); volume, drift (PSI), agreement, feedback export."""

from __future__ import annotations

import json
import os
import re
import sqlite3
from collections.abc import Sequence
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from core.config import MonitoringSettings, Settings, resolve_path

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
    rows = list(
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
    with closing(_connect(settings)) as connection, connection:
        connection.execute("BEGIN IMMEDIATE")  # take the write lock before reading the next id
        first = connection.execute("SELECT COALESCE(MAX(id), 0) FROM predictions").fetchone()[0] + 1
        connection.executemany(
            "INSERT INTO predictions (scored_at, source, model_version, category, probability, threshold, verdict,"
            " n_contacts, kinds, title, description, ad_json) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            rows,
        )
    return list(range(first, first + count))


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
