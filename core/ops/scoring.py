"""One scoring service: score ads for a source and a user, and record them in the monitoring log.

`score(predictor, ads, ...)` is the one way a table of ads (the batch page, the CLI) or one ad (the check page)
is scored and recorded. The scoring server scores with the model it loaded (`core.ops.serving`) and records
through the same `MonitoringLog`. A write to the log never blocks or fails scoring: a long-lived caller (the
server) hands the rows to the bounded background writer (`monitoring.LogWriter`); the others write at once but
wait at most `DIRECT_WRITE_SECONDS` for a locked database. A write that fails, lags or is dropped comes back as
a coded warning (`core.errors.Text`): the app shows it in Russian, the CLI as a `warning:` line, the server logs
it (at most once per `REPORT_SECONDS` per kind).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, overload

import pandas as pd

from core.config import MonitoringSettings, Settings
from core.errors import Text
from core.ops import monitoring

if TYPE_CHECKING:
    from core.engine.predict import Prediction, Predictor

SOURCES = ("check", "batch", "cli", "serve", "spark")
DIRECT_WRITE_SECONDS = 1.0  # the longest a direct write waits for a locked log before it gives up with a warning
LAG_SECONDS = 5.0  # a background writer whose oldest waiting ad is older than this lags
REPORT_SECONDS = 5.0  # the same kind of warning is reported at most this often

Progress = Callable[[int, int], None]


@dataclass(slots=True)
class Recorded:
    """What the monitoring log did with scored ads: the ids written (direct writes), ads queued, a warning."""

    ids: list[int] = field(default_factory=list)
    queued: int = 0
    warning: Text | None = None

    @property
    def logged(self) -> int:
        """Ads written or handed to the background writer."""
        return len(self.ids) or self.queued


class MonitoringLog:
    """The monitoring log as the scoring service writes it: at once with a short wait, or through a LogWriter."""

    def __init__(
        self,
        settings: MonitoringSettings,
        threshold: float,
        writer: monitoring.LogWriter | None = None,
        busy_seconds: float = DIRECT_WRITE_SECONDS,
        report: Callable[[Text], None] | None = None,
        lag_seconds: float = LAG_SECONDS,
    ) -> None:
        """Write to settings' log at threshold; through writer when given; report(warning) for each warning."""
        self.settings = settings
        self.threshold = threshold
        self.writer = writer
        self.busy_seconds = busy_seconds
        self.report = report
        self.lag_seconds = lag_seconds
        self._reported: dict[str, float] = {}

    @classmethod
    def of(cls, settings: Settings, writer: monitoring.LogWriter | None = None) -> MonitoringLog:
        """The log of the settings at the deployment's threshold (app.threshold)."""
        return cls(settings.monitoring, settings.app.threshold, writer)

    @property
    def enabled(self) -> bool:
        """Whether scored ads are logged at all (monitoring.enabled)."""
        return self.settings.enabled

    def record_frame(
        self, frame: pd.DataFrame, result: pd.DataFrame, *, source: str, user: str | None, model_version: str
    ) -> Recorded:
        """Record a frame of scored ads (result: prediction, n_contacts, kinds; same order as frame)."""
        if not self.enabled or frame.empty:
            return Recorded()
        rows = monitoring.prediction_rows(
            self.settings,
            frame,
            result,
            source=_checked(source),
            model_version=str(model_version),
            threshold=self.threshold,
            scored_by=user,
        )
        return self.record_rows(rows)

    def record_ads(
        self,
        ads: Sequence[dict[str, Any]],
        probability: Sequence[float],
        n_contacts: Sequence[int],
        kinds: Sequence[str],
        *,
        source: str,
        user: str | None,
        model_version: str,
    ) -> Recorded:
        """Record scored ads given as plain dicts (no DataFrame: one ad of the check page, the server's fast path)."""
        if not self.enabled or not ads:
            return Recorded()
        rows = monitoring.rows_from_ads(
            self.settings,
            ads,
            probability,
            n_contacts,
            kinds,
            source=_checked(source),
            model_version=str(model_version),
            threshold=self.threshold,
            scored_by=user,
        )
        return self.record_rows(rows)

    def record_rows(self, rows: list[tuple]) -> Recorded:
        """Queue the rows on the background writer, or write them now waiting at most busy_seconds; never raises."""
        if self.writer is not None:
            if not self.writer.submit(rows):
                return self._warn(Recorded(warning=Text("monitoring.dropped", n=len(rows))))
            state = self.writer.state()
            recorded = Recorded(queued=len(rows))
            if state.oldest_seconds >= self.lag_seconds:
                seconds = round(state.oldest_seconds, 1)
                recorded.warning = Text("monitoring.lagging", n=state.pending_ads, seconds=seconds)
            return self._warn(recorded)
        try:
            return Recorded(ids=monitoring.write_rows(self.settings, rows, timeout=self.busy_seconds))
        except (sqlite3.Error, OSError) as error:
            return self._warn(Recorded(warning=Text("monitoring.not_written", n=len(rows), reason=self._reason(error))))

    def _reason(self, error: BaseException) -> str | Text:
        """Why a write failed: a locked database in words, else the error's own text."""
        if isinstance(error, sqlite3.OperationalError) and "locked" in str(error):
            return Text("monitoring.locked", seconds=float(self.busy_seconds))
        return str(error) or type(error).__name__

    def _warn(self, recorded: Recorded) -> Recorded:
        """Hand the warning to report (the same kind at most once per REPORT_SECONDS) and return recorded."""
        warning = recorded.warning
        if warning is not None and self.report is not None:
            now = time.monotonic()
            if now - self._reported.get(warning.code, float("-inf")) >= REPORT_SECONDS:
                self._reported[warning.code] = now
                self.report(warning)
        return recorded


