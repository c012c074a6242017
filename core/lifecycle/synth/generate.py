"""Ad assembly (placement of contacts, rendering with gold spans), `generate_ads` and `generate_splits`."""

from __future__ import annotations

import math
import random
import string
import unicodedata
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from core.config import CATEGORIES, SynthSettings
from core.engine.spans import Span, spans_to_json
from core.lifecycle.data import LABEL_COLUMN, REQUIRED_COLUMNS
from core.lifecycle.synth.bodies import _BODIES, _Bodies
from core.lifecycle.synth.common import _BREAK, Segment, _Ad, _cap, _Gold, _lower_first, _Weighted
from core.lifecycle.synth.contacts import _Contacts
from core.lifecycle.synth.negatives import NEGATIVE_KINDS, _Negatives
from core.lifecycle.synth.vocab import (
    _BUILDER_DISGUISE,
    _CATEGORY_WEIGHTS,
    _EMBED_TEMPLATES,
    _LINE_STYLES,
    _NOT_IN_TITLE,
    _PRIMARY,
    _REGION_PICK,
    _SECONDARY,
    _SENTENCE_END,
    _SUBCATEGORIES,
)

# The marketplace's columns, then the generator's gold: spans, main disguise, hard negatives.
COLUMNS: tuple[str, ...] = (*REQUIRED_COLUMNS, LABEL_COLUMN, "spans", "disguise", "negative_kind")
DEFAULT_PERIOD: tuple[str, str] = ("2019-01-01", "2021-01-01")
_CALLOUT_SHARE = 0.38  # ads (either label) with a contact-intent sentence but no contact
_TITLE_SHARE = 0.04  # ads whose first contact slot goes into the title
_EXTRA_CONTACT_SHARE = 0.6  # in a positive ad, a further slot holds a contact (else a look-alike)
_STYLED_SHARE = 0.03  # handles, e-mails and links whose Latin letters are written in a mathematical style
# Mathematical alphabets whose letters (and digits, where they have them) NFKC reads as plain ones: "𝐢𝐯𝐚𝐧", "𝚒𝚟𝚊𝚗".
_MATH_STYLES = ("BOLD", "BOLD ITALIC", "SANS-SERIF BOLD", "MONOSPACE", "SANS-SERIF")
_STYLED_LETTERS = {
    style: {
        **{
            letter: unicodedata.lookup(f"MATHEMATICAL {style} SMALL {letter.upper()}")
            for letter in string.ascii_lowercase
        },
        **{letter: unicodedata.lookup(f"MATHEMATICAL {style} CAPITAL {letter}") for letter in string.ascii_uppercase},
    }
    for style in _MATH_STYLES
}


def _restyled(phrase: list[Segment], rng: random.Random) -> list[Segment]:
    """The phrase with the Latin letters of its handles, e-mails and links in one mathematical style (value kept)."""
    letters = _STYLED_LETTERS[rng.choice(_MATH_STYLES)]
    return [
        _Gold("".join(letters.get(c, c) for c in part.text), part.kind, part.value, part.disguise)
        if isinstance(part, _Gold) and part.kind != "phone"
        else part
        for part in phrase
    ]


SPLIT_PERIODS: dict[str, tuple[str, str]] = {
    "train": ("2019-01-01", "2020-05-01"),
    "val": ("2020-05-01", "2020-09-01"),
    "test": ("2020-09-01", "2021-01-01"),
}


Line = str | list[Segment]


