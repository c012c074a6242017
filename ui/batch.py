"""Batch scoring of an uploaded CSV: stored jobs, result tables, bulk decisions and spreadsheet-safe exports."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import streamlit as st

from core.config import Settings
from core.engine.predict import Predictor, contest_task1, contest_task2
from core.engine.spans import spans_from_json
from core.lifecycle.data import INDEX_COLUMN, LABEL_COLUMN, REQUIRED_COLUMNS, neutralize_for_spreadsheet, read_ads_csv
from core.ops import monitoring, scoring
from core.ops.batch_jobs import (
    PREDICTION_ID,
    JobInfo,
    JobStore,
    StoredJob,
    job_id_for,
    record_bulk_decision,
    utc_now,
)
from ui.messages import in_russian
from ui.render import kind_label
from ui.ru_format import ru_int, ru_number, ru_percent

VERDICT_ALL = "Все"
VERDICT_FLAGGED = "С контактом"
VERDICT_CLEAN = "Без контакта"
VERDICT_CHOICES = (VERDICT_ALL, VERDICT_FLAGGED, VERDICT_CLEAN)
DECISION_LABELS = {"confirm": "подтверждён", "reject": "отклонён"}


@dataclass(slots=True)
class BatchResult:
    """A stored job opened in the session: the ads, the model's output (with monitoring ids) and its facts."""

    info: JobInfo
    frame: pd.DataFrame
    result: pd.DataFrame
    reused: bool = False
    store_error: str = ""

    @property
    def job_id(self) -> str:
        """The stored job's id."""
        return self.info.job_id

    @property
    def file_name(self) -> str:
        """Name of the uploaded file."""
        return self.info.file_name

    @property
    def logged(self) -> int:
        """Rows written to the monitoring log when the file was scored."""
        return self.info.logged

    @property
    def log_error(self) -> str:
        """Why the rows were not written to the monitoring log ('' when they were)."""
        return self.info.log_error

    @property
    def seconds(self) -> float:
        """Seconds the scoring took."""
        return self.info.seconds

    @property
    def model_version(self) -> str:
        """Model version that scored the file."""
        return self.info.model_version

    @property
    def max_chars(self) -> int:
        """Characters of a title or description that were scored."""
        return self.info.max_chars

    @property
    def warnings(self) -> list[str]:
        """Warnings of reading the file, in Russian."""
        return list(self.info.warnings)

    @property
    def truncated(self) -> int:
        """How many ads were scored on only their first max_chars characters."""
        return int(self.result["truncated"].sum()) if "truncated" in self.result else 0

    @property
    def rate(self) -> float:
        """Ads scored per second."""
        return len(self.frame) / self.seconds if self.seconds > 0 else float("inf")

    @property
    def prediction_ids(self) -> pd.Series:
        """Monitoring log id of every row (missing when the row was not logged)."""
        return StoredJob(self.info, self.frame, self.result).prediction_ids


def format_int(value: int) -> str:
    """An integer with thin spaces between thousands (Russian style): 60 000."""
    return ru_int(value)


def format_decimal(value: float, digits: int = 1) -> str:
    """A number with a decimal comma and thin spaces between thousands: 1 815,5."""
    return ru_number(value, digits)


def format_percent(share: float, digits: int = 1) -> str:
    """A share as Russian percent: 0.395 -> 39,5 %."""
    return ru_percent(share, digits)


def format_rate(ads_per_second: float) -> str:
    """Scoring speed: 1 815 объявл./с."""
    if not np.isfinite(ads_per_second):
        return "—"
    return f"{format_int(round(ads_per_second))} объявл./с"


def format_when(utc_text: str) -> str:
    """'2025-05-12 14:03:07' (UTC) as 12.05.2025 14:03."""
    try:
        moment = pd.Timestamp(utc_text)
    except ValueError:
        return utc_text
    return moment.strftime("%d.%m.%Y %H:%M")


def kinds_in_russian(kinds: object) -> str:
    """'phone,url' -> 'телефон, ссылка' (empty for no contact)."""
    if not isinstance(kinds, str) or not kinds:
        return ""
    return ", ".join(kind_label(kind) for kind in kinds.split(",") if kind)


