"""Model features from an ad's text and its detector hits."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import chain, islice

import numpy as np
import pandas as pd

from core.engine.detectors import TEXTS_PER_STAGE, Detector, analyze_texts, split_across_title
from core.engine.gates import Gate, at_word_end, literal, words_gate
from core.engine.normalize import Normalized, rare_led, rare_led_search
from core.engine.scorer import Candidate, SpanScorer
from core.engine.spans import Span
from core.kinds import CONTACT_KINDS

CATEGORICAL_FEATURES = ["category"]
TEXT_FEATURE = "text"
# Whether the text names a messenger, asks for a call, points to the platform or to mail: yes/no searches, so each
# word is looked for by its rarest letter (rare_led: "мер(?<=номер)" for "номер"), which the engine enters a few
# times per text instead of at every common letter. The same words as
# r"whats|вотс|ватс|viber|вайб|вибер|telegram|телег|\bтг\b|skype|скайп|инст|insta|вк\b|vk\b",
# r"звон|тел\.|телефон|номер|пиши|смс|sms|обращ|связ|контакт|позвон|набер",
# r"авито|avito|в профиле|через сайт|в сообщени|в лс|в личку|в чат" and r"почт|mail|e-mail|email|мыло|сайт|ссылк|http|www".
_MESSENGER_WORDS = (
    "whats", "вотс", "ватс", "viber", "вайб", "вибер", "telegram", "телег", "skype", "скайп", "инст", "insta",
)  # fmt: skip
_CONTEXT_WORDS = {
    "ctx_call": ("звон", "тел.", "телефон", "номер", "пиши", "смс", "sms", "обращ", "связ", "контакт", "позвон", "набер"),
    "ctx_platform": ("авито", "avito", "в профиле", "через сайт", "в сообщени", "в лс", "в личку", "в чат"),
    "ctx_mail": ("почт", "mail", "e-mail", "email", "мыло", "сайт", "ссылк", "http", "www"),
}  # fmt: skip
# (gates: each answered from the text's one Hyperscan pass, core/engine/gates.py)
CONTEXT_PATTERNS = {
    "ctx_messenger": Gate(
        rare_led_search(_MESSENGER_WORDS, rare_led("тг", r"\b(?<!\wтг)"), rare_led("вк", r"\b"), rare_led("vk", r"\b")),
        [*map(literal, _MESSENGER_WORDS), at_word_end("тг"), at_word_end("вк"), at_word_end("vk")],
    ),
    **{name: words_gate(rare_led_search(words), words) for name, words in _CONTEXT_WORDS.items()},
}
_DIGIT_RUN = re.compile(r"\d+")
_NUMBERS_IN_TEXT = re.compile(r"\d[\d\s\-.()]{4,}\d")
# Titles are short and rarely hold contacts: run the detectors only when something contact-like is there, what
# r"[\d@.:/]|[^\x00-\u04ff]|тг|tg|телег|whats|вотс|ватс|viber|вайб|инст|vk|вк|собак|точк|ноль|один|два|три|четыр|пят|"
# r"шест|сем|восем|девят|сто|сот" finds with IGNORECASE. It is asked as three searches (an alternation matches where
# one of its branches does): the signs without IGNORECASE (these characters have no other case; most titles that pass
# hold one, and a case-insensitive search cannot scan for its first characters), the characters beyond Cyrillic, and
# the words rare-led (rare_led_search: "ь(?<=ноль)" matches where "ноль" ends, under IGNORECASE as well), 5.5 -> 3.2 us
# per title without a sign.
_TITLE_SIGN = re.compile(r"[\d@.:/]")
_TITLE_FOREIGN = re.compile(r"[^\x00-\u04ff]", re.IGNORECASE)
_TITLE_WORDS = (
    *("тг", "tg", "телег", "whats", "вотс", "ватс", "viber", "вайб", "инст", "vk", "вк", "собак", "точк"),
    *("ноль", "один", "два", "три", "четыр", "пят", "шест", "сем", "восем", "девят", "сто", "сот"),
)
_TITLE_WORD = re.compile(rare_led_search(_TITLE_WORDS).pattern, re.IGNORECASE)


@dataclass(slots=True)
class AdAnalysis:
    """What the detectors saw in one ad: contacts (above the threshold) and all candidates."""

    contacts: list[Span]
    candidates: list[Span]
    title_candidates: list[Span]
    features: dict[str, float]
    text_features: dict[str, float] = field(default_factory=dict)  # the part that does not depend on scores


_EMPTY_KIND_FEATURES = {
    prefix: {
        f"{prefix}max_score": 0.0,
        f"{prefix}second_score": 0.0,
        **{f"{prefix}{kind}_max": 0.0 for kind in CONTACT_KINDS},
        **({f"{kind}_count": 0.0 for kind in CONTACT_KINDS} if prefix == "" else {}),
    }
    for prefix in ("", "title_")
}


# The feature names _kind_features writes, per prefix and kind (not built again for every span).
_MAX_KEYS = {prefix: {kind: f"{prefix}{kind}_max" for kind in CONTACT_KINDS} for prefix in ("", "title_")}
_COUNT_KEYS = {kind: f"{kind}_count" for kind in CONTACT_KINDS}


def _kind_features(prefix: str, spans: list[Span], min_score: float) -> dict[str, float]:
    if not spans:
        return dict(_EMPTY_KIND_FEATURES[prefix])
    scores = sorted((s.score for s in spans), reverse=True)
    feats: dict[str, float] = dict(_EMPTY_KIND_FEATURES[prefix])
    feats[f"{prefix}max_score"] = scores[0]
    feats[f"{prefix}second_score"] = scores[1] if len(scores) > 1 else 0.0
    max_keys = _MAX_KEYS[prefix]
    for span in spans:
        key = max_keys[span.kind]  # (a kind outside CONTACT_KINDS fails here as feats[key] did)
        feats[key] = max(feats[key], span.score)
        if prefix == "" and span.score >= min_score:
            feats[_COUNT_KEYS[span.kind]] += 1.0
    return feats


def _text_features(normalized: Normalized) -> dict[str, float]:
    """Evidence in the text itself, as presence flags: what was undone, which contact words stand there.

    Lengths, digit counts and densities are left out on purpose: they describe how the generator writes,
    not whether there is a contact, and a classifier that learns them fails on ads people write.
    """
    # text.lower(): normalize's lower_same_length(text) is that unless a letter lengthens when lowered ("İ", the only one)
    lowered = normalized.lowered
    if lowered is None or "\u0130" in normalized.text:
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
    for name, gate in CONTEXT_PATTERNS.items():
        feats[name] = float(gate(lowered))
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


def _add_split_across_title(title: str, description: str, candidates: list[Span], titles: list[Span]) -> None:
    """Add a number begun in the title and finished in the description, where no candidate covers its pieces."""
    pair = split_across_title(title, description)
    if pair is None:
        return
    first, rest = pair
    if any(s.start < rest.finish and rest.start < s.finish and s.score >= first.score for s in candidates):
        return  # the description's piece is already read as something at least as likely
    candidates[:] = [s for s in candidates if not (s.start < rest.finish and rest.start < s.finish)] + [rest]
    titles[:] = [s for s in titles if not (s.start < first.finish and first.start < s.finish)] + [first]


def _title_hinted(title: str) -> bool:
    """Whether the title holds something contact-like (else the detectors are not run on it: no candidates)."""
    return bool(title and (_TITLE_SIGN.search(title) or _TITLE_FOREIGN.search(title) or _TITLE_WORD.search(title)))


def summarize(
    candidates: list[Span], title_candidates: list[Span], text_features: dict[str, float], min_score: float
) -> AdAnalysis:
    """An ad's analysis from its (scored) candidates: contacts above min_score and the classifier's features."""
    if not candidates and not title_candidates:  # half the ads: the span features of no spans, computed once
        return AdAnalysis([], candidates, title_candidates, {**_NO_SPAN_FEATURES, **text_features}, text_features)
    contacts = [s for s in candidates if s.score >= min_score]
    return AdAnalysis(
        contacts,
        candidates,
        title_candidates,
        {**_span_features(candidates, title_candidates, min_score), **text_features},
        text_features,
    )


def _span_features(candidates: list[Span], title_candidates: list[Span], min_score: float) -> dict[str, float]:
    """The classifier's features that come from the candidate spans of the description and the title."""
    features = _kind_features("", candidates, min_score)
    features.update(_kind_features("title_", title_candidates, min_score))
    features["any_max_score"] = max(features["max_score"], features["title_max_score"])
    features["contacts"] = float(sum(s.score >= min_score for s in candidates))
    return features


