"""The contact span value type and the resolution of overlapping detector hits."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

# Disguise kinds used by the generator's gold spans and by slice metrics.
DISGUISES: tuple[str, ...] = (
    "plain",  # +7 912 345-67-89, ivan@mail.ru, https://site.ru
    "separators",  # 8.912.345.67.89, 8(912)345*67*89, 8_912_345
    "spaced",  # 8 9 1 2 3 4 5 6 7 8 9
    "words",  # восемь девятьсот двенадцать ...
    "mixed_words",  # 8 девятьсот 12 345 шестьдесят семь 89, digits + Russian/English words + look-alikes
    "lookalike",  # 8 9I2 З45 67 89
    "emoji",  # keycap digits 8️⃣9️⃣
    "fullwidth",  # ８９１２
    "scattered",  # 8а9б1в2...
    "split_sentences",  # a number split over two sentences
    "city_number",  # 6-7 digit landlines in 3-2-2 / 2-2-2 / 1-2-2-2 groups, (3452) 12-34-56
    "messenger_number",  # WhatsApp/Viber + a number
    "handle",  # @ivan_petrov, tg: ivan, t.me/ivan
    "cyrillic_handle",  # тг иван_петров, телега: ivan
    "social_link",  # vk.com/id1, инст: ivan
    "email_words",  # ivan собака mail точка ru, (at) [dot]
    "email_spaced",  # i v a n @ m a i l . r u
    "url_words",  # site точка ру, сайт.рф
    # Composed phones: per group a digit form or a number word, any separator.
    "english_words",  # eight nine one two, +7 nine twelve 345 sixty-seven 89
    "glued",  # 8девятьсот12 345 шестьдесят7 89: number words glued to digits
    "invisible",  # 8 9\u200b1\u200b2 345: U+200B/U+2060/U+FEFF/U+00AD between digits
    "split_pieces",  # первые цифры 8 912 ... дальше 345 ... окончание 67 89: 2-4 spans
    "platform_handle",  # инст ivan.petrov, ютуб remont_master, тг иван_петров: no @ after a platform word
    "slash_handle",  # тг/ivan_petrov, inst/ivan.petrov, вк/santehnik_msk
    "domain_space",  # remont-kvartir ru, мастер . рф, site .com: a space before the zone
)


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


@dataclass(slots=True)
class _Cluster:
    spans: list[Span] = field(default_factory=list)


def _rank(span: Span) -> tuple[float, int]:
    return (span.score, len(span))


def resolve_overlaps(spans: Iterable[Span]) -> list[Span]:
    """Keep the best of each group of overlapping hits (higher score, then longer); sorted."""
    ordered = sorted(spans, key=lambda s: (s.start, -len(s)))
    kept: list[Span] = []
    for span in ordered:
        if kept and kept[-1].overlaps(span):
            if _rank(span) > _rank(kept[-1]):
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
    return json.dumps([{name: getattr(span, name) for name in names} for span in spans], ensure_ascii=False)


def spans_from_json(text: str | None) -> list[Span]:
    """Parse a JSON list of span objects (missing fields take defaults)."""
    if not text or not isinstance(text, str):
        return []
    known = set(Span.__dataclass_fields__)
    return [Span(**{k: v for k, v in item.items() if k in known}) for item in json.loads(text)]
