"""Phone text: number words, glyph disguises, layouts and the composed-phone operators (group by group)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from core.lifecycle.synth.common import Segment, _cap, _Gold, _Weighted
from core.lifecycle.synth.names import _Names
from core.lifecycle.synth.vocab import _CITY_LAYOUTS, _PHONE_LEADS, _PHONE_TAILS, _UNMASK_LEADS, _UNMASK_TAILS


@dataclass(slots=True)
class _Part:
    """One group of a composed phone: its text and how a reader could merge it with its neighbours."""

    text: str
    op: str
    group: str
    words: bool = False
    lead: int = 0  # magnitude of the first word (1 unit, 2 tens/teens, 3 hundreds; 0 'ноль' or digits)
    trail: int = 0  # 2 or 3 when the words end in tens or hundreds that a next group could fill
    solid: bool = True  # digits a reader sees as one run (not keycaps)


# --------------------------------------------------------------------------------------------------
# Number words
# --------------------------------------------------------------------------------------------------

_UNITS = ("ноль", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять")
_TEENS = (
    "десять", "одиннадцать", "двенадцать", "тринадцать", "четырнадцать", "пятнадцать", "шестнадцать",
    "семнадцать", "восемнадцать", "девятнадцать",
)  # fmt: skip
_TENS = ("", "", "двадцать", "тридцать", "сорок", "пятьдесят", "шестьдесят", "семьдесят", "восемьдесят", "девяносто")
_HUNDREDS = ("", "сто", "двести", "триста", "четыреста", "пятьсот", "шестьсот", "семьсот", "восемьсот", "девятьсот")


# How sellers misspell number words, on purpose or by habit (the normalizer reads these back).
_MISSPELLINGS = {
    "восемь": ("восем", "васемь"), "девятьсот": ("девятсот",), "двадцать": ("двацать", "двадцат"),
    "триста": ("тристо",), "пятьсот": ("пицот", "пятсот"), "шестьдесят": ("шездесят", "шестдесят"),
    "двенадцать": ("двенацать",), "девяносто": ("девяноста",), "пятьдесят": ("пидесят", "пятдесят"),
    "семьдесят": ("семдесят",), "восемьдесят": ("восемдесят",), "четыре": ("читыре",), "сорок": ("сорак",),
    "шестнадцать": ("шеснадцать",), "тридцать": ("тридцат",), "одиннадцать": ("одинацать",),
}  # fmt: skip


def number_words(group: str) -> str:
    """Say a 1-3 digit group in Russian words; leading zeros are read as 'ноль'."""
    if len(group) > 1 and group[0] == "0":
        return _UNITS[0] + " " + number_words(group[1:])
    value = int(group)
    if value == 0:
        return _UNITS[0]
    parts: list[str] = []
    hundreds, rest = divmod(value, 100)
    if hundreds:
        parts.append(_HUNDREDS[hundreds])
    if 10 <= rest < 20:
        parts.append(_TEENS[rest - 10])
    else:
        tens, units = divmod(rest, 10)
        if tens:
            parts.append(_TENS[tens])
        if units:
            parts.append(_UNITS[units])
    return " ".join(parts)


def _trailing_magnitude(group: str) -> int:
    """3 when a group's words end in hundreds (x00), 2 when in tens (x0), else 0: a later group cannot merge."""
    if len(group) >= 2 and group[-1] == "0" and group[-2] != "1":
        if group[-2] != "0":
            return 2
        if len(group) == 3 and group[0] != "0":
            return 3
    return 0


def _leading_magnitude(group: str) -> int:
    """Magnitude of the first word of a group (0 for 'ноль', which always stands alone)."""
    return 0 if not group or group[0] == "0" else len(group)


def _spoken_groups(groups: Sequence[str], in_words: Sequence[bool]) -> list[str]:
    """Words for the chosen groups, digit by digit where words would run together ('шестьсот' + 'девяносто')."""
    spoken = list(groups)
    next_leading = 0
    for i in range(len(groups) - 1, -1, -1):
        group = groups[i]
        if not in_words[i]:
            next_leading = 0
            continue
        if _trailing_magnitude(group) > next_leading > 0:
            spoken[i] = " ".join(_UNITS[int(digit)] for digit in group)
            next_leading = 0 if group[0] == "0" else 1
        else:
            spoken[i] = number_words(group)
            next_leading = _leading_magnitude(group)
    return spoken


