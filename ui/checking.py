"""Scoring one ad for the check page and logging it for monitoring."""

from __future__ import annotations

import logging
import sqlite3
import time
from dataclasses import dataclass, field, replace

import pandas as pd

from core.config import Settings
from core.engine.predict import Predictor, cap_text
from core.engine.scorer import explanation_json
from core.engine.spans import Span
from core.ops import monitoring

logger = logging.getLogger(__name__)


@dataclass(slots=True)
class CheckResult:
    """One checked ad: what was typed, the model's answer, timing and the monitoring id."""

    title: str
    description: str
    category: str
    price: float | None
    probability: float
    contacts: list[Span]
    elapsed_ms: float
    model_version: str
    threshold: float
    prediction_id: int | None
    title_contacts: list[Span] = field(default_factory=list)
    log_error: str = ""
    decision: str | None = None
    cut_to: int | None = None
    original_chars: int = 0
    drivers: list[tuple[str, float]] = field(default_factory=list)

    @property
    def truncated(self) -> bool:
        """True when the title or description was cut to cut_to characters before scoring."""
        return self.cut_to is not None

    @property
    def flagged(self) -> bool:
        """True when the probability reaches the threshold used at check time."""
        return self.probability >= self.threshold


def ad_frame(title: str, description: str, category: str, price: float | None) -> pd.DataFrame:
    """A one-row frame of ads in the marketplace columns."""
    return pd.DataFrame(
        [{"title": title, "description": description, "subcategory": "", "category": category, "price": price}]
    )


def check_ad(
    predictor: Predictor, settings: Settings, title: str, description: str, category: str, price: float | None
) -> CheckResult:
    """Score one ad (timed; title and description cut to detect.max_chars) and log it with source='check'."""
    max_chars = settings.detect.max_chars
    original_chars = max(len(title), len(description))
    title, title_cut = cap_text(title, max_chars)
    description, description_cut = cap_text(description, max_chars)
    started = time.perf_counter()
    prediction = predictor.predict_one(description, title=title, category=category, price=price)
    elapsed_ms = (time.perf_counter() - started) * 1000
    explanations, drivers = predictor.explain(prediction, description, title, category)
    explained = [
        replace(span, explanation=explanation_json(explanation))
        for span, explanation in zip([*prediction.contacts, *prediction.title_contacts], explanations, strict=True)
    ]
    contacts = explained[: len(prediction.contacts)]
    title_contacts = explained[len(prediction.contacts) :]
    scored = pd.DataFrame(
        [
            {
                "prediction": prediction.probability,
                "n_contacts": len(prediction.contacts),
                "kinds": ",".join(sorted({span.kind for span in prediction.contacts})),
            }
        ]
    )
    prediction_id: int | None = None
    log_error = ""
    try:
        ids = monitoring.log_predictions(
            settings.monitoring,
            ad_frame(title, description, category, price),
            scored,
            source="check",
            model_version=predictor.version,
            threshold=settings.app.threshold,
        )
        prediction_id = ids[0] if ids else None
    except (sqlite3.Error, OSError) as error:
        logger.warning("could not log a check: %s", error)
        log_error = str(error)
    return CheckResult(
        title,
        description,
        category,
        price,
        prediction.probability,
        contacts,
        elapsed_ms,
        predictor.version,
        settings.app.threshold,
        prediction_id,
        title_contacts,
        log_error,
        cut_to=max_chars if title_cut or description_cut else None,
        original_chars=original_chars,
        drivers=drivers,
    )
