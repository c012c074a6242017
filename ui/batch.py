"""Batch scoring of an uploaded CSV: result tables, per-category summary and spreadsheet-safe exports."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from core.data import INDEX_COLUMN, LABEL_COLUMN, REQUIRED_COLUMNS, neutralize_for_spreadsheet
from core.predict import Predictor, cap_ad_texts, contest_task1, contest_task2

VERDICT_ALL = "Все"
VERDICT_FLAGGED = "С контактом"
VERDICT_CLEAN = "Без контакта"
VERDICT_CHOICES = (VERDICT_ALL, VERDICT_FLAGGED, VERDICT_CLEAN)


@dataclass(slots=True)
class BatchResult:
    """A scored upload kept in the session: the ads, the model's output and timings."""

    key: tuple[str, str, int]
    file_name: str
    frame: pd.DataFrame
    result: pd.DataFrame
    seconds: float
    model_version: str
    warnings: list[str] = field(default_factory=list)
    logged: int = 0
    log_error: str = ""
    max_chars: int = 0

    @property
    def truncated(self) -> int:
        """How many ads were scored on only their first max_chars characters."""
        return int(self.result["truncated"].sum()) if "truncated" in self.result else 0

    @property
    def rate(self) -> float:
        """Ads scored per second."""
        return len(self.frame) / self.seconds if self.seconds > 0 else float("inf")


def format_int(value: int) -> str:
    """An integer with thin spaces between thousands (Russian style)."""
    return f"{int(value):,}".replace(",", "\u202f")


def score_frame(
    predictor: Predictor,
    frame: pd.DataFrame,
    batch_size: int,
    progress: Callable[[int, int, float], None] | None,
    max_chars: int | None = None,
) -> tuple[pd.DataFrame, float]:
    """Score ads in batches (texts cut to max_chars, marked in `truncated`), reporting (done, total, ads/s)."""
    started = time.perf_counter()
    truncated = pd.Series(False, index=frame.index, dtype=bool)
    if max_chars is not None:
        frame, truncated = cap_ad_texts(frame, max_chars)

    def report(done: int, total: int) -> None:
        """Forward the predictor's progress with the rate so far."""
        if progress is not None:
            elapsed = max(time.perf_counter() - started, 1e-9)
            progress(done, total, done / elapsed)

    result = predictor.predict_batches(frame, batch_size, progress=report)
    result["truncated"] = truncated.to_numpy(dtype=bool)
    return result, time.perf_counter() - started


def ad_ids(frame: pd.DataFrame) -> pd.Series:
    """The ads' ids: the `index` column when the file has one, else the 0-based row number."""
    if INDEX_COLUMN in frame.columns:
        return frame[INDEX_COLUMN].reset_index(drop=True)
    return pd.Series(np.arange(len(frame)), name=INDEX_COLUMN)


def _span_column(result: pd.DataFrame, name: str) -> pd.Series:
    """start or finish as nullable integers on a 0..n-1 index (written as 96, never 96.0)."""
    return result[name].astype("Int64").reset_index(drop=True)


def _truncated_column(result: pd.DataFrame) -> np.ndarray:
    """Whether each ad's text was cut before scoring (all False when the result does not say)."""
    if "truncated" not in result:
        return np.zeros(len(result), dtype=bool)
    return result["truncated"].fillna(False).to_numpy(dtype=bool)


def results_table(frame: pd.DataFrame, result: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """One row per ad: id, category, title, probability, verdict, contacts found and the contest span."""
    table = pd.DataFrame(
        {
            "row": np.arange(1, len(frame) + 1),
            "id": ad_ids(frame).to_numpy(),
            "category": frame["category"].to_numpy(),
            "title": frame["title"].to_numpy(),
            "prediction": result["prediction"].astype(float).to_numpy(),
            "n_contacts": result["n_contacts"].to_numpy(),
            "kinds": result["kinds"].to_numpy(),
            "start": _span_column(result, "start"),
            "finish": _span_column(result, "finish"),
            "truncated": _truncated_column(result),
        }
    )
    table.insert(5, "flagged", table["prediction"] >= threshold)
    return table


def filter_results(table: pd.DataFrame, categories: list[str], verdict: str) -> pd.DataFrame:
    """Rows of the chosen categories (all when none chosen) and verdict, most likely contacts first."""
    view = table
    if categories:
        view = view[view["category"].isin(categories)]
    if verdict == VERDICT_FLAGGED:
        view = view[view["flagged"]]
    elif verdict == VERDICT_CLEAN:
        view = view[~view["flagged"]]
    return view.sort_values(["prediction", "row"], ascending=[False, True], kind="stable")


def category_summary(table: pd.DataFrame) -> pd.DataFrame:
    """Per category: ads, flagged ads and flag rate (sorted by flag rate)."""
    if table.empty:
        return pd.DataFrame(columns=["category", "ads", "flagged", "flag_rate"])
    summary = table.groupby("category", sort=True).agg(ads=("row", "size"), flagged=("flagged", "sum")).reset_index()
    summary["flag_rate"] = summary["flagged"] / summary["ads"]
    return summary.sort_values(["flag_rate", "category"], ascending=[False, True]).reset_index(drop=True)


def full_results_frame(frame: pd.DataFrame, result: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """The uploaded columns plus prediction, verdict, span and contacts for every ad."""
    ordered = [c for c in (INDEX_COLUMN, *REQUIRED_COLUMNS, LABEL_COLUMN) if c in frame.columns]
    ordered += [c for c in frame.columns if c not in ordered]
    full = frame[ordered].reset_index(drop=True).copy()
    scored = result.reset_index(drop=True)
    full["prediction"] = scored["prediction"].astype(float).round(6)
    full["verdict"] = (scored["prediction"] >= threshold).astype(int)
    full["start"] = _span_column(scored, "start")
    full["finish"] = _span_column(scored, "finish")
    for column in ("n_contacts", "kinds", "contacts"):
        full[column] = scored[column]
    full["truncated"] = _truncated_column(scored)
    return full


def csv_bytes(frame: pd.DataFrame, excel: bool = False) -> bytes:
    """Spreadsheet-safe CSV (formula-like cells neutralized); UTF-8 with BOM for Excel when asked."""
    text = neutralize_for_spreadsheet(frame).to_csv(index=False, lineterminator="\n")
    return text.encode("utf-8-sig" if excel else "utf-8")


def export_full(frame: pd.DataFrame, result: pd.DataFrame, threshold: float) -> bytes:
    """Full results as CSV for spreadsheets."""
    return csv_bytes(full_results_frame(frame, result, threshold), excel=True)


def export_task1(frame: pd.DataFrame, result: pd.DataFrame) -> bytes:
    """Contest task 1 CSV: index,prediction."""
    return csv_bytes(contest_task1(ad_ids(frame), result.reset_index(drop=True)))


def export_task2(frame: pd.DataFrame, result: pd.DataFrame) -> bytes:
    """Contest task 2 CSV: index,start,finish (empty when an ad has no contact)."""
    return csv_bytes(contest_task2(ad_ids(frame), result.reset_index(drop=True)))