# --------------------------------------------------------------------------------------------------
# Glyph disguises
# --------------------------------------------------------------------------------------------------

_LOOKALIKE: dict[str, tuple[str, ...]] = {
    "0": ("О", "O", "o", "о"),
    "1": ("l", "I", "l", "|"),
    "3": ("З", "з"),
    "6": ("б",),
    "4": ("Ч",),
    "8": ("В",),
    "5": ("S",),
}
_LOOKALIKE_COMMON = ("0", "1", "3", "6")
_KEYCAP = "\ufe0f\u20e3"
_FULLWIDTH = {str(d): chr(0xFF10 + d) for d in range(10)}
_INVISIBLE = ("\u200b", "\u2060", "\ufeff", "\u00ad")
_INVISIBLE_BETWEEN_DIGITS = re.compile("[0-9][\u200b\u2060\ufeff\u00ad]+[0-9]")
_DIGIT_OPS = frozenset(("d", "dl", "dk", "df", "di"))

# --------------------------------------------------------------------------------------------------
# Composed phones: one operator per group
# --------------------------------------------------------------------------------------------------

_EN_UNITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_EN_TEENS = (
    "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
)  # fmt: skip
# English digit names as heard and written in Cyrillic ('эйт найн файв ту').
_EN_CYRILLIC: tuple[tuple[str, ...], ...] = (
    ("зиро", "зеро"), ("ван", "уан"), ("ту",), ("фри", "сри"), ("фо", "фор"), ("файв",), ("сикс",),
    ("сэвэн", "севен", "сэвен"), ("эйт",), ("найн",),
)  # fmt: skip
# Digit names in Uzbek (Latin), Tajik and Kyrgyz, one language per group: migrant sellers dictate in their own.
_CENTRAL_ASIAN_DIGITS: tuple[tuple[str, ...], ...] = (
    ("nol", "bir", "ikki", "uch", "to'rt", "besh", "olti", "yetti", "sakkiz", "to'qqiz"),
    ("сифр", "як", "ду", "се", "чор", "панҷ", "шаш", "ҳафт", "ҳашт", "нӯҳ"),
    ("нөл", "бир", "эки", "үч", "төрт", "беш", "алты", "жети", "сегиз", "тогуз"),
)
_EN_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
# Digits as people name them when dictating ('восьмёрка девятка'); 0 stays 'ноль'.
_RU_COLLOQUIAL: dict[str, tuple[str, ...]] = {
    "1": ("единица",), "2": ("двойка",), "3": ("тройка",), "4": ("четвёрка", "четверка"),
    "5": ("пятёрка", "пятерка"), "6": ("шестёрка", "шестерка"), "7": ("семёрка", "семерка"),
    "8": ("восьмёрка", "восьмерка"), "9": ("девятка",),
}  # fmt: skip
# Operators: d digits, dl look-alike letters, dk keycaps, df full-width, di invisible characters between
# digits, ru Russian words, ru1 Russian digit by digit, en English words, en1 English digit by digit, ca Uzbek,
# Tajik or Kyrgyz digit names,
# rh a Russian word glued to the digits that finish its group ('девятьсот12', 'шестьдесят7').
_COMPOSED_SIZES = _Weighted([((3, 3, 2, 2), 5), ((1,) * 10, 1.5), ((2, 2, 2, 2, 2), 1.2), ((3, 2, 2, 3), 0.6)])
_COMPOSED_OPS: dict[str, _Weighted[str]] = {
    "english_words": _Weighted([("en", 6), ("en1", 3), ("ec", 1.5), ("ca", 0.6), ("d", 1), ("ru", 0.4), ("dl", 0.3)]),
    "mixed_words": _Weighted(
        [("d", 4), ("ru", 4), ("ru1", 1), ("en", 0.6), ("en1", 0.3), ("dl", 0.8), ("dk", 0.4), ("df", 0.3)]
    ),
    "glued": _Weighted([("d", 4), ("ru", 3), ("rh", 3), ("ru1", 0.5), ("en", 0.5)]),
    "invisible": _Weighted([("di", 6), ("d", 2), ("dl", 0.4), ("ru", 0.5), ("en", 0.3)]),
}
# (text, is a word) of the country prefix before the ten national digits
_COMPOSED_PREFIX: dict[str, _Weighted[tuple[str, bool]]] = {
    "english_words": _Weighted(
        [(("+7", False), 3), (("8", False), 3), (("eight", True), 2), (("plus seven", True), 1), (("", False), 1)]
    ),
    "mixed_words": _Weighted(
        [
            (("8", False), 4),
            (("+7", False), 3),
            (("восемь", True), 2),
            (("плюс семь", True), 1),
            (("7", False), 0.5),
            (("восьмёрка", True), 0.3),
            (("", False), 1),
        ]
    ),
    "glued": _Weighted([(("8", False), 5), (("+7", False), 2), (("восемь", True), 1), (("", False), 1)]),
    "invisible": _Weighted([(("8", False), 4), (("+7", False), 4), (("7", False), 1), (("", False), 1)]),
}
_COMPOSED_SEPARATORS: _Weighted[tuple[str, ...]] = _Weighted(
    [((" ",), 10), ((", ",), 3), (("-",), 2), ((" - ",), 1.5), ((".",), 1), (("/",), 0.7), (("*",), 0.5),
     (("_",), 0.5), (("➖",), 0.2), ((" ▪️ ",), 0.2), (("🔸",), 0.2), ((" ", "-", ".", ", ", "/", "*", "_", " "), 2),
     ((" — ",), 0.8), ((" — ", " ", ", "), 0.6)]
)  # fmt: skip

