"""Gated promotion: the champion alias moves only to a candidate that is no worse in any category."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from core.config import Settings
from core.metrics import CategoryAuc, per_category_auc

PROMOTED = "promoted"
REFUSED = "refused"
LATEST = "latest"
_EPSILON = 1e-12


@dataclass(slots=True)
class Comparison:
    """The verdict of comparing a candidate's per-category ROC-AUC with the champion's."""

    promoted: bool
    candidate_auc: float
    champion_auc: float | None
    deltas: dict[str, float]
    reason: str


def _mean(values: dict[str, float]) -> float:
    """Unweighted mean of per-category values (NaN when there are none)."""
    return sum(values.values()) / len(values) if values else float("nan")


def compare_scores(candidate: dict[str, float], champion: dict[str, float] | None, tolerance: float) -> Comparison:
    """Promote when the mean is not lower and no category drops by more than tolerance."""
    candidate_auc = _mean(candidate)
    if math.isnan(candidate_auc):
        return Comparison(False, candidate_auc, None, {}, "the candidate has no per-category ROC-AUC on this split")
    if champion is None:
        return Comparison(True, candidate_auc, None, {}, "there is no champion yet")
    champion_auc = _mean(champion)
    categories = sorted(set(candidate) | set(champion))
    deltas = {name: candidate.get(name, float("nan")) - champion.get(name, float("nan")) for name in categories}
    missing = [name for name in categories if name not in candidate]
    if missing:
        reason = "the candidate has no ROC-AUC for " + ", ".join(missing)
        return Comparison(False, candidate_auc, champion_auc, deltas, reason)
    problems = []
    if candidate_auc < champion_auc - _EPSILON:
        problems.append(f"mean ROC-AUC {candidate_auc:.4f} is lower than the champion's {champion_auc:.4f}")
    drops = {name: -delta for name, delta in deltas.items() if -delta > tolerance + _EPSILON}
    if drops:
        worst = max(drops, key=drops.__getitem__)
        more = f" ({len(drops)} categories drop too much)" if len(drops) > 1 else ""
        problems.append(
            f"ROC-AUC in '{worst}' drops by {drops[worst]:.4f}, more than the tolerance {tolerance:.4f}{more}"
        )
    if problems:
        return Comparison(False, candidate_auc, champion_auc, deltas, "; ".join(problems))
    reason = (
        f"mean ROC-AUC {candidate_auc:.4f} >= champion's {champion_auc:.4f} "
        f"and no category drops by more than {tolerance:.4f}"
    )
    return Comparison(True, candidate_auc, champion_auc, deltas, reason)


@dataclass(slots=True)
class PromotionDecision:
    """A gated promotion: both versions' scores on the same split, the deltas and the outcome."""

    candidate: str
    champion: str | None
    comparison: Comparison
    split: str
    ads: int
    candidate_per_category: dict[str, float] = field(default_factory=dict)
    champion_per_category: dict[str, float] = field(default_factory=dict)
    decided_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    alias_moved: bool = False

    @property
    def decision(self) -> str:
        """promoted or refused."""
        return PROMOTED if self.comparison.promoted else REFUSED

    def tags(self) -> dict[str, str]:
        """Model version tags recording the decision."""
        champion_auc = self.comparison.champion_auc
        return {
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
        }

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

    def summary(self, model_name: str, alias: str) -> str:
        """Printable report: the table and the decision line."""
        champion = f"version {self.champion}" if self.champion else "none"
        lines = [
            f"candidate: version {self.candidate}; champion: {champion}; split: {self.split} ({self.ads} ads)",
            self.table().round(4).to_string(),
            f"decision: {self.decision.upper()}: {self.comparison.reason}"
            if self.champion != self.candidate
            else f"decision: nothing to do: {self.comparison.reason}",
        ]
        if self.alias_moved:
            lines.append(f"{model_name} version {self.candidate} is now @{alias}")
        elif self.comparison.promoted:
            lines.append(f"{model_name} version {self.candidate} already holds @{alias}")
        else:
            lines.append(f"@{alias} stays on version {self.champion}")
        return "\n".join(lines)


def score_version(settings: Settings, version: str, frame: pd.DataFrame) -> CategoryAuc:
    """Per-category ROC-AUC of a registered version on a labelled frame."""
    from core import tracking

    predictor = tracking.load_predictor(settings.tracking, version=str(version))
    scores = predictor.predict_frame(frame)["prediction"].astype(float).tolist()
    return per_category_auc(frame["category"].tolist(), frame["is_bad"].astype(int).tolist(), scores)


def resolve_candidate(settings: Settings, candidate: str, run_file: Path) -> str:
    """A version number as given, or for 'latest' the version the last `train` registered (run.json)."""
    if candidate != LATEST:
        return str(candidate)
    if run_file.exists():
        version = json.loads(run_file.read_text(encoding="utf-8")).get("version")
        if version:
            return str(version)
    from core import tracking

    versions = tracking.list_versions(settings.tracking)
    if versions.empty:
        raise LookupError(f"no registered versions of {settings.tracking.model_name}; run `python -m core train`")
    return str(int(versions["version"].max()))


def promote_if_better(settings: Settings, candidate: str, frame: pd.DataFrame | None = None) -> PromotionDecision:
    """Score candidate and champion on the evaluation split, move the alias if the gate passes, tag the candidate."""
    from core import tracking
    from core.data import load_split

    split = settings.evaluate.split
    if frame is None:
        frame = load_split(settings.data, split, require_label=True)
    champion = tracking.get_alias_version(settings.tracking)
    candidate_auc = score_version(settings, candidate, frame)
    if champion == str(candidate):
        same = candidate_auc.per_category
        comparison = Comparison(
            True, candidate_auc.mean, candidate_auc.mean, dict.fromkeys(same, 0.0), "it already is the champion"
        )
        return PromotionDecision(str(candidate), champion, comparison, split, len(frame), same, same)
    champion_auc = score_version(settings, champion, frame) if champion else None
    comparison = compare_scores(
        candidate_auc.per_category,
        champion_auc.per_category if champion_auc else None,
        settings.evaluate.promote_tolerance,
    )
    decision = PromotionDecision(
        str(candidate),
        champion,
        comparison,
        split,
        len(frame),
        candidate_auc.per_category,
        champion_auc.per_category if champion_auc else {},
    )
    if comparison.promoted:
        tracking.set_alias(settings.tracking, str(candidate))
        decision.alias_moved = True
    tracking.tag_version(settings.tracking, str(candidate), decision.tags())
    return decision
