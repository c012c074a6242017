"""De-obfuscation of ad text with an offset map back to the raw characters."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from core.engine.gates import WORD_CHARS, Gate, literal, same_gate, whole_word

# --- number words -------------------------------------------------------------------------------

_UNITS = {
    "ноль": 0, "нуль": 0, "нул": 0, "один": 1, "одна": 1, "одын": 1, "два": 2, "две": 2, "три": 3,
    "четыре": 4, "пять": 5, "шесть": 6, "семь": 7, "восемь": 8, "девять": 9,
}  # fmt: skip
_TEENS = {
    "десять": 10, "одиннадцать": 11, "двенадцать": 12, "тринадцать": 13, "четырнадцать": 14,
    "пятнадцать": 15, "шестнадцать": 16, "семнадцать": 17, "восемнадцать": 18, "девятнадцать": 19,
}  # fmt: skip
_TENS = {
    "двадцать": 20, "тридцать": 30, "сорок": 40, "пятьдесят": 50, "шестьдесят": 60,
    "семьдесят": 70, "восемьдесят": 80, "девяносто": 90,
}  # fmt: skip
_HUNDREDS = {
    "сто": 100, "двести": 200, "триста": 300, "четыреста": 400, "пятьсот": 500, "шестьсот": 600,
    "семьсот": 700, "восемьсот": 800, "девятьсот": 900,
}  # fmt: skip
# Digit names as people say them ("восьмёрка", "нолик") and as they write them in English.
_COLLOQUIAL = {
    "нолик": 0, "единица": 1, "единичка": 1, "двойка": 2, "тройка": 3, "четвёрка": 4, "четверка": 4,
    "пятёрка": 5, "пятерка": 5, "шестёрка": 6, "шестерка": 6, "семёрка": 7, "семерка": 7,
    "восьмёрка": 8, "восьмерка": 8, "девятка": 9,
    # "звонить на восьмёрку": the same names in the accusative.
    "единицу": 1, "единичку": 1, "двойку": 2, "тройку": 3, "четвёрку": 4, "четверку": 4, "пятёрку": 5,
    "пятерку": 5, "шестёрку": 6, "шестерку": 6, "семёрку": 7, "семерку": 7, "восьмёрку": 8, "восьмерку": 8,
    "девятку": 9,
}  # fmt: skip
_ENGLISH = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "oh": 0, "hundred": 100,
    # Russian digit names in Latin letters ("vosem devyat odin").
    "nol": 0, "nul": 0, "odin": 1, "odna": 1, "dva": 2, "dve": 2, "tri": 3, "chetyre": 4, "chetire": 4,
    "pyat": 5, "pjat": 5, "shest": 6, "sem": 7, "vosem": 8, "devyat": 9, "devjat": 9, "desyat": 10,
    "dvadtsat": 20, "dvadcat": 20, "tridtsat": 30, "tridcat": 30, "sorok": 40, "pyatdesyat": 50,
    "shestdesyat": 60, "semdesyat": 70, "vosemdesyat": 80, "devyanosto": 90, "sto": 100, "dvesti": 200,
    "trista": 300, "chetyresta": 400, "pyatsot": 500, "shestsot": 600, "semsot": 700, "vosemsot": 800,
    "devyatsot": 900,
}  # fmt: skip
# English digit names written in Cyrillic letters ("эйт найн файв ту, фо ван сэвэн"); prose words among them
# ("ван", "фри", "ту") only count next to digits or other number words, as the English ones do.
_ENGLISH_CYRILLIC = {
    "зиро": 0, "зеро": 0, "ван": 1, "уан": 1, "ту": 2, "фри": 3, "сри": 3, "фо": 4, "фор": 4, "файв": 5,
    "сикс": 6, "сэвэн": 7, "сэвен": 7, "севен": 7, "севэн": 7, "эйт": 8, "найн": 9, "тэн": 10,
}  # fmt: skip
# Digit names of the languages Central Asian sellers speak (Uzbek in Latin and Cyrillic letters, Tajik, Kyrgyz):
# "sakkiz to'qqiz bir …", "ҳашт нӯҳ ду …". Short ones that are also other words count only among number words.
_APOSTROPHES = ("'", "‘", "’", "ʻ", "ʼ")
_CENTRAL_ASIAN = {
    **{f"to{a}rt": 4 for a in _APOSTROPHES}, **{f"to{a}qqiz": 9 for a in _APOSTROPHES},
    "bir": 1, "ikki": 2, "uch": 3, "besh": 5, "olti": 6, "yetti": 7, "sakkiz": 8, "tort": 4, "toqqiz": 9,
    "бир": 1, "икки": 2, "тўрт": 4, "беш": 5, "олти": 6, "етти": 7, "саккиз": 8, "тўққиз": 9,
    "сифр": 0, "як": 1, "ду": 2, "се": 3, "чор": 4, "панҷ": 5, "панч": 5, "шаш": 6, "ҳафт": 7, "хафт": 7,
    "ҳашт": 8, "хашт": 8, "нӯҳ": 9, "нух": 9,
    "нөл": 0, "эки": 2, "үч": 3, "төрт": 4, "алты": 6, "жети": 7, "сегиз": 8, "тогуз": 9,
}  # fmt: skip
# "double nine" = 99, "triple seven" = 777.
_REPEATS = {"double": 2, "triple": 3}
# "две тройки" = 33, "три семёрки" = 777: a digit's name in the plural after how many times it repeats.
_PLURAL_DIGITS = {
    "нолика": 0, "нуля": 0, "единички": 1, "единицы": 1, "двойки": 2, "тройки": 3, "четвёрки": 4, "четверки": 4,
    "пятёрки": 5, "пятерки": 5, "шестёрки": 6, "шестерки": 6, "семёрки": 7, "семерки": 7, "восьмёрки": 8,
    "восьмерки": 8, "девятки": 9,
}  # fmt: skip
_MULTIPLIED = {
    f"{times} {name}": str(digit) * count
    for times, count in (("два", 2), ("две", 2), ("три", 3))
    for name, digit in _PLURAL_DIGITS.items()
}
# Misspellings that sellers write on purpose or by habit ("восем девятсот двацать", "пицот шездесят").
_MISSPELLED = {
    "восем": 8, "васемь": 8, "васем": 8, "девят": 9, "читыре": 4, "четыри": 4, "пят": 5, "сем": 7,
    "адин": 1, "адна": 1, "тры": 3,
    "одинацать": 11, "двенацать": 12, "тринацать": 13, "четырнацать": 14, "пятнацать": 15, "шеснадцать": 16,
    "шестнацать": 16, "семнацать": 17, "восемнацать": 18, "девятнацать": 19, "десить": 10,
    "двацать": 20, "двадцат": 20, "тридцат": 30, "трицать": 30, "саракь": 40, "сорак": 40, "пидесят": 50,
    "пядесят": 50, "пятдесят": 50, "шездесят": 60, "шисдесят": 60, "шестдесят": 60, "семдесят": 70,
    "семьдесят": 70, "восемдесят": 80, "васемьдесят": 80, "девяноста": 90, "девиносто": 90,
    "тристо": 300, "четырста": 400, "пицот": 500, "пятсот": 500, "пятьсот": 500, "шесот": 600,
    "шестсот": 600, "семсот": 700, "восемсот": 800, "девятсот": 900, "девицот": 900, "двесте": 200,
    # Inflected forms: "номер начинается с восьми девятисот пятидесяти".
    "восьми": 8, "девяти": 9, "семи": 7, "двадцати": 20, "тридцати": 30, "сорока": 40, "пятидесяти": 50,
    "шестидесяти": 60, "семидесяти": 70, "восьмидесяти": 80, "двухсот": 200, "трёхсот": 300, "трехсот": 300,
    "четырёхсот": 400, "четырехсот": 400, "пятисот": 500, "шестисот": 600, "семисот": 700, "восьмисот": 800,
    "девятисот": 900,
    "шесдесят": 60, "шестьдисят": 60, "пятьдисят": 50, "семьдисят": 70, "восемьдисят": 80, "дватцать": 20,
    "тритцать": 30, "чатыре": 4, "читыри": 4, "двенадцат": 12, "одиннадцат": 11, "шездисят": 60, "шиздисят": 60,
    "шисят": 60, "шейсят": 60, "писят": 50, "пийсят": 50, "семдисят": 70, "восемдисят": 80,
    # Ukrainian and Belarusian number words (sellers from Ukraine and Belarus write the way they speak)
    "дві": 2, "чотири": 4, "п'ять": 5, "п’ять": 5, "пʼять": 5, "шість": 6, "сім": 7, "вісім": 8, "дев'ять": 9, "дев’ять": 9, "девʼять": 9, "двадцять": 20, "тридцять": 30, "п'ятдесят": 50, "п’ятдесят": 50, "пʼятдесят": 50, "шістдесят": 60, "сімдесят": 70, "вісімдесят": 80, "дев'яносто": 90, "дев’яносто": 90, "девʼяносто": 90, "двісті": 200, "чотириста": 400, "п'ятсот": 500, "п’ятсот": 500, "пʼятсот": 500, "шістсот": 600, "сімсот": 700, "вісімсот": 800, "дев'ятсот": 900, "дев’ятсот": 900, "девʼятсот": 900, "адзін": 1, "чатыры": 4, "пяць": 5, "шэсць": 6, "дзевяць": 9, "дзесяць": 10, "дваццаць": 20, "трыццаць": 30, "пяцьдзесят": 50, "шэсцьдзясят": 60, "семдзесят": 70, "восемдзесят": 80, "дзевяноста": 90, "дзвесце": 200, "трыста": 300, "чатырыста": 400, "пяцьсот": 500, "шэсцьсот": 600, "сямсот": 700, "васемсот": 800, "дзевяцьсот": 900,
}  # fmt: skip
_NUMBER_WORDS = {
    **_UNITS, **_COLLOQUIAL, **_TEENS, **_TENS, **_HUNDREDS, **_ENGLISH, **_ENGLISH_CYRILLIC, **_MISSPELLED,
    **_CENTRAL_ASIAN,
}  # fmt: skip


def trie_regex(words: Iterable[str]) -> str:
    """One regex for a word list, as a trie: "восем(?:ь(?:десят)?)?" instead of a 300-way alternation.

    The regex engine then rejects a position after a character or two instead of trying every word; longer
    words are still tried first (greedy optional tails), so it matches what the longest-first alternation does.
    """
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        if "" in node:
            return "(?:" + "|".join(branches) + ")?"
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return build(trie)


def _char_class(codes: Iterable[int]) -> str:
    """A regex character class of the code points, consecutive ones as ranges."""
    ranges: list[list[int]] = []
    for code in sorted(codes):
        if ranges and code == ranges[-1][1] + 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return "[" + "".join(re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in ranges) + "]"


def trie_alternatives(words: Iterable[str]) -> list[str]:
    """trie_regex split by first character: "a(?:…)", "b(?:…)"…, to join with "|" (and suffix) at the top level.

    A top-level alternation whose every branch starts with a plain character is scanned for by those characters;
    one group around all of them is not.
    """
    tails: dict[str, list[str]] = {}
    for word in words:
        tails.setdefault(word[0], []).append(word[1:])
    return [re.escape(first) + trie_regex(rest) for first, rest in sorted(tails.items())]


# Letters of Russian ad text from the most to the least common (Latin letters, digits and rarer signs come after).
_COMMON_CHARS = " оеаинтсрвлкмдпуяыьгзбчйхжшюцщэфъё"
_LATIN_BY_FREQUENCY = "etaoinsrhldcumfpgwybvkxjqz"


def _rarity(char: str) -> int:
    """How rare a character is in an ad (higher is rarer); common signs rank with the space."""
    if char in ".,-:/!()":
        return 0
    if char in _COMMON_CHARS:
        return _COMMON_CHARS.index(char)
    if char in _LATIN_BY_FREQUENCY:
        return 40 + _LATIN_BY_FREQUENCY.index(char)
    return 35 if char.isdigit() else 70


def rare_led(word: str, after: str = "") -> str:
    """A regex for word (then the regex after) that starts with the word's rarest character: "номер" becomes
    "мер(?<=номер)".

    For a yes/no search only (a match then starts inside the word): the engine enters a pattern only at its first
    characters, and a top-level alternation of such branches at the rarest letter of each word, a few times per text
    instead of at every common letter.
    """
    anchor = max(range(len(word)), key=lambda i: _rarity(word[i]))
    if anchor == 0:
        return re.escape(word) + after
    return f"{re.escape(word[anchor:])}(?<={re.escape(word)}){after}"


def grouped_search(branches: Iterable[str]) -> re.Pattern[str]:
    """One yes/no search of the branches (each led by a plain letter, as rare_led makes them), those led by the same
    letter grouped under it: the engine stops at each candidate letter once and tries one alternative for it, not
    every branch (a quarter faster or more than their plain alternation on the bench texts)."""
    by_lead: dict[str, list[str]] = {}
    for branch in branches:
        assert branch[0].isalnum(), branch  # a plain letter leads every branch
        by_lead.setdefault(branch[0], []).append(branch[1:])
    return re.compile(
        "|".join(lead + (f"(?:{'|'.join(rests)})" if len(rests) > 1 else rests[0]) for lead, rests in by_lead.items())
    )


def rare_led_search(words: Iterable[str], *branches: str) -> re.Pattern[str]:
    """One pattern that finds whether any of words (or of the rare-led regex branches) stands in a text: the words
    rare-led and grouped by their leading letter (grouped_search), the branches after them as they are."""
    leads = [rare_led(word) for word in dict.fromkeys(words)]
    return re.compile("|".join([*([grouped_search(leads).pattern] if leads else []), *branches]))


_WORD_ALTERNATION = trie_regex([*_NUMBER_WORDS, *_REPEATS, *_MULTIPLIED])
# Number words glued together ("восемьдевятьсоттридцать"); "oh" is too short to split words on.
_GLUED_ALTERNATION = trie_regex(w for w in _NUMBER_WORDS if len(w) >= 3)
_NOT_LETTER_BEFORE = r"(?<![а-яёa-z])"
_NOT_LETTER_AFTER = r"(?![а-яёa-z])"
# A run of number words (Russian or English) separated by spaces, commas or dashes.
NUMBER_WORDS_RE = re.compile(
    rf"{_NOT_LETTER_BEFORE}(?:(?:плюс|plus)\s*)?(?:{_WORD_ALTERNATION}){_NOT_LETTER_AFTER}"
    rf"(?:[\s,\-–./]{{1,3}}(?:{_WORD_ALTERNATION}){_NOT_LETTER_AFTER})*",
)
GLUED_WORDS_RE = re.compile(rf"{_NOT_LETTER_BEFORE}(?:{_GLUED_ALTERNATION}){{2,}}{_NOT_LETTER_AFTER}")
_GLUED_PART_RE = re.compile(_GLUED_ALTERNATION)
_SINGLE_WORD_RE = re.compile(rf"{_NOT_LETTER_BEFORE}(?:{_WORD_ALTERNATION}){_NOT_LETTER_AFTER}")
# A lone English word that is also common prose ("one owner", "ten years") needs a digit or number word nearby.
_ENGLISH_ALONE = frozenset(_ENGLISH) | frozenset(_ENGLISH_CYRILLIC) | frozenset(_CENTRAL_ASIAN)


def words_to_numbers(words: list[str]) -> list[str]:
    """Compose Russian number words into digit strings: ['девятьсот', 'двенадцать'] -> ['912']."""
    numbers: list[str] = []
    parts: dict[str, int] = {}

    def flush() -> None:
        if parts:
            numbers.append(str(sum(parts.values())))
            parts.clear()

    repeat = 1
    for word in map(str.lower, words):
        if word in _REPEATS:
            repeat = _REPEATS[word]
            continue
        if word in _MULTIPLIED:
            flush()
            numbers.append(_MULTIPLIED[word])
            continue
        if word == "hundred":
            if set(parts) == {"u"}:
                parts["h"] = parts.pop("u") * 100  # "nine hundred three" = 903
                continue
            flush()
            parts["h"] = 100
            continue
        value = _NUMBER_WORDS[word]
        if (repeat > 1 and value < 10) or value == 0:
            flush()  # a zero is always a digit of its own: "тридцать ноль" is 30 0, not 30
            numbers.append(str(value) * repeat)
            repeat = 1
            continue
        repeat = 1
        if value >= 100:
            flush()
            parts["h"] = value
        elif value >= 10:
            if "t" in parts or "u" in parts:
                flush()
            parts["t"] = value
        else:
            if "u" in parts or 10 <= parts.get("t", 0) < 20:
                flush()
            parts["u"] = value
    flush()
    return numbers


# --- look-alike characters ------------------------------------------------------------------------

LOOKALIKE_DIGITS = {
    "О": "0", "о": "0", "O": "0", "o": "0", "З": "3", "з": "3", "l": "1", "I": "1", "|": "1",
    "і": "1", "І": "1", "Ӏ": "1", "б": "6", "Б": "6", "b": "6", "Ч": "4", "ч": "4", "В": "8", "B": "8", "S": "5", "Z": "2",
    "🅾": "0", "⭕": "0",
}  # fmt: skip
_LOOKALIKE_CLASS = re.escape("".join(LOOKALIKE_DIGITS))
# A token of digits and look-alikes that holds at least one real digit, not glued to other letters.
LOOKALIKE_TOKEN_RE = re.compile(
    # (the first character before the look-behind and the two look-aheads, which it answers itself or passes on to the
    # rest, so that the engine scans for the class)
    rf"[{_LOOKALIKE_CLASS}\d](?<![^\W\d_][{_LOOKALIKE_CLASS}\d])(?:(?<=\d)|(?=[{_LOOKALIKE_CLASS}\d]*\d))"
    rf"(?:(?<=[{_LOOKALIKE_CLASS}])|(?=\d*[{_LOOKALIKE_CLASS}]))[{_LOOKALIKE_CLASS}\d]+(?![^\W\d_])"
)

KEYCAP_RE = re.compile("([0-9#*])\ufe0f?\u20e3")
# Any non-ASCII char that Unicode calls a digit (full-width, Arabic-Indic, circled, super/subscripts…).
# "[^\D0-9]" is "(?![0-9])\d" without the look-ahead, which would keep the engine from scanning by class.
_NON_ASCII_UNICODE_DIGIT = "[^\\D0-9]"
_NON_ASCII_DIGIT_SIGNS = (
    "[\uff0b\u2795\u2460-\u2468\u2474-\u247c\u2488-\u2490\u24f5-\u24fd\u2776-\u277e\u2780-\u2788"
    "\u278a-\u2792\u24ea\u24ff\u00b2\u00b3\u00b9\u2070\u2074-\u2079\u2080-\u2089]"
)
# (One character of either class, led by a class of plain ranges that holds both, "²", "³", "¹" and everything from
# U+0660, the first non-ASCII "\d": the engine scans for it from a bitmap and the look-behinds then ask which. Written
# as the two classes' alternation it had no scan prefix and was tried at every position; the same matches.)
_NON_ASCII_DIGIT_RE = re.compile(
    f"[\u00b2\u00b3\u00b9\u0660-\U0010ffff](?:(?<={_NON_ASCII_UNICODE_DIGIT})|(?<={_NON_ASCII_DIGIT_SIGNS}))"
)

# --- e-mail and link words ----------------------------------------------------------------------------

_TLD = r"(?:ru|ру|рф|com|ком|net|нет|org|орг|su|су|info|инфо|me|pro|online|site|shop|store|biz|ua|by|kz|io)"
# Mail providers as people say them: what may follow a spoken "собака" in an address.
_PROVIDER_WORDS = r"(?:мейл|мэйл|майл|маил|яндекс|гмейл|гмайл|джимейл|рамблер|бк|инбокс|лист|аутлук)"
_DOG_EMOJIS = "\U0001f436\U0001f415\U0001f429"
# (Written as one class of every alternative's first character, which the engine scans for, followed by the
# alternatives in their order, each testing that character by a look-behind: "\s*X" is X after a first space or X
# itself, "(?<=[a-z0-9_.])\s*…" the same look-behind one character further on. A leading "\s*" or look-behind had made
# the engine try the whole pattern at every position.)
AT_WORD_RE = re.compile(
    rf"[\s(\[{{<сэа{_DOG_EMOJIS}](?:"
    r"(?<=\s)\s*(?:\(\s*(?:at|собака|гав)\s*\)|\[\s*(?:at|собака|гав)\s*\]|\{\s*at\s*\}|<\s*at\s*>)\s*"
    r"|(?<=\()\s*(?:at|собака|гав)\s*\)\s*|(?<=\[)\s*(?:at|собака|гав)\s*\]\s*|(?<=\{)\s*at\s*\}\s*|(?<=<)\s*at\s*>\s*"
    # "urist.petrov (a) inbox . ru": a bracketed "a" only between an address's parts
    r"|(?<=[a-z0-9_.]\s)\s*[(\[]\s*[aа]\s*[)\]]\s*(?=[a-z0-9])"
    r"|(?<=[a-z0-9_.][(\[])\s*[aа]\s*[)\]]\s*(?=[a-z0-9])"
    # "pryazha_nina (собачка) inbox ру": the word's other forms in brackets, only between an address's parts
    rf"|(?<=[a-z0-9_.]\s)\s*[(\[]\s*(?:собак[иу]|собачк[аиу])\s*[)\]]\s*(?=[a-z0-9]|{_PROVIDER_WORDS})"
    # The bare word only between an address's parts: "ivan собака mail", not "собака перешла".
    r"|(?:(?<=[a-z0-9_.]\s)\s*(?<![а-яёa-z])(?:собак[аиу]|собачк[аиу]|собачка|эт|ат|в\s+собак[еу])"
    r"|(?<=[a-z0-9_.]с)(?<![а-яёa-z]с)(?:обак[аиу]|обачк[аиу]|обачка)|(?<=[a-z0-9_.][эа])(?<![а-яёa-z][эа])т)"
    rf"(?![а-яёa-z])\s*(?=[a-z0-9]|{_PROVIDER_WORDS})"
    r"|(?<=[a-z0-9]\s)\s*(?:at|dog)\s+(?=[a-z0-9])"
    # "knigoman🐶mail.ru": a dog emoji for the sign; "himiya_ege на gmail com": a mailbox "on" its provider.
    rf"|(?<=[a-z0-9_.]\s)\s*[{_DOG_EMOJIS}]\ufe0f?\s*(?=[a-z0-9])|(?<=[a-z0-9_.][{_DOG_EMOJIS}])\ufe0f?\s*(?=[a-z0-9])"
    r"|(?<=[a-z0-9_]\s)\s*на\s+(?=(?:gmail|mail|yandex|rambler|inbox|list|bk|outlook|yahoo|icloud)(?:\.|\s|$))"
    # "пишите собака marija_buh": the sign before a handle, said as a word.
    r"|(?<=с)(?<![а-яёa-z]с)обак[аиу]\s*(?=[a-z][a-z0-9]*[_.\d]))",
)
DOT_WORD_RE = re.compile(
    # "blesk-kazan, точка, com": the spoken dot between commas, as people dictate it.
    r"(?<=[a-z0-9-]),[ \t]*(?:точка|dot)[ \t]*,[ \t]*(?=[a-z]|(?:ру|рф|ком|нет|орг|су|инфо)(?![а-яё]))|"
    r"\s*(?:\(\s*(?:dot|точка|дот|тчк)\s*\)|\[\s*(?:dot|точка|дот|тчк)\s*\]|\{\s*dot\s*\}|<\s*dot\s*>|(?<![а-яёa-z])(?:точка|тчк|dot|дот)(?![а-яёa-z])|(?<=[a-z0-9-])точка)\s*(?=[a-z0-9]|(?:ру|рф|ком|нет|орг|су|инфо)(?![а-яё]))",
)
# Mail providers said in Russian right after the sign: "@джимейл ком" -> "@gmail.com".
PROVIDER_LATIN = {
    "джимейл": "gmail", "гмейл": "gmail", "гмайл": "gmail", "мейл": "mail", "мэйл": "mail", "майл": "mail",
    "маил": "mail", "яндекс": "yandex", "рамблер": "rambler", "бк": "bk", "инбокс": "inbox", "лист": "list",
}  # fmt: skip
PROVIDER_AFTER_AT_RE = re.compile(
    rf"(?<=@)(?P<name>{'|'.join(PROVIDER_LATIN)})(?P<gap>\s+)?(?=(?:ру|ком|ru|com)(?![\w]))"
)
CYRILLIC_TLD = {"ру": "ru", "ком": "com", "нет": "net", "орг": "org", "су": "su", "инфо": "info"}
CYRILLIC_TLD_RE = re.compile(r"(?<=[.@a-z0-9])(?:ру|ком|нет|орг|су|инфо)(?![а-яёa-z])")
# The same zones after their sign, as a pattern that starts with a class (scanned for quickly): a cheap gate.
_CYRILLIC_TLD_HINT = same_gate(r"[.@a-z0-9](?:ру|ком|нет|орг|су|инфо)")
# Spaced-out letters: "i v a n @ m a i l . r u" (four or more single characters).
# (The first character comes before its look-behind, so that the engine scans for it.)
SPACED_RE = re.compile(
    r"[A-Za-z0-9@._+-](?<![\w@.][A-Za-z0-9@._+-]) (?:[A-Za-z0-9@._+-] ){2,}[A-Za-z0-9@._+-](?![\w@])"
)


@dataclass(slots=True)
class Edit:
    """One replacement of raw[start:finish] by text, done by operation op."""

    start: int
    finish: int
    text: str
    op: str


# Up to this many edits, ops_between looks at each edit; beyond, it indexes them by position once (linear in a
# long text's length instead of edits times spans).
_FEW_EDITS = 32


class Normalized:
    """Normalized text with, for each of its characters, the raw range it came from.

    The map is kept as pieces (sorted by their first normalized position): a "shift" piece maps character i to raw
    [i + offset, i + offset + 1), a "whole" piece maps each of its characters to the raw range [offset, finish) of the
    edit that made it. to_raw looks a position up by bisection; the per-character lists starts/ends (the same values)
    are only built when asked for (tests, check_identical), so a text with one small edit no longer pays two lists
    as long as the text, and _then composes a few pieces instead of mapping every character.
    """

    __slots__ = ("_ends", "_map", "_starts", "edits", "lowered", "op_index", "raw", "text")

    def __init__(
        self,
        raw: str,
        text: str,
        starts: list[int] | None = None,  # None (and no pieces) means identity
        ends: list[int] | None = None,
        edits: list[Edit] | None = None,
        op_index: dict[int, set[str]] | None = None,  # raw position -> ops, built on first use for many edits
        # lower_same_length(text), set by normalize (which has it at hand) so that the detectors need not lower it
        lowered: str | None = None,
    ) -> None:
        self.raw = raw
        self.text = text
        self._starts = starts
        self._ends = ends
        self.edits = [] if edits is None else edits
        self.op_index = op_index
        self.lowered = lowered
        # (firsts, offsets, finishes): piece k starts at normalized firsts[k]; finishes[k] is -1 for a shift piece
        # (offset added to the position) and the raw finish for a whole piece (offset is then its raw start)
        self._map: tuple[list[int], list[int], list[int]] | None = None

    @classmethod
    def _from_pieces(
        cls, raw: str, text: str, pieces: tuple[list[int], list[int], list[int]], edits: list[Edit]
    ) -> Normalized:
        normalized = cls(raw, text, None, None, edits)
        normalized._map = pieces
        return normalized

    def _materialize(self) -> None:
        """Build starts/ends from the pieces (the lists apply_edits and _then used to build)."""
        if self._map is None or self._starts is not None:
            return
        firsts, offsets, finishes = self._map
        length = len(self.text)
        positions = _POSITIONS if len(self.raw) + 1 < len(_POSITIONS) else range(len(self.raw) + 2)
        starts: list[int] = []
        ends: list[int] = []
        for k, first in enumerate(firsts):
            last = firsts[k + 1] if k + 1 < len(firsts) else length
            offset = offsets[k]
            if finishes[k] < 0:
                starts += positions[first + offset : last + offset]
                ends += positions[first + offset + 1 : last + offset + 1]
            else:
                starts += [offset] * (last - first)
                ends += [finishes[k]] * (last - first)
        self._starts, self._ends = starts, ends

    @property
    def starts(self) -> list[int] | None:
        self._materialize()
        return self._starts

    @property
    def ends(self) -> list[int] | None:
        self._materialize()
        return self._ends

    def _start_at(self, position: int) -> int:
        """starts[position] from the pieces, for 0 <= position < len(text)."""
        firsts, offsets, finishes = self._map  # type: ignore[misc]
        k = bisect_right(firsts, position) - 1
        return position + offsets[k] if finishes[k] < 0 else offsets[k]

    def _end_at(self, position: int) -> int:
        """ends[position] from the pieces, for 0 <= position < len(text)."""
        firsts, offsets, finishes = self._map  # type: ignore[misc]
        k = bisect_right(firsts, position) - 1
        return position + offsets[k] + 1 if finishes[k] < 0 else finishes[k]

    def to_raw(self, start: int, finish: int) -> tuple[int, int]:
        """Map a normalized [start, finish) to the raw text."""
        if self._map is not None:
            length = len(self.text)
            if finish <= start:
                if 0 <= start < length:
                    position = self._start_at(start)
                    return position, position
                if start >= length:
                    return len(self.raw), len(self.raw)
            elif start >= 0 and finish <= length:
                return self._start_at(start), self._end_at(finish - 1)
            self._materialize()  # (a position outside the text: the lists' own indexing, errors included)
        if self._starts is None or self._ends is None:
            return start, finish
        if finish <= start:
            position = self._starts[start] if start < len(self._starts) else len(self.raw)
            return position, position
        return self._starts[start], self._ends[finish - 1]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Normalized):
            return NotImplemented
        return (self.raw, self.text, self.starts, self.ends, self.edits, self.op_index) == (
            other.raw,
            other.text,
            other.starts,
            other.ends,
            other.edits,
            other.op_index,
        )

    __hash__ = None  # type: ignore[assignment]  # (mutable, as the dataclass was)

    def __repr__(self) -> str:
        return (
            f"Normalized(raw={self.raw!r}, text={self.text!r}, starts={self.starts!r}, ends={self.ends!r}, "
            f"edits={self.edits!r}, op_index={self.op_index!r})"
        )

    def ops_between(self, raw_start: int, raw_finish: int) -> list[str]:
        """Names of the operations that changed raw text inside [raw_start, raw_finish)."""
        if not self.edits:
            return []
        if len(self.edits) <= _FEW_EDITS:  # an ad's few edits: intersect them directly
            if raw_finish <= raw_start:
                return []
            return sorted(
                {
                    edit.op
                    for edit in self.edits
                    if edit.start < raw_finish and raw_start < edit.finish and edit.start < edit.finish
                }
            )
        if self.op_index is None:  # a long text's many edits: index them once, each call then reads its range
            index: dict[int, set[str]] = {}
            for edit in self.edits:
                for position in range(edit.start, edit.finish):
                    index.setdefault(position, set()).add(edit.op)
            self.op_index = index
        found: set[str] = set()
        for position in range(raw_start, raw_finish):
            found.update(self.op_index.get(position, ()))
        return sorted(found)


# Characters that render as nothing: soft hyphen, combining grapheme joiner, Mongolian vowel separator, zero-width
# space/joiners/marks, bidirectional embeddings and overrides, word joiner and invisible operators, BOM.
INVISIBLE_CODES = (
    0x00AD,
    0x034F,
    0x180E,
    *range(0x200B, 0x2010),
    *range(0x202A, 0x202F),
    *range(0x2060, 0x2065),
    0xFEFF,
)
_INVISIBLE_CLASS = _char_class(INVISIBLE_CODES)
INVISIBLE_RE = re.compile(_INVISIBLE_CLASS + "+")


# One of them anywhere: INVISIBLE_RE's class without its "+" (a pattern that starts with a class is scanned for in
# one pass; a leading repeat is tried at every position). Cheaper than a substring test per character.
_INVISIBLE_HINT = re.compile(_INVISIBLE_CLASS)


def _invisible_edits(text: str) -> list[Edit]:
    if _INVISIBLE_HINT.search(text) is None:
        return []
    return [Edit(m.start(), m.end(), "", "invisible") for m in INVISIBLE_RE.finditer(text)]


# Full-width ASCII letters and signs ("＠ｉｖａｎ＿ｐｅｔｒｏｖ"), read as their ASCII twins.
FULLWIDTH_ASCII_RE = re.compile("[\uff01-\uff0a\uff0c-\uff0f\uff1a-\uff5e]+")


# What the three passes below start from: a non-ASCII digit, or a full-width sign,
# a keycap or one of the digit-like symbols. Most ads hold none and skip the passes.
_SYMBOL_DIGIT_HINT = re.compile(
    "[\uff01-\uff5e\u20e3\u2795\u2460-\u2468\u2474-\u247c\u2488-\u2490\u24f5-\u24fd\u2776-\u277e\u2780-\u2788"
    "\u278a-\u2792\u24ea\u24ff\u00b2\u00b3\u00b9\u2070\u2074-\u2079\u2080-\u2089]"
)
_OTHER_DIGIT_HINT = re.compile("[^\\D0-9]")
# Either hint as one scan, led by a class of plain ranges (tested from a bitmap; "[^\D0-9]" asks the Unicode database
# at every character): every character of both hints is "²", "³", "¹" or at least U+0660 (the first non-ASCII "\d",
# the Arabic-Indic zero); the look-behinds then ask which. Cyrillic letters and ASCII are never entered.
_ANY_DIGIT_HINT = re.compile(
    f"[\u00b2\u00b3\u00b9\u0660-\U0010ffff](?:(?<={_SYMBOL_DIGIT_HINT.pattern})|(?<={_OTHER_DIGIT_HINT.pattern}))"
)


def _digit_found(text: str, start: int = 0) -> Iterator[Edit]:
    """The full-width, keycap and non-ASCII digit passes: they start only from a character _ANY_DIGIT_HINT finds
    (none without it; _collect_edits asks the wider _DIGIT_SIGN_HINT first).

    start: where the first such character may stand (a keycap's digit two before it): no match starts earlier.
    """
    for match in FULLWIDTH_ASCII_RE.finditer(text, start):
        yield Edit(match.start(), match.end(), "".join(chr(ord(c) - 0xFEE0) for c in match.group()), "fullwidth")
    for match in KEYCAP_RE.finditer(text, max(0, start - 2)):
        yield Edit(match.start(), match.end(), match.group(1), "emoji")
    for match in _NON_ASCII_DIGIT_RE.finditer(text, start):
        digit = _unicode_digit(match.group())
        if digit is not None:
            yield Edit(match.start(), match.end(), digit, "fullwidth")


_PLUS_SIGNS = frozenset("\u2795")


@lru_cache(maxsize=4096)
def _unicode_digit(char: str) -> str | None:
    value = unicodedata.digit(char, None)
    if value is None:
        compat = unicodedata.normalize("NFKC", char)
        if char in _PLUS_SIGNS:
            return "+"  # "➕992 93 …": the heavy plus emoji before a number
        return compat if len(compat) == 1 and compat.isascii() and (compat.isdigit() or compat == "+") else None
    return str(value)


_TRAILING_DIGITS_RE = re.compile(r"[ \t]*(\d{1,2})(?!\d)")
# "шесть five, сорок, l one": between number words just read and an English one, separators and at most one
# look-alike letter standing for a digit ("l" for 1); the English word is then a digit too.
_LOOKALIKE_GAP_RE = re.compile(rf"[ \t,;.\-–—]*[{_LOOKALIKE_CLASS}][ \t,;.\-–—]+")
_DIGIT_NEAR_RE = re.compile(r"\d")


_PLUS_WORD_RE = re.compile(r"(?<![a-zа-яё_.-])(?:плюс|plus)\s*(?=\d)")


_COMMA_BEFORE_RE = re.compile(r"(?<=\w),[ \t]*$")
_COMMA_AFTER_RE = re.compile(r"[ \t]*,(?=[ \t]*\w)")
_NUMBERISH_NEXT_RE = re.compile(rf"[ \t]*(?:\d|(?:{_WORD_ALTERNATION}){_NOT_LETTER_AFTER})")


def _number_edit(text: str, start: int, finish: int, digits: str) -> Edit:
    """Number words read as digits; commas that join them to the digits around go too ("8 916, двести, 55")."""
    before = _COMMA_BEFORE_RE.search(text, max(0, start - 4), start)
    after = _COMMA_AFTER_RE.match(text, finish)
    if before and text[before.start() - 1 : before.start()].isdigit():
        start = before.start()
        digits = " " + digits
    # After digits ("шестьдесят 4, семьсот") the next edit takes the comma as its own "before" comma.
    if after and _NUMBERISH_NEXT_RE.match(text, after.end()) and not text[finish - 1].isdigit():
        finish = after.end()  # the next edit (a number word) then finds a letter before it and keeps its start
        digits += " "
    return Edit(start, finish, digits, "words")


# The first three letters of every number word: a text with no word starting so holds no number words.
_WORD_PREFIXES = frozenset(word[:3] for word in [*_NUMBER_WORDS, *_REPEATS] if len(word) >= 3) | {"oh", "ту", "фо"}
# One search for a word that starts with such letters (or is one of the two-letter words "oh", "ту", "фо"); the
# look-behind stands after the letters of each first-letter branch so that the engine scans for the first letters.
_WORD_START_RE = re.compile(
    "|".join(f"{branch}(?<![а-яёa-z]...)" for branch in trie_alternatives(p for p in _WORD_PREFIXES if len(p) == 3))
    + "".join(f"|{p}(?<![а-яёa-z]..)(?![а-яёa-z])" for p in sorted(_WORD_PREFIXES) if len(p) == 2)
)


# The same word starts found from the character before them: a non-letter, then the letters of a branch (the
# engine enters the pattern only at non-letters, about a third as often as at the first letters); a word at the
# very start of the text is asked of _WORD_START_RE itself. (The look-ahead for a first letter turns most
# non-letters away before the branches are tried one by one.)
_WORD_AFTER_GAP_RE = re.compile(
    "[^а-яёa-z](?=["
    + "".join(sorted({p[0] for p in _WORD_PREFIXES}))
    + "])(?:"
    + "|".join(trie_alternatives(p for p in _WORD_PREFIXES if len(p) == 3))
    + "".join(f"|{p}(?![а-яёa-z])" for p in sorted(_WORD_PREFIXES) if len(p) == 2)
    + ")"
)

# Whether _WORD_AFTER_GAP_RE finds anything (it does in 44 % of the bench texts): the same pattern, its look-ahead
# for a first letter left out (every branch starts with one).
_WORD_AFTER_GAP = Gate(
    _WORD_AFTER_GAP_RE,
    [
        "[^а-яёa-z](?:"
        + "|".join(literal(p) for p in sorted(_WORD_PREFIXES) if len(p) == 3)
        + "".join(f"|{literal(p)}(?:[^а-яёa-z]|$)" for p in sorted(_WORD_PREFIXES) if len(p) == 2)
        + ")"
    ],
    exact=True,
)

_PLUS_START_RE = re.compile(r"плюс|plus")
_PLUS_PREFIX_RE = re.compile(r"^(?:плюс|plus)\s*")


def _number_word_starts(text: str, plus_named: bool) -> list[int]:
    """Every position where NUMBER_WORDS_RE or GLUED_WORDS_RE can start a match, in order.

    A match starts where a word starts with the first three letters of a number word (or is "oh", the only
    shorter one), or at "плюс"/"plus" (plus_named: whether the text holds either); _WORD_START_RE finds exactly
    those word starts.
    """
    starts = [match.start() + 1 for match in _WORD_AFTER_GAP_RE.finditer(text)] if _WORD_AFTER_GAP(text) else []
    if _WORD_START_RE.match(text):
        starts.insert(0, 0)
    if plus_named:
        starts = sorted({*starts, *(match.start() for match in _PLUS_START_RE.finditer(text))})
    return starts


@lru_cache(maxsize=4096)
def _spoken_reading(group: str) -> tuple[tuple[str, ...], bool, str] | None:
    """What a NUMBER_WORDS_RE match reads, from its text alone (memoized: a pure function of a few words, and
    "один", "one", "два" make most matches): its numbers, whether it is one English word (prose unless digits
    stand beside it) and the edit's text; None for a match of only "double"/"triple"."""
    # "plusseven": the plus may be glued on (the prefix pattern matches only a group that starts so)
    body = _PLUS_PREFIX_RE.sub("", group, count=1) if group.startswith(("плюс", "plus")) else group
    words = _SINGLE_WORD_RE.findall(body)
    if _REPEATS.keys() >= set(words):  # only "double"/"triple" (or no word)
        return None
    alone = len(words) == 1 and words[0] in _ENGLISH_ALONE
    if "," in body:
        # "девятьсот шестьдесят, два, ноль": a comma ends a number, "шестьдесят, два" is 60 2, not 62.
        numbers = [n for chunk in body.split(",") for n in words_to_numbers(_SINGLE_WORD_RE.findall(chunk))]
    else:
        numbers = words_to_numbers(words)
    plus = "+" if group[:4].lower() in ("плюс", "plus") else ""
    return tuple(numbers), alone, plus + " ".join(numbers)


def _word_edits(text: str) -> Iterator[Edit]:
    plus_named = "плюс" in text or "plus" in text
    starts = _number_word_starts(text, plus_named)
    if not starts:
        return
    for match in _PLUS_WORD_RE.finditer(text) if plus_named else ():
        yield Edit(match.start(), match.end(), "+", "words")
    # Runs of separate words first: "тристо" inside "восем девятсот … тристо сорок" is a misspelled word of the
    # run, not "три" glued to "сто"; glued forms are read where no run covers them.
    # (each pattern is asked with a .match at each start past its previous match, not searched through every
    # position: it can only match at one of starts; the loops are written out, a generator step per start cost more)
    end = read_end = 0  # (read_end: where the last number words read end)
    for start in starts:
        if start < end:
            continue
        match = NUMBER_WORDS_RE.match(text, start)
        if match is None:
            continue
        end = finish = match.end()
        group = match.group()
        # (a long run is a phone number said in words, read once: it would only push the common words out)
        reading = _spoken_reading(group) if len(group) <= 32 else _spoken_reading.__wrapped__(group)
        if reading is None:
            continue
        numbers, alone, digits = reading
        if (
            alone
            and not _DIGIT_NEAR_RE.search(text, max(0, start - 6), finish + 6)
            and not (0 < start - read_end <= 8 and _LOOKALIKE_GAP_RE.fullmatch(text, read_end, start))
        ):
            continue  # "one owner": an English word alone is prose unless digits stand right beside it
        read_end = finish
        # "девятьсот 12" and "шестьдесят 7": digits that fill the round number's empty places.
        tail = _TRAILING_DIGITS_RE.match(text, finish)
        if tail:
            last, more = int(numbers[-1]), tail.group(1)
            round_hundreds = last % 100 == 0 and last >= 100
            round_tens = last % 10 == 0 and last >= 20 and len(more) == 1
            if round_hundreds or round_tens:
                plus = "+" if group[:4].lower() in ("плюс", "plus") else ""
                digits = plus + " ".join([*numbers[:-1], str(last + int(more))])
                finish = tail.end()
        yield _number_edit(text, start, finish, digits)
    end = 0
    for start in starts:
        if start < end:
            continue
        match = GLUED_WORDS_RE.match(text, start)
        if match is not None:
            end = match.end()
            numbers = " ".join(words_to_numbers(_GLUED_PART_RE.findall(match.group())))
            yield _number_edit(text, start, end, numbers)


# Separators sellers put between the digits of one number (emoji and pictographs included).
_RUN_SEPARATOR = r"[\s\-.()_*/\\,;~–—•+\u2190-\u2bff\ufe0f\u200d\U0001f000-\U0001faff]"
# A phone-shaped run of tokens made only of digits and look-alikes: "8 9lЗ ООб 72 ЗЗ", "8 ▪️ 9 ▪️ О ▪️ З".
# Written as "(?<![^\W\d_])\+?[…\d]{1,8}(?:…)+" would be, but starting with the class [+…\d] (the look-behind after
# the first character, a '+' followed by at least one token character) so that the engine scans for the class.
_LOOKALIKE_RUN_RE = re.compile(
    rf"[+{_LOOKALIKE_CLASS}\d](?<![^\W\d_][+{_LOOKALIKE_CLASS}\d])"
    rf"(?:(?<=\+)[{_LOOKALIKE_CLASS}\d]{{1,8}}|(?<=[{_LOOKALIKE_CLASS}\d])[{_LOOKALIKE_CLASS}\d]{{0,7}})"
    rf"(?:{_RUN_SEPARATOR}{{1,4}}[{_LOOKALIKE_CLASS}\d]{{1,8}}){{1,}}(?![^\W\d_])"
)
_LOOKALIKE_TOKENS_RE = re.compile(rf"[{_LOOKALIKE_CLASS}\d]+")
_MIXED_TOKEN_RE = re.compile(rf"(?=[{_LOOKALIKE_CLASS}]*\d)\d*[{_LOOKALIKE_CLASS}]")
# Every character of _RUN_SEPARATOR, and more: the non-word characters, and the few word characters it holds ("_",
# the enclosed and dingbat numbers "⑩", "❶", "🄁"), so that a run split by "_" opens the gate too ("89_ОО_12").
_HINT_SEPARATOR = "[\\W_\u2460-\u24ff\u2776-\u2793\U0001f100-\U0001f1ff]"
# The old hint, a digit with a look-alike up to four separators after or before it: the look-alike passes have always
# run only where it stands, so _lookalike_hinted is never true where it is not (the same outputs).
_DIGIT_NEAR_LOOKALIKE = re.compile(
    rf"\d(?:{_HINT_SEPARATOR}{{0,4}}[{_LOOKALIKE_CLASS}]|(?<=[{_LOOKALIKE_CLASS}]\d)"
    + "".join(rf"|(?<=[{_LOOKALIKE_CLASS}]{_HINT_SEPARATOR}{{{k}}}\d)" for k in range(1, 5))
    + ")"
)
# Separators that str.isdigit counts (as the look-alike pass counts a run's digits) though "\d" does not match them:
# "①", "⒈", "🄁" (every such character of _RUN_SEPARATOR lies in its two non-ASCII ranges).
_SEPARATOR_DIGITS = frozenset(
    chr(code)
    for first, last in ((0x2190, 0x2BFF), (0x1F000, 0x1FAFF))
    for code in range(first, last + 1)
    if chr(code).isdigit()
)
assert "\\u2190-\\u2bff" in _RUN_SEPARATOR and "\\U0001f000-\\U0001faff" in _RUN_SEPARATOR
assert not any(re.match(r"\d", char) for char in _SEPARATOR_DIGITS)
# _ANY_DIGIT_HINT or a separator digit: the gate _collect_edits asks before _digit_found's passes (a superset of
# _ANY_DIGIT_HINT, so the same edits); normalize asks it once and also hands it to the look-alike gate. (No edit writes a separator digit: a text
# without one keeps none through the stages.)
_DIGIT_SIGN_HINT = re.compile(
    f"[\u00b2\u00b3\u00b9\u0660-\U0010ffff](?:(?<={_SYMBOL_DIGIT_HINT.pattern})|(?<={_OTHER_DIGIT_HINT.pattern})"
    f"|(?<={_char_class(map(ord, _SEPARATOR_DIGITS))}))"
)
assert all(_DIGIT_SIGN_HINT.fullmatch(char) for char in _SEPARATOR_DIGITS)
# One separator digit anywhere.
_SEPARATOR_DIGIT_RE = re.compile(_char_class(map(ord, _SEPARATOR_DIGITS)))
# A letter as the run pattern reads one ("[^\W\d_]") that can stand neither in a token nor as a separator.
_NOT_IN_RUN_LETTER = rf"(?![{_LOOKALIKE_CLASS}])(?!{_HINT_SEPARATOR})[^\W\d_]"
# Where the look-alike passes may fire, with a separator digit (see _lookalike_hinted): a digit beside a look-alike, or
# a digit and a look-alike with one to four separators between them where no other letter stands right after the
# look-alike (right before it, when it comes first), as one does in "2 окна" (716 of the 5,054 bench texts pass, 271
# fire; the old hint let 1,908 through). Why: every edit needs a LOOKALIKE_TOKEN_RE token (a digit beside a
# look-alike) or a _LOOKALIKE_RUN_RE run with a digit (str.isdigit: a "\d" or a separator digit) and a look-alike; in
# a run with a "\d" take a "\d" and a look-alike with no "\d" or look-alike between them: only separators are (at most
# four: one separator piece, or the rest of one), all _HINT_SEPARATOR, and the look-alike's other neighbour is a
# character of the run, or the run's edge, where the pattern allows no letter.
_LOOKALIKE_HINT = re.compile(
    rf"\d(?:[{_LOOKALIKE_CLASS}]|(?<=[{_LOOKALIKE_CLASS}]\d)|{_HINT_SEPARATOR}{{1,4}}[{_LOOKALIKE_CLASS}](?!{_NOT_IN_RUN_LETTER})"
    + "".join(
        rf"|(?<=[{_LOOKALIKE_CLASS}]{_HINT_SEPARATOR}{{{k}}}\d)(?<!{_NOT_IN_RUN_LETTER}[{_LOOKALIKE_CLASS}]{_HINT_SEPARATOR}{{{k}}}\d)"
        for k in range(1, 5)
    )
    + ")"
)


def _lookalike_hinted(text: str, digit_signs: bool = True) -> bool:
    """Whether the look-alike passes may fire; digit_signs: whether text may hold a separator digit (_DIGIT_SIGN_HINT).

    _LOOKALIKE_HINT, or a run whose digits are all separator digits: asked only where the old hint stands too (the
    passes never ran elsewhere; _LOOKALIKE_HINT implies it).
    """
    if _LOOKALIKE_HINT.search(text) is not None:
        return True
    return (
        digit_signs and _SEPARATOR_DIGIT_RE.search(text) is not None and _DIGIT_NEAR_LOOKALIKE.search(text) is not None
    )


# A digit right beside a look-alike: what every LOOKALIKE_TOKEN_RE token holds.
_LOOKALIKE_TOKEN_HINT = re.compile(rf"\d(?:[{_LOOKALIKE_CLASS}]|(?<=[{_LOOKALIKE_CLASS}]\d))")


_BAR_BETWEEN_GROUPS_RE = re.compile(r"\d\d\|\d\d")


def _as_digits(chunk: str) -> str:
    return "".join(LOOKALIKE_DIGITS.get(c, c) for c in chunk)


# One look-alike anywhere in a run (LOOKALIKE_DIGITS' keys are the class).
_LOOKALIKE_CHAR_RE = re.compile(f"[{_LOOKALIKE_CLASS}]")


# A number written as a programmer's literal: "0x14c2cb0247", "0o1227253177377", "0b1000011…", a group of one in hex
# or binary ("8-0x39E-0x1B2-…", "0b1000 0b1110010100 …"). Its "o", "b" and hex digits belong to the base, no look-alike digits ("0o12…" is no "0012…",
# "0x1B2" no "0x182"): the phone detector decodes the literal as written. (Led by its "0", which the engine scans for.)
_PROGRAM_LITERAL_RE = re.compile(r"0(?<!\w0)(?:[xX][0-9a-fA-F]+|[oO][0-7]{10,}|[bB][01]+)(?!\w)")
# Text as hex bytes, "6B 6F 64 65 72 5F 6D 69 78" ("koder_mix"): its "B" and "b" are hex digits, no look-alike 8 and
# 6; the messenger detector decodes the bytes as written. Four or more pairs, a separator between every two: a number
# with look-alikes is never pairs only (eleven digits; ten in pairs with a "B" for an 8 nobody writes), and a part
# number's "202A123B" is no bytes.
# (the look-behind after the first hex digit, "no word character or '#' before it": a pattern led by a class is
# scanned for its characters instead of tried at every position, 5 -> 2 us per 190-character ad)
_HEX_BYTES_TEXT_RE = re.compile(r"[0-9A-Fa-f](?<![\w#][0-9A-Fa-f])[0-9A-Fa-f](?:[ \t:,\-][0-9A-Fa-f]{2}){3,}(?!\w)")


def _lookalike_found(text: str) -> Iterator[Edit]:
    """The look-alike edits of _lookalike_candidates, but none inside a programmer's literal (_PROGRAM_LITERAL_RE)
    or hex bytes (_HEX_BYTES_TEXT_RE)."""
    literals: list[tuple[int, int]] | None = None  # found once, when the first edit asks (most texts have none)
    for edit in _lookalike_candidates(text):
        if literals is None:
            literals = [match.span() for match in _PROGRAM_LITERAL_RE.finditer(text)]
            literals += [match.span() for match in _HEX_BYTES_TEXT_RE.finditer(text)]
        if not any(start < edit.finish and edit.start < finish for start, finish in literals):
            yield edit


def _lookalike_candidates(text: str) -> Iterator[Edit]:
    """The look-alike runs and tokens, for a text that _lookalike_hinted has let through."""
    for match in _LOOKALIKE_RUN_RE.finditer(text):
        run = match.group()
        if _LOOKALIKE_CHAR_RE.search(run) is None:
            continue  # digits only ("8 912 345"): neither phone-shaped with look-alikes nor a mixed piece
        symbols = sum(c in LOOKALIKE_DIGITS for c in run)
        digits = sum(c.isdigit() for c in run)
        tokens = _LOOKALIKE_TOKENS_RE.findall(run)
        phone_shaped = digits >= 3 and symbols and 10 <= digits + symbols <= 12
        # A piece of a number ("ЗЗ-1О"): a token mixes digits and look-alikes, the others are short.
        piece = symbols and any(_MIXED_TOKEN_RE.match(t) and any(c.isdigit() for c in t) for t in tokens)
        piece = piece and all(len(t) <= 4 for t in tokens) and digits + symbols <= 12
        if "|" in run and 10 <= digits <= 11:
            continue  # "8|999|482|31|75": bars that separate, not ones
        if phone_shaped or piece:
            yield Edit(match.start(), match.end(), _as_digits(run), "lookalike")
    for match in LOOKALIKE_TOKEN_RE.finditer(text) if _LOOKALIKE_TOKEN_HINT.search(text) else ():
        token = match.group()
        if "|" in token and (10 <= sum(c.isdigit() for c in token) <= 11 or _BAR_BETWEEN_GROUPS_RE.search(token)):
            continue  # "8|999|482", "220|87": bars that separate digit groups, not ones
        digits = _as_digits(token)
        if digits != token:  # ("86" of "86🅾р": the pattern backs off its look-alike; nothing to undo)
            yield Edit(match.start(), match.end(), digits, "lookalike")


# Cyrillic letters that look like Latin ones, for handles typed with a mixed keyboard ("mаinеcооn").
_HOMOGLYPHS = str.maketrans("аеорсухкмтвнАЕОРСУХКМТВН", "aeopcyxkmtbhAEOPCYXKMTBH")
_MIXED_SCRIPT_RE = re.compile(r"(?<![\w])(?=[\w.]*[a-z])(?=[\w.]*[аеорсухкмтвн])[a-zаеорсухкмтвн0-9_.]{4,}(?![\w])")
# The seam of a two-script handle, either way round: "[a-z][0-9_.]*[аеорсухкмтвн]" or "[аеорсухкмтвн][0-9_.]*[a-z]",
# as one pattern led by the rarer class of a seam's Latin letter, digit, "_" or ".": a Latin letter with the rest
# after it, a Latin letter right after a look-alike, or the first of the run between a look-alike and a Latin letter.
# (The same texts as the first pattern searched in the text and in the text reversed, without reversing it.)
_MIXED_SCRIPT_HINT = re.compile(
    r"[a-z0-9_.](?:(?<=[a-z])[0-9_.]*[аеорсухкмтвн]|(?<=[аеорсухкмтвн][a-z])|(?<=[аеорсухкмтвн][0-9_.])[0-9_.]*[a-z])"
)
_LATIN_LETTER_RE = re.compile(r"[a-z]")
# Characters of a handle or number split by one repeated symbol or emoji: "o🦆h🦆o🦆t", "i*v*a*n", "8•9•1".
_SYMBOL = r"[^\w\s]\ufe0f?"
# (The look-behind stands after the first character: a pattern that starts with a class is scanned for quickly.)
SYMBOL_SPLIT_RE = re.compile(
    rf"[a-z0-9_@.](?<![\w@][a-z0-9_@.])(?P<sep>{_SYMBOL})(?:[a-z0-9_@.](?P=sep)){{3,}}[a-z0-9_@.](?![\w])"
)
# "@🚲velo🚲shop🚲krd": the words of a handle split by one repeated symbol or emoji.
HANDLE_SYMBOL_SPLIT_RE = re.compile(
    rf"@(?P<first>{_SYMBOL})?[a-z0-9_]+(?P<sep>{_SYMBOL})[a-z0-9_]+(?:(?P=sep)[a-z0-9_]+){{0,5}}(?![\w])"
)
# Whether SYMBOL_SPLIT_RE can match anywhere in a text: its characters and at least four separators, each one or two
# characters that are neither WORD_CHARS nor ASCII spaces (a wider class than "[^\w\s]", and any separator for
# "(?P=sep)"), its look-arounds left out.
_SYMBOL_SPLIT_GATE = Gate(SYMBOL_SPLIT_RE, [rf"[a-z0-9_@.](?:[^{WORD_CHARS} \t\n\r\x0b\x0c]{{1,2}}[a-z0-9_@.]){{4,}}"])
# Cyrillic letters typed one by one with spaces: "в о с е м ь".
_SPACED_CYRILLIC_RE = re.compile(r"(?<![\w])(?:[а-яё] ){2,}[а-яё](?![\w])")
# Its last two letters, each after a space ("… о с е м ь"): a cheap gate that starts with a plain character.
_SPACED_CYRILLIC_HINT = re.compile(r" [а-яё] [а-яё](?![\w])")


# Latin letters said by their Russian names, for a handle spelled out "по буквам": "ка, эр, и, эс, тэ, и, нижнее
# подчёркивание, эйч, ар" -> "kristi_hr". Only in an ad that says it spells (the names are also ordinary words).
_LETTER_NAMES = {
    "эй": "a", "а": "a", "би": "b", "бэ": "b", "си": "c", "цэ": "c", "ди": "d", "дэ": "d", "е": "e", "эф": "f", "джи": "g",
    "гэ": "g", "эйч": "h", "аш": "h", "ай": "i", "и": "i", "джей": "j", "жи": "j", "кей": "k", "ка": "k", "эль": "l",
    "эл": "l", "эм": "m", "эн": "n", "оу": "o", "о": "o", "пи": "p", "пэ": "p", "кью": "q", "ку": "q", "ар": "r",
    "эр": "r", "эс": "s", "ти": "t", "тэ": "t", "ю": "u", "у": "u", "ви": "v", "вэ": "v", "дабл ю": "w", "икс": "x",
    "экс": "x", "уай": "y", "игрек": "y", "зед": "z", "зет": "z", "зэт": "z", "нижнее подчёркивание": "_",
    "нижнее подчеркивание": "_", "подчёркивание": "_", "подчеркивание": "_", "точка": ".",
}  # fmt: skip
# Plain substrings, asked one by one in _spelled_letter_edits: "по буквам", "побуквенно", "буква за буквой", "диктую".
_LETTER_NAME = "|".join(sorted((re.escape(name) for name in _LETTER_NAMES), key=len, reverse=True))
SPELLED_LETTERS_RE = re.compile(
    rf"(?<![а-яёa-z])(?:{_LETTER_NAME}|\d)(?:[\s,\-–]{{1,3}}(?:{_LETTER_NAME}|\d)){{3,30}}(?![а-яёa-z])"
)
_LETTER_NAME_RE = re.compile(rf"(?<![а-яёa-z])(?:{_LETTER_NAME}|\d)(?![а-яёa-z])")


# Words that name Instagram or a nickname, for every pattern that looks for them (here and in the detectors): the
# ordinary words that start the same way are not ("инструкция", "инструмент", "институт", "installation";
# "никогда", "никаких", "холодильник").
INSTAGRAM_WORD = r"инст(?!рук|румент|итут|анц|алл|ан[кс])|insta(?!ll)"
NICK_WORD = r"(?<![а-яё])(?:ник(?:нейм)?|логин|юзернейм)(?:[ауе]|ом|ами?)?(?![а-яё])"
# A nickname or platform named in an ad that spells something letter by letter: what it spells is a handle.
_SPELLED_HANDLE_HINT = re.compile(
    rf"{NICK_WORD}|{INSTAGRAM_WORD}|телег|telegram|дискорд|discord|тикток|tiktok|(?<![а-яёa-z])(?:тг|tg|вк|vk)(?![а-яёa-z])"
)


def _spelled_letter_edits(lowered: str) -> Iterator[Edit]:
    if not ("по буквам" in lowered or "побуквенно" in lowered or "буква за буквой" in lowered or "диктую" in lowered):
        return
    handle_named = _SPELLED_HANDLE_HINT.search(lowered) is not None
    for match in SPELLED_LETTERS_RE.finditer(lowered):
        letters = [_LETTER_NAMES.get(token, token) for token in _LETTER_NAME_RE.findall(match.group())]
        if sum(letter.isalpha() for letter in letters) >= 3:
            spelled = "".join(letters)
            if handle_named and "." not in spelled:
                spelled = "@" + spelled  # "ник в тг диктую по буквам: эн ай кей …": a handle, wherever its word stands
            yield Edit(match.start(), match.end(), spelled, "spaced")


def _styled_letters() -> dict[int, str]:
    """Styled Latin letters (math bold/script/double-struck, circled, squared, small capitals) -> plain lowercase."""
    table: dict[int, str] = {}
    for first, last in ((0x1D400, 0x1D6A3), (0x24B6, 0x24E9), (0x1F130, 0x1F149)):
        for code in range(first, last + 1):
            plain = unicodedata.normalize("NFKC", chr(code))
            if len(plain) == 1 and plain.isascii() and plain.isalpha():
                table[code] = plain.lower()
    for code in [*range(0x0250, 0x02B0), *range(0x1D00, 0x1D2C), *range(0xA730, 0xA7FF)]:  # IPA and phonetic blocks
        # (small capitals have no compatibility form: their names say which letter they are)
        name = unicodedata.name(chr(code), "")
        if name.startswith("LATIN LETTER SMALL CAPITAL ") and len(name) == len("LATIN LETTER SMALL CAPITAL X"):
            table[code] = name[-1].lower()
    # Greek capitals and omicron that look like Latin ones: "9Ο4" with a Greek Omicron reads as the look-alike "9O4".
    table.update({ord(greek): latin for greek, latin in zip("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧο", "ABEZHIKMNOPTYXo", strict=True)})
    # Decorative brackets of East Asian typography: "【at】", "【8】【912】" read as plain ones.
    table.update({ord(fancy): plain for fancy, plain in zip("【】〔〕〖〗〘〙〚〛《》", "()()()()()()", strict=True)})
    return table


# Characters that look like plain Latin letters or brackets but are other code points; each is read as its plain
# twin, one character for one. (Styled digits are Unicode digits and go with the other digits in _digit_found.)
STYLED_CHARS = _styled_letters()


# (Styled letters below U+10000 as one class the engine tests from a bitmap; the few above it as a second class: a
# class that mixes both is tested range by range at every character, 7 us a text instead of 1.)
# (the math letters' block whole: its few gaps are unassigned code points, and a class of two ranges is cheap)
_STYLED_ASTRAL = "[\U0001d400-\U0001d6a3\U0001f130-\U0001f149]"
assert all(0x1D400 <= code <= 0x1D6A3 or 0x1F130 <= code <= 0x1F149 for code in STYLED_CHARS if code >= 0x10000)
_STYLED_RE = re.compile(f"(?:{_char_class(code for code in STYLED_CHARS if code < 0x10000)}|{_STYLED_ASTRAL})+")
# Right-to-left override: "\u202e46 28 053 719 7+\u202c" shows "+7 917 350 82 64"; read as shown.
_RIGHT_TO_LEFT_RE = re.compile("\u202e([^\u202c\n]*)\u202c?")
# Any character the three rendering passes start from (invisible ones, the override, styled letters), the same way.
_RENDERING_HINT = re.compile(
    "(?:" + _char_class([*INVISIBLE_CODES, *(code for code in STYLED_CHARS if code < 0x10000)]) + f"|{_STYLED_ASTRAL})"
)


# Every character _RENDERING_HINT or _DIGIT_SIGN_HINT can match (each matches one): the few below U+0660 and all from
# U+0660 (Cyrillic lies below it), as one class of plain ranges the engine scans for. Neither hint matches before the
# first of them, and a text without one (39 % of the non-ASCII bench texts) skips both: one scan instead of two.
_SPECIAL_RE = re.compile(
    _char_class(c for c in range(0x660) if _RENDERING_HINT.fullmatch(chr(c)) or _DIGIT_SIGN_HINT.fullmatch(chr(c)))[:-1]
    + "\u0660-\U0010ffff]"
)


def _special_start(text: str) -> int:
    """Where the first _SPECIAL_RE character stands in text (-1: nowhere): the two hints need not look before it."""
    match = _SPECIAL_RE.search(text)
    return -1 if match is None else match.start()


def _rendering_edits(text: str, special: int = 0) -> list[Edit]:
    """Undo what only changes how text renders: reversed runs, invisible characters, styled letters.

    special: _special_start(text) when known (the hint is then asked from there; -1 skips it), else 0.
    """
    if special < 0 or _RENDERING_HINT.search(text, special) is None:
        return []
    # (the run reversed in place, one character for one; the override marks go with the invisible characters)
    edits = [Edit(m.start(1), m.end(1), m.group(1)[::-1], "lookalike") for m in _RIGHT_TO_LEFT_RE.finditer(text)]
    edits.extend(_invisible_edits(text))
    edits.extend(
        Edit(m.start(), m.end(), m.group().translate(STYLED_CHARS), "lookalike") for m in _STYLED_RE.finditer(text)
    )
    return _first_come([edits], len(text)) if len(edits) > 1 else edits


# A site name typed letter by letter before a spoken or written zone: "м а г а з и н точка рф", "m a g a z i n . ru".
_SPACED_SITE_RE = re.compile(
    r"(?<![\w])(?:[a-zа-яё0-9] ){2,}[a-zа-яё0-9]"
    r"(?= ?(?:точка|dot|\.) ?(?:ru|ру|рф|su|com|ком|net|org|info|online|shop|site|store|pro|by|kz|ua|me)(?![\w]))"
)
# _SPACED_SITE_RE's look-ahead without its optional leading space, led by a rare character ("чка(?<=точка)" is
# "точка"): every match has it right after its last letter, so a text without it has no match. (The pattern itself
# starts with a look-behind and is tried at every position: ~20 us on a text the substring tests let through.)
_SPACED_SITE_HINT = re.compile(
    r"(?:чка(?<=точка)|dot|\.) ?(?:ru|ру|рф|su|com|ком|net|org|info|online|shop|site|store|pro|by|kz|ua|me)(?![\w])"
)


# The characters of a text before position p up to the last one no SYMBOL_SPLIT_RE match holds (a space, or a word
# character other than "a"-"z", digits and "_"; its characters are those and "[^\w\s]" signs), greedy from the left.
_BEFORE_SPLIT_BARRIER_RE = re.compile(r".*(?:\s|[^\Wa-z0-9_])", re.DOTALL)
# The same for the first character of a _MIXED_SCRIPT_HINT match: anything but a digit, "_" or ".".
_BEFORE_SEAM_BARRIER_RE = re.compile(r".*[^0-9_.]", re.DOTALL)


def _last_split_barrier(text: str, position: int) -> int:
    """Where the stretch of characters a SYMBOL_SPLIT_RE match may hold that ends at position starts."""
    match = _BEFORE_SPLIT_BARRIER_RE.match(text, 0, position)
    return 0 if match is None else match.end()


def _last_seam_barrier(text: str, position: int) -> int:
    """Where the run of digits, "_" and "." that ends at position starts."""
    match = _BEFORE_SEAM_BARRIER_RE.match(text, 0, position)
    return 0 if match is None else match.end()


def _prepass_edits(text: str, lowered: str, special: int = 0) -> list[Edit]:
    """Edits that later rules must see undone: invisible characters, spelled-out words, mixed-script handles.

    special: _special_start(text) when known, else 0 (see _rendering_edits).
    """
    edits = _rendering_edits(text, special)
    taken = {position for edit in edits for position in range(edit.start, edit.finish)}
    spaced_site = (" точка" in lowered or " dot" in lowered or " ." in lowered) and _SPACED_SITE_HINT.search(lowered)
    for match in _SPACED_SITE_RE.finditer(lowered) if spaced_site else ():
        if sum(c.isalpha() for c in match.group()) >= 3 and not taken & set(range(*match.span())):
            edits.append(Edit(match.start(), match.end(), match.group().replace(" ", ""), "spaced"))
            taken.update(range(*match.span()))
    for match in _SPACED_CYRILLIC_RE.finditer(lowered) if _SPACED_CYRILLIC_HINT.search(lowered) else ():
        for skip in range(0, 5, 2):  # "и в о с е м ь": a preposition may lead the spelled word
            start = match.start() + skip
            word = lowered[start : match.end()].replace(" ", "")
            if NUMBER_WORDS_RE.fullmatch(word) or GLUED_WORDS_RE.fullmatch(word):
                if not taken & set(range(start, match.end())):
                    edits.append(Edit(start, match.end(), word, "words"))
                break
    # A wanted split holds a letter, and the only letters among SYMBOL_SPLIT_RE's characters are "a"-"z" (its separator
    # is "[^\w\s]"): a text without a Latin letter skips it (37 % of texts). The mixed-script look below needs one too.
    latin = _LATIN_LETTER_RE.search(lowered)
    # (asked from the last character before the first Latin letter that no match can hold: the matches before it
    # hold no letter, and none crosses it, so the same matches follow)
    split = latin is not None and _SYMBOL_SPLIT_GATE(lowered)
    split_from = _last_split_barrier(lowered, latin.start()) if split else 0
    for match in SYMBOL_SPLIT_RE.finditer(lowered, split_from) if split else ():
        wanted = match.group("sep") not in ".-" and any(c.isalpha() for c in match.group())
        if wanted and not taken & set(range(*match.span())):
            edits.append(Edit(match.start(), match.end(), match.group().replace(match.group("sep"), ""), "spaced"))
    for match in HANDLE_SYMBOL_SPLIT_RE.finditer(lowered) if "@" in lowered else ():
        sep = match.group("sep")
        if sep[0] not in ".-@" and not taken & set(range(*match.span())):
            joined = "@" + match.group()[1:].replace(sep, "").replace(match.group("first") or sep, "")
            edits.append(Edit(match.start(), match.end(), joined, "spaced"))
    edits.extend(edit for edit in _spelled_letter_edits(lowered) if not taken & set(range(edit.start, edit.finish)))
    # a handle of both scripts has a seam like "mа"
    # (either way round the seam holds a Latin letter: a text without one skips both looks)
    # (asked from the digits, "_" and "." right before the first Latin letter: every seam's first character is a Latin
    # letter or one of those before one)
    mixed = (
        latin is not None and _MIXED_SCRIPT_HINT.search(lowered, _last_seam_barrier(lowered, latin.start())) is not None
    )
    for match in _MIXED_SCRIPT_RE.finditer(lowered) if mixed else ():
        latin_count = sum("a" <= c <= "z" for c in match.group())
        if latin_count >= 2 and not taken & set(range(*match.span())):
            edits.append(
                Edit(match.start(), match.end(), text[match.start() : match.end()].translate(_HOMOGLYPHS), "lookalike")
            )
    return _first_come([edits], len(text))


# "vahta нижнее подчёркивание sever": an underscore said in words between the parts of a handle.
UNDERSCORE_WORD_RE = re.compile(
    # "dachniy (нижнее подчеркивание) master (подчеркивание) 69": the word may stand in brackets
    r"(?<=[a-z0-9])\s*[(\[]?\s*(?:нижнее\s+)?(?:подч[её]ркивани[ея]|подч[её]рк|underscore|андерскор)\s*[)\]]?\s*(?=[a-z0-9])"
)


# "sosnovka2 дефис dom точка ru": a hyphen said in words between the Latin parts of a name.
HYPHEN_WORD_RE = re.compile(r"(?<=[a-z0-9])\s*[(\[]?\s*(?:дефис|тире)\s*[)\]]?\s*(?=[a-z0-9])")


# Each spoken sign's pass runs only when one of its words is in the text (the passes are the slow part). The words
# are asked as a chain of substring tests ("подч" in text or …): a generator over a tuple of them costs more than
# the tests themselves.
# Underscore words: "подч", "underscore", "андерскор".
# The words of AT_WORD_RE (its bare "собака"/"at"/"эт"/"ат"/"dog", its bracketed forms, "(a)" between an address's
# parts, "на" before a provider) as patterns that each start with plain letters or a class ("at\b(?<!\wat)" is
# "\bat\b"), so the engine scans for them; the dog emojis as plain substrings.
_AT_HINTS = (
    re.compile(r"соба(?:к|чк)"),
    re.compile(r"at(?:(?<=[(\[{<]at)|\b(?<!\wat))"),
    re.compile(r"эт\b(?<!\wэт)"),
    re.compile(r"ат\b(?<!\wат)"),
    re.compile(r"dog\b(?<!\wdog)"),
    re.compile(r" на (?:gmail|mail|yandex|rambler|inbox|list|bk|outlook|yahoo|icloud)"),
)
_AT_HINT_SEARCHES = tuple(hint.search for hint in _AT_HINTS)
# The dog emojis: "\U0001f436", "\U0001f415", "\U0001f429".
# "(a)" between an address's parts: asked only of a text with a bracket (a plain character test is cheaper than the scan).
_BRACKETED_A_HINT = re.compile(r"[(\[](?:[aа]|гав)[)\]]")
# Dot words: "точк", "тчк", "dot", "дот".
# What follows every DOT_WORD_RE match: its word, closing brackets, commas or spaces, then a Latin letter or digit or
# a zone said in Russian ("точка" in "в одной точке" does not reach the pattern).
_DOT_WORD_HINT = re.compile(r"(?:точка|тчк|dot|дот)[\s,)\]}>]*(?:[a-z0-9]|ру|рф|ком|нет|орг|су|инфо)")


# What every AT_WORD_RE match needs, its look-behinds read as characters ("(?<=[a-z0-9]\s)\s*at" as "[a-z0-9]\s+at")
# and its look-aheads as the characters they ask for: a bracketed "at"/"собака"/"гав"/"a" (its first five and the two
# "(a)" alternatives); a Latin letter, digit, "_" or "." before a bare word followed by an address's letter or a
# provider (the word alternatives), "at"/"dog" between such characters, a dog emoji before one, "на" before a provider;
# "собака" before a Latin handle (the last alternative). One search led by their first characters (brackets, the
# address characters, "б"), asked before AT_WORD_RE (~12 us where the words gate lets a text through: "5 эт.", pets).
_AT_WORD_NEEDED = re.compile(
    r"[(\[{<a-z0-9_.б](?:"
    r"(?<=[(\[{<])\s*(?:[aа]t?|собака|гав)\s*[)\]}>]"
    rf"|(?<=[a-z0-9_.])\s*[(\[]\s*(?:собак[иу]|собачк[аиу])\s*[)\]]\s*(?:[a-z0-9]|{_PROVIDER_WORDS})"
    r"|(?<=[a-z0-9_.])\s*(?:(?:собак[аиу]|собачк[аиу]|собачка|эт|ат|в\s+собак[еу])(?![а-яёa-z])\s*"
    rf"(?:[a-z0-9]|{_PROVIDER_WORDS})|(?:at|dog)\s+[a-z0-9]|[{_DOG_EMOJIS}]\ufe0f?\s*[a-z0-9]"
    r"|на\s+(?:gmail|mail|yandex|rambler|inbox|list|bk|outlook|yahoo|icloud))"
    r"|(?<=соб)ак[аиу]\s*[a-z])"
)
_LOGIN_CHAR_RE = re.compile(r"[a-z0-9_.]")

# Whether any of the four passes below may fire (their own dozen tests cost ~3 us a text, and nine texts in ten hold
# none of their words): each pass's test asks for one of these words or patterns, so a text without any has no edit.
# The underscore words, "дефис"/"тире", every _AT_HINTS pattern, the dog emojis, the bracketed "(a)" and the dot words:
# the words with a rare letter ("ч", "э", "ф", "б") or a Latin one as one search led by it ("т\b(?<=ат)…" is
# "ат\b(?<!\wат)"), the three whose letters are all common ("тире", "андерскор", "дот") and " на gmail…" as plain
# substring tests (a search led by a common letter would stop at every one of them).
_EMAIL_WORDS_RARE_GATE = rare_led_search(
    ["подч", "underscore", "дефис", "собак", "собачк", "точк", "тчк", "dot"],
    r"at(?:(?<=[(\[{<]at)|\b(?<!\wat))",
    r"эт\b(?<!\wэт)",
    r"dog\b(?<!\wdog)",
    *_DOG_EMOJIS,
    r"\((?:[aа]|гав)[)\]]",
    r"\[(?:[aа]|гав)[)\]]",
)
_AT_WORD_ALONE_GATE = re.compile(r"ат\b(?<!\wат)")
assert _AT_HINTS[0].pattern == "соба(?:к|чк)" and _AT_HINTS[3].pattern == _AT_WORD_ALONE_GATE.pattern
assert _BRACKETED_A_HINT.pattern == r"[(\[](?:[aа]|гав)[)\]]"


def _email_words_said(text: str) -> bool:
    """Whether text may hold a spoken sign's words: a superset of the four tests in _email_word_found."""
    return (
        _EMAIL_WORDS_RARE_GATE.search(text) is not None
        or "тире" in text
        or "андерскор" in text
        or "дот" in text
        or _AT_WORD_ALONE_GATE.search(text) is not None
        or _AT_HINTS[5].search(text) is not None  # " на gmail"…
    )


# _email_words_said from one Hyperscan pass: its words, and its patterns with "\b" and "(?<!\w)" as gates.whole_word.
_email_words_named = Gate(
    _email_words_said,
    [
        *map(
            literal,
            ["подч", "underscore", "дефис", "собак", "собачк", "точк", "тчк", "dot", "тире", "андерскор", "дот"],
        ),
        *map(literal, _DOG_EMOJIS),
        r"[(\[{<]at",
        *map(whole_word, ["at", "эт", "ат", "dog"]),
        r"[(\[](?:[aа]|гав)[)\]]",
        " на (?:gmail|mail|yandex|rambler|inbox|list|bk|outlook|yahoo|icloud)",
    ],
)


def _email_word_found(text: str) -> Iterator[Edit]:
    """The spoken signs ("собака", "точка", "подчёркивание"…), for a text that _email_words_named has let through."""
    if "подч" in text or "underscore" in text or "андерскор" in text:
        for match in UNDERSCORE_WORD_RE.finditer(text):
            yield Edit(match.start(), match.end(), "_", "email_words")
    if "дефис" in text or "тире" in text:
        for match in HYPHEN_WORD_RE.finditer(text):
            yield Edit(match.start(), match.end(), "-", "email_words")
    at_soba, at_at, at_et, at_at_ru, at_dog, at_na = _AT_HINT_SEARCHES
    if (
        "\U0001f436" in text
        or "\U0001f415" in text
        or "\U0001f429" in text
        or at_soba(text)
        or at_at(text)
        or at_et(text)
        or at_at_ru(text)
        or at_dog(text)
        or at_na(text)
        or (("(" in text or "[" in text) and _BRACKETED_A_HINT.search(text))
    ) and _AT_WORD_NEEDED.search(text):
        for match in AT_WORD_RE.finditer(text):
            start = match.start()
            if text[start].isspace() and not (start and _LOGIN_CHAR_RE.match(text, start - 1)):
                # "в инсте (at)skate.life": no login before the sign, so the space keeps the word before it apart
                start += len(match.group()) - len(match.group().lstrip())
            yield Edit(start, match.end(), "@", "email_words")
    if ("точк" in text or "тчк" in text or "dot" in text or "дот" in text) and _DOT_WORD_HINT.search(text):
        for match in DOT_WORD_RE.finditer(text):
            yield Edit(match.start(), match.end(), ".", "email_words")


# Two of the middle characters of such a run, each between spaces: a cheap gate that starts with a plain space.
_SPACED_HINT = re.compile(r" [A-Za-z0-9@._+-] [A-Za-z0-9@._+-] ")


# "телега: m o t o p o i n t 5 9": spaced letters right after a platform or nickname word are one handle.
_HANDLE_LEAD_RE = re.compile(
    rf"(?:телег\w*|тг|tg|telegram|(?:{INSTAGRAM_WORD})\w*|{NICK_WORD}|vk|вк|ютуб\w*|youtube|тикток\w*)[ \t]*[:—–-]?[ \t]*$",
    re.IGNORECASE,
)


_SPACED_HANDLE_HINT = re.compile(
    r"(?:телег|тг|tg|инст|insta|ник|логин)\w*[ \t]*[:—–-]?[ \t]*[a-z0-9] [a-z0-9] [a-z0-9] "
)


def _spaced_edits(text: str) -> Iterator[Edit]:
    for match in SPACED_RE.finditer(text) if _SPACED_HINT.search(text) else ():
        chunk = match.group()
        if any(c.isalpha() for c in chunk) and (
            "@" in chunk
            or "." in chunk
            or "_" in chunk
            or _HANDLE_LEAD_RE.search(text, max(0, match.start() - 25), match.start())
        ):
            yield Edit(match.start(), match.end(), chunk.replace(" ", ""), "spaced")


# "ivan @ mail . ru", "o l e g 8 3 @ya.ru": an address with spaces inside.
SPACED_EMAIL_RE = re.compile(
    # (the first character before its look-behind, so that the engine scans for it: "(?:[X] ){2,}[X]|[X]+" is X, then
    # " (?:[X] ){1,}[X]" or "[X]*")
    # ("qa . jobs @ testlab . io": the name's own dots may be spaced too)
    r"[A-Za-z0-9._+-](?<![\w@.][A-Za-z0-9._+-])(?: (?:[A-Za-z0-9._+-] )+[A-Za-z0-9._+-]|[A-Za-z0-9._+-]*(?: \. [A-Za-z0-9_+-]+)*)"
    r" ?@ ?"
    r"(?:(?:[A-Za-z0-9-] ){2,}[A-Za-z0-9-]|[A-Za-z0-9-]+)"
    r"(?:(?: ?\. ?(?:(?:[a-z] )+[a-z]|[a-z]{2,10}))+| (?P<zone>ru|com|net|org|su))(?![\w])",
)
# "site(.)ru", "site [.] com", "site . com", "santehremont ru", "www торты-на-заказ рф": a domain with its dot hidden.
_SPACE_TLDS = r"(?:ru|com|net|org|su|рф|ру|ком|орг)"
# With the dot written out (" . pro") a zone that is also a word ("Macbook pro") is safe.
_DOT_TLDS = r"(?:ru|com|net|org|su|рф|ру|ком|орг|pro|info|online|shop|site|store|biz|me|io|by|kz|ua)"
# After a space and a written dot ("anna-front .dev", "shop . xyz") the modern zones too: prose never puts a space
# before a full stop, but "iPhone. App Store" is a sentence's end, so ". zone" keeps to _DOT_TLDS. A host's own
# label may stand between ("qa-portfolio-vera .netlify .app").
_SPACED_DOT_TLDS = rf"(?:{_DOT_TLDS[3:-1]}|dev|app|tech|xyz|club|top|space|blog|tv|gg|link|art)"
_TLD_END = r"(?!\w|\.\w)"  # the end of the domain; a full stop that ends the sentence may follow
# (Each alternative's look-behind stands after its first character, "[·∙•](?<=[a-z0-9][·∙•])" for
# "(?<=[a-z0-9])[·∙•]", so that a position fails on that character before any look-behind is tried.)
# (As one pattern that starts with the class of every alternative's first character, the character then tested by
# each alternative's look-behind, in the same order: "\s?[(\[{]\.[)\]}]…" is the bracket after a space, then the
# bracket alone. The optional space in front kept the engine from scanning for first characters: 2.5x faster.)
HIDDEN_DOT_RE = re.compile(
    r"[·∙•,\s(\[{.](?:"
    rf"(?<=[a-z0-9][·∙•])(?=[a-z0-9])|(?<=www,)(?=[a-z0-9])|(?<=[a-z0-9],)(?={_SPACE_TLDS}{_TLD_END})"
    rf"|(?<=\s)[(\[{{]\.[)\]}}]\s?(?=[a-zа-яё])|(?<=[(\[{{])\.[)\]}}]\s?(?=[a-zа-яё])"
    rf"|(?<=[a-z0-9]\s)\.\s?(?=(?:[a-z0-9][a-z0-9-]{{0,40}}[ \t]?\.[ \t]?)?{_SPACED_DOT_TLDS}{_TLD_END})"
    rf"|(?<=[a-z0-9]\.)\s(?={_DOT_TLDS}{_TLD_END})"
    r"|(?<=www\s)\.\s?(?=[a-z0-9])"
    rf"|(?<=[а-яё0-9]\s)\.\s?(?=рф{_TLD_END})|(?<=[а-яё0-9]\.)\s(?=рф{_TLD_END}))"
)
SPACE_TLD_RE = re.compile(
    # ("от 200k net": a sum in thousands before "net" is a salary after tax, not a name)
    rf"(?<![\w.@])(?:www[ .][а-яё0-9-]{{3,40}}|(?:www[ .])?(?:(?=[a-z0-9-]*[a-z])(?!\d+[kк] )[a-z0-9][a-z0-9-]{{2,62}}|[а-яё0-9]+(?:-[а-яё0-9]+)+))"
    rf"(?P<gap>[ ]){_SPACE_TLDS}{_TLD_END}"
)
# "на сайте печник рф": a one-word Cyrillic domain needs a site word before it ("по всей рф" is the country).
SITE_WORD_RF_RE = re.compile(
    r"(?:сайт[аеу]?|сайтик|ищите нас|заходите на)[:\s]+(?:на\s+)?[а-яё0-9]{3,30}(?P<gap>[ ])рф(?!\w|\.\w)"
)
# "ivan@bk ru": the provider's name right after @ may be short.
AT_SPACE_TLD_RE = re.compile(
    # ("a(?<!\wa)t" is "\bat" and "н(?<=[a-z0-9_] н)а" is "(?<=[a-z0-9_] )на" with the first letter before the look-behind)
    rf"(?:@|собак[аиу]|собачк[аиу]|\(at\)|a(?<!\wa)t|d(?<!\wd)og|н(?<=[a-z0-9_] н)а)\s*[a-z0-9-]{{2,30}}(?P<gap>[ ])"
    rf"{_SPACE_TLDS}{_TLD_END}"
)
WWW_SPACE_RE = re.compile(r"(?<![\w.])www[ ](?=[\wа-яё-]+[ .][a-zа-яё]{2,4}(?![\w]))")


# A gate for the passes below: one of the strings "·", "∙", "•", "www", "(.", "[.", "{.", " ." or a zone after a
# comma, ". " or a space (what every hidden-dot pattern needs; "www" and "(." stand for "www,"/"www " and
# "(.)"/"(.]"…), as one pattern: every alternative starts with a plain character, so the engine scans for them in
# one pass (eight substring tests and a search cost half as much again).
# (" ." is written "\.(?<= \.)" and " zone" as the zone with " zone" as a look-behind, led by a letter of the zone, the
# last one for the Cyrillic zones, whose first letters "р", "к", "о" are common: a search then enters the pattern at
# these letters instead of at every space; the same texts match.)
_HIDDEN_DOT_HINT = Gate(
    re.compile(
        rf"·|∙|•|www|\(\.|\[\.|\{{\.|\.(?<= \.)|,{_SPACE_TLDS}|\. {_DOT_TLDS}"
        rf"|ru(?<= ru){_TLD_END}|com(?<= com){_TLD_END}|net(?<= net){_TLD_END}|org(?<= org){_TLD_END}|su(?<= su){_TLD_END}"
        rf"|ф(?<= рф){_TLD_END}|у(?<= ру){_TLD_END}|м(?<= ком){_TLD_END}|г(?<= орг){_TLD_END}"
    ),
    [
        *map(literal, ["·", "∙", "•", "www", "(.", "[.", "{.", " ."]),
        f",{_SPACE_TLDS}",
        rf"\. {_DOT_TLDS}",
        f" {_SPACE_TLDS}(?:[^{WORD_CHARS}]|$)",  # (_TLD_END: no word character after)
    ],
)
# (every zone of _SPACE_TLDS has its branch above; "okna-kzn16. pro", "t. me/…": a dot then a space before any
# _DOT_TLDS zone, as HIDDEN_DOT_RE reads it — the hint had listed only _SPACE_TLDS there and so closed the gate on
# such a link unless another hint stood in the same text)
assert _SPACE_TLDS == r"(?:ru|com|net|org|su|рф|ру|ком|орг)"
_SPACED_ZONE_RE = re.compile(rf" {_SPACE_TLDS}{_TLD_END}")


_SITE_WORD_NEAR_RE = re.compile(r"сайт|site|www|http|домен|ссылк|адрес")


def _net_site(text: str, match: re.Match[str]) -> bool:
    """Whether "name net" is a site: a site word before it, or a name with a digit or hyphen in it."""
    name = text[match.start() : match.start("gap")]
    return any(c.isdigit() or c == "-" for c in name) or bool(
        _SITE_WORD_NEAR_RE.search(text, max(0, match.start() - 40), match.start())
    )


def _named_edition(raw: str, text: str, match: re.Match[str]) -> bool:
    """Whether "name zone" (a SPACE_TLD_RE match in text, raw its text before lowering) is a name with its country
    or edition: "PyCon RU", "Highload RU", a name in mixed case and its zone in capitals, no site word before it.

    A site's name written with a space for its dot is a seller's typing shortcut, lower case ("mysite ru"), or all
    of it in capitals in a shouting ad; a capitalised name with a capitalised zone after it is how brands and events
    are written.
    """
    gap = match.start("gap")
    name, zone = raw[match.start() : gap], raw[gap + 1 : match.end()]
    return (
        zone.isupper()
        and not name.isupper()
        and not name.islower()
        and not text.startswith("www", match.start())
        and not _SITE_WORD_NEAR_RE.search(text, max(0, match.start() - 40), match.start())
    )


def _hidden_dot_edits(text: str, raw: str) -> Iterator[Edit]:
    """Dots hidden in links (text lowered, raw the same text before lowering: the same length)."""
    if not _HIDDEN_DOT_HINT(text):
        return
    for match in HIDDEN_DOT_RE.finditer(text):
        if raw.startswith("NET", match.end()) and text[match.start()].isspace():
            continue  # "C# .NET Core": Microsoft's framework in its capitals, not the zone .net
        yield Edit(match.start(), match.end(), ".", "url_words")
    # The three gap patterns each need a zone after a space (" ru", " рф" ending the word).
    for pattern in (SPACE_TLD_RE, SITE_WORD_RF_RE, AT_SPACE_TLD_RE) if _SPACED_ZONE_RE.search(text) else ():
        for match in pattern.finditer(text):
            if pattern is SPACE_TLD_RE and text.startswith(" net", match.start("gap")) and not _net_site(text, match):
                continue  # "treshin net": "нет" in translit, not the zone .net
            if pattern is SPACE_TLD_RE and _named_edition(raw, text, match):
                continue  # "PyCon RU 2020": a conference's Russian edition, not the site pycon.ru
            yield Edit(match.start("gap"), match.end("gap"), ".", "url_words")
    if "www " in text:
        for match in WWW_SPACE_RE.finditer(text):
            yield Edit(match.start(), match.end(), "www.", "url_words")


# "@ beauty . loft . kzn": a handle with spaces around its sign and dots.
EMAIL_LIKE_RE = re.compile(r"@[a-z0-9-]+\.(?:ru|com|net|org|su|рф|ру)$")
SPACED_HANDLE_RE = re.compile(
    # "@ jet _ ski _ kzn": underscores with spaces around them
    r"@ ?[a-z0-9]+(?: ?_ ?[a-z0-9]+)+(?![\w.])|"
    # "mama _ sonechki _ ekb": with no "@", only words joined by spaced underscores on both sides
    r"(?<![\w@.])[a-z][a-z0-9]+(?: _ [a-z0-9]+)+(?![\w.])|"
    r"@ ?[a-z0-9_]+(?: ?\. ?[a-z0-9_]+)+(?![\w.])|@ [a-z0-9_]{3,}(?![\w.])"
)


def _spaced_email_edits(text: str) -> Iterator[Edit]:
    # Whole addresses first: "zakaz @ stellazh-opt . ru" is one address, not the handle "@ stellazh" in it.
    for match in SPACED_EMAIL_RE.finditer(text):
        if " " in match.group():
            address = match.group()
            if match["zone"]:  # "@ yandex ru": the zone's space was its dot
                address = address[: match.start("zone") - match.start() - 1] + "." + match["zone"]
            yield Edit(match.start(), match.end(), address.replace(" ", ""), "spaced")
    for match in SPACED_HANDLE_RE.finditer(text):
        if " " in match.group() and not EMAIL_LIKE_RE.match(match.group().replace(" ", "")):
            yield Edit(match.start(), match.end(), match.group().replace(" ", ""), "spaced")


def lower_same_length(text: str) -> str:
    """text.lower() with every character kept in place (a few letters lengthen when lowered)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


# "номер посчитайте: 8 (900+15) 6 (40+4) 23 17", "8 (900+4) (200+10+5) 7×6 (100−1)": sums in brackets and
# products worked out, only in an ad that asks the reader to count.
# Substrings every hint holds ("посчита", "считайте"… hold "счита"; "слож… в столбик" holds "слож"): a cheap gate,
# asked in _arithmetic_hinted as substring tests ("счита", "слож", "вычисл", "арифметик", "математик", "пример").
_ARITHMETIC_HINT_RE = re.compile(
    r"посчита|сосчита|считаем|считайте|сложите|слож\w* в столбик|вычисл|арифметик|математик|реши\w* пример|\bпример(?!н)"
)
_ARITHMETIC_RE = re.compile(
    r"\(\s*\d{1,4}(?:\s*[+×x*·−-]\s*\d{1,4})+\s*\)|(?<![\w.,])\d{1,4}(?:\s*[×*·]\s*\d{1,4})+(?:\s*\+\s*\d{1,4})*(?![\w]|[.,]\d)"
    # "потом 900+26": a plain sum (only in an ad that asks to count)
    r"|(?<![\w.,+])\d{1,4}(?:\+\d{1,4})+(?![\w+]|[.,]\d)"
    # "89000000000 + 6124433 — сложите в столбик": a whole number plus the rest
    r"|(?<![\w.,])\d{10,11}\s*\+\s*\d{1,9}(?![\w.,])"
)
# "2⁹, 7², 37²": a power written with superscript digits.
_POWER_RE = re.compile(r"(?<![\w.,])(\d{1,3})([⁰¹²³⁴⁵⁶⁷⁸⁹]{1,2})(?![\w])")
_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_ARITHMETIC_TOKEN_RE = re.compile(r"\d+|[+×x*·−-]")


def arithmetic_value(expression: str) -> int | None:
    """Value of 'a op b op c' with + − × (products first); None when it is not such an expression."""
    tokens = _ARITHMETIC_TOKEN_RE.findall(expression)
    if len(tokens) < 3 or len(tokens) % 2 == 0:
        return None
    terms: list[int] = [int(tokens[0])]
    signs: list[int] = [1]
    for op, number in zip(tokens[1::2], tokens[2::2], strict=True):
        if op in "×x*·":
            terms[-1] *= int(number)
        else:
            terms.append(int(number))
            signs.append(1 if op == "+" else -1)
    value = sum(sign * term for sign, term in zip(signs, terms, strict=True))
    return value if value >= 0 else None


def _arithmetic_hinted(text: str) -> bool:
    """Whether text asks the reader to count (_ARITHMETIC_HINT_RE, asked after the substrings every hint holds)."""
    return (
        "счита" in text
        or "слож" in text
        or "вычисл" in text
        or "арифметик" in text
        or "математик" in text
        or "пример" in text
    ) and _ARITHMETIC_HINT_RE.search(text) is not None


def _arithmetic_found(text: str) -> Iterator[Edit]:
    """Sums and products worked out, for a text that _arithmetic_hinted has let through."""
    for match in _ARITHMETIC_RE.finditer(text):
        value = arithmetic_value(match.group())
        if value is not None:
            yield Edit(match.start(), match.end(), str(value), "arithmetic")
    for match in _POWER_RE.finditer(text):
        exponent = int(match.group(2).translate(_SUPERSCRIPT))
        if exponent <= 12:
            yield Edit(match.start(), match.end(), str(int(match.group(1)) ** exponent), "arithmetic")


def _collect_edits(raw: str, lowered: str | None = None, digit_signs: int | None = None) -> list[Edit]:
    """Find all edits on the raw text (lowered: lower_same_length(raw) when known); earlier rules win overlaps.

    digit_signs: where _DIGIT_SIGN_HINT first stands in raw, -1 nowhere (normalize asks it once for this and the
    look-alike gate).
    """
    if lowered is None:
        lowered = lower_same_length(raw)
    if digit_signs is None:
        digit_signs = _digit_signs(raw)
    # (a pass's gate asked here before its generator is made: most texts skip most passes, and an empty group changes
    # nothing in _first_come, which takes the groups in this order)
    groups: list[list[Edit]] = []
    if _arithmetic_hinted(lowered):  # ads that ask the reader to count
        groups.append(list(_arithmetic_found(lowered)))
    if digit_signs >= 0:  # (a gate wider than _ANY_DIGIT_HINT: the passes find nothing where it does not stand)
        groups.append(list(_digit_found(raw, digit_signs)))  # (from its first character: every match starts there)
    if _email_words_named(lowered):  # each spoken sign's pass then asks for its own words
        groups.append(list(_email_word_found(lowered)))
    groups.append(list(_word_edits(lowered)))
    if "@" in raw or " _ " in raw:
        groups.append(list(_spaced_email_edits(lowered)))
    # (_spaced_edits finds nothing without _SPACED_HINT, asked first: 3 % of texts pass it, 75 % the words)
    if _SPACED_HINT.search(raw) and (
        " @ " in raw or ". " in raw or "@ " in raw or " _ " in raw or _SPACED_HANDLE_HINT.search(lowered)
    ):
        groups.append(list(_spaced_edits(raw)))
    groups.append(list(_hidden_dot_edits(lowered, raw)))  # gated inside by _HIDDEN_DOT_HINT
    return _first_come(groups, len(raw))


def _digit_signs(text: str, special: int = 0) -> int:
    """Where _DIGIT_SIGN_HINT first stands in text (-1: nowhere; an ASCII text holds none of its characters).

    special: _special_start(text) when known (no match before it; -1: none), else 0.
    """
    match = _DIGIT_SIGN_HINT.search(text, special) if special >= 0 and not text.isascii() else None
    return -1 if match is None else match.start()


def _first_come(groups: list[list[Edit]], length: int) -> list[Edit]:
    """Non-overlapping edits sorted by start; an earlier edit (group, then order) wins an overlap."""
    if not any(groups):
        return []
    taken: list[Edit] = []
    claimed = bytearray(length)  # linear: each edit checks and marks only its own characters
    for group in groups:
        for edit in group:
            if not any(claimed[edit.start : edit.finish]):
                claimed[edit.start : edit.finish] = b"\x01" * (edit.finish - edit.start)
                taken.append(edit)
    taken.sort(key=lambda e: e.start)
    return taken


# 0, 1, 2, … as one list kept for the offset maps: apply_edits copies slices of it (references to existing ints)
# instead of making a new int for every position of every text (the maps of a 240-character text cost 9.7 us -> 4 us).
# Longer texts slice a range instead, the same values.
_POSITIONS = list(range(1 << 15))


def apply_edits(raw: str, edits: list[Edit]) -> Normalized:
    """Apply sorted, non-overlapping edits and build the offset map (as pieces: see Normalized)."""
    if not edits:
        return Normalized(raw, raw)
    text, pieces = _applied(raw, edits)
    return Normalized._from_pieces(raw, text, pieces, edits)


def _applied(raw: str, edits: list[Edit]) -> tuple[str, tuple[list[int], list[int], list[int]]]:
    """apply_edits' text and map pieces, for edits not empty (_then reads them without a Normalized around them)."""
    pieces: list[str] = []
    firsts: list[int] = []
    offsets: list[int] = []
    finishes: list[int] = []
    position = 0  # in raw
    at = 0  # in the new text
    for edit in edits:
        start, finish, text = edit.start, edit.finish, edit.text
        if start > position:
            pieces.append(raw[position:start])
            if not (finishes and finishes[-1] < 0 and offsets[-1] == position - at):
                firsts.append(at)
                offsets.append(position - at)
                finishes.append(-1)
            at += start - position
        pieces.append(text)
        if text:
            if len(text) == finish - start:  # one character for one ("9I2" -> "912"): exact map
                if not (finishes and finishes[-1] < 0 and offsets[-1] == start - at):
                    firsts.append(at)
                    offsets.append(start - at)
                    finishes.append(-1)
            elif not (finishes and finishes[-1] == finish and offsets[-1] == start):
                firsts.append(at)
                offsets.append(start)
                finishes.append(finish)
            at += len(text)
        position = finish
    if position < len(raw):
        pieces.append(raw[position:])
        if not (finishes and finishes[-1] < 0 and offsets[-1] == position - at):
            firsts.append(at)
            offsets.append(position - at)
            finishes.append(-1)
    return "".join(pieces), (firsts, offsets, finishes)


def _then(first: Normalized, edits: list[Edit]) -> Normalized:
    """Apply edits (in first.text coordinates) on top of first, keeping the map to first.raw."""
    if not edits:
        return first
    text, second_map = _applied(first.text, edits)
    if first._map is None and (first._starts is None or first._ends is None):
        # first is the identity: second's map is the whole map, and to_raw maps each edit to itself (the same edits,
        # not copies: nothing assigns to an edit)
        return Normalized._from_pieces(first.raw, text, second_map, list(edits))
    raw_edits = [Edit(*first.to_raw(e.start, e.finish), e.text, e.op) for e in edits]
    if first._map is None:
        # (a map given as lists: first.starts[s] for each s, first.ends[e - 1] for each e, index -1 its last item)
        second = Normalized._from_pieces(first.text, text, second_map, edits)
        starts = list(map(first._starts.__getitem__, second.starts))  # type: ignore[arg-type]
        ends = list(map((first._ends[-1:] + first._ends).__getitem__, second.ends))  # type: ignore[arg-type]
        return Normalized(first.raw, second.text, starts, ends, first.edits + raw_edits)
    # Compose the pieces: a whole piece of second takes first's start at its raw start and first's end before its raw
    # finish (index -1 read as the last character, as a list would); a shift piece is cut where first's pieces change.
    length = len(first.text)
    old_firsts, old_offsets, old_finishes = first._map
    new_firsts, new_offsets, new_finishes = second_map
    firsts: list[int] = []
    offsets: list[int] = []
    finishes: list[int] = []
    count = len(new_firsts)
    for k in range(count):
        at, offset, finish = new_firsts[k], new_offsets[k], new_finishes[k]
        if finish >= 0:
            if not 0 <= offset < length or not -1 <= finish - 1 < length:
                raise IndexError("edit outside the text")
            pieces = [(at, first._start_at(offset), first._end_at(finish - 1 if finish else length - 1))]
        else:
            low = at + offset
            high = (new_firsts[k + 1] if k + 1 < count else len(text)) + offset
            pieces = []
            j = bisect_right(old_firsts, low) - 1
            while j < len(old_firsts) and old_firsts[j] < high:
                begin = max(low, old_firsts[j]) - offset
                if old_finishes[j] < 0:
                    pieces.append((begin, old_offsets[j] + offset, -1))
                else:
                    pieces.append((begin, old_offsets[j], old_finishes[j]))
                j += 1
        for piece_at, piece_offset, piece_finish in pieces:
            if not (finishes and finishes[-1] == piece_finish and offsets[-1] == piece_offset):
                firsts.append(piece_at)
                offsets.append(piece_offset)
                finishes.append(piece_finish)
    return Normalized._from_pieces(first.raw, text, (firsts, offsets, finishes), first.edits + raw_edits)


# "8 тире 917 тире 360": a dash said in words between digit groups.
DASH_WORD_RE = re.compile(
    r"(?<=\d)[ \t]*(?<![а-яё])(?:тире|дефис|черточка|чёрточка)(?![а-яё])[ \t]*(?=\d)", re.IGNORECASE
)
# A slash spoken or spaced right after a domain and before a path.
SPOKEN_SLASH_RE = re.compile(
    r"\.(?:[a-z]{2,10}|рф)(?P<slash>[ \t]*(?<![а-яёa-z])(?:слэш|слеш|slash|сл[еэ]ш)(?![а-яёa-z])[ \t]*|[ \t]+/[ \t]*|[ \t]*/[ \t]+)"
    r"(?=[a-z0-9_@-]{2,})",
    re.IGNORECASE,
)


def _dash_word_named(text: str) -> bool:
    """Whether text holds a word _dash_word_edits reads (as the plain words its test has always asked)."""
    return "тире" in text or "дефис" in text or "черточк" in text or "чёрточк" in text


def _dash_word_edits(text: str) -> Iterator[Edit]:
    """Dash words between digits, for a text whose lowered copy _dash_word_named has let through (in any case)."""
    for match in DASH_WORD_RE.finditer(text):
        yield Edit(match.start(), match.end(), "-", "separators")


def _spoken_slash_edits(text: str, lowered: str) -> Iterator[Edit]:
    """A link's slash spoken or spaced; lowered (lower_same_length(text)) answers the gate in any case."""
    if "/" in lowered or "сл" in lowered or "slash" in lowered:
        for match in SPOKEN_SLASH_RE.finditer(text):
            yield Edit(match.start("slash"), match.end("slash"), "/", "url_words")


def normalize(raw: str) -> Normalized:
    """De-obfuscate digits, number words, look-alikes and e-mail words; keep the offset map."""
    # Invisible characters go first, so that every later rule sees "8\u200b912" as "8912".
    raw_lowered = lower_same_length(raw)
    # (non-ASCII digits and signs, and separator digits: asked once for _collect_edits and the look-alike gate)
    if raw.isascii():
        visible = Normalized(raw, raw)
        digit_signs = -1
    else:
        special = _special_start(raw)  # (both hints asked from the first character either may match)
        visible = apply_edits(raw, _prepass_edits(raw, raw_lowered, special))
        # (where the prepass changed nothing, the same text: asked from the first special character)
        digit_signs = _digit_signs(raw, special) if visible.text is raw else _digit_signs(visible.text)
    words = _then(visible, _collect_edits(visible.text, raw_lowered if visible.text is raw else None, digit_signs))
    # Look-alikes once words are digits: "nine5I4ноль" -> "95I40" -> "95140".
    # (each pass's gate asked here, before a generator is made: nine texts in ten skip both)
    later: list[list[Edit]] = []
    # (the dash words in any case, "8 ТИРЕ 917", as DASH_WORD_RE reads them; the lowered copy serves below too)
    words_lowered = raw_lowered if words.text is raw else lower_same_length(words.text)
    # (no stage adds a separator digit)
    if _lookalike_hinted(words.text, digit_signs >= 0):
        later.append(list(_lookalike_found(words.text)))
    if _dash_word_named(words_lowered):
        later.append(list(_dash_word_edits(words.text)))
    first = _then(words, _first_come(later, len(words.text))) if later else words
    # Cyrillic TLDs after an undone dot ("точка ру" -> ".ru") need a second look at the new text.
    lowered = words_lowered if first is words else lower_same_length(first.text)  # nothing undone: the same text
    second_edits = (
        [
            Edit(m.start(), m.end(), CYRILLIC_TLD[m.group().lower()], "url_words")
            for m in CYRILLIC_TLD_RE.finditer(lowered)
        ]
        if _CYRILLIC_TLD_HINT(lowered)
        else []
    )
    if "@" in lowered:
        for m in PROVIDER_AFTER_AT_RE.finditer(lowered):
            second_edits.append(Edit(m.start("name"), m.end("name"), PROVIDER_LATIN[m["name"]], "email_words"))
            if m["gap"]:
                second_edits.append(Edit(m.start("gap"), m.end("gap"), ".", "email_words"))
    # (no edits: the same text, as _then gives for none)
    second = _then(first, _first_come([second_edits], len(first.text))) if second_edits else first
    # "@gmail ком": the zone of a provider undone just now (an unchanged text has no zone left to find).
    third = second
    if second is not first:
        lowered = lower_same_length(second.text)
        if _CYRILLIC_TLD_HINT(lowered):
            third_edits = [
                Edit(m.start(), m.end(), CYRILLIC_TLD[m.group().lower()], "url_words")
                for m in CYRILLIC_TLD_RE.finditer(lowered)
            ]
            third = _then(second, third_edits)
    if third is not second:  # (otherwise lowered is already lower_same_length(third.text))
        lowered = lower_same_length(third.text)
    # "behance.net слеш foto_ksenia", "ok.ru / profile": a link's slash spoken or spaced once its domain is whole.
    final = _then(third, list(_spoken_slash_edits(third.text, lowered)))
    final.lowered = lowered if final is third else lower_same_length(final.text)
    return final