def _checked(source: str) -> str:
    """The source, refused when it is not one of SOURCES."""
    if source not in SOURCES:
        raise ValueError(f"unknown scoring source {source!r}; one of {', '.join(SOURCES)}")
    return source


@dataclass(slots=True)
class Ad:
    """One ad in the marketplace fields the model reads (the check page's form)."""

    title: str
    description: str
    category: str
    price: float | None = None
    subcategory: str = ""

    def record(self) -> dict[str, Any]:
        """The ad as a marketplace record (what the monitoring log and a decision store)."""
        return {
            "title": self.title,
            "description": self.description,
            "subcategory": self.subcategory,
            "category": self.category,
            "price": self.price,
        }


@dataclass(slots=True)
class ScoredAd:
    """One scored ad: the ad as scored (texts cut to detect.max_chars), the model's answer and its log record."""

    ad: Ad
    prediction: Prediction
    model_version: str
    threshold: float
    seconds: float
    cut: bool
    original_chars: int
    recorded: Recorded

    @property
    def prediction_id(self) -> int | None:
        """The ad's monitoring log id (None when the log is off, failed or queued)."""
        return self.recorded.ids[0] if self.recorded.ids else None

    @property
    def warning(self) -> Text | None:
        """Why the ad was not (or not yet) logged, or None."""
        return self.recorded.warning


@dataclass(slots=True)
class ScoredAds:
    """A scored table of ads: the model's output per ad (0..n-1 index, with `truncated`) and its log record."""

    result: pd.DataFrame
    model_version: str
    threshold: float
    seconds: float
    recorded: Recorded

    @property
    def prediction_ids(self) -> list[int | None]:
        """Each ad's monitoring log id (all None unless every ad was written)."""
        ids = self.recorded.ids
        return list(ids) if len(ids) == len(self.result) else [None] * len(self.result)

    @property
    def truncated(self) -> pd.Series:
        """Whether each ad's title or description was cut to detect.max_chars."""
        return self.result["truncated"]

    @property
    def warning(self) -> Text | None:
        """Why the ads were not (or not yet) logged, or None."""
        return self.recorded.warning


@overload
def score(
    predictor: Predictor,
    ads: Ad,
    *,
    source: str,
    user: str | None,
    settings: Settings,
    model_version: str | None = None,
    log: MonitoringLog | None = None,
    progress: Progress | None = None,
) -> ScoredAd: ...


@overload
def score(
    predictor: Predictor,
    ads: pd.DataFrame,
    *,
    source: str,
    user: str | None,
    settings: Settings,
    model_version: str | None = None,
    log: MonitoringLog | None = None,
    progress: Progress | None = None,
) -> ScoredAds: ...


def score(
    predictor: Predictor,
    ads: Ad | pd.DataFrame,
    *,
    source: str,
    user: str | None,
    settings: Settings,
    model_version: str | None = None,
    log: MonitoringLog | None = None,
    progress: Progress | None = None,
) -> ScoredAd | ScoredAds:
    """Score ads (one Ad, or a frame in the marketplace columns) for a source and a user and record them.

    Titles and descriptions are cut to detect.max_chars; a frame is scored in app.batch_size steps with
    progress(done, total). The model version defaults to the predictor's; the log defaults to a direct write
    with a short wait (pass a MonitoringLog with a LogWriter from a long-lived process). Never raises for the log.
    """
    _checked(source)
    log = log if log is not None else MonitoringLog.of(settings)
    version = str(predictor.version if model_version is None else model_version)
    if isinstance(ads, Ad):
        return _score_ad(predictor, ads, source, user, settings, version, log)
    return _score_frame(predictor, ads, source, user, settings, version, log, progress)


def _score_ad(
    predictor: Predictor, ad: Ad, source: str, user: str | None, settings: Settings, version: str, log: MonitoringLog
) -> ScoredAd:
    """Score one ad without building frames for the log (the check page)."""
    from core.engine.predict import cap_text

    max_chars = settings.detect.max_chars
    original_chars = max(len(ad.title), len(ad.description))
    title, title_cut = cap_text(ad.title, max_chars)
    description, description_cut = cap_text(ad.description, max_chars)
    scored = Ad(title, description, ad.category, ad.price, ad.subcategory)
    started = time.perf_counter()
    prediction = predictor.predict_one(
        description, title=title, category=ad.category, subcategory=ad.subcategory, price=ad.price
    )
    seconds = time.perf_counter() - started
    recorded = log.record_ads(
        [scored.record()],
        [prediction.probability],
        [len(prediction.contacts)],
        [",".join(sorted({span.kind for span in prediction.contacts}))],
        source=source,
        user=user,
        model_version=version,
    )
    return ScoredAd(
        scored, prediction, version, log.threshold, seconds, title_cut or description_cut, original_chars, recorded
    )


def _score_frame(
    predictor: Predictor,
    frame: pd.DataFrame,
    source: str,
    user: str | None,
    settings: Settings,
    version: str,
    log: MonitoringLog,
    progress: Progress | None,
) -> ScoredAds:
    """Score a frame of ads in steps and record them (the batch page, the CLI)."""
    from core.engine.predict import cap_ad_texts

    started = time.perf_counter()
    capped, truncated = cap_ad_texts(frame, settings.detect.max_chars)
    result = predictor.predict_batches(capped, settings.app.batch_size, progress).reset_index(drop=True)
    result["truncated"] = truncated.to_numpy(dtype=bool)
    seconds = time.perf_counter() - started
    recorded = log.record_frame(capped, result, source=source, user=user, model_version=version)
    return ScoredAds(result, version, log.threshold, seconds, recorded)
