"""Model features from an ad's text and its detector hits."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.config import CONTACT_KINDS
from core.detectors import Detector, analyze_text
from core.normalize import Normalized
from core.spans import Span

CATEGORICAL_FEATURES = ["category"]
TEXT_FEATURE = "text"
CONTEXT_PATTERNS = {
    "ctx_messenger": re.compile(
        r"whats|вотс|ватс|viber|вайб|вибер|telegram|телег|\bтг\b|skype|скайп|инст|insta|вк\b|vk\b"
    ),
    "ctx_call": re.compile(r"звон|тел\.|телефон|номер|пиши|смс|sms|обращ|связ|контакт|позвон|набер"),
    "ctx_platform": re.compile(r"авито|avito|в профиле|через сайт|в сообщени|в лс|в личку|в чат"),
    "ctx_mail": re.compile(r"почт|mail|e-mail|email|мыло|сайт|ссылк|http|www"),
}
_DIGIT_RUN = re.compile(r"\d+")
_NUMBERS_IN_TEXT = re.compile(r"\d[\d\s\-.()]{4,}\d")
# Titles are short and rarely hold contacts: run the detectors only when something contact-like is there.
_TITLE_HINT = re.compile(
    r"[\d@.:/]|[^\x00-\u04ff]|тг|tg|телег|whats|вотс|ватс|viber|вайб|инст|vk|вк|собак|точк|ноль|один|два|три|четыр|пят|"
    r"шест|сем|восем|девят|сто|сот",
    re.IGNORECASE,
)


@dataclass(slots=True)
class AdAnalysis:
    """What the detectors saw in one ad: contacts (above the threshold) and all candidates."""

    contacts: list[Span]
    candidates: list[Span]
    title_candidates: list[Span]
    features: dict[str, float]


def _kind_features(prefix: str, spans: list[Span], min_score: float) -> dict[str, float]:
    scores = sorted((s.score for s in spans), reverse=True)
    feats: dict[str, float] = {
        f"{prefix}max_score": scores[0] if scores else 0.0,
        f"{prefix}second_score": scores[1] if len(scores) > 1 else 0.0,
    }
    for kind in CONTACT_KINDS:
        kind_scores = [s.score for s in spans if s.kind == kind]
        feats[f"{prefix}{kind}_max"] = max(kind_scores, default=0.0)
        if prefix == "":
            feats[f"{kind}_count"] = float(sum(score >= min_score for score in kind_scores))
    return feats


def _text_features(normalized: Normalized) -> dict[str, float]:
    """Evidence in the text itself, as presence flags: what was undone, which contact words stand there.

    Lengths, digit counts and densities are left out on purpose: they describe how the generator writes,
    not whether there is a contact, and a classifier that learns them fails on ads people write.
    """
    lowered = normalized.text.lower()
    ops = {edit.op for edit in normalized.edits}
    feats = {
        "words_undone": float("words" in ops),
        "lookalikes_undone": float("lookalike" in ops),
        "emoji_digits_undone": float("emoji" in ops or "fullwidth" in ops),
        "email_words_undone": float("email_words" in ops or "spaced" in ops),
        "invisible_removed": float("invisible" in ops),
        "at_sign": float("@" in lowered),
    }
    for name, pattern in CONTEXT_PATTERNS.items():
        feats[name] = float(pattern.search(lowered) is not None)
    return feats


# Features whose growth can only mean more evidence of a contact: the classifier is constrained to be
# non-decreasing in them, so that it never ranks an ad below what its strongest detector hit says.
MONOTONE_FEATURES: tuple[str, ...] = (
    "max_score",
    "second_score",
    "title_max_score",
    "any_max_score",
    *(f"{kind}_max" for kind in CONTACT_KINDS),
    *(f"title_{kind}_max" for kind in CONTACT_KINDS),
)


def analyze_ad(title: str, description: str, detectors: list[Detector], min_score: float) -> AdAnalysis:
    """Run the detectors over one ad and derive its numeric features."""
    normalized, candidates = analyze_text(description, detectors)
    _, title_candidates = analyze_text(title, detectors) if title and _TITLE_HINT.search(title) else (None, [])
    contacts = [s for s in candidates if s.score >= min_score]
    features = _kind_features("", candidates, min_score)
    features.update(_kind_features("title_", title_candidates, min_score))
    features["any_max_score"] = max(features["max_score"], features["title_max_score"])
    features["contacts"] = float(len(contacts))
    features.update(_text_features(normalized))
    return AdAnalysis(contacts, candidates, title_candidates, features)


def build_feature_frame(frame: pd.DataFrame, analyses: list[AdAnalysis], use_text: bool) -> pd.DataFrame:
    """Assemble the model's input table from the ads and their analyses."""
    numeric = pd.DataFrame([a.features for a in analyses], index=frame.index, dtype=np.float64)
    for column in CATEGORICAL_FEATURES:
        values = frame[column] if column in frame else pd.Series("", index=frame.index)
        numeric[column] = values.fillna("").astype(str).to_numpy()
    if use_text:
        titles = frame["title"].fillna("").astype(str) if "title" in frame else ""
        numeric[TEXT_FEATURE] = (titles + " \n " + frame["description"].fillna("").astype(str)).str.lower().to_numpy()
    return numeric
