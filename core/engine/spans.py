"""The contact span value type and the resolution of overlapping detector hits."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

# Disguise labels of gold and found spans: the registry in core.kinds (name, label, example).


@dataclass(frozen=True, slots=True)
class Span:
    """A contact found in the raw description: [start, finish) with kind and value."""

    start: int
    finish: int
    kind: str
    text: str = ""
    value: str = ""
    score: float = 1.0
    disguise: str = "plain"
    base_score: float | None = None  # the rule's own score when a learned scorer set `score`
    explanation: str = ""  # JSON: rule, validation, context and score parts (filled on request)

    def __len__(self) -> int:
        """Number of characters covered."""
        return self.finish - self.start

    def overlaps(self, other: Span) -> bool:
        """True when the two spans share at least one character."""
        return self.start < other.finish and other.start < self.finish

    def contains(self, other: Span) -> bool:
        """True when other lies inside this span."""
        return self.start <= other.start and other.finish <= self.finish

    def to_dict(self) -> dict:
        """Plain dict for JSON output."""
        return {name: getattr(self, name) for name in SPAN_FIELDS}


SPAN_FIELDS = ("start", "finish", "kind", "text", "value", "score", "disguise")


def rescored(span: Span, score: float, base_score: float | None) -> Span:
    """replace(span, score=score, base_score=base_score) for the scorer's every candidate: a direct call of the
    constructor, half the time of dataclasses.replace (which looks every field up by name on each call)."""
    return Span(
        span.start, span.finish, span.kind, span.text, span.value, score, span.disguise, base_score, span.explanation
    )


# rescored passes every field by position: it must be updated when Span gets a field.
assert tuple(Span.__dataclass_fields__) == (*SPAN_FIELDS, "base_score", "explanation"), "update rescored()"


@dataclass(slots=True)
class _Cluster:
    spans: list[Span] = field(default_factory=list)


def _rank(span: Span) -> tuple[float, int]:
    return (span.score, len(span))


def _is_link(span: Span) -> bool:
    return span.kind in ("url", "messenger", "social") and "/" in span.text and not any(c.isspace() for c in span.text)


def resolve_overlaps(spans: Iterable[Span]) -> list[Span]:
    """Keep the best of each group of overlapping hits (higher score, then longer); sorted.

    A link that holds a better-scored contact ("wa.me/79274441902") keeps the link's extent: the whole link is
    the contact.
    """
    ordered = sorted(spans, key=lambda s: (s.start, -len(s)))
    kept: list[Span] = []
    for span in ordered:
        if kept and kept[-1].overlaps(span):
            outer = kept[-1]
            if _rank(span) > _rank(outer):
                if outer.contains(span) and _is_link(outer):
                    span = replace(span, start=outer.start, finish=outer.finish, text=outer.text)
                kept[-1] = span
            continue
        kept.append(span)
    return kept


def contest_span(spans: Sequence[Span]) -> tuple[int, int] | None:
    """The contest's single span: first contact's start to last contact's finish."""
    if not spans:
        return None
    return min(s.start for s in spans), max(s.finish for s in spans)


def spans_to_json(spans: Sequence[Span], fields: Sequence[str] | None = None) -> str:
    """Serialise spans as a JSON list of objects (optionally only some fields)."""
    if not spans:
        return "[]"
    names = SPAN_FIELDS if fields is None else tuple(fields)
    return _JSON_ENCODE([{name: getattr(span, name) for name in names} for span in spans])


# json.dumps(..., ensure_ascii=False) without building a new JSONEncoder on every call (the same text).
_JSON_ENCODE = json.JSONEncoder(ensure_ascii=False).encode


def spans_from_json(text: str | None) -> list[Span]:
    """Parse a JSON list of span objects (missing fields take defaults)."""
    if not text or not isinstance(text, str):
        return []
    known = set(Span.__dataclass_fields__)
    return [Span(**{k: v for k, v in item.items() if k in known}) for item in json.loads(text)]