# The span features of an ad without candidates (they do not depend on min_score).
_NO_SPAN_FEATURES = _span_features([], [], 0.5)


def ad_candidates(title: str, description: str, spans: list[Span], title_spans: list[Span]) -> list[Candidate]:
    """One ad's candidate spans (description first, then title) as the span scorer sees them."""
    count = len(spans) + len(title_spans)
    return [Candidate(description, span, False, count) for span in spans] + [
        Candidate(title, span, True, count) for span in title_spans
    ]


def regroup(analyses: list[AdAnalysis], scored: list[Span], min_score: float) -> list[AdAnalysis]:
    """Analyses rebuilt from scored spans given in ad_candidates order, ad after ad."""
    spans = iter(scored)
    return [
        summarize(
            [next(spans) for _ in analysis.candidates],
            [next(spans) for _ in analysis.title_candidates],
            analysis.text_features,
            min_score,
        )
        for analysis in analyses
    ]


def analyze_ads(
    pairs: list[tuple[str, str]], detectors: list[Detector], min_score: float, scorer: SpanScorer | None = None
) -> list[AdAnalysis]:
    """Run the detectors over (title, description) pairs, score the candidates, derive the features once."""
    found = []
    phones = any(detector.kind == "phone" for detector in detectors)
    # Titles (and sometimes descriptions) repeat within a batch: each distinct text is analysed once, the texts
    # stage by stage (analyze_texts). The spans are frozen; every ad gets its own lists and feature dict.
    descriptions = list(dict.fromkeys(description for _, description in pairs))
    seen_descriptions: dict[str, tuple[list[Span], dict[str, float]]] = {}
    for begin in range(0, len(descriptions), TEXTS_PER_STAGE):
        chunk = descriptions[begin : begin + TEXTS_PER_STAGE]
        for description, (normalized, candidates) in zip(chunk, analyze_texts(chunk, detectors), strict=True):
            # (here, not after the batch: the gates' passes of the chunk's texts are still remembered)
            seen_descriptions[description] = (candidates, _text_features(normalized))
    hinted_titles = [title for title in dict.fromkeys(title for title, _ in pairs) if _title_hinted(title)]
    title_analyses = analyze_texts(hinted_titles, detectors)
    seen_titles = {title: candidates for title, (_, candidates) in zip(hinted_titles, title_analyses, strict=True)}
    for title, description in pairs:
        known = seen_descriptions[description]
        candidates, titles = list(known[0]), list(seen_titles.get(title, ()))
        if phones and title:
            _add_split_across_title(title, description, candidates, titles)
        found.append((candidates, titles, dict(known[1])))
    if scorer is not None and scorer.model is not None:
        candidates = [
            c
            for (t, d), (spans, titles, _) in zip(pairs, found, strict=True)
            for c in ad_candidates(t, d, spans, titles)
        ]
        scored = iter(scorer.rescore(candidates, min_score) if candidates else [])
        found = [
            (list(islice(scored, len(spans))), list(islice(scored, len(titles))), text) for spans, titles, text in found
        ]
    return [summarize(spans, titles, text, min_score) for spans, titles, text in found]