class _AdMaker(_Contacts, _Negatives, _Bodies):
    """Builds ads from one seeded random.Random; holds no other state."""

    def __init__(self, rng: random.Random) -> None:
        """Keep the random source and the per-kind builders."""
        self.rng = rng
        self.contact_builders: dict[str, Callable[[_Ad], list[Segment]]] = {
            "plain": self._c_plain,
            "separators": self._c_separators,
            "spaced": self._c_spaced,
            "words": self._c_words,
            "mixed_words": self._c_mixed_words,
            "lookalike": self._c_lookalike,
            "emoji": self._c_emoji,
            "fullwidth": self._c_fullwidth,
            "scattered": self._c_scattered,
            "split_sentences": self._c_split,
            "city_number": self._c_city,
            "messenger_number": self._c_messenger_number,
            "handle": self._c_handle,
            "cyrillic_handle": self._c_cyrillic_handle,
            "social_link": self._c_social,
            "email_words": self._c_email_words,
            "email_spaced": self._c_email_spaced,
            "url_words": self._c_url_words,
            "english_words": self._c_english_words,
            "glued": self._c_glued,
            "invisible": self._c_invisible,
            "split_pieces": self._c_split_pieces,
            "handle_pieces": self._c_handle_pieces,
            "platform_handle": self._c_platform_handle,
            "slash_handle": self._c_slash_handle,
            "domain_space": self._c_domain_space,
            "reversed": self._c_reversed,
            "keyed": self._c_keyed,
            "blanks": self._c_blanks,
            "plain_phone": self._c_plain_phone,
            "plain_email": self._c_plain_email,
            "plain_url": self._c_plain_url,
        }
        self.negative_builders: dict[str, Callable[[_Ad], str]] = {
            kind: getattr(self, f"_n_{kind}") for kind in NEGATIVE_KINDS
        }

    # ---------------------------------------------------------------- placement and rendering

    def place(self, lines: list[Line], phrase: list[Segment]) -> None:
        """Put a contact phrase at the start, middle or end, on its own line or inside a sentence.

        A phrase with _BREAK marks is cut into pieces that go to different places, in order.
        """
        r = self.rng
        if any(isinstance(seg, str) and _BREAK in seg for seg in phrase):
            self._place_in_order(lines, _cut_pieces(phrase))
            return
        phrase = [seg for seg in phrase if seg != ""]
        roll = r.random()
        filled = [i for i, line in enumerate(lines) if line]
        if roll < 0.3 or not filled:
            lines.append([*phrase, r.choice(("", "", ".", "!"))])
        elif roll < 0.4:
            lines.insert(0, [*phrase, r.choice(("", ".", "!"))])
        elif roll < 0.5:
            lines.insert(r.randrange(len(lines) + 1), [*phrase, r.choice(("", "."))])
        elif roll < 0.82:
            index = filled[-1] if r.random() < 0.65 else r.choice(filled)
            line = lines[index]
            segments = [line] if isinstance(line, str) else list(line)
            text = line if isinstance(line, str) else ""
            end = _SENTENCE_END.search(text)
            if end and r.random() < 0.5:
                lines[index] = [text[: end.end()], *phrase, ". ", text[end.end() :]]
                return
            last = segments[-1] if segments else ""
            joiner = " " if isinstance(last, str) and last.rstrip()[-1:] in ".!?:,)" else r.choice((". ", ", ", " "))
            lines[index] = [*segments, joiner, *phrase, r.choice(("", "", "."))]
        else:
            before, after = r.choice(_EMBED_TEMPLATES)
            head = phrase[0]
            if isinstance(head, str) and head:
                phrase = [_lower_first(head), *phrase[1:]]
            sentence: list[Segment] = [before, *phrase, after]
            index = r.choice(filled)
            line = lines[index]
            if isinstance(line, str) and r.random() < 0.5:
                lines[index] = [line, " ", *sentence]
            else:
                lines.insert(index + 1, sentence)

    def _place_in_order(self, lines: list[Line], pieces: list[list[Segment]]) -> None:
        """Place pieces at sorted random positions (new lines or ends of lines) so that they keep their order."""
        r = self.rng
        positions = sorted(r.randrange(len(lines) + 1) for _ in pieces)
        by_position: dict[int, list[list[Segment]]] = {}
        for position, piece in zip(positions, pieces, strict=True):
            by_position.setdefault(position, []).append(piece)
        for position in sorted(by_position, reverse=True):
            merged: list[Segment] = []
            for piece in by_position[position]:
                if merged:
                    merged.append(r.choice((". ", ", ", "; ", " ")))
                merged.extend(piece)
            end = r.choice(("", ".", "."))
            previous = lines[position - 1] if position > 0 else ""
            if previous and r.random() < 0.5:
                segments = [previous] if isinstance(previous, str) else list(previous)
                last = segments[-1]
                joiner = " " if isinstance(last, str) and last.rstrip()[-1:] in ".!?:," else r.choice((". ", ", "))
                lines[position - 1] = [*segments, joiner, *merged, end]
            else:
                lines.insert(position, [*merged, end])

    def put_in_title(self, ad: _Ad, phrase: list[Segment]) -> None:
        """Append a contact (or its look-alike) to the title as plain text; it gets no gold span."""
        r = self.rng
        if len(phrase) > 1 and isinstance(phrase[0], str) and r.random() < 0.4:
            phrase = phrase[1:]
        text = "".join(seg if isinstance(seg, str) else seg.text for seg in phrase)
        text = " ".join(text.replace(_BREAK, " ").split())
        ad.title = ad.title + r.choice((" ", ", ", " | ", " — ", ". ", " ")) + text

    def add_text(self, lines: list[Line], text: str, ad: _Ad) -> None:
        """Add a non-contact sentence: a bullet, a new line or the end of an existing line."""
        r = self.rng
        text = text.replace(_BREAK, ", ")
        filled = [i for i, line in enumerate(lines) if line]
        roll = r.random()
        end = "" if text[-1:] in ".!?" else "."
        if ad.bullet and roll < 0.5:
            lines.insert(r.randrange(1, len(lines) + 1), f"{ad.bullet} {_cap(text)}")
        elif roll < 0.7 or not filled:
            lines.insert(r.randrange(len(lines) + 1), _cap(text) + r.choice(("", end, end)))
        else:
            index = r.choice(filled)
            line = lines[index]
            if isinstance(line, str):
                joiner = " " if line.rstrip()[-1:] in ".!?:," else r.choice((". ", ", "))
                lines[index] = f"{line}{joiner}{_cap(text) if joiner != ', ' else text}{end}"
            else:
                lines[index] = [*line, " ", _cap(text), end]


