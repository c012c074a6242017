"""Tables of the «Мониторинг» page: who scored the logged ads (scored_by) and the latest scored ads."""

from __future__ import annotations

import pandas as pd

SOURCES = {
    "check": "проверка",
    "batch": "пакет",
    "cli": "командная строка",
    "serve": "API-сервер",
    "spark": "Spark",
}
SERVER = "API-сервер"
NOT_RECORDED = "(не записано)"
VERDICTS = {1: "с контактом", 0: "без контакта"}
RECENT_ROWS = 20


def source_label(source: object) -> str:
    """The Russian name of a log source (check, batch, cli, serve, spark); an unknown one as it is."""
    return SOURCES.get(str(source), str(source))


def scorer_label(scored_by: object, source: object) -> str:
    """Who scored an ad: the moderator's login or `cli:<OS user>`; the API server (it has no user); else a placeholder."""
    if isinstance(scored_by, str) and scored_by.strip():
        return scored_by.strip()
    return SERVER if source == "serve" else NOT_RECORDED


def _scorers(log: pd.DataFrame) -> pd.Series:
    """The scorer label of every log row."""
    return pd.Series(
        [scorer_label(who, source) for who, source in zip(log["scored_by"], log["source"], strict=True)],
        index=log.index,
        dtype=object,
    )


def scorer_counts(log: pd.DataFrame) -> pd.DataFrame:
    """Per scorer: ads scored, ads flagged, flag rate and the last scoring time (UTC, to the second); most ads first."""
    columns = ["scorer", "ads", "flagged", "flag_rate", "last"]
    if log.empty:
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame(
        {"scorer": _scorers(log), "verdict": log["verdict"].astype(int), "scored_at": log["scored_at"].astype(str)}
    )
    table = frame.groupby("scorer", sort=False).agg(
        ads=("verdict", "size"), flagged=("verdict", "sum"), last=("scored_at", "max")
    )
    table["flag_rate"] = table["flagged"] / table["ads"]
    table["last"] = table["last"].str.slice(0, 19)
    table = table.reset_index().sort_values(["ads", "scorer"], ascending=[False, True], kind="stable")
    return table[columns].reset_index(drop=True)


def recent_rows(log: pd.DataFrame, limit: int = RECENT_ROWS) -> pd.DataFrame:
    """The last `limit` logged ads, newest first: when, source, who, category, score, verdict, model version."""
    columns = ["scored_at", "source", "scored_by", "category", "probability", "verdict", "model_version"]
    if log.empty:
        return pd.DataFrame(columns=columns)
    rows = log.sort_values("id", ascending=False, kind="stable").head(limit)
    return pd.DataFrame(
        {
            "scored_at": rows["scored_at"].astype(str).str.slice(0, 19),
            "source": rows["source"].map(source_label),
            "scored_by": _scorers(rows),
            "category": rows["category"].fillna("").astype(str),
            "probability": rows["probability"].astype(float),
            "verdict": rows["verdict"].astype(int).map(VERDICTS),
            "model_version": rows["model_version"].fillna("").astype(str),
        }
    ).reset_index(drop=True)