# --------------------------------------------------------------------------------------------------
# Phone layouts
# --------------------------------------------------------------------------------------------------

_PLAIN_LAYOUTS = _Weighted(
    [
        ("{p} ({c}) {a}-{b}-{d}", 5),
        ("{p}({c}){a}-{b}-{d}", 3),
        ("{p} {c} {a}-{b}-{d}", 4),
        ("{p}{c}{a}{b}{d}", 8),
        ("{p}-{c}-{a}-{b}-{d}", 3),
        ("{p} {c} {a} {b} {d}", 3),
        ("{p} ({c}) {a}{b}{d}", 1.5),
        ("{p}{c} {a} {b} {d}", 1),
        ("{p} {c}-{a}{b}{d}", 1),
        ("{p}-{c}-{a}{b}{d}", 1),
        ("{p} {c} {a}{b}{d}", 2),
        ("{p}({c}) {a} {b} {d}", 1),
        ("{p}{c}{a}-{b}-{d}", 1),
        ("{p}{c} {a}{b}{d}", 1),
    ]
)
_STRONG_SEPARATORS = (".", "_", "*", "/", "..", "~", "|", ",", " . ", "\\")
_PHONE_PREFIX = _Weighted([("+7", 35), ("8", 50), ("7", 7), ("", 8)])


def _camel(phrase: str) -> str:
    """Words run together with capitals: 'звонить после 20:00' -> 'ЗвонитьПосле20:00'."""
    return "".join(word[:1].upper() + word[1:] for word in re.findall(r"[\w:]+", phrase))


