"""Scoring one ad for the check page (through the scoring service, which also logs it for monitoring)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from core.config import Settings
from core.engine.predict import Predictor
from core.engine.scorer import explanation_json
from core.engine.spans import Span
from core.errors import Text
from core.ops import scoring


@dataclass(slots=True)
class CheckResult:
    """One checked ad: what was scored, the model's answer, timing and the monitoring id."""

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
    log_warning: Text | None = None
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


def check_ad(
    predictor: Predictor,
    settings: Settings,
    title: str,
    description: str,
    category: str,
    price: float | None,
    user: str,
) -> CheckResult:
    """Score one ad for a moderator (title and description cut to detect.max_chars), log it, explain its contacts."""
    scored = scoring.score(
        predictor, scoring.Ad(title, description, category, price), source="check", user=user, settings=settings
    )
    ad, prediction = scored.ad, scored.prediction
    explanations, drivers = predictor.explain(prediction, ad.description, ad.title, ad.category)
    explained = [
        replace(span, explanation=explanation_json(explanation))
        for span, explanation in zip([*prediction.contacts, *prediction.title_contacts], explanations, strict=True)
    ]
    return CheckResult(
        ad.title,
        ad.description,
        ad.category,
        ad.price,
        prediction.probability,
        explained[: len(prediction.contacts)],
        scored.seconds * 1000,
        scored.model_version,
        scored.threshold,
        scored.prediction_id,
        explained[len(prediction.contacts) :],
        scored.warning,
        cut_to=settings.detect.max_chars if scored.cut else None,
        original_chars=scored.original_chars,
        drivers=drivers,
    )
