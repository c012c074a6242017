"""Gated promotion: the champion alias moves only to a candidate that is no worse in any category
and whose mean per-category ROC-AUC drops on no hand-written set by more than a tolerance."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from core.config import Settings, resolve_path
from core.lifecycle.metrics import CategoryAuc, per_category_auc

if TYPE_CHECKING:
    from core.engine.predict import Predictor

PROMOTED = "promoted"
REFUSED = "refused"
LATEST = "latest"
_EPSILON = 1e-12


@dataclass(slots=True)
class HandwrittenCheck:
    """Mean per-category ROC-AUC of candidate and champion on one hand-written set, against the tolerance."""

    name: str
    candidate_auc: float
    champion_auc: float | None
    tolerance: float
    tuned: bool = False
    ads: int = 0

    @property
    def delta(self) -> float | None:
        """Candidate minus champion (None without a champion score)."""
        if self.champion_auc is None or math.isnan(self.champion_auc) or math.isnan(self.candidate_auc):
            return None
        return self.candidate_auc - self.champion_auc

    @property
    def passed(self) -> bool:
        """True unless the candidate's mean drops by more than the tolerance."""
        return self.delta is None or -self.delta <= self.tolerance + _EPSILON

    def problem(self) -> str:
        """The refusal reason for this set ('' when it passed)."""
        if self.passed or self.delta is None or self.champion_auc is None:
            return ""
        return (
            f"mean ROC-AUC on hand-written set '{self.name}' drops by {-self.delta:.4f} "
            f"({self.champion_auc:.4f} -> {self.candidate_auc:.4f}), more than the tolerance {self.tolerance:.4f}"
        )

    def as_tag(self) -> dict[str, object]:
        """JSON-ready record for the promotion.handwritten tag."""

        def rounded(value: float | None) -> float | None:
            return None if value is None or math.isnan(value) else round(value, 6)

        return {
            "candidate": rounded(self.candidate_auc),
            "champion": rounded(self.champion_auc),
            "delta": rounded(self.delta),
            "passed": self.passed,
            "tuned": self.tuned,
            "ads": self.ads,
        }


@dataclass(slots=True)
class Comparison:
    """The verdict of comparing a candidate's per-category ROC-AUC (and hand-written sets) with the champion's."""

    promoted: bool
    candidate_auc: float
    champion_auc: float | None
    deltas: dict[str, float]
    reason: str
    handwritten: list[HandwrittenCheck] = field(default_factory=list)


def _mean(values: dict[str, float]) -> float:
    """Unweighted mean of per-category values (NaN when there are none)."""
    return sum(values.values()) / len(values) if values else float("nan")


def compare_scores(
    candidate: dict[str, float],
    champion: dict[str, float] | None,
    tolerance: float,
    handwritten: Sequence[HandwrittenCheck] = (),
    mean_tolerance: float = 0.0,
) -> Comparison:
    """Promote when the mean drops by no more than mean_tolerance, no category by more than tolerance and no
    hand-written check fails."""
    checks = list(handwritten)
    candidate_auc = _mean(candidate)
    if math.isnan(candidate_auc):
        reason = "the candidate has no per-category ROC-AUC on this split"
        return Comparison(False, candidate_auc, None, {}, reason, checks)
    if champion is None:
        return Comparison(True, candidate_auc, None, {}, "there is no champion yet", checks)
    champion_auc = _mean(champion)
    categories = sorted(set(candidate) | set(champion))
    deltas = {name: candidate.get(name, float("nan")) - champion.get(name, float("nan")) for name in categories}
    missing = [name for name in categories if name not in candidate]
    if missing:
        reason = "the candidate has no ROC-AUC for " + ", ".join(missing)
        return Comparison(False, candidate_auc, champion_auc, deltas, reason, checks)
    problems = []
    if candidate_auc < champion_auc - mean_tolerance - _EPSILON:
        allowed = f" by more than {mean_tolerance:.4f}" if mean_tolerance else ""
        problems.append(f"mean ROC-AUC {candidate_auc:.4f} is lower than the champion's {champion_auc:.4f}{allowed}")
    drops = {name: -delta for name, delta in deltas.items() if -delta > tolerance + _EPSILON}
    if drops:
        worst = max(drops, key=drops.__getitem__)
        more = f" ({len(drops)} categories drop too much)" if len(drops) > 1 else ""
        problems.append(
            f"ROC-AUC in '{worst}' drops by {drops[worst]:.4f}, more than the tolerance {tolerance:.4f}{more}"
        )
    problems.extend(check.problem() for check in checks if not check.passed)
    if problems:
        return Comparison(False, candidate_auc, champion_auc, deltas, "; ".join(problems), checks)
    within = f" - {mean_tolerance:.4f}" if mean_tolerance else ""
    reason = (
        f"mean ROC-AUC {candidate_auc:.4f} >= champion's {champion_auc:.4f}{within} "
        f"and no category drops by more than {tolerance:.4f}"
    )
    compared = [check for check in checks if check.delta is not None]
    if compared:
        reason += (
            f"; no hand-written set's mean ROC-AUC drops by more than {compared[0].tolerance:.4f} ("
            + ", ".join(f"{check.name} {check.delta:+.4f}" for check in compared)
            + ")"
        )
    return Comparison(True, candidate_auc, champion_auc, deltas, reason, checks)