def _cut_pieces(phrase: Sequence[Segment]) -> list[list[Segment]]:
    """Cut a phrase at its _BREAK marks into non-empty pieces."""
    pieces: list[list[Segment]] = [[]]
    for segment in phrase:
        if isinstance(segment, str) and _BREAK in segment:
            first, *rest = segment.split(_BREAK)
            pieces[-1].append(first)
            pieces.extend([part] for part in rest)
        else:
            pieces[-1].append(segment)
    return [kept for piece in pieces if (kept := [seg for seg in piece if seg != ""])]


def _render(lines: Sequence[Line], newline: str, blank: str, lower: bool) -> tuple[str, list[Span]]:
    """Join lines into the description and compute the gold spans' offsets."""
    pieces: list[str] = []
    spans: list[Span] = []
    position = 0
    started = pending_blank = False
    for line in lines:
        if not line:
            pending_blank = started
            continue
        if started:
            separator = blank if pending_blank else newline
            pieces.append(separator)
            position += len(separator)
        started, pending_blank = True, False
        if isinstance(line, str):
            text = line.lower() if lower else line
            pieces.append(text)
            position += len(text)
            continue
        for segment in line:
            if isinstance(segment, str):
                text = segment.lower() if lower else segment
                pieces.append(text)
                position += len(text)
            else:
                end = position + len(segment.text)
                spans.append(Span(position, end, segment.kind, segment.text, segment.value, 1.0, segment.disguise))
                pieces.append(segment.text)
                position = end
    return "".join(pieces), spans


# --------------------------------------------------------------------------------------------------
# Frame assembly
# --------------------------------------------------------------------------------------------------


def _price(rng: random.Random, low: int, high: int, style: str) -> float:
    """A plausible listed price: log-uniform, rounded, sometimes missing or zero."""
    roll = rng.random()
    if roll < 0.04:
        return float("nan")
    if (style == "service" and roll < 0.16) or (low == 0 and roll < 0.1):
        return 0.0
    low = max(low, 50)
    value = math.exp(rng.uniform(math.log(low), math.log(high)))
    step = 10 if value < 1000 else 100 if value < 20000 else 1000 if value < 500000 else 10000
    return float(max(step, round(value / step) * step))


def _datetimes(rng: np.random.Generator, n: int, period: tuple[str, str]) -> list[str]:
    """Sorted submission times within the period as 'YYYY-MM-DD HH:MM:SS.ffffff'."""
    start = np.datetime64(period[0], "us")
    width = int((np.datetime64(period[1], "us") - start).astype(np.int64))
    offsets = np.sort(rng.integers(0, width, size=n))
    stamps = start + offsets.astype("timedelta64[us]")
    return [text.replace("T", " ") for text in np.datetime_as_string(stamps, unit="us")]


def _check_share(name: str, value: float) -> None:
    """Raise ValueError unless 0 <= value <= 1."""
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} must be between 0 and 1, got {value}")