def distinct_contacts(contacts_json: object) -> int:
    """Contacts of an ad counted once each: the pieces of one split phone (same kind and value) are one contact."""
    if not isinstance(contacts_json, str) or not contacts_json:
        return 0
    return len({(span.kind, span.value or span.text) for span in spans_from_json(contacts_json)})


def with_rate(progress: Callable[[int, int, float], None] | None) -> Callable[[int, int], None] | None:
    """A progress(done, total) callback that forwards (done, total, ads per second so far) to progress."""
    if progress is None:
        return None
    started = time.perf_counter()

    def report(done: int, total: int) -> None:
        """Forward the scoring progress with the rate so far."""
        progress(done, total, done / max(time.perf_counter() - started, 1e-9))

    return report


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


def decision_labels(positions: Sequence[int], decisions: pd.DataFrame | None) -> np.ndarray:
    """'подтверждён (misha)' / 'отклонён (anna)' for each row position that was decided from the batch table."""
    labels = np.full(len(positions), "", dtype=object)
    if decisions is None or decisions.empty:
        return labels
    by_position = {
        int(row.position): f"{DECISION_LABELS.get(row.decision, row.decision)} ({row.moderator})"
        for row in decisions.itertuples()
    }
    for index, position in enumerate(positions):
        labels[index] = by_position.get(int(position), "")
    return labels