@dataclass(slots=True)
class PromotionDecision:
    """A gated promotion: both versions' scores on the same split and hand-written sets, the deltas and the outcome."""

    candidate: str
    champion: str | None
    comparison: Comparison
    split: str
    ads: int
    candidate_per_category: dict[str, float] = field(default_factory=dict)
    champion_per_category: dict[str, float] = field(default_factory=dict)
    decided_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    alias_moved: bool = False
    handwritten_missing: list[str] = field(default_factory=list)
    handwritten_tolerance: float | None = None

    @property
    def decision(self) -> str:
        """promoted or refused."""
        return PROMOTED if self.comparison.promoted else REFUSED

    def tags(self) -> dict[str, str]:
        """Model version tags recording the decision."""
        champion_auc = self.comparison.champion_auc
        checks = self.comparison.handwritten
        tags = {
            "promotion.decision": self.decision,
            "promotion.candidate_auc": f"{self.comparison.candidate_auc:.6f}",
            "promotion.champion_auc": "" if champion_auc is None else f"{champion_auc:.6f}",
            "promotion.champion_version": self.champion or "",
            "promotion.deltas": json.dumps(
                {name: round(delta, 6) for name, delta in self.comparison.deltas.items()}, ensure_ascii=False
            ),
            "promotion.reason": self.comparison.reason,
            "promotion.split": f"{self.split} ({self.ads} ads)",
            "promotion.at": self.decided_at,
            "promotion.handwritten": json.dumps({check.name: check.as_tag() for check in checks}, ensure_ascii=False),
            "promotion.handwritten_refused": ",".join(check.name for check in checks if not check.passed),
            "promotion.handwritten_missing": ",".join(self.handwritten_missing),
        }
        if self.handwritten_tolerance is not None:
            tags["promotion.handwritten_tolerance"] = f"{self.handwritten_tolerance:.6f}"
        return tags

    def table(self) -> pd.DataFrame:
        """Per-category ROC-AUC of champion and candidate with the delta, and the mean row."""
        names = sorted(set(self.candidate_per_category) | set(self.champion_per_category))
        table = pd.DataFrame(
            {
                "champion": [self.champion_per_category.get(name, float("nan")) for name in names],
                "candidate": [self.candidate_per_category.get(name, float("nan")) for name in names],
            },
            index=pd.Index(names, name="category"),
        )
        table["delta"] = table["candidate"] - table["champion"]
        mean = self.comparison.champion_auc if self.comparison.champion_auc is not None else float("nan")
        table.loc["MEAN"] = [mean, self.comparison.candidate_auc, self.comparison.candidate_auc - mean]
        return table

    def handwritten_table(self) -> pd.DataFrame:
        """Mean per-category ROC-AUC of champion and candidate on every hand-written set, with the verdict."""
        rows = [
            {
                "set": check.name,
                "tuned": check.tuned,
                "ads": check.ads,
                "champion": float("nan") if check.champion_auc is None else check.champion_auc,
                "candidate": check.candidate_auc,
                "delta": float("nan") if check.delta is None else check.delta,
                "within tolerance": check.passed,
            }
            for check in self.comparison.handwritten
        ]
        columns = ["set", "tuned", "ads", "champion", "candidate", "delta", "within tolerance"]
        return pd.DataFrame(rows, columns=columns).set_index("set")

    def summary(self, model_name: str, alias: str) -> str:
        """Printable report: the tables and the decision line."""
        champion = f"version {self.champion}" if self.champion else "none"
        lines = [
            f"candidate: version {self.candidate}; champion: {champion}; split: {self.split} ({self.ads} ads)",
            self.table().round(4).to_string(),
        ]
        if self.comparison.handwritten:
            tolerance = (
                f", tolerance {self.handwritten_tolerance:.4f}" if self.handwritten_tolerance is not None else ""
            )
            lines.append(f"hand-written sets (mean per-category ROC-AUC{tolerance}):")
            lines.append(self.handwritten_table().round(4).to_string())
        if self.handwritten_missing:
            lines.append(f"hand-written sets not found, not compared: {', '.join(self.handwritten_missing)}")
        lines.append(
            f"decision: {self.decision.upper()}: {self.comparison.reason}"
            if self.champion != self.candidate
            else f"decision: nothing to do: {self.comparison.reason}"
        )
        if self.alias_moved:
            lines.append(f"{model_name} version {self.candidate} is now @{alias}")
        elif self.comparison.promoted:
            lines.append(f"{model_name} version {self.candidate} already holds @{alias}")
        else:
            lines.append(f"@{alias} stays on version {self.champion}")
        return "\n".join(lines)