def _generate(
    n: int,
    seed: int,
    positive_share: float,
    label_noise: float,
    hard_negative_share: float,
    period: tuple[str, str],
) -> pd.DataFrame:
    """Build n ads; the shared engine of generate_ads and generate_splits."""
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    for name, value in (
        ("positive_share", positive_share),
        ("label_noise", label_noise),
        ("hard_negative_share", hard_negative_share),
    ):
        _check_share(name, value)
    rng = random.Random(seed)
    np_rng = np.random.default_rng(seed)
    maker = _AdMaker(rng)
    category_pick = _Weighted([(c, _CATEGORY_WEIGHTS[c]) for c in CATEGORIES])
    sub_picks = {c: _Weighted([(row, row[1]) for row in _SUBCATEGORIES[c]]) for c in CATEGORIES}
    bodies = {style: getattr(maker, method) for style, method in _BODIES.items()}
    columns: dict[str, list] = {name: [] for name in COLUMNS}
    for _ in range(n):
        category: str = category_pick.pick(rng)
        subcategory, _weight, style, (low, high) = sub_picks[category].pick(rng)
        region, cities, code, _w = _REGION_PICK.pick(rng)
        city = cities[0] if rng.random() < 0.6 else rng.choice(cities)
        ad = _Ad(category, subcategory, style, region, city, code, _price(rng, low, high, style))
        lines: list[Line] = list(bodies[style](ad))
        positive = rng.random() < positive_share
        # Everything below except the contents of the contact slots is drawn the same way for both labels.
        negatives: list[str] = []
        if rng.random() < hard_negative_share:
            roll = rng.random()
            negatives = maker.pick_negative_kinds(category, 1 if roll < 0.55 else 2 if roll < 0.87 else 3)
            for kind in negatives:
                maker.add_text(lines, maker.negative_builders[kind](ad), ad)
        if rng.random() < _CALLOUT_SHARE:
            maker.add_text(lines, maker.callout(), ad)
        roll = rng.random()
        slots = 1 if roll < 0.8 else 2 if roll < 0.95 else 3
        in_title = rng.random() < _TITLE_SHARE
        twins: list[str] = []
        disguise = "none"
        for slot in range(slots):
            weights = _PRIMARY if slot == 0 else _SECONDARY
            name = weights.pick(rng)
            while slot == 0 and in_title and name in _NOT_IN_TITLE:
                name = weights.pick(rng)
            if positive and (slot == 0 or rng.random() < _EXTRA_CONTACT_SHARE):
                phrase = maker.contact_builders[name](ad)
                if rng.random() < _STYLED_SHARE and any(isinstance(p, _Gold) and p.kind != "phone" for p in phrase):
                    phrase = _restyled(phrase, rng)
                if slot == 0:
                    shown = _BUILDER_DISGUISE.get(name, name)
                    disguise = f"title:{shown}" if in_title else shown
            else:
                kind = maker.twin_kind(name, category)
                twins.append(kind)
                phrase = [maker.negative_builders[kind](ad)]
            if slot == 0 and in_title:
                maker.put_in_title(ad, phrase)
            else:
                maker.place(lines, phrase)
        newline, blank = _LINE_STYLES.pick(rng)
        lower = style == "private" and rng.random() < 0.04
        description, spans = _render(lines, newline, blank, lower)
        columns["title"].append(ad.title)
        columns["description"].append(description)
        columns["subcategory"].append(subcategory)
        columns["category"].append(category)
        columns["price"].append(ad.price)
        columns["region"].append(region)
        columns["city"].append(city)
        columns["is_bad"].append(int(positive))
        columns["spans"].append(spans_to_json(spans) if spans else "[]")
        columns["disguise"].append(disguise)
        columns["negative_kind"].append(",".join(negatives) + ("|" + ",".join(twins) if twins else ""))
    columns["datetime_submitted"] = _datetimes(np_rng, n, period)
    frame = pd.DataFrame(columns, columns=list(COLUMNS))
    frame["price"] = frame["price"].astype("float64")
    labels = np.array(columns["is_bad"], dtype=np.int64)
    flips = round(n * label_noise)
    if flips:
        chosen = np_rng.choice(n, size=flips, replace=False)
        labels[chosen] = 1 - labels[chosen]
    frame["is_bad"] = labels
    return frame


def generate_ads(
    n: int,
    seed: int,
    positive_share: float = 0.45,
    label_noise: float = 0.0,
    hard_negative_share: float = 0.6,
) -> pd.DataFrame:
    """Generate n synthetic ads with gold contact spans; the same arguments give the same frame."""
    return _generate(n, seed, positive_share, label_noise, hard_negative_share, DEFAULT_PERIOD)


def split_seed(seed: int, index: int) -> int:
    """A seed for one split, derived from the base seed and the split's position."""
    return int(np.random.SeedSequence([seed, index]).generate_state(1)[0])


def generate_splits(settings: SynthSettings) -> dict[str, pd.DataFrame]:
    """Generate train/val/test with their own derived seeds and periods; label noise only on train."""
    sizes = {"train": settings.n_train, "val": settings.n_val, "test": settings.n_test}
    frames: dict[str, pd.DataFrame] = {}
    for index, (split, size) in enumerate(sizes.items()):
        frames[split] = _generate(
            size,
            split_seed(settings.seed, index),
            settings.positive_share,
            settings.label_noise if split == "train" else 0.0,
            settings.hard_negative_share,
            SPLIT_PERIODS[split],
        )
    return frames