class _PhoneText(_Names):
    """Phone numbers written as text: layouts, words, look-alike glyphs, composed groups."""

    # ---------------------------------------------------------------- phone rendering

    @staticmethod
    def _compose(prefix: str, glyphs: Sequence[str], code_len: int, layout: str) -> str:
        """Lay ten national digit glyphs out as code + local groups behind a prefix."""
        c = "".join(glyphs[:code_len])
        local = glyphs[code_len:]
        if len(local) == 7:
            a, b, d = "".join(local[:3]), "".join(local[3:5]), "".join(local[5:])
        else:
            a, b, d = "".join(local[:2]), "".join(local[2:4]), "".join(local[4:])
        text = layout.format(p=prefix, c=c, a=a, b=b, d=d)
        return text if prefix else text.lstrip(" -")

    def _phone_phrase(self, text: str, national: str, disguise: str) -> list[Segment]:
        """A phone in its usual surroundings: lead-in, number, optional name."""
        gold = _Gold(text, "phone", "+7" + national, disguise)
        lead = _PHONE_LEADS.pick(self.rng)
        tail = _PHONE_TAILS.pick(self.rng)
        if disguise == "plain":
            roll = self.rng.random()
            if roll < 0.08:
                # "ЗвонитеПоНомеру89214408877СпроситьОлега": no spaces at all, so that no word stands alone
                digits = re.sub(r"[^\d+]", "", text) if self.rng.random() < 0.5 else text.replace(" ", "-")
                return [_camel(lead), _Gold(digits, "phone", "+7" + national, disguise), _camel(tail)]
            if roll < 0.14:
                # "Арт. 8906-412-7735 (это не артикул 😉)": a code the ad itself unmasks
                return [self.rng.choice(_UNMASK_LEADS), gold, self.rng.choice(_UNMASK_TAILS)]
        return [lead, gold, tail]

    def _plain_phone_text(self, national: str) -> str:
        """A plainly written mobile number."""
        prefix = _PHONE_PREFIX.pick(self.rng)
        return self._compose(prefix, national, 3, _PLAIN_LAYOUTS.pick(self.rng))

    def _word_groups(self, national: str) -> list[str]:
        """Split ten digits into the groups people say aloud."""
        r = self.rng
        roll = r.random()
        if roll < 0.45:
            sizes: tuple[int, ...] = (3, 3, 2, 2)
        elif roll < 0.7:
            sizes = (1,) * 10
        elif roll < 0.85:
            sizes = (2, 2, 2, 2, 2)
        else:
            sizes = (3, 2, 2, 3)
        groups = []
        position = 0
        for size in sizes:
            groups.append(national[position : position + size])
            position += size
        return groups

    def _word_case(self, text: str) -> str:
        """Lower, Capitalised or UPPER case words."""
        roll = self.rng.random()
        if roll < 0.7:
            return text
        if roll < 0.88:
            return _cap(text)
        return text.upper()

    def _english_group(self, group: str) -> _Part:
        """A 1-3 digit group in English words: 'twelve', 'sixty-seven', 'nine twelve', 'zero five'."""
        r = self.rng
        if len(group) == 1:
            return _Part(_EN_UNITS[int(group)], "en", group, words=True, lead=0 if group == "0" else 1)
        if len(group) == 2:
            tens, units = int(group[0]), int(group[1])
            if tens == 0:
                return _Part(f"zero {_EN_UNITS[units]}", "en", group, words=True, lead=0)
            if tens == 1:
                return _Part(_EN_TEENS[units], "en", group, words=True, lead=2)
            if units == 0:
                return _Part(_EN_TENS[tens], "en", group, words=True, lead=2, trail=2)
            text = _EN_TENS[tens] + r.choice((" ", "-", " ")) + _EN_UNITS[units]
            return _Part(text, "en", group, words=True, lead=2)
        if group[0] != "0" and group[1] != "0" and r.random() < 0.5:
            tail = self._english_group(group[1:])
            return _Part(f"{_EN_UNITS[int(group[0])]} {tail.text}", "en", group, words=True, lead=1, trail=tail.trail)
        return self._render_group(group, "en1")

    def _render_group(self, group: str, op: str) -> _Part:
        """One group of digits written with one operator (see _COMPOSED_OPS)."""
        r = self.rng
        if op == "ru":
            text = number_words(group)
            return _Part(text, op, group, True, _leading_magnitude(group), _trailing_magnitude(group))
        if op == "ru1":
            words = [
                r.choice(_RU_COLLOQUIAL[d]) if d in _RU_COLLOQUIAL and r.random() < 0.3 else _UNITS[int(d)]
                for d in group
            ]
            return _Part(" ".join(words), op, group, True, 0 if group[0] == "0" else 1)
        if op == "en":
            return self._english_group(group)
        if op == "en1":
            return _Part(" ".join(_EN_UNITS[int(d)] for d in group), op, group, True, 0 if group[0] == "0" else 1)
        if op == "ec":
            return _Part(
                " ".join(r.choice(_EN_CYRILLIC[int(d)]) for d in group), op, group, True, 0 if group[0] == "0" else 1
            )
        if op == "ca":
            names = r.choice(_CENTRAL_ASIAN_DIGITS)
            return _Part(" ".join(names[int(d)] for d in group), op, group, True, 0 if group[0] == "0" else 1)
        if op == "rh":
            if len(group) == 3 and group[0] != "0" and group[1] != "0":
                return _Part(_HUNDREDS[int(group[0])] + group[1:], op, group, True, 3)
            if len(group) == 2 and group[0] not in "01" and group[1] != "0":
                return _Part(_TENS[int(group[0])] + group[1], op, group, True, 2)
            return self._render_group(group, "ru")
        if op == "dl":
            text = self._lookalike_text(group, 0.6)
            if text == group:
                spots = [i for i, d in enumerate(group) if d in _LOOKALIKE]
                if spots:
                    i = r.choice(spots)
                    text = group[:i] + r.choice(_LOOKALIKE[group[i]]) + group[i + 1 :]
            return _Part(text, op, group)
        if op == "dk":
            return _Part("".join(d + _KEYCAP for d in group), op, group, solid=len(group) == 1)
        if op == "df":
            return _Part("".join(_FULLWIDTH[d] for d in group), op, group)
        if op == "di" and len(group) > 1:
            mark = r.choice(_INVISIBLE)
            gaps = [mark if r.random() < 0.6 else "" for _ in group[1:]]
            if not any(gaps):
                gaps[r.randrange(len(gaps))] = mark
            return _Part(group[0] + "".join(g + d for g, d in zip(gaps, group[1:], strict=True)), op, group)
        return _Part(group, "d", group)

    def _composed_text(self, national: str, mode: str) -> str:
        """Ten national digits composed group by group in the given mode (a disguise label); see the module doc."""
        for _attempt in range(30):
            text = self._try_composed(national, mode)
            if text:
                return text
        # Practically never reached: a plain form that still carries the mode's defining trait.
        if mode == "invisible":
            return "8" + _INVISIBLE[0].join(national)
        if mode == "english_words":
            return " ".join(_EN_UNITS[int(d)] for d in "8" + national)
        if mode == "glued":
            return f"8{_UNITS[int(national[0])]}{national[1:]}"
        return f"8 {number_words(national[:3])} {national[3:]}"

    def _try_composed(self, national: str, mode: str) -> str | None:
        """One attempt of _composed_text; None when the result lacks the mode's trait."""
        r = self.rng
        sizes = _COMPOSED_SIZES.pick(r)
        groups: list[str] = []
        position = 0
        for size in sizes:
            groups.append(national[position : position + size])
            position += size
        pick = _COMPOSED_OPS[mode]
        ops = [pick.pick(r) for _ in groups]
        if mode == "english_words":
            others = [i for i, op in enumerate(ops) if op not in ("en", "en1", "ec")]
            r.shuffle(others)
            while others and len(groups) - len(others) < 0.6 * len(groups):
                ops[others.pop()] = r.choice(("en", "en1"))
        elif mode == "mixed_words":
            if all(op in _DIGIT_OPS for op in ops):
                ops[r.randrange(len(ops))] = r.choice(("ru", "ru", "ru1", "en"))
            if not any(op in _DIGIT_OPS for op in ops):
                ops[r.randrange(len(ops))] = "d"
        elif mode == "glued" and "rh" not in ops:
            ops[r.randrange(len(ops))] = "rh"
        elif mode == "invisible" and not any(op == "di" and len(g) > 1 for op, g in zip(ops, groups, strict=True)):
            longer = [i for i, g in enumerate(groups) if len(g) > 1]
            if longer:
                ops[r.choice(longer)] = "di"
        parts = [self._render_group(group, op) for group, op in zip(groups, ops, strict=True)]
        prefix, prefix_words = _COMPOSED_PREFIX[mode].pick(r)
        if prefix:
            english = prefix in ("eight", "plus seven")
            parts.insert(0, _Part(prefix, "en" if english else "ru" if prefix_words else "d", "", prefix_words, 1))
        style = _COMPOSED_SEPARATORS.pick(r)
        seps = [""] + [r.choice(style) for _ in parts[1:]]
        for i in range(1, len(parts)):
            a, b = parts[i - 1], parts[i]
            if a.words != b.words:
                # only pure digits touch a word, and never the digits that finish a glued word ('триста32')
                plain = (b.op == "d" and a.op != "rh") if a.words else a.op == "d"
                if mode == "glued" and plain and r.random() < 0.85:
                    seps[i] = ""
            elif not a.words:
                if mode == "invisible" and r.random() < 0.35:
                    seps[i] = r.choice(_INVISIBLE)
                elif r.random() < 0.12 and a.op != "dk":
                    seps[i] = ""
        if len(parts) > 3 and r.random() < 0.06:
            i = r.randrange(2, len(parts))
            if seps[i] and seps[i] not in _INVISIBLE:
                seps[i] = "\n"
        # A word that a following group could be read into ('шестьдесят 7' -> 67) is said digit by digit.
        for i in range(len(parts) - 2, -1, -1):
            a, b = parts[i], parts[i + 1]
            if not a.words or a.trail == 0:
                continue
            clash = 0 < b.lead < a.trail if b.words else not b.solid or len(b.group) < a.trail
            if clash:
                if seps[i + 1] == "":
                    parts[i] = _Part(a.group, "d", a.group)
                else:
                    parts[i] = self._render_group(a.group, "en1" if a.op == "en" else "ru1")
        case = r.random()
        texts = []
        for i, part in enumerate(parts):
            text = part.text
            if part.words and case < 0.1:
                text = text.upper()
            elif part.words and i == 0 and case < 0.25:
                text = _cap(text)
            texts.append(seps[i] + text)
        text = "".join(texts)
        groups_parts = parts[1:] if prefix else parts
        if mode == "english_words":
            ok = sum(p.op in ("en", "en1", "ec") for p in groups_parts) >= 0.6 * len(groups_parts)
        elif mode == "mixed_words":
            ok = any(p.words for p in groups_parts) and any(not p.words for p in groups_parts)
        elif mode == "glued":
            ok = any(p.op == "rh" for p in parts) or any(
                seps[i] == "" and parts[i - 1].words != parts[i].words for i in range(1, len(parts))
            )
        else:
            ok = _INVISIBLE_BETWEEN_DIGITS.search(text) is not None
        return text if ok else None

    def _lookalike_text(self, digits: str, share: float) -> str:
        """Replace some digits by look-alike letters."""
        r = self.rng
        out = []
        for digit in digits:
            options = _LOOKALIKE.get(digit)
            if options and r.random() < (share if digit in _LOOKALIKE_COMMON else share * 0.3):
                out.append(r.choice(options))
            else:
                out.append(digit)
        return "".join(out)

    def _split_text(self, digits: str) -> str:
        """Digits of one half of a split number, with a space or dash here and there."""
        r = self.rng
        if len(digits) <= 3 or r.random() < 0.35:
            return digits
        cut = r.randrange(1, len(digits))
        return digits[:cut] + r.choice((" ", " ", "-")) + digits[cut:]

    def _piece_text(self, digits: str) -> str:
        """One piece of a split number: digits with a space or dash here and there, sometimes in words."""
        r = self.rng
        if digits.startswith("+"):
            return "+" + self._split_text(digits[1:])
        bare = digits
        if 2 <= len(bare) <= 4 and r.random() < 0.15:
            groups = [bare] if len(bare) <= 3 else [bare[:2], bare[2:]]
            return " ".join(_spoken_groups(groups, [True] * len(groups)))
        return self._split_text(digits)

    def _city_local(self, local: str) -> str:
        """A 6-7 digit local number in 3-2-2, 2-2-2, 1-2-2-2 or solid layout."""
        r = self.rng
        sizes, sep = r.choice(_CITY_LAYOUTS[len(local)])
        chunks = []
        position = 0
        for size in sizes:
            chunks.append(local[position : position + size])
            position += size
        return sep.join(chunks)
