"""Model features from an ad's text and its detector hits."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.config import CONTACT_KINDS
from core.detectors import Detector, analyze_text
from core.normalize import Normalized
from core.spans import Span

CATEGORICAL_FEATURES = ["category", "subcategory"]
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


def _kind_features(prefix: str, spans: list[Span]) -> dict[str, float]:
    feats: dict[str, float] = {f"{prefix}max_score": max((s.score for s in spans), default=0.0)}
    for kind in CONTACT_KINDS:
        kind_scores = [s.score for s in spans if s.kind == kind]
        feats[f"{prefix}{kind}_max"] = max(kind_scores, default=0.0)
        if prefix == "":
            feats[f"{kind}_count"] = float(len(kind_scores))
    return feats


def _text_features(raw: str, normalized: Normalized) -> dict[str, float]:
    lowered = normalized.text.lower()
    runs = [len(m.group()) for m in _DIGIT_RUN.finditer(normalized.text)]
    ops = [edit.op for edit in normalized.edits]
    feats = {
        "length": float(len(raw)),
        "digits": float(sum(runs)),
        "digit_share": sum(runs) / max(len(raw), 1),
        "longest_digit_run": float(max(runs, default=0)),
        "digit_groups": float(len(runs)),
        "long_numbers": float(len(_NUMBERS_IN_TEXT.findall(normalized.text))),
        "words_undone": float(ops.count("words")),
        "lookalikes_undone": float(ops.count("lookalike")),
        "emoji_digits_undone": float(ops.count("emoji") + ops.count("fullwidth")),
        "email_words_undone": float(ops.count("email_words") + ops.count("spaced")),
        "at_signs": float(lowered.count("@")),
    }
    for name, pattern in CONTEXT_PATTERNS.items():
        feats[name] = float(len(pattern.findall(lowered)))
    return feats


def analyze_ad(title: str, description: str, detectors: list[Detector], min_score: float) -> AdAnalysis:
    """Run the detectors over one ad and derive its numeric features."""
    normalized, candidates = analyze_text(description, detectors)
    _, title_candidates = analyze_text(title, detectors) if title and _TITLE_HINT.search(title) else (None, [])
    contacts = [s for s in candidates if s.score >= min_score]
    features = _kind_features("", candidates)
    features.update(_kind_features("title_", title_candidates))
    features["contacts"] = float(len(contacts))
    features["contact_chars_share"] = sum(len(s) for s in contacts) / max(len(description), 1)
    features.update(_text_features(description, normalized))
    return AdAnalysis(contacts, candidates, title_candidates, features)


def _price(value: object) -> float:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return float("nan")
    return math.log1p(number) if number >= 0 else float("nan")


def build_feature_frame(frame: pd.DataFrame, analyses: list[AdAnalysis], use_text: bool) -> pd.DataFrame:
    """Assemble the model's input table from the ads and their analyses."""
    numeric = pd.DataFrame([a.features for a in analyses], index=frame.index, dtype=np.float64)
    numeric["log_price"] = [_price(v) for v in frame.get("price", pd.Series(np.nan, index=frame.index))]
    for column in CATEGORICAL_FEATURES:
        values = frame[column] if column in frame else pd.Series("", index=frame.index)
        numeric[column] = values.fillna("").astype(str).to_numpy()
    if use_text:
        titles = frame["title"].fillna("").astype(str) if "title" in frame else ""
        numeric[TEXT_FEATURE] = (titles + " \n " + frame["description"].fillna("").astype(str)).str.lower().to_numpy()
    return numeric