def analyze_ad(
    title: str, description: str, detectors: list[Detector], min_score: float, scorer: SpanScorer | None = None
) -> AdAnalysis:
    """Run the detectors over one ad and derive its numeric features."""
    return analyze_ads([(title, description)], detectors, min_score, scorer)[0]


def _numeric_frame(rows: list[dict[str, float]], index: pd.Index) -> pd.DataFrame:
    """pd.DataFrame(rows, index=index, dtype=np.float64): when every row has the same keys in the same order (each
    summarize builds them so), its values read straight into one float array instead of column by column."""
    keys = list(rows[0]) if rows else []
    if not keys or any(list(row) != keys for row in rows):
        return pd.DataFrame(rows, index=index, dtype=np.float64)
    try:
        # (chain over the rows' values: half the time of a nested generator expression, the same values in order)
        values = np.fromiter(chain.from_iterable(map(dict.values, rows)), dtype=np.float64, count=len(rows) * len(keys))
    except (TypeError, ValueError):  # a value that float() does not take as pandas does (None): pandas' own way
        return pd.DataFrame(rows, index=index, dtype=np.float64)
    return pd.DataFrame(values.reshape(len(rows), len(keys)), index=index, columns=keys)


def build_feature_frame(frame: pd.DataFrame, analyses: list[AdAnalysis], use_text: bool) -> pd.DataFrame:
    """Assemble the model's input table from the ads and their analyses."""
    numeric = _numeric_frame([a.features for a in analyses], frame.index)
    for column in CATEGORICAL_FEATURES:
        values = frame[column] if column in frame else pd.Series("", index=frame.index)
        numeric[column] = values.fillna("").astype(str).to_numpy()
    if use_text:
        titles = frame["title"].fillna("").astype(str) if "title" in frame else ""
        numeric[TEXT_FEATURE] = (titles + " \n " + frame["description"].fillna("").astype(str)).str.lower().to_numpy()
    return numeric