def _auc(predictor: Predictor, frame: pd.DataFrame) -> CategoryAuc:
    """Per-category ROC-AUC of a predictor on a labelled frame."""
    scores = predictor.predict_frame(frame)["prediction"].astype(float).tolist()
    return per_category_auc(frame["category"].tolist(), frame["is_bad"].astype(int).tolist(), scores)


def score_version(settings: Settings, version: str, frame: pd.DataFrame) -> CategoryAuc:
    """Per-category ROC-AUC of a registered version on a labelled frame."""
    from core.lifecycle import tracking

    return _auc(tracking.load_predictor(settings.tracking, version=str(version)), frame)


@dataclass(slots=True)
class HandwrittenFrame:
    """A configured hand-written set loaded for the gate."""

    name: str
    tuned: bool
    frame: pd.DataFrame


def load_handwritten_frames(settings: Settings) -> tuple[list[HandwrittenFrame], list[str]]:
    """Every configured hand-written set whose file exists, and the names of those whose file is missing."""
    from core.lifecycle.golden import load_golden

    loaded: list[HandwrittenFrame] = []
    missing: list[str] = []
    for spec in settings.evaluate.handwritten_sets:
        path = resolve_path(spec["path"])
        if path.exists():
            loaded.append(HandwrittenFrame(spec["name"], bool(spec["tuned"]), load_golden(path)))
        else:
            missing.append(spec["name"])
    return loaded, missing


def resolve_candidate(settings: Settings, candidate: str, run_file: Path) -> str:
    """A version number as given, or for 'latest' the version the last `train` registered (run.json)."""
    if candidate != LATEST:
        return str(candidate)
    if run_file.exists():
        version = json.loads(run_file.read_text(encoding="utf-8")).get("version")
        if version:
            return str(version)
    from core.lifecycle import tracking

    versions = tracking.list_versions(settings.tracking)
    if versions.empty:
        raise LookupError(f"no registered versions of {settings.tracking.model_name}; run `python -m core train`")
    return str(int(versions["version"].max()))


def promote_if_better(
    settings: Settings,
    candidate: str,
    frame: pd.DataFrame | None = None,
    handwritten: list[HandwrittenFrame] | None = None,
) -> PromotionDecision:
    """Score candidate and champion on the evaluation split and every hand-written set; move the alias if the
    gate passes; tag the candidate with the decision."""
    from core.lifecycle import tracking
    from core.lifecycle.data import load_split

    split = settings.evaluate.split
    if frame is None:
        frame = load_split(settings.data, split, require_label=True)
    missing: list[str] = []
    if handwritten is None:
        handwritten, missing = load_handwritten_frames(settings)
    champion = tracking.get_alias_version(settings.tracking)
    candidate_model = tracking.load_predictor(settings.tracking, version=str(candidate))
    candidate_auc = _auc(candidate_model, frame)
    if champion == str(candidate):
        same = candidate_auc.per_category
        comparison = Comparison(
            True, candidate_auc.mean, candidate_auc.mean, dict.fromkeys(same, 0.0), "it already is the champion"
        )
        return PromotionDecision(str(candidate), champion, comparison, split, len(frame), same, same)
    champion_model = tracking.load_predictor(settings.tracking, version=champion) if champion else None
    champion_auc = _auc(champion_model, frame) if champion_model is not None else None
    tolerance = settings.evaluate.handwritten_tolerance
    checks = [
        HandwrittenCheck(
            item.name,
            _auc(candidate_model, item.frame).mean,
            _auc(champion_model, item.frame).mean if champion_model is not None else None,
            tolerance,
            item.tuned,
            len(item.frame),
        )
        for item in handwritten
    ]
    comparison = compare_scores(
        candidate_auc.per_category,
        champion_auc.per_category if champion_auc else None,
        settings.evaluate.promote_tolerance,
        checks,
        settings.evaluate.mean_tolerance,
    )
    decision = PromotionDecision(
        str(candidate),
        champion,
        comparison,
        split,
        len(frame),
        candidate_auc.per_category,
        champion_auc.per_category if champion_auc else {},
        handwritten_missing=missing,
        handwritten_tolerance=tolerance,
    )
    if comparison.promoted:
        tracking.set_alias(settings.tracking, str(candidate))
        decision.alias_moved = True
    tracking.tag_version(settings.tracking, str(candidate), decision.tags())
    return decision