def results_table(
    frame: pd.DataFrame, result: pd.DataFrame, threshold: float, decisions: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per ad: id, category, title, probability, verdict, contacts found, contest span and decision."""
    contacts = result["contacts"] if "contacts" in result else pd.Series([""] * len(result))
    table = pd.DataFrame(
        {
            "row": np.arange(1, len(frame) + 1),
            "id": ad_ids(frame).to_numpy(),
            "category": frame["category"].to_numpy(),
            "title": frame["title"].to_numpy(),
            "prediction": result["prediction"].astype(float).to_numpy(),
            "n_contacts": [distinct_contacts(value) for value in contacts],
            "kinds": [kinds_in_russian(value) for value in result["kinds"]],
            "start": _span_column(result, "start"),
            "finish": _span_column(result, "finish"),
            "truncated": _truncated_column(result),
        }
    )
    table.insert(5, "flagged", table["prediction"] >= threshold)
    table.insert(5, "percent", (table["prediction"] * 100).round(1))
    table["decision"] = decision_labels(range(len(frame)), decisions)
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
    full["n_contacts"] = [distinct_contacts(value) for value in scored["contacts"]]
    for column in ("kinds", "contacts"):
        full[column] = scored[column]
    full["truncated"] = _truncated_column(scored)
    return full


def _shift_contacts(contacts_json: object, offset: int) -> object:
    """The contacts JSON with every start and finish moved by offset characters."""
    if not isinstance(contacts_json, str) or not contacts_json:
        return contacts_json
    items = json.loads(contacts_json)
    for item in items:
        for name in ("start", "finish"):
            if isinstance(item.get(name), int):
                item[name] += offset
    return json.dumps(items, ensure_ascii=False)


def spreadsheet_safe_results(full: pd.DataFrame) -> pd.DataFrame:
    """The full results with formula-like cells neutralized; a description that got an apostrophe has its start,
    finish and contact offsets moved by one, so they still point into the text as written."""
    safe = neutralize_for_spreadsheet(full)
    if "description" not in full.columns:
        return safe
    original = full["description"].astype(object)
    written = safe["description"].astype(object)
    shifted = (original.notna() & (written != original)).to_numpy(dtype=bool)
    if shifted.any():
        for column in ("start", "finish"):
            safe[column] = safe[column].astype("Int64")
            safe.loc[shifted, column] = safe.loc[shifted, column] + 1
        safe["contacts"] = safe["contacts"].astype(object)
        safe.loc[shifted, "contacts"] = [_shift_contacts(value, 1) for value in safe.loc[shifted, "contacts"]]
    return safe


def csv_bytes(frame: pd.DataFrame, excel: bool = False) -> bytes:
    """Spreadsheet-safe CSV (formula-like cells neutralized); UTF-8 with BOM for Excel when asked."""
    text = neutralize_for_spreadsheet(frame).to_csv(index=False, lineterminator="\n")
    return text.encode("utf-8-sig" if excel else "utf-8")


def export_full(frame: pd.DataFrame, result: pd.DataFrame, threshold: float) -> bytes:
    """Full results as CSV for spreadsheets (UTF-8 with BOM; offsets follow the apostrophe of the formula guard)."""
    safe = spreadsheet_safe_results(full_results_frame(frame, result, threshold))
    return safe.to_csv(index=False, lineterminator="\n").encode("utf-8-sig")


def export_task1(frame: pd.DataFrame, result: pd.DataFrame) -> bytes:
    """Contest task 1 CSV: index,prediction."""
    return csv_bytes(contest_task1(ad_ids(frame), result.reset_index(drop=True)))


def export_task2(frame: pd.DataFrame, result: pd.DataFrame) -> bytes:
    """Contest task 2 CSV: index,start,finish (empty when an ad has no contact)."""
    return csv_bytes(contest_task2(ad_ids(frame), result.reset_index(drop=True)))


# --------------------------------------------------------------------------- stored jobs


def job_store(settings: Settings) -> JobStore:
    """The configured store of batch jobs."""
    return JobStore.from_settings(settings.batch)


def open_stored(store: JobStore, job_id: str, reused: bool = False) -> BatchResult | None:
    """A stored job loaded for the page, or None when it is gone."""
    job = store.load(job_id)
    return None if job is None else BatchResult(job.info, job.frame, job.result, reused=reused)


def read_upload(data: bytes, settings: Settings) -> tuple[pd.DataFrame, list[str]]:
    """The ads of an uploaded file and the warnings of reading it; DataError when it is refused."""
    limits = settings.app
    frame, report = read_ads_csv(data, max_rows=limits.max_rows, max_bytes=limits.max_upload_mb * 1024 * 1024)
    return frame, list(report.warnings)


def score_and_store(
    settings: Settings,
    predictor: Predictor,
    frame: pd.DataFrame,
    warnings: Sequence[str],
    *,
    file_hash: str,
    file_name: str,
    user: str,
    progress: Callable[[int, int, float], None] | None = None,
) -> BatchResult:
    """Score the ads for a user through the scoring service (which logs them; the log ids stay with the rows) and
    store the job on disk."""
    max_chars = settings.detect.max_chars
    scored = scoring.score(predictor, frame, source="batch", user=user, settings=settings, progress=with_rate(progress))
    result, threshold = scored.result, scored.threshold
    result[PREDICTION_ID] = pd.array(scored.prediction_ids, dtype="Int64")
    info = JobInfo(
        job_id=job_id_for(file_hash, predictor.version, max_chars),
        content_hash=file_hash,
        model_version=str(predictor.version),
        max_chars=max_chars,
        file_name=file_name,
        rows=len(frame),
        threshold=threshold,
        flagged=int((result["prediction"] >= threshold).sum()),
        created_at=utc_now(),
        created_by=user,
        seconds=scored.seconds,
        warnings=tuple(in_russian(warning) for warning in warnings),  # stored as shown
        logged=scored.recorded.logged,
        log_error="" if scored.warning is None else in_russian(scored.warning),  # stored as shown
        truncated=int(result["truncated"].sum()),
    )
    batch = BatchResult(info, frame.reset_index(drop=True), result)
    try:
        batch.info = job_store(settings).save(info, batch.frame, result)
    except (OSError, sqlite3.Error, ValueError) as error:
        batch.store_error = str(error)
    return batch


@st.cache_data(max_entries=512, show_spinner=False)
def _flagged_count(
    folder: str, job_id: str, created_at: str, threshold: float, _store: JobStore, _info: JobInfo
) -> int:
    """Flagged rows of a stored job at a threshold (job results never change, so this is cached)."""
    return _store.flagged(_info, threshold)


def jobs_frame(store: JobStore, jobs: Sequence[JobInfo], threshold: float) -> pd.DataFrame:
    """The stored jobs as the page lists them: file, rows, flagged, when, who, model version (Russian formats)."""
    rows = []
    for info in jobs:
        flagged = _flagged_count(str(store.folder), info.job_id, info.created_at, threshold, store, info)
        rows.append(
            {
                "Файл": info.file_name,
                "Строк": format_int(info.rows),
                "С контактом": format_int(flagged),
                "Доля": format_percent(flagged / info.rows) if info.rows else "—",
                "Когда (UTC)": format_when(info.created_at),
                "Кто": info.created_by or "—",
                "Модель": f"версия {info.model_version}",
            }
        )
    return pd.DataFrame(rows, columns=["Файл", "Строк", "С контактом", "Доля", "Когда (UTC)", "Кто", "Модель"])


def job_label(info: JobInfo) -> str:
    """One line naming a stored job in the job chooser."""
    return (
        f"{info.file_name} · {format_int(info.rows)} строк · {format_when(info.created_at)} · "
        f"{info.created_by or '—'} · модель {info.model_version}"
    )


@dataclass(slots=True)
class DecisionOutcome:
    """What a bulk decision did: decisions recorded, rows that were never logged, errors."""

    recorded: int = 0
    not_logged: int = 0
    errors: list[str] = field(default_factory=list)


def _plain(value: object) -> object:
    """A cell as a plain Python value (None when missing)."""
    if value is None or (not isinstance(value, str) and bool(pd.isna(value))):
        return None
    return value.item() if isinstance(value, np.generic) else value


def decide_rows(
    settings: Settings, batch: BatchResult, positions: Sequence[int], decision: str, moderator: str
) -> DecisionOutcome:
    """Record a moderator's confirm/reject of the verdict of each row (0-based positions) in the monitoring log and
    the job's table, all in one go: either every logged row is recorded or none is."""
    ids = batch.prediction_ids
    outcome = DecisionOutcome()
    rows: list[tuple[int, int, dict]] = []
    for position in sorted(set(positions)):
        prediction_id = ids.iloc[position]
        if pd.isna(prediction_id):
            outcome.not_logged += 1
            continue
        ad = {  # the ad's text goes with the decision, so the feedback export has it whatever store_text says
            column: _plain(batch.frame[column].iloc[position])
            for column in monitoring.AD_COLUMNS
            if column in batch.frame
        }
        rows.append((position, int(prediction_id), ad))
    try:
        record_bulk_decision(settings.monitoring, job_store(settings), batch.job_id, decision, moderator, rows)
    except monitoring.UnknownPredictionError as error:
        row = next(position + 1 for position, logged, _ in rows if logged == error.prediction_id)
        outcome.errors.append(
            f"строки {format_int(row)} нет в журнале мониторинга, поэтому ни одно решение не записано "
            f"(выбрано {format_int(len(rows))})"
        )
    except (sqlite3.Error, OSError) as error:
        outcome.errors.append(
            f"ошибка журнала ({error}), поэтому ни одно решение не записано (выбрано {format_int(len(rows))})"
        )
    else:
        outcome.recorded = len(rows)
    return outcome


def stored_contacts(result: pd.DataFrame, position: int) -> list:
    """The description contacts stored with a row of a job."""
    if "contacts" not in result:
        return []
    return spans_from_json(result["contacts"].iloc[position])


def stored_title_contacts(result: pd.DataFrame, position: int) -> list | None:
    """The title contacts stored with a row of a job (None for a job stored before they were kept)."""
    if "title_contacts" not in result:
        return None
    value = result["title_contacts"].iloc[position]
    return spans_from_json(value) if isinstance(value, str) and value else []


def uploader_css(max_upload_mb: int) -> str:
    """Style that replaces the file uploader's English hint and button text with Russian ones."""
    hint = f"CSV, до {format_int(max_upload_mb)} МБ"
    return (
        "<style>"
        ".st-key-batch_file [data-testid=stFileUploaderDropzoneInstructions] {display: none;}"
        ".st-key-batch_file [data-testid=stFileUploaderDropzone]:has(> [data-testid=stFileUploaderDropzoneInstructions])::after"
        f' {{content: "{hint}"; font-size: 0.875rem; opacity: 0.6; margin-left: 0.75rem; align-self: center;}}'
        ".st-key-batch_file [data-testid=stFileUploaderDropzone] button [data-testid=stMarkdownContainer],"
        ".st-key-batch_file [data-testid=stFileUploaderDropzone] button p {font-size: 0;}"
        ".st-key-batch_file [data-testid=stFileUploaderDropzone] button [data-testid=stMarkdownContainer]::after"
        ' {content: "Выбрать файл"; font-size: 0.875rem;}'
        ".st-key-batch_file [data-testid=stFileChipName] + div {display: none;}"  # the size, written 51.0KB
        "</style>"
    )
