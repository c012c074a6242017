"""Seeded generator of realistic Russian classified ads with gold contact spans.

`generate_ads(n, seed)` and `generate_splits(settings)` return the marketplace's columns plus the
generator's gold (COLUMNS): `spans` (JSON list of Span on the raw description, one per contact or per
piece of a split number), `disguise` (the main contact's disguise, `none` for clean ads,
`title:<disguise>` when the main contact sits in the title) and `negative_kind` (the look-alikes in
the ad: background kinds, then after a `|` the contact-slot look-alikes). The same arguments give the
same frame.

How an ad is built, so that nothing but the contact itself tells the label:

- the body (by subcategory style) is drawn before the label;
- background hard negatives (prices, VIN, dates, OEM numbers...: 1-3 with probability
  `hard_negative_share`) and call-outs (contact words without a contact) are drawn the same way for
  both labels, and every category has the same contact rate;
- every ad has 1-3 *contact slots* (the same count distribution for both labels). In a positive ad
  the first slot holds the main contact (one of `core.kinds.DISGUISES`), further slots a secondary
  contact or a look-alike; in a clean ad every slot holds a look-alike shaped like a contact drawn
  from the same weights (`_TWINS`: a phone-shaped OEM number for a plain phone, number words in a
  clean sentence for a phone in words, 'есть телеграм' or 'насос TG-450' for a handle...). Length,
  digit count, digit share and line count therefore follow the same distribution for both labels;
- about 4 % of ads put the first slot into the title (positives: label 1, gold spans stay
  description-only; clean ads: a look-alike).

Phones: besides the older fixed builders, `_composed_text` builds a number group by group, each group
as digits, look-alike letters, keycap or full-width digits, digits with invisible characters,
Russian number words (also digit by digit, colloquial 'восьмёрка'), English number words or a number
word glued to digits ('девятьсот12'), with any separator, and refuses readings a person could take
for another number ('шестьдесят 7' is written 'шесть ноль 7'). A gold span runs from the first
digit, number word, '+' or 'плюс' to the last one, without the lead-in.
"""

from __future__ import annotations

import math
import random
import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Generic, TypeVar

import numpy as np
import pandas as pd

from core.config import CATEGORIES, SynthSettings
from core.engine.spans import Span, spans_to_json
from core.lifecycle.data import LABEL_COLUMN, REQUIRED_COLUMNS

T = TypeVar("T")

# The marketplace's columns, then the generator's gold: spans, main disguise, hard negatives.
COLUMNS: tuple[str, ...] = (*REQUIRED_COLUMNS, LABEL_COLUMN, "spans", "disguise", "negative_kind")
NEGATIVE_KINDS: tuple[str, ...] = (
    "price",
    "salary",
    "mileage",
    "vin",
    "article",
    "imei",
    "inn",
    "ogrn",
    "cadastral",
    "size",
    "dimensions",
    "year",
    "date",
    "hours",
    "address",
    "at_price",
    "hashtag",
    "avito_chat",
    "messenger_name",
    "model_number",
    # Look-alikes shaped like the newer contacts (also the clean counterpart of a contact slot).
    "oem_number",  # номер запчасти 8200 768 913, артикул 79161234567
    "barcode",  # штрихкод 4607012345678 (EAN-13)
    "price_list",  # 1 шт — 350 р, 10 шт — 3 000 р
    "house_parking",  # д. 15, кв. 48, м/м 112, 2,5х5,3 м
    "platform_code",  # насос TG-450, микрофон VK-2100
    "provider",  # интернет Дом.ру, студия beauty-nails (no zone)
    "number_words",  # двухкомнатная, три комнаты, два года
    "english_words",  # one size, коллекция Forever 21
    "glued_number",  # 2-х комнатная, 5ти этажный, 2шт по 100р
    "invisible_number",  # a price or a year with U+200B/U+00AD between digits
    "split_numbers",  # первый взнос 300 000 ... дальше 25 000 в месяц
    "styled_digits",  # 1️⃣ Доставка 2️⃣ Сборка, ＳＡＬＥ －５０％
    "city_like",  # размеры 44-46-48, офис 3-12, рост 92-98-104
    "spoken_email",  # собака породы лайка, торговая точка
    "slash_words",  # б/у, S/M/L, тг/вотсап через Авито
)
DEFAULT_PERIOD: tuple[str, str] = ("2019-01-01", "2021-01-01")
_CALLOUT_SHARE = 0.38  # ads (either label) with a contact-intent sentence but no contact
_TITLE_SHARE = 0.04  # ads whose first contact slot goes into the title
_EXTRA_CONTACT_SHARE = 0.6  # in a positive ad, a further slot holds a contact (else a look-alike)
SPLIT_PERIODS: dict[str, tuple[str, str]] = {
    "train": ("2019-01-01", "2020-05-01"),
    "val": ("2020-05-01", "2020-09-01"),
    "test": ("2020-09-01", "2021-01-01"),
}


# --------------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------------


class _Weighted(Generic[T]):
    """A weighted choice over a fixed list, one random() call per pick."""

    __slots__ = ("cum", "items", "total")

    def __init__(self, pairs: Sequence[tuple[T, float]]) -> None:
        """Store items and cumulative weights."""
        self.items = [item for item, _ in pairs]
        self.cum = list(accumulate(weight for _, weight in pairs))
        self.total = self.cum[-1]

    def pick(self, rng: random.Random) -> T:
        """One item drawn by weight."""
        return self.items[bisect_right(self.cum, rng.random() * self.total)]


@dataclass(slots=True)
class _Gold:
    """A contact fragment of the description with its gold annotation."""

    text: str
    kind: str
    value: str
    disguise: str


Segment = str | _Gold
# Splits a contact phrase into pieces placed apart (a number in several pieces); never in ad text.
_BREAK = "\x1e"


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


def _lower_first(text: str) -> str:
    """Lower-case the first letter of a Cyrillic word (brands in Latin stay as they are)."""
    if text and "А" <= text[0] <= "Я" and not (len(text) > 1 and "А" <= text[1] <= "Я"):
        return text[0].lower() + text[1:]
    return text


_PLURALS_IN_A = frozenset(("окна", "яйца", "перепела", "вешала", "дрова"))


def _accusative(phrase: str) -> str:
    """Put the leading feminine words of a noun phrase into the accusative: 'детская стенка' -> 'детскую стенку'."""
    words = phrase.split(" ")
    previous_adjective: bool | None = None
    for i, word in enumerate(words):
        adjective = word.endswith(("ая", "яя"))
        noun = not adjective and word.endswith(("а", "я")) and not word.endswith(("ья", "мя", "ята"))
        if i == 0 and word in _PLURALS_IN_A:
            break
        if not (adjective or (noun and (previous_adjective is None or previous_adjective))):
            break
        if adjective:
            words[i] = word[:-2] + ("ую" if word.endswith("ая") else "юю")
        else:
            words[i] = word[:-1] + ("у" if word.endswith("а") else "ю")
        previous_adjective = adjective
    return " ".join(words)


def _cap(text: str) -> str:
    """Upper-case the first character."""
    return text[:1].upper() + text[1:] if text else text


def _money(value: int, rng: random.Random) -> str:
    """Format a sum the way sellers do: 12 500, 12500 or 12.500."""
    roll = rng.random()
    if roll < 0.5 or value < 1000:
        return f"{value:,}".replace(",", " ") if value >= 1000 else str(value)
    if roll < 0.85:
        return str(value)
    return f"{value:,}".replace(",", ".")


# --------------------------------------------------------------------------------------------------
# Geography
# --------------------------------------------------------------------------------------------------

# region, cities, landline code of the main city, weight
_REGIONS: tuple[tuple[str, tuple[str, ...], str, float], ...] = (
    ("Москва", ("Москва", "Зеленоград"), "495", 12),
    ("Московская область", ("Химки", "Балашиха", "Подольск", "Мытищи", "Люберцы", "Королёв", "Одинцово"), "496", 6),
    ("Санкт-Петербург", ("Санкт-Петербург", "Пушкин", "Колпино", "Петергоф"), "812", 7),
    ("Ленинградская область", ("Гатчина", "Всеволожск", "Выборг", "Сосновый Бор"), "813", 2),
    ("Свердловская область", ("Екатеринбург", "Нижний Тагил", "Каменск-Уральский", "Первоуральск"), "343", 3),
    ("Новосибирская область", ("Новосибирск", "Бердск", "Искитим"), "383", 3),
    ("Татарстан", ("Казань", "Набережные Челны", "Альметьевск", "Нижнекамск"), "843", 3),
    ("Нижегородская область", ("Нижний Новгород", "Дзержинск", "Арзамас"), "831", 3),
    ("Самарская область", ("Самара", "Тольятти", "Сызрань"), "846", 3),
    ("Ростовская область", ("Ростов-на-Дону", "Таганрог", "Шахты", "Волгодонск"), "863", 3),
    ("Краснодарский край", ("Краснодар", "Сочи", "Новороссийск", "Армавир", "Анапа"), "861", 5),
    ("Башкортостан", ("Уфа", "Стерлитамак", "Салават"), "347", 2),
    ("Пермский край", ("Пермь", "Березники", "Соликамск"), "342", 2),
    ("Красноярский край", ("Красноярск", "Норильск", "Ачинск"), "391", 2),
    ("Воронежская область", ("Воронеж", "Борисоглебск", "Россошь"), "473", 2),
    ("Челябинская область", ("Челябинск", "Магнитогорск", "Златоуст", "Миасс"), "351", 2),
    ("Омская область", ("Омск", "Тара"), "3812", 1.5),
    ("Волгоградская область", ("Волгоград", "Волжский", "Камышин"), "8442", 2),
    ("Саратовская область", ("Саратов", "Энгельс", "Балаково"), "8452", 1.5),
    ("Тюменская область", ("Тюмень", "Тобольск", "Ишим"), "3452", 1.5),
    ("Иркутская область", ("Иркутск", "Братск", "Ангарск"), "3952", 1.5),
    ("Калининградская область", ("Калининград", "Советск", "Черняховск"), "4012", 1),
    ("Ставропольский край", ("Ставрополь", "Пятигорск", "Кисловодск", "Ессентуки"), "8652", 2),
    ("Вологодская область", ("Вологда", "Череповец"), "8172", 1),
    ("Кировская область", ("Киров", "Кирово-Чепецк"), "8332", 1),
    ("Брянская область", ("Брянск", "Клинцы"), "4832", 1),
    ("Тульская область", ("Тула", "Новомосковск"), "4872", 1),
    ("Ярославская область", ("Ярославль", "Рыбинск"), "4852", 1),
    ("Приморский край", ("Владивосток", "Находка", "Уссурийск"), "423", 1.5),
    ("Хабаровский край", ("Хабаровск", "Комсомольск-на-Амуре"), "4212", 1),
    ("Дагестан", ("Махачкала", "Хасавюрт", "Дербент"), "8722", 1.5),
    ("Северная Осетия", ("Владикавказ",), "8672", 0.7),
    ("Орловская область", ("Орёл", "Ливны"), "4862", 0.7),
    ("Удмуртия", ("Ижевск", "Сарапул"), "3412", 1),
    ("Оренбургская область", ("Оренбург", "Орск"), "3532", 1),
    ("Крым", ("Симферополь", "Ялта", "Евпатория", "Керчь"), "3652", 1.5),
)
_REGION_PICK = _Weighted([(row, row[3]) for row in _REGIONS])
_STREETS: tuple[str, ...] = (
    "Ленина", "Мира", "Советская", "Гагарина", "Пушкина", "Кирова", "Садовая", "Молодежная", "Центральная",
    "Школьная", "Лесная", "Строителей", "Победы", "Октябрьская", "Комсомольская", "Первомайская", "Чкалова",
    "Горького", "Луговая", "Заводская", "Набережная", "Весенняя", "Юбилейная", "Новая",
)  # fmt: skip
_CITY_LAT: tuple[str, ...] = (
    "msk", "spb", "ekb", "nsk", "kzn", "nn", "samara", "rostov", "krd", "ufa", "perm", "omsk", "tula",
    "kzn16",
    "vrn", "chel", "sochi", "krsk", "ugra", "kld",
)  # fmt: skip

# --------------------------------------------------------------------------------------------------
# Names for handles, e-mails and sites
# --------------------------------------------------------------------------------------------------

_LAT_FIRST: tuple[str, ...] = (
    "ivan", "petr", "sergey", "alex", "dmitry", "andrey", "max", "nikita", "artem", "roman", "oleg", "igor",
    "denis", "pavel", "kirill", "anton", "olga", "elena", "anna", "maria", "natasha", "irina", "tanya",
    "katya",
    "sveta", "yulia", "vika", "dasha", "nastya", "ksenia", "vova", "sasha", "misha", "lena", "zhenya",
    "timur",
    "ruslan", "marat", "aleksei", "evgeniy",
)  # fmt: skip
_LAT_LAST: tuple[str, ...] = (
    "petrov", "ivanov", "smirnov", "kuznetsov", "popov", "sokolov", "lebedev", "kozlov", "novikov", "morozov",
    "volkov", "fedorov", "orlov", "belov", "egorov", "pavlova", "ivanova", "sokolova", "volkova", "orlova",
    "zaitsev", "medvedev", "titov", "gusev", "karpov", "nikolaev", "frolova", "gromov", "belyaev", "sidorov",
)  # fmt: skip
_LAT_WORDS: tuple[str, ...] = (
    "shop", "auto", "master", "stroy", "remont", "mebel", "dom", "moto", "zap", "tech", "service", "store",
    "market", "pro", "best", "club", "garage", "nails", "beauty", "photo", "dance", "kids", "zoo", "dog",
    "cat",
    "garden", "fish", "wood", "art", "hand", "print", "decor", "dostavka", "gruz", "okna", "dveri", "santeh",
    "elektro", "torty", "vape", "tuning", "detali", "plitka", "krovlya", "banya", "kamin", "pechi", "sad",
)  # fmt: skip
_CYR_FIRST: tuple[str, ...] = (
    "иван", "петр", "сергей", "олег", "ольга", "анна", "мария", "дмитрий", "вова", "саша", "лена", "катя",
    "максим", "артем", "наташа", "игорь", "таня", "миша",
)  # fmt: skip
_CYR_LAST: tuple[str, ...] = (
    "петров", "иванов", "смирнова", "кузнецов", "попова", "соколов", "волков", "орлова", "морозов", "козлов",
)  # fmt: skip
_CYR_WORDS: tuple[str, ...] = (
    "мастер", "ремонт", "мебель", "авто", "ногти", "торты", "ключи", "сад", "стройка", "окна", "двери",
    "запчасти", "шины", "дрова", "котята", "щенки", "мёд", "фото",
)  # fmt: skip
_CYR_DOMAINS: tuple[str, ...] = (
    "мастер-окон", "автосервис-юг", "ремонт-квартир", "мебель-на-заказ", "дрова-дешево", "сантехник24",
    "грузоперевозки-город", "торты-на-заказ", "двери-оптом", "печник", "баня-под-ключ", "эвакуатор-24",
)  # fmt: skip
_TLDS = _Weighted([("ru", 10), ("com", 3), ("net", 1), ("su", 0.5), ("org", 0.7), ("pro", 0.5), ("online", 0.5)])
_MAIL_DOMAINS = _Weighted(
    [
        (("mail", "ru"), 10),
        (("yandex", "ru"), 8),
        (("gmail", "com"), 7),
        (("bk", "ru"), 2),
        (("list", "ru"), 2),
        (("inbox", "ru"), 2),
        (("rambler", "ru"), 2),
        (("ya", "ru"), 2),
        (("icloud", "com"), 1),
        (("outlook", "com"), 0.5),
    ]
)
_DOMAIN_WORDS: dict[str, tuple[str, ...]] = {
    "mail": ("мэйл", "майл", "мейл", "mail"),
    "yandex": ("яндекс", "yandex", "яндэкс"),
    "gmail": ("гмейл", "gmail", "джимейл"),
    "ru": ("ру", "ru", "ру"),
    "com": ("ком", "com"),
}

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
_EN_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
# Digits as people name them when dictating ('восьмёрка девятка'); 0 stays 'ноль'.
_RU_COLLOQUIAL: dict[str, tuple[str, ...]] = {
    "1": ("единица",), "2": ("двойка",), "3": ("тройка",), "4": ("четвёрка", "четверка"),
    "5": ("пятёрка", "пятерка"), "6": ("шестёрка", "шестерка"), "7": ("семёрка", "семерка"),
    "8": ("восьмёрка", "восьмерка"), "9": ("девятка",),
}  # fmt: skip
# Operators: d digits, dl look-alike letters, dk keycaps, df full-width, di invisible characters between
# digits, ru Russian words, ru1 Russian digit by digit, en English words, en1 English digit by digit,
# rh a Russian word glued to the digits that finish its group ('девятьсот12', 'шестьдесят7').
_COMPOSED_SIZES = _Weighted([((3, 3, 2, 2), 5), ((1,) * 10, 1.5), ((2, 2, 2, 2, 2), 1.2), ((3, 2, 2, 3), 0.6)])
_COMPOSED_OPS: dict[str, _Weighted[str]] = {
    "english_words": _Weighted([("en", 6), ("en1", 3), ("ec", 1.5), ("d", 1), ("ru", 0.4), ("dl", 0.3)]),
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

# --------------------------------------------------------------------------------------------------
# Lead-ins (shared by contacts and by clean ads' call-outs)
# --------------------------------------------------------------------------------------------------

_PHONE_LEADS = _Weighted(
    [
        ("Звоните ", 6), ("звоните: ", 2), ("Тел. ", 5), ("тел.", 3), ("Тел: ", 4), ("тел ", 2), ("т. ", 2),
        ("Т.", 1), ("Телефон: ", 3), ("телефон ", 2), ("Моб. ", 1), ("Контакты: ", 2), ("Для связи: ", 2),
        ("По всем вопросам ", 2), ("По всем вопросам звоните ", 2), ("Звонить ", 2),
        ("Номер в профиле не актуален, звоните ", 2), ("Номер на авито не актуален, звоните по ", 1),
        ("доп.тел.", 2), ("Доп. тел. ", 1), ("Звоните или пишите ", 2), ("Обращаться по тел. ", 1),
        ("Подробности по телефону ", 2), ("📞 ", 2), ("☎️ ", 1), ("📱", 1), ("☎ ", 1), ("Мой номер ", 2),
        ("Номер: ", 3), ("номер ", 2), ("Номер для связи ", 1), ("номер телефона ", 1), ("Звоните в любое время ", 1), ("Пишите смс ", 1), ("Контактный телефон: ", 1),
        ("Тел/whatsapp ", 1), ("Звонить после 18:00 ", 1), ("звоните, договоримся ", 1),
         ("Справки по тел. ", 1),
        ("Все вопросы по телефону ", 2), ("тел.моб.", 0.5), ("Запись по телефону ", 1), ("т.", 1), ("", 12),
    ]
)  # fmt: skip
_PHONE_TAILS = _Weighted(
    [
        ("", 30), (" (Иван)", 1), (" Сергей", 1), (" - Ольга", 1), (", звонить с 9 до 21", 1),
        (", звонить после 20:00", 1), (" — Андрей", 1), (" (звонить вечером)", 1), (" Наталья", 1),
        (", спросить Михаила", 1), (" (не смс)", 0.5), (" Алексей", 1), (", Татьяна Петровна", 0.5),
    ]
)  # fmt: skip
_CITY_LEADS = _Weighted(
    [
        ("тел. ", 4), ("Тел.: ", 2), ("т. ", 1), ("тел./факс ", 1), ("Телефон офиса: ", 1), ("Городской: ",
         1),
        ("Стационарный ", 1), ("Тел. для справок ", 1), ("тел.", 2), ("Тел. ", 2),
    ]
)  # fmt: skip
_WA_LEADS = _Weighted(
    [
        ("WhatsApp ", 4), ("WhatsApp: ", 3), ("Пишите в вотсап ", 3), ("вотсап ", 2), ("Ватсап ", 2),
         ("вацап ", 1),
        ("Viber ", 2), ("Вайбер: ", 1), ("Viber/WhatsApp ", 2), ("WA ", 1), ("Пишите в WhatsApp ", 2),
        ("Вотсап/вайбер ", 1), ("📲 WhatsApp ", 1), ("Только WhatsApp ", 1), ("Звонки и WhatsApp ", 1),
        ("По WhatsApp: ", 1), ("Ватсап, вайбер: ", 1), ("whatsapp ", 1), ("Фото вышлю в вотсап ", 1),
        ("Пишите в Viber ", 1), ("", 6),
    ]
)  # fmt: skip
_WA_TAILS = (" (WhatsApp, Viber)", " вотсап", " — только ватсап", " (вайбер)", " whatsapp/viber", " (ватсап)")
_EMAIL_LEADS = _Weighted(
    [
        ("Почта: ", 3), ("E-mail: ", 3), ("email ", 2), ("Пишите на почту ", 3), ("Резюме отправляйте на ",
         1),
        ("Почта для связи ", 1), ("Эл. почта: ", 1), ("Mail: ", 1), ("📧 ", 1), ("Пишите ", 1),
        ("Присылайте фото на ", 1), ("Заявки на ", 1), ("e-mail: ", 1), ("", 3),
    ]
)  # fmt: skip
_URL_LEADS = _Weighted(
    [
        ("Сайт: ", 3), ("Наш сайт ", 2), ("Подробнее на сайте ", 2), ("Каталог на сайте ", 2),
        ("Все модели на сайте ", 1), ("Смотрите на ", 1), ("🌐 ", 1), ("Сайт ", 1), ("Портфолио: ", 1),
        ("Цены на сайте ", 1), ("Больше фото: ", 1), ("", 3),
    ]
)  # fmt: skip
_SOCIAL_LEADS = _Weighted(
    [("Подписывайтесь ", 1), ("Отзывы ", 1), ("Страница: ", 1), ("Наши работы ", 1), ("Все фото тут: ", 1), ("", 3)]
)
_SOCIAL_LEADS_BY_SITE: dict[str, tuple[str, ...]] = {
    "vk": ("Группа ВК: ", "Мы ВКонтакте ", "ВК: ", "Больше фото в группе ", "Вконтакте: "),
    "ok": ("Мы в Одноклассниках: ", "ОК: ", "Одноклассники "),
    "instagram": ("Инстаграм: ", "Наш инстаграм ", "Больше фото в инсте ", "Instagram "),
    "youtube": ("Смотрите наш канал ", "Обзор на YouTube: ", "Видео: ", "Ютуб канал "),
    "facebook": ("Facebook: ", "Мы в фейсбуке "),
}
_TG_LEADS = _Weighted(
    [
        ("Telegram ", 3), ("Телеграм: ", 2), ("Пишите в телеграм ", 2), ("Ник в Telegram ", 1), ("Пишите ",
         1),
        ("Инфо в Telegram ", 1), ("Telegram: ", 2), ("Телеграмм ", 1), ("Написать: ", 1), ("", 2),
    ]
)  # fmt: skip
_TG_NAMED_LEADS = ("tg: ", "TG ", "Telegram: ", "телеграм ", "Телеграм: ", "telegram ", "Tg: ", "Телеграмм: ")
_TG_SLANG_LEADS = ("тг ", "тг: ", "ТГ ", "телега: ", "в телеге ", "тележка ", "Телега ", "пишите в тг ", "тележка: ")

_NO_CONTACT_ENDINGS = (
    "через Авито", "в профиле", "по номеру из объявления", "— номер в объявлении", "через чат Авито",
    "(номер в профиле)", "по кнопке «Позвонить»", "в сообщениях", "— всё в профиле", "здесь, на Авито",
    "по номеру, который в объявлении", "в любое время",
)  # fmt: skip
# Call-outs: the same lead-in words in ads with no contact at all.
_CALLOUTS: tuple[str, ...] = (
    "Звоните!", "Звоните, пишите в сообщения на Авито.", "Пишите в whatsapp через Авито.", "Тел. в профиле.",
    "Номер в профиле не актуален, пишите в сообщения.", "Звоните в любое время.", "Звонить после 18:00.",
    "Доп. тел. по запросу в чате.", "По всем вопросам пишите.", "Звоните или пишите, отвечу на все вопросы.",
    "Телефон указан в объявлении.", "📞 Звоните!", "Контакты в профиле.", "Для связи используйте чат Авито.",
    "На звонки отвечаю после 20:00.", "Звоните, договоримся!", "Пишите, отвечу быстро.",
    "Подробности по телефону.", "Все вопросы по телефону.", "Звонки с 9 до 21.", "Тел. не отвечает — пишите.",
    "Звоните, не стесняйтесь.", "Смс не читаю, только звонки.", "Номер показан в объявлении, звоните.",
    "Запись по телефону.", "Пишите в личку.", "Звонить в рабочее время.", "Контакты: через Авито.",
    "Звоните или пишите в сообщения!", "Обращаться по телефону из объявления.", "☎️ Звоните!",
    "Фото вышлю в вотсап по запросу через Авито.", "Отвечу в Viber или здесь в чате.",
)  # fmt: skip

# --------------------------------------------------------------------------------------------------
# Categories and content
# --------------------------------------------------------------------------------------------------

_CATEGORY_WEIGHTS: dict[str, float] = {
    "Бытовая электроника": 13,
    "Для бизнеса": 4,
    "Для дома и дачи": 14,
    "Животные": 5,
    "Личные вещи": 18,
    "Недвижимость": 9,
    "Работа": 6,
    "Транспорт": 14,
    "Услуги": 9,
    "Хобби и отдых": 8,
}
# subcategory, weight, style, (price low, price high)
_SUBCATEGORIES: dict[str, tuple[tuple[str, float, str, tuple[int, int]], ...]] = {
    "Бытовая электроника": (
        ("Телефоны", 6, "private", (500, 90000)),
        ("Аудио и видео", 3, "private", (500, 60000)),
        ("Товары для компьютера", 3, "private", (300, 45000)),
        ("Ноутбуки", 2, "private", (3000, 90000)),
        ("Фототехника", 1, "private", (1000, 60000)),
        ("Игры, приставки и программы", 2, "private", (300, 35000)),
        ("Оргтехника и расходники", 1, "shop", (200, 40000)),
        ("Планшеты и электронные книги", 1, "private", (1000, 40000)),
    ),
    "Для бизнеса": (
        ("Готовый бизнес", 3, "business", (50000, 3000000)),
        ("Оборудование для бизнеса", 4, "shop", (2000, 400000)),
        ("Торговое оборудование", 2, "shop", (1000, 150000)),
        ("Промышленное оборудование", 2, "shop", (5000, 900000)),
        ("Оборудование для общепита", 1.5, "shop", (3000, 300000)),
    ),
    "Для дома и дачи": (
        ("Мебель и интерьер", 5, "private", (300, 80000)),
        ("Бытовая техника", 4, "private", (500, 60000)),
        ("Ремонт и строительство", 4, "shop", (100, 50000)),
        ("Посуда и товары для кухни", 1.5, "private", (100, 10000)),
        ("Растения", 1, "private", (50, 5000)),
        ("Продукты питания", 1, "private", (100, 5000)),
    ),
    "Животные": (
        ("Собаки", 3, "private", (0, 60000)),
        ("Кошки", 3, "private", (0, 40000)),
        ("Птицы", 1.5, "private", (100, 5000)),
        ("Аквариум", 1, "private", (50, 20000)),
        ("Другие животные", 1.5, "private", (100, 30000)),
        ("Товары для животных", 1.5, "private", (100, 15000)),
    ),
    "Личные вещи": (
        ("Одежда, обувь, аксессуары", 6, "private", (100, 40000)),
        ("Детская одежда и обувь", 3, "private", (50, 5000)),
        ("Товары для детей и игрушки", 3, "private", (100, 30000)),
        ("Часы и украшения", 1, "private", (300, 100000)),
        ("Красота и здоровье", 1.5, "private", (100, 20000)),
    ),
    "Недвижимость": (
        ("Квартиры", 6, "realty", (8000, 15000000)),
        ("Комнаты", 1.5, "realty", (5000, 2500000)),
        ("Дома, дачи, коттеджи", 2.5, "realty", (300000, 20000000)),
        ("Земельные участки", 1.5, "realty", (50000, 5000000)),
        ("Гаражи и машиноместа", 1, "realty", (2000, 1500000)),
        ("Коммерческая недвижимость", 1.5, "realty", (15000, 30000000)),
    ),
    "Работа": (
        ("Вакансии", 8, "job", (15000, 150000)),
        ("Резюме", 2, "resume", (15000, 120000)),
    ),
    "Транспорт": (
        ("Автомобили", 5, "car", (40000, 4000000)),
        ("Запчасти и аксессуары", 6, "shop", (100, 90000)),
        ("Мотоциклы и мототехника", 1.5, "private", (5000, 900000)),
        ("Грузовики и спецтехника", 1.5, "shop", (150000, 9000000)),
        ("Водный транспорт", 0.7, "private", (5000, 1500000)),
    ),
    "Услуги": (
        ("Предложение услуг", 5, "service", (0, 30000)),
        ("Ремонт и строительство", 2, "service", (0, 50000)),
        ("Перевозки и грузчики", 1.5, "service", (0, 5000)),
        ("Красота и здоровье", 1.5, "service", (0, 5000)),
        ("Обучение и курсы", 1, "service", (0, 5000)),
        ("IT и реклама", 1, "service", (0, 50000)),
    ),
    "Хобби и отдых": (
        ("Билеты и путешествия", 1, "private", (300, 60000)),
        ("Велосипеды", 2, "private", (1000, 60000)),
        ("Книги и журналы", 2, "private", (50, 5000)),
        ("Коллекционирование", 2, "private", (50, 50000)),
        ("Музыкальные инструменты", 1.5, "private", (1000, 100000)),
        ("Охота и рыбалка", 1.5, "private", (300, 50000)),
        ("Спорт и отдых", 2, "private", (300, 50000)),
    ),
}

# subcategory -> (things for the title, subcategory-specific phrases)
_CONTENT: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "Телефоны": (
        ("iPhone 7 32 ГБ", "iPhone XR 64GB", "iPhone 11 128 ГБ", "iPhone 8 Plus", "Samsung Galaxy A51",
         "Samsung Galaxy S10", "Samsung Galaxy J7", "Xiaomi Redmi Note 8 Pro", "Xiaomi Mi 9T",
         "Honor 10 Lite", "Huawei P30 Lite", "Nokia 3310", "Meizu M6 Note", "Sony Xperia XZ1",
         "Кнопочный телефон Alcatel", "Asus Zenfone Max Pro", "Xiaomi Redmi 7A", "Honor 8X", "iPhone SE 2020",
         "Смартфон Vivo Y11"),
        ("Аккумулятор держит день-полтора", "Экран без царапин, всегда был в чехле и под стеклом",
         "Face ID работает", "Комплект: коробка, зарядка, документы",
         "Есть небольшая трещина на задней крышке", "Не перепрошивался, не вскрывался",
         "Работает со всеми операторами", "Две сим-карты", "Слот под карту памяти",
         "Батарею меняли в сервисе", "Отдам с чехлом-книжкой", "Все функции работают исправно",
         "Камера снимает отлично", "Ростест, не восстановленный", "Отвязан от iCloud",
         "Защитное стекло наклеено с первого дня", "Быстрая зарядка в комплекте"),
    ),
    "Аудио и видео": (
        ("Телевизор Samsung 43 дюйма", "Телевизор LG Smart TV", "Колонка JBL Charge 4", "Саундбар Sony",
         "Наушники Sony WH-1000XM3", "Ресивер Yamaha", "Проигрыватель винила", "Проектор Epson",
         "Магнитола Pioneer", "Усилитель Радиотехника", "Акустика Microlab", "Телевизор Philips",
         "Домашний кинотеатр", "Наушники AirPods", "Колонки Sven", "Телевизор BBK"),
        ("Smart TV, Wi-Fi, YouTube работает", "Пульт в комплекте", "Звук чистый, басы отличные",
         "Кронштейн на стену в подарок", "Без битых пикселей", "Пару раз подключали", "Все провода есть",
         "Работает от сети и от аккумулятора", "Цифровые каналы ловит без приставки",
         "Блютуз подключается сразу", "Коробка сохранилась", "Подставка родная"),
    ),
    "Товары для компьютера": (
        ("Видеокарта GTX 1060 6GB", "Видеокарта RX 580 8 ГБ", "Монитор Dell 24 дюйма",
         "Клавиатура механическая", "Мышь Logitech", "Процессор Intel Core i5", "Материнская плата Asus",
         "Оперативная память DDR4", "SSD Samsung 512 ГБ", "Блок питания 600W", "Роутер TP-Link",
         "Системный блок игровой", "Веб-камера", "Кулер для процессора", "Жесткий диск 1 ТБ"),
        ("Не майнила", "Тесты прошла без артефактов", "Гарантия магазина еще полгода", "Коробка и чек есть",
         "Разгон не делал", "Подойдет для игр и работы", "Работает тихо, не греется", "Термопасту меняли",
         "Все разъемы целые", "Проверка при покупке"),
    ),
    "Ноутбуки": (
        ("Ноутбук Lenovo IdeaPad", "Ноутбук Asus VivoBook", "MacBook Air 13", "Ноутбук HP Pavilion",
         "Ноутбук Acer Aspire", "Игровой ноутбук MSI", "Ноутбук Dell Inspiron", "Ноутбук Samsung"),
        ("Батарея держит 3-4 часа", "Установлена Windows, офис", "Клавиатура с подсветкой",
         "SSD, быстро загружается", "Корпус в хорошем состоянии", "Зарядка родная", "Подойдет для учебы",
         "Экран матовый, не бликует", "Вентилятор почищен", "Сумка в подарок"),
    ),
    "Фототехника": (
        ("Фотоаппарат Canon", "Nikon kit", "Объектив 50mm 1.8", "Экшн-камера GoPro", "Штатив Manfrotto",
         "Вспышка Yongnuo", "Фотоаппарат Sony Alpha", "Пленочный фотоаппарат Зенит"),
        ("Пробег затвора небольшой", "В комплекте сумка, карта памяти и зарядка", "Матрица чистая",
         "Идеально для начинающих", "Оптика без грибка и царапин", "Два аккумулятора"),
    ),
    "Игры, приставки и программы": (
        ("PlayStation 4 Slim", "Xbox One S", "Nintendo Switch", "Диски для PS4", "Геймпад DualShock 4",
         "PS Vita", "Sega Mega Drive", "PlayStation 3 с играми"),
        ("Два джойстика в комплекте", "Не прошита", "Игры на диске в подарок", "Аккаунт с играми",
         "Работает тихо, не греется", "Диски без царапин", "Обмен на телефон не предлагать"),
    ),
    "Оргтехника и расходники": (
        ("Принтер HP LaserJet", "МФУ Canon", "Картриджи для Xerox", "Ламинатор", "Шредер", "Плоттер",
         "Фотобарабан", "Сканер Epson", "Бумага А4 коробка"),
        ("Печатает четко", "Заправлен", "Счетчик небольшой", "Подойдет для офиса", "Оригинальные картриджи",
         "Есть безнал", "Драйвера установятся сами"),
    ),
    "Планшеты и электронные книги": (
        ("iPad Air 2", "Samsung Galaxy Tab A", "Электронная книга PocketBook", "Планшет Lenovo Tab",
         "Планшет Huawei MediaPad", "Kindle Paperwhite"),
        ("Есть сим-карта", "Батарея держит долго", "Чехол в подарок", "Экран без царапин",
         "Для ребенка самое то"),
    ),
    "Готовый бизнес": (
        ("Готовый бизнес — кофейня", "Шиномонтаж на трассе", "Действующий салон красоты",
         "Пекарня с оборудованием", "Интернет-магазин", "Автомойка самообслуживания", "Цветочный магазин",
         "Пункт выдачи заказов", "Студия растяжки", "Вендинговый бизнес", "Шаурмичная в проходном месте",
         "Магазин фермерских продуктов", "Точка с кофе навынос", "Детский игровой центр", "Зоомагазин"),
        ("Бизнес работает несколько лет", "Стабильная клиентская база",
         "Помещение в аренде, договор долгосрочный", "Все оборудование в собственности",
         "Прибыль подтверждаю документами", "Причина продажи — переезд", "Обучу, передам поставщиков",
         "Персонал остается", "Проходимость высокая, рядом остановка", "Окупаемость около года",
         "Бухгалтерия прозрачная", "Свой сайт и группа в соцсетях",
         "Рассмотрю рассрочку для серьезного покупателя"),
    ),
    "Оборудование для бизнеса": (
        ("Холодильная витрина", "Кофемашина профессиональная", "Стеллажи складские", "Онлайн-касса",
         "Весы торговые", "Ленточнопильный станок", "Тепловая завеса", "Печь конвекционная",
         "Морозильный ларь", "Сейф офисный", "Банкетка для салона", "Кресло парикмахерское",
         "Генератор бензиновый"),
        ("Оборудование в рабочем состоянии", "Возможна продажа по частям", "Документы на оборудование есть",
         "Помощь в доставке и монтаже", "Гарантия полгода", "Работали в кафе один сезон",
         "Пусконаладка за наш счет", "Можно посмотреть в работе"),
    ),
    "Торговое оборудование": (
        ("Стеллажи торговые", "Витрина стеклянная", "Ресепшн стойка", "Манекены", "Прилавок",
         "Торговые стойки", "Кассовый бокс", "Стеллаж пристенный", "Вешала для одежды"),
        ("Изготовим по вашим размерам", "Собственный цех", "Цвет ЛДСП на выбор", "Подсветка светодиодная",
         "Сборка и установка", "Остались после закрытия магазина", "Продаем комплектом"),
    ),
    "Промышленное оборудование": (
        ("Компрессор винтовой", "Сварочный полуавтомат", "Токарный станок", "Генератор дизельный",
         "Частотный преобразователь", "Электродвигатель 7,5 кВт", "Редуктор", "Тельфер",
         "Гидравлический пресс", "Фрезерный станок"),
        ("Хранился на складе", "Проверен под нагрузкой", "Поставка под заказ в короткие сроки",
         "Отгрузка в любой регион", "Подбор аналогов", "Работаем с НДС", "Консультация инженера"),
    ),
    "Оборудование для общепита": (
        ("Пароконвектомат", "Фритюрница", "Миксер планетарный", "Посудомоечная машина", "Гриль для шаурмы",
         "Плита индукционная", "Холодильный стол", "Мармит"),
        ("Нержавеющая сталь", "Все работает, подключение 380", "Из закрывшегося кафе", "Состояние как новое",
         "Сервисное обслуживание"),
    ),
    "Мебель и интерьер": (
        ("Диван угловой", "Шкаф-купе", "Кровать двуспальная", "Стол обеденный раздвижной", "Стулья", "Комод",
         "Прихожая", "Кухонный гарнитур", "Детская стенка", "Кресло-качалка", "Зеркало в раме", "Люстра",
         "Диван-кровать", "Письменный стол", "Тумба под ТВ", "Матрас ортопедический", "Ковер"),
        ("Механизм еврокнижка, ящик для белья", "Обивка велюр, цвет серый", "Без пятен и затяжек",
         "Разбираем сами, вынос с этажа ваш", "Фурнитура вся целая", "Массив сосны", "ЛДСП, кромка целая",
         "Есть следы от кота на боковине", "Мягкий, удобный", "Собирали один раз", "Подойдет на дачу",
         "Из некурящей квартиры", "Цвет венге", "Покупали в Икее"),
    ),
    "Бытовая техника": (
        ("Холодильник Атлант", "Стиральная машина Indesit", "Микроволновка Samsung", "Пылесос Dyson",
         "Посудомоечная машина Bosch", "Газовая плита", "Мультиварка Redmond", "Кондиционер",
         "Обогреватель масляный", "Швейная машинка", "Электрочайник", "Утюг", "Вытяжка",
         "Морозильная камера"),
        ("Работает исправно", "No Frost, не шумит", "Загрузка 6 кг", "Все режимы работают",
         "Причина продажи — купили встраиваемую", "Проверка при вас", "Доставлю до подъезда",
         "Шланги в комплекте", "Инструкция есть", "Мыла только посуду", "Класс энергопотребления А+"),
    ),
    "Ремонт и строительство": (
        ("Ламинат остатки", "Плитка керамическая", "Двери межкомнатные", "Окна ПВХ", "Цемент",
         "Кирпич облицовочный", "Доска обрезная", "Перфоратор Makita", "Сайдинг", "Профлист",
         "Радиаторы отопления", "Смеситель", "Газоблок", "Утеплитель", "Брус", "Песок, щебень"),
        ("Остались после ремонта", "В упаковке", "Доставка манипулятором", "Опт и розница",
         "Рассчитаем количество бесплатно", "Свой склад", "Сухая древесина", "Цвет дуб", "Хватит на комнату",
         "Инструмент в кейсе", "Все насадки в комплекте", "Продаем от одного листа"),
    ),
    "Посуда и товары для кухни": (
        ("Сервиз столовый", "Набор кастрюль", "Сковорода Tefal", "Хрустальные бокалы", "Чайный сервиз",
         "Мясорубка механическая", "Набор ножей", "Кофемолка"),
        ("Советский, ни разу не пользовались", "Полный комплект", "Для индукционной плиты", "Без сколов",
         "Подойдет в подарок"),
    ),
    "Растения": (
        ("Фикус большой", "Орхидеи", "Саженцы яблони", "Рассада томатов", "Монстера", "Клубника усы",
         "Кактусы", "Туя западная"),
        ("Растет в горшке, высота около метра", "Много отростков", "Сорт проверенный", "Цветет каждый год",
         "Можно забрать с горшком"),
    ),
    "Продукты питания": (
        ("Мёд с пасеки", "Картофель", "Домашние яйца", "Сало домашнее", "Орехи грецкие", "Козье молоко",
         "Сушеные грибы", "Варенье домашнее"),
        ("Свой урожай", "Без химии", "Есть в наличии много", "Оптом дешевле", "Доставка по городу"),
    ),
    "Собаки": (
        ("Щенки немецкой овчарки", "Щенок лабрадора", "Той-терьер", "Хаски щенки", "Шпиц померанский",
         "Собака в добрые руки", "Французский бульдог", "Алабай щенки", "Йоркширский терьер"),
        ("Привиты по возрасту", "Есть клеймо и метрика", "Родители с документами", "К пеленке приучены",
         "Едят сухой корм", "Здоровые, активные", "Девочки и мальчики", "Глистогонены",
         "Помогу с выбором и советом", "Отдаю в надежные руки"),
    ),
    "Кошки": (
        ("Британские котята", "Шотландские вислоухие котята", "Мейн-кун", "Котята в добрые руки", "Сфинкс",
         "Кошечка стерилизованная", "Котенок бенгальский"),
        ("К лотку приучены", "Игривые и ласковые", "Кушают все", "Обработаны от паразитов", "Мама на фото",
         "Окрас голубой", "Бесплатно заботливым хозяевам"),
    ),
    "Птицы": (
        ("Волнистые попугаи", "Куры несушки", "Цыплята бройлеры", "Канарейки", "Утята", "Гуси", "Перепела"),
        ("Молодняк", "Несутся хорошо", "Птица здоровая", "Можно с клеткой", "Вывод этого месяца"),
    ),
    "Аквариум": (
        ("Аквариум 100 литров", "Рыбки гуппи", "Скалярии", "Фильтр для аквариума", "Креветки",
         "Аквариум с тумбой"),
        ("Со всем оборудованием", "Без протечек", "Рыбки здоровые", "Грунт и растения в подарок"),
    ),
    "Другие животные": (
        ("Кролики", "Козы", "Хомяк с клеткой", "Морская свинка", "Черепаха", "Поросята", "Шиншилла"),
        ("Ручные", "Едят сено и овощи", "Клетка в комплекте", "Порода крупная", "Отдаю по причине аллергии"),
    ),
    "Товары для животных": (
        ("Клетка для попугая", "Переноска для кошки", "Лежак для собаки", "Когтеточка", "Корм сухой",
         "Вольер", "Шлейка с поводком", "Автопоилка"),
        ("Новое, не подошел размер", "Корм не подошел, мешок открыт", "Складной", "Легко моется"),
    ),
    "Одежда, обувь, аксессуары": (
        ("Пуховик женский", "Куртка кожаная мужская", "Платье вечернее", "Кроссовки Nike", "Ботинки зимние",
         "Шуба норковая", "Джинсы Levis", "Сумка кожаная", "Пальто демисезонное", "Свадебное платье",
         "Костюм мужской", "Кеды Vans", "Парка зимняя", "Туфли на каблуке", "Рюкзак городской"),
        ("Надевала пару раз", "Оригинал", "Не подошел размер", "Маломерит", "Натуральная кожа",
         "Без дефектов", "Цвет как на фото", "Покупали за дорого", "Ткань приятная", "Очень теплый",
         "Бирки на месте", "Отдам вместе с пакетом вещей"),
    ),
    "Детская одежда и обувь": (
        ("Комбинезон зимний детский", "Пакет вещей на девочку", "Сапоги детские", "Школьная форма",
         "Куртка на мальчика", "Валенки детские", "Костюм на утренник"),
        ("Носили один сезон", "Все чистое, постирано", "Пятен нет", "Отдам пакетом", "Фирма Reima"),
    ),
    "Товары для детей и игрушки": (
        ("Коляска 2 в 1", "Автокресло", "Кроватка детская с маятником", "Конструктор Lego", "Самокат",
         "Манеж", "Стульчик для кормления", "Радионяня", "Беговел", "Кукла", "Велосипед трехколесный"),
        ("После одного ребенка", "Все детали на месте", "Колеса надувные", "Люлька и прогулочный блок",
         "Крепление изофикс", "Матрас в подарок", "Игрушки чистые", "Складывается одной рукой"),
    ),
    "Часы и украшения": (
        ("Часы Casio", "Золотое кольцо", "Серьги серебряные", "Смарт-часы", "Браслет", "Цепочка"),
        ("Проба есть", "Бирка сохранилась", "Батарейку поменяли", "Подарок, не подошли"),
    ),
    "Красота и здоровье": (
        ("Фен Philips", "Духи оригинал", "Массажер", "Выпрямитель для волос", "Тонометр", "Набор косметики",
         "Лампа для маникюра", "Эпилятор"),
        ("Пользовалась пару раз", "Срок годности нормальный", "Коробка есть", "Не подошел тон"),
    ),
    "Автомобили": (
        ("Lada Granta", "Lada Priora", "ВАЗ 2114", "Kia Rio", "Hyundai Solaris", "Toyota Camry",
         "Renault Logan", "Volkswagen Polo", "Ford Focus", "Skoda Octavia", "Chevrolet Niva",
         "Mitsubishi Lancer", "Nissan Almera", "BMW 5 серия", "Mercedes-Benz E-класс", "УАЗ Патриот",
         "Opel Astra", "Daewoo Nexia", "Mazda 6", "Honda Civic", "Toyota RAV4", "Lada Vesta",
         "Renault Duster", "Kia Sportage"),
        ("Один хозяин по ПТС", "Не бита, не крашена", "Обслуживание вовремя", "Зимняя резина в комплекте",
         "Сел и поехал", "Кондиционер, подогрев сидений", "Есть сколы по кузову",
         "Двигатель и коробка без нареканий", "Торг у капота", "Обмен не интересует", "Все ключи в наличии",
         "Масло не ест", "Салон чистый, не курили", "Ржавчины нет", "Недавно поменяли ремень ГРМ",
         "Два комплекта резины", "Музыка, парктроник", "Покраска крыла, остальное родное",
         "Автомат, полный привод", "Механика, бензин"),
    ),
    "Запчасти и аксессуары": (
        ("Шины зимние R16", "Диски литые R15", "Фара передняя правая", "Бампер задний", "Стартер",
         "Генератор", "Комплект летней резины", "Магнитола 2DIN", "Коврики в салон", "Двигатель контрактный",
         "Коробка передач", "Аккумулятор", "Амортизаторы", "Тормозные колодки", "Зеркало левое", "Радиатор"),
        ("Оригинал", "Б/у, в хорошем состоянии", "Протектор остаток хороший", "Без грыж и порезов",
         "Снят с рабочего авто", "Подберем по VIN", "Отправка в регионы", "Гарантия на установку",
         "В наличии и под заказ", "Есть аналоги дешевле", "Установка на месте", "Шиномонтаж в подарок"),
    ),
    "Мотоциклы и мототехника": (
        ("Скутер Honda Dio", "Мотоцикл Yamaha R6", "Квадроцикл", "Питбайк", "Снегоход Буран", "Мопед Альфа",
         "Мотоцикл Урал", "Эндуро Kayo"),
        ("Заводится с полпинка", "Документы в порядке", "Новая резина", "Не падал", "Зимовал в гараже",
         "Тюнинг выхлопа", "Шлем в подарок"),
    ),
    "Грузовики и спецтехника": (
        ("ГАЗель Next", "КамАЗ самосвал", "Экскаватор-погрузчик JCB", "Трактор МТЗ-82", "Манипулятор",
         "Прицеп бортовой", "Бульдозер", "Фургон изотермический"),
        ("В работе", "Резина новая", "Техника на ходу", "Возможен лизинг", "Документы в порядке",
         "Сдаем в аренду с водителем", "Кабина без гнили"),
    ),
    "Водный транспорт": (
        ("Лодка ПВХ", "Лодочный мотор Yamaha", "Катер", "Гидроцикл", "Байдарка"),
        ("Надувалась пару раз", "С транцем", "Мотор обкатан", "Весла и насос в комплекте",
         "Хранилась в гараже"),
    ),
    "Велосипеды": (
        ("Велосипед Stels", "Горный велосипед Merida", "Детский велосипед", "Велосипед складной",
         "Шоссейный велосипед", "Велосипед Forward"),
        ("Рама алюминиевая", "Дисковые тормоза", "Переключатели Shimano", "Ход легкий", "Новые покрышки"),
    ),
    "Билеты и путешествия": (
        ("Билеты на концерт", "Путевка в санаторий", "Билет на поезд", "Тур выходного дня", "Билеты в театр"),
        ("Не смогу пойти", "Места хорошие, партер", "Продаю по номиналу", "Переоформим на вас"),
    ),
    "Книги и журналы": (
        ("Книги серии фэнтези", "Учебники", "Энциклопедия", "Собрание сочинений", "Журналы", "Детские книги"),
        ("Все книги целые", "Отдам стопкой", "Есть подписанные автором", "Издание старое, редкое"),
    ),
    "Коллекционирование": (
        ("Монеты СССР", "Марки", "Значки", "Банкноты", "Открытки старые", "Модели машин 1:43",
         "Фарфоровые статуэтки"),
        ("Состояние как на фото", "Из личной коллекции", "Подлинность гарантирую",
         "Продаю всю коллекцию целиком"),
    ),
    "Музыкальные инструменты": (
        ("Гитара акустическая", "Синтезатор Yamaha", "Пианино", "Барабанная установка", "Скрипка",
         "Комбоусилитель", "Электрогитара", "Баян"),
        ("Строит хорошо", "Чехол в подарок", "Струны новые", "Подойдет для обучения", "Звучит отлично"),
    ),
    "Охота и рыбалка": (
        ("Спиннинг", "Эхолот", "Палатка для зимней рыбалки", "Катушка Shimano", "Костюм для охоты", "Ледобур",
         "Сапоги болотные"),
        ("Ловил пару сезонов", "Комплект готов к рыбалке", "Тест до 30 гр", "Легкий и прочный"),
    ),
    "Спорт и отдых": (
        ("Беговая дорожка", "Гантели", "Лыжи", "Коньки", "Тренажер", "Палатка туристическая", "Сноуборд",
         "Велотренажер", "Боксерская груша"),
        ("Пользовались мало", "Складывается", "Крепления в комплекте", "Заточены", "Выдерживает большой вес"),
    ),
}  # fmt: skip

_OPENERS = _Weighted(
    [
        (("Продам", True), 8), (("Продаю", True), 6), (("Продается", False), 5), (("Срочно продам", True), 2),
        (("Продаю недорого", True), 1), (("В продаже", False), 1), (("Отдам недорого", True), 1),
        (("Есть в наличии", False), 1), (("Продам б/у", True), 1), (("Отличный вариант —", False), 0.5),
        (("Продам или обменяю", True), 0.5), (("Отдаю", True), 0.5), (("Предлагаю", True), 0.7),
        (("Срочно!", False), 0.3), (("Продаётся", False), 1),
    ]
)  # fmt: skip
_CONDITIONS: tuple[str, ...] = (
    "В отличном состоянии", "Состояние хорошее", "Б/у, но как новый", "Новый, в упаковке",
    "Есть небольшие потертости", "Пользовались аккуратно", "Без сколов и царапин", "Состояние рабочее",
    "Состояние на фото", "Все работает", "Требует небольшого ремонта", "Почти не пользовались",
    "Идеальное состояние", "Есть следы эксплуатации", "Новое, не подошло", "Как новое",
)  # fmt: skip
_REASONS: tuple[str, ...] = (
    "Продаю в связи с переездом", "Не подошел размер", "Купили новый", "Освобождаю место",
    "Причина продажи — не пользуемся", "Подарили второй такой же", "Ребенок вырос",
    "Переезжаем в другой город",
    "Поменяли на другой", "Надоело", "Нужны деньги",
)  # fmt: skip
_DELIVERY: tuple[str, ...] = (
    "Самовывоз", "Возможна доставка", "Отправлю Авито доставкой", "Отправка транспортной компанией",
    "Доставка по городу бесплатно", "Встреча в центре", "Самовывоз из центра", "Могу привезти вечером",
    "Отправлю почтой после предоплаты", "Заберете сами", "Доставка за ваш счет", "Отправлю в любой город",
    "Смотреть можно в выходные",
)  # fmt: skip
_CLOSINGS: tuple[str, ...] = (
    "Торг", "Без торга", "Обмен не интересует", "Реальному покупателю скидка", "Небольшой торг",
    "Торг уместен", "Цена окончательная", "Перекупщикам не беспокоить", "Бронь только по предоплате",
    "Отвечу на все вопросы", "Фото реальные", "Больше фото по запросу", "Продам быстро", "Обмен рассмотрю",
)  # fmt: skip
_CATALOG_VARIANTS = (
    "белый", "черный", "серый", "в ассортименте", "новый", "б/у", "усиленный", "эконом", "премиум",
    "под заказ",
    "оригинал", "аналог", "большой", "малый", "комплект", "поштучно", "оптом", "с гарантией", "Китай",
    "Германия",
)  # fmt: skip
_NO_CONDITION_SUBCATEGORIES = ("Растения", "Продукты питания", "Билеты и путешествия")
_EXCLAIM = ("", "", "", "!", "!!", " 🔥", " ❗", "‼️", " 👍")

_BRAND_PARTS_A = (
    "Строй", "Мастер", "Техно", "Профи", "Эконом", "Гарант", "Люкс", "Сити", "Дом", "Авто", "Стиль",
    "Комфорт",
    "Экспресс", "Регион", "Альфа", "Вектор", "Партнер", "Мега", "Евро", "Урал", "Сибирь", "Волга", "Лидер",
)  # fmt: skip
_BRAND_PARTS_B = (
    "Сервис", "Маркет", "Групп", "Торг", "Плюс", "Центр", "Пром", "Снаб", "Мир", "Дизайн", "Проект", "Трейд",
)  # fmt: skip
_BULLETS = _Weighted(
    [
        ("✅", 5), ("✔️", 3), ("📌", 3), ("🔥", 2), ("⭐", 1), ("▪️", 2), ("•", 3), ("-", 4), ("—", 2), ("👉", 2),
        ("🔹", 2), ("💥", 1), ("🔴", 1), ("☑️", 1), ("➡️", 1), ("*", 1),
    ]
)  # fmt: skip
_GREETINGS = (
    "Здравствуйте!", "Добрый день!", "Приветствуем Вас!", "Уважаемые клиенты!", "Внимание!",
    "Доброго времени суток!",
    "Добро пожаловать!", "Рады приветствовать!",
)  # fmt: skip
_HEADINGS = (
    "Наши преимущества:", "Мы предлагаем:", "В наличии:", "Почему выбирают нас:", "Что вы получаете:",
    "Условия:", "Виды работ:", "Мы гарантируем:", "ВНИМАНИЕ!", "Акция!", "Почему мы?",
    "Преимущества работы с нами:",
    "Также в наличии:", "Дополнительно:", "С НАМИ ВЫ ПОЛУЧИТЕ:",
)  # fmt: skip
_ADVANTAGES = (
    "Работаем без выходных", "Выезд мастера в день обращения", "Гарантия на все работы",
    "Наличный и безналичный расчет", "Работаем с юр. лицами, НДС", "Скидки постоянным клиентам",
    "Доставка по всей России транспортными компаниями", "Бесплатная консультация", "Собственное производство",
    "Индивидуальный подход", "Опыт работы более 10 лет", "Качество по разумной цене", "Соблюдаем сроки",
    "Все материалы сертифицированы", "Работаем по договору", "Возможна рассрочка", "Выезд за город",
    "Фото и видео по запросу", "Отправка в регионы", "Большой выбор в наличии", "Честные цены без накруток",
    "Удаленное согласование проекта", "Помощь в подборе", "Быстрый расчет стоимости", "Чистота после работы",
    "Вежливые специалисты", "Принимаем оплату картой", "Пенсионерам скидка",
)  # fmt: skip
_CTAS = (
    "Звоните!", "Ждем ваших звонков!", "Пишите, ответим на все вопросы!", "Обращайтесь!",
    "Будем рады сотрудничеству!", "Звоните или пишите в сообщения!", "Успейте купить по старой цене!",
    "Ждем вас!", "Приезжайте, покажем!", "Оставляйте заявку!", "Звоните, пишите, заезжайте!",
    "Пишите в сообщения, подберем вариант.",
)  # fmt: skip
_SERVICE_TOPICS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "Ремонт и строительство": (
        ("Ремонт квартир под ключ", "Сантехник", "Электрик", "Укладка плитки", "Натяжные потолки",
         "Муж на час", "Кровельные работы", "Строительство домов", "Сварочные работы", "Демонтаж",
         "Отделка балконов"),
        ("Штукатурка стен и потолков", "Укладка ламината и плитки", "Поклейка обоев",
         "Электромонтажные работы", "Сантехнические работы", "Установка дверей", "Выравнивание полов",
         "Демонтаж перегородок", "Сборка мебели", "Замена труб и батарей", "Монтаж кровли любой сложности",
         "Фундамент, кладка, стяжка"),
    ),
    "Перевозки и грузчики": (
        ("Грузоперевозки Газель", "Грузчики", "Переезды", "Вывоз мусора", "Эвакуатор", "Такси межгород",
         "Доставка мебели"),
        ("Переезды квартирные и офисные", "Грузчики с опытом", "Доставка стройматериалов", "Вывоз мусора",
         "Упаковка мебели", "Междугородние перевозки", "Газели с высоким тентом", "Подача машины за час",
         "Разборка и сборка мебели", "Подъем пианино и сейфов"),
    ),
    "Красота и здоровье": (
        ("Маникюр, педикюр", "Наращивание ресниц", "Массаж", "Парикмахер на дом", "Эпиляция", "Брови",
         "Макияж и прически"),
        ("Маникюр с покрытием гель-лак", "Наращивание ногтей", "Педикюр аппаратный", "Коррекция бровей",
         "Ламинирование ресниц", "Стерильные инструменты", "Классический и лечебный массаж",
         "Стрижки женские и мужские", "Окрашивание любой сложности", "Свадебные прически"),
    ),
    "Обучение и курсы": (
        ("Репетитор по математике", "Английский язык", "Подготовка к ЕГЭ", "Уроки гитары", "Логопед",
         "Автоинструктор", "Курсы программирования для детей"),
        ("Индивидуальные занятия", "Подготовка к ОГЭ и ЕГЭ", "Занятия онлайн и очно",
         "Пробное занятие бесплатно", "Помощь с домашними заданиями", "Разговорная практика",
         "Для детей и взрослых", "Программа под ваш уровень", "Выезд на дом"),
    ),
    "IT и реклама": (
        ("Создание сайтов", "Настройка рекламы", "Ремонт компьютеров", "Ремонт телефонов", "Дизайн логотипов",
         "SMM продвижение", "Видеомонтаж"),
        ("Разработка сайтов и лендингов", "Настройка Яндекс.Директ", "Продвижение в соцсетях",
         "Ремонт и настройка ПК", "Установка Windows", "Восстановление данных",
         "Замена экранов и аккумуляторов", "Логотип и фирменный стиль", "Наполнение интернет-магазина"),
    ),
    "Предложение услуг": (
        ("Фото и видеосъемка", "Химчистка мебели", "Ремонт бытовой техники", "Клининг", "Юридические услуги",
         "Бухгалтерские услуги", "Изготовление ключей", "Ремонт обуви", "Пошив штор", "Аренда инструмента",
         "Ведущий на праздник", "Выездная шиномонтажка", "Буст аккаунтов в играх", "Торты на заказ"),
        ("Свадьбы, выпускные, дни рождения", "Химчистка диванов и ковров на дому", "Ремонт стиральных машин",
         "Уборка квартир и офисов", "Консультации по гражданским делам", "Отчетность для ИП и ООО",
         "Ремонт на дому у клиента", "Пошив по вашим меркам", "Выпечка из натуральных продуктов",
         "Работаем по предоплате", "Оплата после результата", "Срочный заказ за день"),
    ),
}  # fmt: skip
_JOB_POSITIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Продавец-консультант", ("консультирование покупателей", "выкладка товара", "работа на кассе")),
    ("Водитель категории В", ("доставка товара по городу", "контроль состояния автомобиля", "работа с документами")),
    ("Кладовщик", ("приемка и отгрузка товара", "учет на складе", "инвентаризация")),
    ("Менеджер по продажам", ("работа с входящими заявками", "поиск клиентов", "ведение базы в CRM")),
    ("Повар", ("приготовление блюд по технологическим картам", "заготовки", "соблюдение санитарных норм")),
    ("Официант", ("обслуживание гостей", "прием заказов", "сервировка столов")),
    ("Курьер", ("доставка заказов клиентам", "работа с терминалом оплаты", "бережное отношение к посылкам")),
    ("Охранник", ("пропускной режим", "обход территории", "видеонаблюдение")),
    ("Грузчик", ("погрузка и разгрузка", "сборка заказов", "поддержание порядка на складе")),
    ("Уборщица", ("влажная уборка помещений", "уборка санузлов", "вынос мусора")),
    ("Администратор", ("встреча клиентов", "запись по телефону", "контроль кассы")),
    ("Бухгалтер", ("первичная документация", "сверка с контрагентами", "отчетность")),
    ("Оператор call-центра", ("прием входящих звонков", "консультирование клиентов", "оформление заявок")),
    ("Сварщик", ("сварка металлоконструкций", "чтение чертежей", "работа полуавтоматом")),
    ("Монтажник", ("монтаж оборудования", "работа на объектах", "прокладка кабеля")),
    ("Разнорабочий", ("помощь на стройке", "подсобные работы", "уборка территории")),
    ("Кассир", ("расчет покупателей", "работа с наличными", "выкладка товара у кассы")),
    ("Бариста", ("приготовление кофе", "работа с кассой", "чистота стойки")),
    ("Мастер маникюра", ("маникюр и педикюр", "покрытие гель-лак", "работа с клиентской базой")),
    ("Электрик", ("электромонтажные работы", "обслуживание щитов", "поиск неисправностей")),
    ("Швея", ("пошив изделий по лекалам", "работа на промышленных машинах", "контроль качества")),
    ("Автомеханик", ("ремонт подвески и двигателя", "диагностика", "замена масла и фильтров")),
)
_JOB_INTROS = (
    "В компанию «{brand}» требуется {pos}.", "Приглашаем на работу: {pos}.", "Требуется {pos}!",
    "Открыта вакансия «{pos}».", "Ищем в команду: {pos}.", "Крупной торговой сети требуется {pos}.",
    "На постоянную работу требуется {pos}.", "{pos} — срочно!",
)  # fmt: skip
_JOB_REQUIREMENTS = (
    "ответственность и пунктуальность", "опыт работы приветствуется", "гражданство РФ",
    "без вредных привычек",
    "наличие медкнижки", "водительские права кат. В", "готовность к обучению", "грамотная речь",
    "знание ПК на уровне пользователя", "коммуникабельность", "опыт от года", "можно без опыта — обучим",
)  # fmt: skip
_JOB_CONDITIONS = (
    "официальное трудоустройство по ТК РФ", "график сменный", "стабильная зарплата два раза в месяц",
    "бесплатное питание", "форма за счет компании", "дружный коллектив", "обучение за счет компании",
    "карьерный рост", "развозка сотрудников", "оплачиваемый отпуск и больничный", "премии по итогам месяца",
    "работа рядом с домом", "возможна подработка", "оплата каждую неделю",
)  # fmt: skip
_JOB_SALARY_WORDS = (
    "Заработная плата обсуждается на собеседовании.", "Зарплата достойная, без задержек.",
    "Оплата сдельная, платим вовремя.", "Доход зависит от вас.",
)  # fmt: skip
_RESUME_LINES = (
    "Опыт работы по специальности больше пяти лет.", "Ответственный, без вредных привычек.",
    "Рассмотрю варианты подработки.", "Есть водительские права и личный автомобиль.", "Образование высшее.",
    "Готов к командировкам.", "Быстро обучаюсь, исполнительный.", "Рассмотрю удаленную работу.",
    "Интересует официальное трудоустройство.", "Могу приступить сразу.", "Есть медкнижка.",
)  # fmt: skip
_REALTY_FACTS: dict[str, tuple[str, ...]] = {
    "Квартиры": (
        "Санузел раздельный.", "Балкон застеклен.", "Рядом школа, детский сад, магазины, остановка.",
        "Документы готовы, один собственник.", "Чистая продажа, без обременений.",
        "Возможна ипотека, материнский капитал.", "Мебель и техника остаются.", "Тихие соседи.",
        "Желательно семейной паре без животных.", "Окна пластиковые, двери поменяны.", "Свежий ремонт.",
        "Требует косметического ремонта.", "Вид на парк.", "Счетчики на воду и свет.", "Дом кирпичный.",
        "Лифт, мусоропровод.", "Оплата коммуналки отдельно.", "Залог обязателен.", "Показ в любое время.",
    ),
    "Комнаты": (
        "Соседи спокойные.", "Кухня общая, чистая.", "Есть стиральная машина.", "Только на длительный срок.",
        "Комната светлая, теплая.", "В комнате есть все для проживания.", "Рядом метро и остановка.",
    ),
    "Дома, дачи, коттеджи": (
        "Газ, свет, вода заведены.", "Баня, гараж, хозпостройки.", "Участок ровный, огорожен.",
        "Дом из бруса, обшит сайдингом.", "Отопление газовое.", "Плодовые деревья и кустарники.",
        "До остановки пять минут пешком.", "Круглогодичный подъезд.", "Скважина на участке.",
    ),
    "Земельные участки": (
        "Электричество по границе.", "Подъезд круглый год.", "Рядом лес и речка.", "Документы в порядке.",
        "Участок разработан.", "Газ в перспективе.", "Подходит под ИЖС.", "Тихое место.",
    ),
    "Гаражи и машиноместа": (
        "Смотровая яма, погреб.", "Свет есть.", "Охраняемый кооператив.", "Ворота металлические.",
        "Машиноместо в подземном паркинге.", "Крыша не течет.", "Сухой, теплый.",
    ),
    "Коммерческая недвижимость": (
        "Первая линия, отдельный вход.", "Подходит под магазин, офис, салон.", "Высокий пешеходный трафик.",
        "Мокрая точка есть.", "Парковка для клиентов.", "Арендные каникулы.", "Выделенная мощность 30 кВт.",
        "Собственник.", "Возможна продажа арендного бизнеса.",
    ),
}  # fmt: skip
_SCATTER_PHRASES: tuple[str, ...] = (
    "звоните мне по вечерам после работы обязательно отвечу",
    "пишите отвечу быстро всем желающим без исключения",
    "продаю срочно недорого все вопросы по номеру в любое время",
    "торг возможен при осмотре на месте только вечером",
    "спросить ивана или его жену они покажут все",
    "отдам за разумные деньги хорошим людям без перекупов",
    "машина на ходу номера на месте документы готовы",
    "сдам надолго семейным людям без животных и детей",
    "звонить лучше днем вечером занят на работе",
    "мой номер тут не показан поэтому пишу так",
    "позвоните договоримся о встрече и просмотре",
    "вещи чистые из дома где нет животных",
)
_SCATTER_LETTERS = "агдежиклмнпрстуфхцшщыэюя"
_SPLIT_FIRST_LEADS = ("Звоните ", "Мой номер ", "Тел. ", "Номер: ", "Начало номера ", "Пишите в вотсап ", "", "")
_SPLIT_MIDDLES = (
    ". Остальное ", ". Дальше ", ", последние цифры ", ". Окончание ", " ... продолжение ", ". Конец номера ",
    ". Ещё ", " - и дальше ", ". Торг уместен. Остальные цифры ", ". Потом ", ", а в конце ", ". Далее ",
    "! Последние цифры: ",
)  # fmt: skip
# A number in 2-4 pieces anywhere in the ad: connecting words before (or after) each piece.
_PIECE_FIRST = _Weighted(
    [("первые цифры ", 3), ("Первые цифры: ", 2), ("номер начинается на ", 2), ("Начало номера ", 2),
     ("сначала ", 1), ("Звоните: ", 1), ("Мой номер ", 1), ("Тел. ", 1), ("первая часть номера ", 1),
     ("Пишите в вотсап, номер начинается с ", 0.5), ("", 1.5)]
)  # fmt: skip
_PIECE_FIRST_TAILS = (" — это начало номера", " (начало номера)", " — первые цифры", ", остальное ниже")
_PIECE_MIDDLE = _Weighted(
    [("дальше ", 3), ("потом ", 3), ("затем ", 1.5), ("далее ", 1.5), ("следующие цифры ", 1),
     ("продолжение: ", 1), ("середина ", 0.5), ("ещё ", 1), ("потом идут ", 0.5), ("вторая часть ", 0.5),
     ("вторая ", 0.3), ("Продолжение — ", 0.5)]
)  # fmt: skip
_PIECE_LAST = _Weighted(
    [("окончание ", 3), ("последние цифры ", 2), ("в конце ", 1), ("и в конце ", 0.5), ("конец номера ", 1),
     ("Окончание номера: ", 1), ("заканчивается на ", 1), ("{count} ", 2.5), ("остаток номера ", 1),
     ("Остаток номера: ", 0.7), ("и закончите на ", 0.4), ("остальные цифры ", 0.5)]
)  # fmt: skip
# Pieces of a number each wrapped the same way ("(8) … (928) …", "⭐89⭐ … ⭐06⭐"), with or without a hint.
_WRAPPERS = (("(", ")"), ("(", ")"), ("⭐", "⭐"), ("*", "*"), ("[", "]"), ("🔹", "🔹"), ("✅", "✅"), ("#", "#"))
_WRAPPED_HINTS = (
    "", "", "", "Номер собирайте по скобкам. ", "Цифры в скобках — мой номер. ", "Кто соберёт цифры — тот и позвонит. ",
    "Номер спрятан по тексту. ", "Собирайте цифры по порядку. ",
)  # fmt: skip
_WRAPPED_FILLERS = (
    "состояние отличное", "без торга", "всё работает", "возможна доставка", "документы есть", "фото реальные",
    "есть гарантия", "осмотр в любое время", "цена окончательная",
    "самовывоз", "в наличии", "отвечу на вопросы", "торг у места", "всё честно", "не перекуп",
)  # fmt: skip
# A number hidden as the values of a list, and the line that tells the reader to read them in order.
_RIDDLE_LINES = (
    ("{item} — ", " ₽"), ("{item} — ", " руб."), ("{item}: код ", ""), ("— {item}, партия ", ""), ("{item} (арт. ", ")"),
    ("{item} — от ", " ₽"), ("▪ {item} — ", " р"),
)  # fmt: skip
_RIDDLE_ITEMS = (
    "чехол", "стекло", "кабель", "адаптер", "доставка", "сборка", "выезд мастера", "упаковка", "установка",
    "настройка", "диагностика", "замена масла", "подставка", "зарядка", "крепёж", "фильтр", "ремень", "колодки",
)  # fmt: skip
_RIDDLE_INTROS = ("Цены такие:", "Прайс:", "Дополнительно:", "Коды позиций:", "Что есть в наличии:")
_RIDDLE_HINTS = (
    "Кто внимательный, прочитает цены подряд 😉", "Номер спрятан в ценах — читайте по порядку.",
    "Сложите цифры по порядку — это и есть номер.", "Перепишите цифры подряд — пригодится для связи.",
    "Прочитайте коды друг за другом и звоните.", "Номер зашифрован в прайсе, кто понял — звоните.",
)  # fmt: skip
_PIECE_COUNTS = {2: "последние две", 3: "последние три", 4: "последние четыре", 5: "последние пять"}
# Leads of city numbers without a phone word nearby.
_CITY_BARE_LEADS = (
    "", "", "Офис: ", "Приёмная ", "Диспетчер: ", "Администратор ", "Мастерская: ", "Магазин: ", "Склад ",
    "Касса ", "Бухгалтерия: ", "Ресепшн ",
)  # fmt: skip
_CITY_LAYOUTS: dict[int, tuple[tuple[tuple[int, ...], str], ...]] = {
    7: (((3, 2, 2), "-"), ((3, 2, 2), " "), ((1, 2, 2, 2), "-"), ((1, 2, 2, 2), " "), ((7,), ""), ((3, 4), "-")),
    6: (((2, 2, 2), "-"), ((2, 2, 2), " "), ((6,), ""), ((3, 3), "-"), ((2, 2, 2), ".")),
}
# Platform words: (platform, words, weight). The platform decides kind and value of the handle after it.
_PLATFORM_WORDS: tuple[tuple[str, tuple[str, ...], float], ...] = (
    ("telegram", ("тг", "ТГ", "Тг:", "телега", "Телега:", "в телеге", "телеграм", "Телеграм:", "телеграмм",
                  "в телеграме", "tg", "Telegram", "ник в тг", "логин в телеге", "логин телеграм"), 5),
    ("channel", ("канал", "Канал:", "наш канал", "Канал в телеге:", "тг канал"), 1.2),
    ("skype", ("скайп", "Скайп:", "skype", "скайп логин", "Логин скайп:", "Skype"), 1.5),
    ("discord", ("дискорд", "Дискорд:", "discord", "ds:"), 1),
    ("whatsapp", ("вотсап", "ватсап", "Вотсап:", "whatsapp"), 0.4),
    ("login", ("логин", "Логин:", "мой логин", "ник"), 0.7),
    ("vk", ("вк", "ВК", "вк:", "вконтакте", "Вконтакте:", "в вк", "страница вк", "vk"), 2.5),
    ("instagram", ("инст", "Инст:", "инста", "Инста:", "инстаграм", "insta", "inst", "в инсте", "Инстаграм:"), 3),
    ("youtube", ("ютуб", "Ютуб:", "ютуб канал", "канал на ютубе", "youtube", "YouTube:"), 1.5),
    ("tiktok", ("тикток", "тик ток", "TikTok", "тикток:"), 1),
    ("mail", ("яндекс", "почта яндекс", "яндекс почта", "почта на яндексе:", "gmail", "гмейл"), 1),
)  # fmt: skip
_PLATFORM_PICK = _Weighted([(row, row[2]) for row in _PLATFORM_WORDS])
_SLASH_WORDS: dict[str, tuple[str, ...]] = {
    "telegram": ("тг", "tg", "ТГ", "телега", "telegram", "Tg"),
    "instagram": ("inst", "инст", "insta", "инста", "ig", "Inst"),
    "vk": ("вк", "vk", "ВК"),
    "youtube": ("ютуб", "yt", "youtube"),
    "tiktok": ("tiktok", "тикток"),
}
_SLASH_PICK = _Weighted([("telegram", 4), ("instagram", 3), ("vk", 2), ("youtube", 1), ("tiktok", 1)])
# Transliterated Russian words in handles and site names.
_TRANSLIT: tuple[str, ...] = (
    "santehnik", "elektrik", "masterskaya", "pechnik", "gruzchiki", "remont_kvartir", "vse_dlya_doma",
    "detskie_veshi", "kotyata", "shchenki", "tortiki", "ruchnaya_rabota", "svarka", "evakuator",
    "kuhni_na_zakaz", "shkafy_kupe", "potolki", "dveri_okna", "avtozapchasti", "shiny_diski", "nogotki",
    "resnichki", "brovki", "massazh", "uborka", "himchistka", "pereezd", "dostavka", "myod_pchelovoda",
    "drova", "shashlyk", "vyshivka",
)  # fmt: skip
_SPOKEN_ZONES: dict[str, tuple[str, ...]] = {"ru": ("ру", "ru"), "com": ("ком", "com")}
_EMBED_TEMPLATES: tuple[tuple[str, str], ...] = (
    ("Если интересно, ", ", договоримся о просмотре."),
    ("Все вопросы — ", ", отвечу сразу."),
    ("Торг при осмотре, ", "."),
    ("Продаю срочно, ", " в любое время."),
    ("Кому нужно — ", ", отдам быстро."),
    ("По цене и наличию: ", "."),
    ("Не пишите в чат, ", ", так быстрее."),
    ("Доставку обсудим: ", "."),
    ("Запись и консультация: ", " (без выходных)."),
    ("Подробности ", " или в сообщениях."),
)
_NEGATIVE_PREFERENCE: dict[str, tuple[str, ...]] = {
    "Бытовая электроника": (
        "price", "imei", "model_number", "article", "year", "at_price", "barcode", "platform_code", "styled_digits",
    ),
    "Для бизнеса": (
        "inn", "ogrn", "model_number", "price", "at_price", "hours", "address", "dimensions", "date",
        "platform_code", "price_list", "barcode",
    ),
    "Для дома и дачи": (
        "dimensions", "price", "article", "year", "size", "address", "barcode", "glued_number", "number_words",
    ),
    "Животные": ("date", "price", "address", "year", "number_words", "spoken_email"),
    "Личные вещи": ("size", "price", "hashtag", "at_price", "year", "english_words", "barcode", "city_like"),
    "Недвижимость": (
        "cadastral", "price", "address", "year", "date", "dimensions", "house_parking", "number_words",
        "glued_number", "provider",
    ),
    "Работа": ("salary", "hours", "address", "inn", "date", "split_numbers", "city_like"),
    "Транспорт": ("mileage", "vin", "year", "price", "article", "model_number", "oem_number"),
    "Услуги": (
        "hours", "price", "inn", "address", "hashtag", "date", "ogrn", "price_list", "provider", "styled_digits",
    ),
    "Хобби и отдых": (
        "date", "price", "year", "size", "model_number", "hashtag", "platform_code", "english_words",
    ),
}  # fmt: skip
# The look-alikes that stand in a clean ad's contact slot, by the disguise whose shape they copy.
_TWINS: dict[str, tuple[str, ...]] = {
    "plain_phone": ("oem_number", "barcode", "imei", "inn", "price_list", "house_parking", "article", "ogrn"),
    "plain_email": ("spoken_email", "provider"),
    "plain_url": ("provider", "slash_words"),
    "separators": ("oem_number", "price_list", "house_parking", "article", "dimensions"),
    "spaced": ("oem_number", "barcode", "house_parking", "price_list"),
    "words": ("number_words",),
    "mixed_words": ("number_words", "glued_number", "price_list"),
    "english_words": ("english_words",),
    "glued": ("glued_number",),
    "invisible": ("invisible_number",),
    "lookalike": ("platform_code", "model_number", "vin", "oem_number"),
    "emoji": ("styled_digits",),
    "fullwidth": ("styled_digits",),
    "scattered": ("vin", "vin", "model_number", "oem_number"),
    "split_sentences": ("split_numbers", "oem_number"),
    "split_pieces": ("split_numbers",),
    "reversed": ("barcode", "oem_number", "imei"),
    "city_number": ("city_like", "house_parking", "hours"),
    "messenger_number": ("oem_number", "imei", "barcode", "messenger_name"),
    "handle": ("messenger_name", "platform_code"),
    "cyrillic_handle": ("messenger_name",),
    "platform_handle": ("messenger_name", "platform_code"),
    "slash_handle": ("slash_words",),
    "social_link": ("messenger_name", "platform_code", "provider"),
    "email_words": ("spoken_email",),
    "email_spaced": ("spoken_email",),
    "url_words": ("provider", "spoken_email"),
    "domain_space": ("provider",),
}
# Disguises that cannot go into a one-line title (several pieces, or a sentence around the digits).
_NOT_IN_TITLE = frozenset(("split_sentences", "split_pieces", "scattered", "reversed"))
# How an ad says that its number is written backwards.
_REVERSED_LEADS = (
    "Номер пишу задом наперёд: ", "Телефон наоборот — ", "Читайте номер справа налево: ",
    "Цифры в обратном порядке: ", "переверните номер: ", "Звоните, только цифры с конца: ",
    "номер наоборот (авито режет): ", "Тел. задом-наперед ",
)  # fmt: skip
_VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
_VIN_WMI = ("XTA", "X7L", "Z94", "WVW", "JTD", "KMH", "XW8", "Z8T", "WBA", "SJN", "VF1", "KNA", "TMB", "X9F")
_ALNUM = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
_MODEL_NUMBERS = (
    "Antminer S19j Pro 104Th", "Whatsminer M30S++ 112T", "RTX 3060 Ti 8GB", "подшипник 6205-2RS",
    "Samsung UE55TU7100U", "HP LaserJet Pro M428fdn", "Bosch GSR 180-LI", "Атлант ХМ 4012-022",
    "Canon EOS 2000D", "Makita HR2470", "Stihl MS 180", "Indesit IWSB 5085", "модель KDL-40W705C",
    "Antminer L3+ 504Mh", "процессор i7-9700K", "Xiaomi M2004J19G", "Bosch WLG 24260", "Karcher K5 1.180-633",
    "ВАЗ 21124-1000260", "двигатель 4G63", "Avrora DN 2530", "LG F2J3HS0W", "Gree GWH09AAA-K3NNA2A",
)  # fmt: skip
_HASHTAG_WORDS = (
    "продажа", "недорого", "диван", "мебель", "ремонт", "отделка", "детскиевещи", "одежда", "авто",
    "запчасти",
    "срочно", "скидки", "подарок", "новинка", "распродажа", "handmade", "москва", "маникюр", "котята",
)  # fmt: skip
_AVITO_CHAT = (
    "Пишите в сообщения на Авито", "звоните, пишите в сообщения на Авито", "Отвечаю только в чате Авито",
    "пишите в whatsapp через Авито", "Номер в профиле", "Звонки через Авито", "Есть Авито-доставка",
    "Пишите в личные сообщения", "Связь только через чат", "Звоните по номеру из объявления",
)  # fmt: skip
_MESSENGER_NAMES = (
    "есть WhatsApp", "отвечу в Viber", "telegram-канал в профиле", "Ватсап есть", "Скидываю фото в вотсап",
    "Общаемся в Telegram", "Вайбер, вотсап — по номеру из объявления", "Есть WhatsApp и Viber",
    "Видео пришлю в телеграм", "на связи в мессенджерах", "Могу прислать видео в WhatsApp",
    "пишите в телеграм", "есть вотсап", "в тг отвечаю быстрее", "скину видео в телегу", "инсты нет",
    "в вк не сижу", "канал в телеге скоро запустим", "логин и пароль от аккаунта передам покупателю",
    "ютуб-канал веду, ссылку дам в чате", "дискорд есть, пишите в чат Авито", "тг-канал с новинками — в профиле",
    "подписывайтесь в инсте, ищите по названию магазина", "Skype для консультаций по запросу",
    "отзывы есть во вконтакте", "тикток не веду", "вотсап/телега — по номеру из объявления",
)  # fmt: skip
# Part-number leads; the phone-shaped numbers get only the explicit ones (a bare 'Номер: 79...' is a phone).
_OEM_LEADS = (
    "номер запчасти ", "Номер детали: ", "оригинальный номер ", "кат. номер ", "номер по каталогу ",
    "OEM номер: ", "Артикул ", "артикул: ", "Парт-номер ", "Каталожный номер ", "OEM ", "артикул производителя ",
)  # fmt: skip
# A bare "номер" before a phone-shaped number is a phone in real ads: part numbers get a word that says so.
_OEM_BARE_LEADS = ("№ ", "Оригинал, номер ", "Номер на корпусе ", "номер на шильдике ")
_OEM_PREFIXES = ("8200", "7700", "7701", "7711", "8450", "8660", "8201", "7703")
_PLATFORM_CODES = ("VK", "TG", "WA", "IG", "OK", "YT", "TT", "VB", "FB", "DS")
_PLATFORM_CODE_PRODUCTS = (
    "Микрофон", "Насос", "Фильтр", "Камера", "Сварочный аппарат", "Рация", "Колонка", "Генератор",
    "Компрессор", "Радиатор", "Усилитель", "Удлинитель", "Кабель", "Пылесос", "Станок", "Датчик", "Штатив",
    "Гироскутер", "Перфоратор", "Блок питания",
)  # fmt: skip
_PROVIDERS = (
    "Интернет Дом.ру", "подключён Дом.ру", "провайдер Ростелеком", "ТВ и интернет от Дом.ру", "Wi-Fi Билайн",
    "оптоволокно Ростелеком, 100 Мбит", "Яндекс.Станция в подарок", "отправлю через Яндекс.Доставку",
    "оплата через Сбербанк Онлайн", "есть на Ozon и Wildberries", "Интернет МТС Home", "ТТК или Дом.ру на выбор",
    "заказ через Яндекс.Маркет", "отзывы на Яндекс.Картах", "мы есть в 2ГИС", "Интернет Эр-Телеком",
)  # fmt: skip
_PROVIDER_FRAMES = ("магазин «{}»", "студия {}", "сервис «{}»", "бренд {}", "мастерская «{}»", "компания {}",
                    "салон «{}»", "шоурум {}", "ТЦ «{}»")  # fmt: skip
# Number words in clean sentences, by body style (the generic pool is added to every style's).
_NUMBER_WORD_PHRASES: dict[str, tuple[str, ...]] = {
    "generic": (
        "два года", "один владелец", "восемь месяцев", "один раз пользовались", "два раза в неделю",
        "сто процентов оригинал", "семь дней в неделю", "полтора года", "три месяца гарантии",
        "ноль проблем", "двадцать четыре часа в сутки", "пять звёзд", "тысяча мелочей", "второй хозяин",
    ),
    "realty": (
        "двухкомнатная", "трёхкомнатная квартира", "три комнаты", "пять минут пешком до остановки", "семь соток",
        "девятиэтажный дом", "первый этаж", "третий этаж", "четыре спальных места", "тридцать минут от города",
        "две машины во дворе", "восьмой этаж из девяти", "сорок пять минут на электричке", "шестьдесят метров",
        "сто метров до реки",
    ),
    "car": ("два комплекта резины", "четыре колеса", "третий хозяин", "двухлитровый мотор", "пятидверка"),
    "private": (
        "сорок второй размер", "шесть стульев", "двенадцать предметов", "девять месяцев", "пятеро котят",
        "двое щенков", "один раз надевали", "две пары", "трёхколёсный",
    ),
    "service": ("двадцать лет опыта", "три бригады", "выезд за час", "десять лет на рынке", "два мастера"),
    "job": ("два через два", "пять дней в неделю", "пятидневка", "две смены", "три месяца испытательный срок"),
}  # fmt: skip
_NUMBER_WORD_POOLS: dict[str, tuple[str, ...]] = {
    style: _NUMBER_WORD_PHRASES["generic"]
    + _NUMBER_WORD_PHRASES.get({"shop": "private", "business": "service", "resume": "job"}.get(style, style), ())
    for style in ("private", "car", "shop", "business", "service", "job", "resume", "realty")
}
_ENGLISH_PHRASES = (
    "размер One Size", "2 in 1 — two in one", "коллекция Forever 21", "бренд Nine West",
    "футболка Twenty One Pilots", "игра Five Nights at Freddy's", "кроссовки Zero Gravity", "серия One Piece",
    "бренд Three Dots", "парфюм One Million", "джинсы Seven", "кофе Fifty-Fifty", "отель Four Seasons",
    "three in one", "Top Ten хитов", "Windows Seven", "набор Twelve Colors", "тур Eighty Days",
)  # fmt: skip
_GLUED_PHRASES = (
    "2-х комнатная", "3х комнатная", "5ти этажный дом", "2шт", "в 2ух экземплярах", "1ый этаж", "за 100р", "220В",
    "на 12В", "5кг", "2020г", "3шт по 500р", "2-ой хозяин", "4х дверный", "на 3ем этаже", "двухсотлитровая бочка",
    "1,5л", "2ой размер", "6ти местная палатка", "на 2ух человек", "18ти литровый", "5ть штук", "10ти дневный",
    "40ка", "на 4ре сезона",
)  # fmt: skip
_SPLIT_NEGATIVES: tuple[tuple[str, ...], ...] = (
    ("Первый взнос {a} 000", "дальше {b} 000 в месяц", "окончание выплат в {y}"),
    ("первые {n} месяца бесплатно", "потом {p} в месяц"),
    ("первые {n} этажа кирпич", "дальше мансарда", "окончание стройки в {y}"),
    ("до остановки {n} минут", "дальше {k} км по асфальту"),
    ("первые {n} дня — {p} руб", "потом {q} руб/сутки"),
    ("рассрочка на {k} месяцев", "первый платёж {p}", "последний {q}"),
    ("первые {n} занятия по {p}", "дальше {q} за месяц"),
    ("окончание ремонта {d}.{m}", "заезд с {d2}.{m2}"),
    ("последние {n} года на обслуживании у дилера", "потом ТО каждые {k} тыс"),
    ("сначала {p} предоплата", "потом {q} при получении", "последние {n} дня — доставка"),
)
_SPOKEN_EMAIL_PHRASES = (
    "собака породы лайка", "собака приучена к поводку", "торговая точка в ТЦ", "точка доступа Wi-Fi",
    "точка выдачи рядом", "собачка очень ласковая", "заточка ножей в подарок", "готовая точка с оборудованием",
    "точка на рынке", "собака-компаньон", "собаку отдаём только в хорошие руки", "точка продаж работает",
    "собака не линяет", "точка на районе проходная",
)  # fmt: skip
_SLASH_PHRASES = (
    "б/у", "р/шт", "размеры S/M/L", "Wi-Fi/Bluetooth", "тг/вотсап — через чат Авито", "вк/инст не веду",
    "скорость до 180 км/ч", "рядом ж/д вокзал", "с/у раздельный", "в/о", "инст/тикток нет, фото здесь",
    "зимняя/летняя резина", "тг/вайбер по номеру из объявления", "AUX/USB", "дизель/бензин", "ч/б принтер",
    "вк/ок — по запросу", "м/м в подземном паркинге",
)  # fmt: skip
_SECONDARY = _Weighted(
    [
        ("plain_phone", 30), ("messenger_number", 15), ("plain_email", 15), ("handle", 8), ("plain_url", 10),
        ("social_link", 8), ("city_number", 5), ("email_words", 2), ("cyrillic_handle", 2), ("platform_handle", 4),
        ("slash_handle", 2), ("domain_space", 1),
    ]
)  # fmt: skip
# The main contact of a positive ad. Composed phones (english_words, glued, invisible, split_pieces and most
# mixed_words) make up about half of the phones.
_PRIMARY = _Weighted(
    [
        ("plain", 4.5), ("separators", 0.8), ("spaced", 0.6), ("words", 0.8), ("mixed_words", 3.0),
        ("lookalike", 0.7), ("emoji", 0.5), ("fullwidth", 0.5), ("scattered", 0.6), ("split_sentences", 0.5),
        ("city_number", 1.0), ("messenger_number", 0.8), ("handle", 1.0), ("cyrillic_handle", 0.7),
        ("social_link", 1.0), ("email_words", 1.0), ("email_spaced", 0.5), ("url_words", 0.7),
        ("english_words", 2.6), ("glued", 2.6), ("invisible", 1.9), ("split_pieces", 1.9),
        ("platform_handle", 1.3), ("slash_handle", 0.8), ("domain_space", 0.8), ("reversed", 0.5),
    ]
)  # fmt: skip
_PLAIN_KIND = _Weighted([("phone", 74), ("email", 14), ("url", 12)])
# The end of a sentence inside a line (not an abbreviation like 'арт.', 'кв.', 'г.в.'): a contact may go there.
_SENTENCE_END = re.compile(r"(?<=[а-яёa-z]{4}[.!?]) (?=[А-ЯЁA-Z])")
_LINE_STYLES = _Weighted(
    [(("\n", "\n\n"), 50), (("/\n", "/\n/\n"), 20), ((" /\n", " /\n /\n"), 15), (("/\n", "/\n /\n"), 15)]
)


@dataclass(slots=True)
class _Ad:
    """Everything decided about one ad while it is being built."""

    category: str
    subcategory: str
    style: str
    region: str
    city: str
    code: str
    price: float
    title: str = ""
    bullet: str = ""


Line = str | list[Segment]


class _AdMaker:
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
            "platform_handle": self._c_platform_handle,
            "slash_handle": self._c_slash_handle,
            "domain_space": self._c_domain_space,
            "reversed": self._c_reversed,
            "plain_phone": self._c_plain_phone,
            "plain_email": self._c_plain_email,
            "plain_url": self._c_plain_url,
        }
        self.negative_builders: dict[str, Callable[[_Ad], str]] = {
            kind: getattr(self, f"_n_{kind}") for kind in NEGATIVE_KINDS
        }

    # ---------------------------------------------------------------- names, numbers

    def _mobile(self) -> str:
        """Ten national digits of a Russian mobile number."""
        r = self.rng
        return f"9{r.randrange(100):02d}{r.randrange(10_000_000):07d}"

    def _digits(self, count: int) -> str:
        """A string of random digits, the first one not zero."""
        return str(self.rng.randrange(10 ** (count - 1), 10**count))

    def _latin_handle(self) -> str:
        """A Telegram-style handle in Latin letters."""
        r = self.rng
        roll = r.random()
        if roll < 0.3:
            handle = f"{r.choice(_LAT_FIRST)}_{r.choice(_LAT_LAST)}"
        elif roll < 0.5:
            handle = f"{r.choice(_LAT_FIRST)}{r.choice(_LAT_LAST)}{r.randrange(70, 100)}"
        elif roll < 0.65:
            handle = f"{r.choice(_LAT_WORDS)}_{r.choice(_CITY_LAT)}"
        elif roll < 0.8:
            handle = f"{r.choice(_LAT_FIRST)}_{r.choice(_LAT_WORDS)}"
        elif roll < 0.9:
            handle = f"{r.choice(_LAT_WORDS)}{r.choice(_LAT_WORDS)}{r.randrange(1, 1000)}"
        else:
            handle = f"{r.choice(_LAT_LAST)}{r.randrange(1, 100)}"
        if r.random() < 0.12:
            handle = "_".join(part.capitalize() for part in handle.split("_"))
        return handle

    def _dotted_handle(self) -> str:
        """A handle with dots (Instagram, Skype)."""
        r = self.rng
        if r.random() < 0.5:
            return f"{r.choice(_LAT_FIRST)}.{r.choice(_LAT_LAST)}"
        return f"{r.choice(_LAT_WORDS)}.{r.choice(_CITY_LAT)}"

    def _cyrillic_handle(self) -> str:
        """A handle written in Cyrillic letters."""
        r = self.rng
        roll = r.random()
        if roll < 0.45:
            return f"{r.choice(_CYR_FIRST)}_{r.choice(_CYR_LAST)}"
        if roll < 0.75:
            return f"{r.choice(_CYR_WORDS)}_{r.choice(_CYR_FIRST)}"
        return f"{r.choice(_CYR_FIRST)}{r.choice(_CYR_LAST)}"

    def _site_name(self) -> str:
        """The name part of a website domain."""
        r = self.rng
        roll = r.random()
        if roll < 0.3:
            return f"{r.choice(_LAT_WORDS)}{r.choice(_LAT_WORDS)}"
        if roll < 0.55:
            return f"{r.choice(_LAT_WORDS)}-{r.choice(_LAT_WORDS)}"
        if roll < 0.75:
            return f"{r.choice(_LAT_WORDS)}-{r.choice(_CITY_LAT)}"
        if roll < 0.88:
            return f"{r.choice(_LAT_WORDS)}{r.choice(('24', '77', '1', '-pro', 'shop', 'market'))}"
        return f"{r.choice(_LAT_FIRST)}{r.choice(_LAT_LAST)}"

    def _email_local(self) -> str:
        """The local part of an e-mail address."""
        r = self.rng
        roll = r.random()
        if roll < 0.25:
            return f"{r.choice(_LAT_FIRST)}.{r.choice(_LAT_LAST)}"
        if roll < 0.45:
            return f"{r.choice(_LAT_FIRST)}{r.choice(_LAT_LAST)}{r.randrange(60, 100)}"
        if roll < 0.6:
            return f"{r.choice(_LAT_FIRST)}_{r.choice(_LAT_LAST)}"
        if roll < 0.75:
            return f"{r.choice(_LAT_LAST)}.{r.choice(_LAT_FIRST)[0]}"
        if roll < 0.88:
            return f"{r.choice(_LAT_WORDS)}.{r.choice(_CITY_LAT)}"
        return f"{r.choice(_LAT_FIRST)}{r.randrange(1, 1000)}"

    def _brand(self) -> str:
        """A made-up company name."""
        r = self.rng
        return r.choice(_BRAND_PARTS_A) + r.choice(_BRAND_PARTS_B)

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
        return [lead, gold, tail]

    def _plain_phone_text(self, national: str) -> str:
        """A plainly written mobile number."""
        prefix = _PHONE_PREFIX.pick(self.rng)
        return self._compose(prefix, national, 3, _PLAIN_LAYOUTS.pick(self.rng))

    def _c_plain_phone(self, ad: _Ad) -> list[Segment]:
        """Plain mobile number."""
        national = self._mobile()
        return self._phone_phrase(self._plain_phone_text(national), national, "plain")

    def _c_plain(self, ad: _Ad) -> list[Segment]:
        """A plainly written phone, e-mail or website."""
        kind = _PLAIN_KIND.pick(self.rng)
        if kind == "phone":
            return self._c_plain_phone(ad)
        if kind == "email":
            return self._c_plain_email(ad)
        return self._c_plain_url(ad)

    def _c_separators(self, ad: _Ad) -> list[Segment]:
        """Digits split by dots, stars, underscores, slashes or a mix."""
        r = self.rng
        national = self._mobile()
        first = r.choice(("8", "8", "7", "+7"))
        roll = r.random()
        strong = _STRONG_SEPARATORS
        if roll < 0.3:
            sep = r.choice((".", ".", "-", "*", "_", " . ", ".."))
            text = first + sep + sep.join(national)
        elif roll < 0.6:
            sep = r.choice(strong)
            text = self._compose(first, national, 3, f"{{p}}{sep}{{c}}{sep}{{a}}{sep}{{b}}{sep}{{d}}")
        elif roll < 0.85:
            gaps = [r.choice((*strong, " ", "-", "")) for _ in range(4)]
            gaps[r.randrange(4)] = r.choice(strong)
            layout = f"{{p}}{gaps[0]}{{c}}{gaps[1]}{{a}}{gaps[2]}{{b}}{gaps[3]}{{d}}"
            text = self._compose(first, national, 3, layout)
        else:
            sep = r.choice(("*", "_", ".", "/"))
            text = self._compose(first, national, 3, f"{{p}}({{c}}){{a}}{sep}{{b}}{sep}{{d}}")
        gold = _Gold(text, "phone", "+7" + national, "separators")
        if r.random() < 0.15:
            return [r.choice(("(доп.тел.", "(тел.", "(т.")), gold, ")"]
        return [_PHONE_LEADS.pick(r), gold, _PHONE_TAILS.pick(r)]

    def _c_spaced(self, ad: _Ad) -> list[Segment]:
        """Every digit (or small clumps of digits) separated by spaces."""
        r = self.rng
        national = self._mobile()
        first = r.choice(("8", "8", "7", "+7", "+ 7"))
        roll = r.random()
        if roll < 0.5:
            text = first + " " + " ".join(national)
        elif roll < 0.7:
            text = first + "  " + "  ".join(national)
        else:
            chunks: list[str] = []
            position = 0
            while position < 10:
                size = r.choice((1, 1, 2))
                chunks.append(national[position : position + size])
                position += size
            text = first + " " + " ".join(chunks)
        return self._phone_phrase(text, national, "spaced")

    def _c_reversed(self, ad: _Ad) -> list[Segment]:
        """A number written backwards, and the ad says so."""
        r = self.rng
        national = self._mobile()
        digits = (r.choice(("8", "8", "7")) + national)[::-1]
        if r.random() < 0.4:
            text = r.choice((" ", "")).join(digits)
        else:
            text = self._split_text(digits[:5]) + r.choice((" ", "-", " ")) + self._split_text(digits[5:])
        return [r.choice(_REVERSED_LEADS), _Gold(text, "phone", "+7" + national, "reversed")]

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

    def _c_words(self, ad: _Ad) -> list[Segment]:
        """The whole number in Russian words."""
        r = self.rng
        national = self._mobile()
        joiner = r.choice((" ", " ", " ", ", ", " - ", "-"))
        prefix = r.choice(("восемь", "восемь", "плюс семь", "семь", ""))
        groups = self._word_groups(national)
        words = _spoken_groups(groups, [True] * len(groups))
        if prefix:
            words.insert(0, prefix)
        text = joiner.join(words)
        if r.random() < 0.25:  # a seller who writes the words as he hears them
            text = " ".join(
                r.choice(_MISSPELLINGS[word]) if word in _MISSPELLINGS and r.random() < 0.6 else word
                for word in text.split(" ")
            )
        text = self._word_case(text)
        return self._phone_phrase(text, national, "words")

    def _c_mixed_words(self, ad: _Ad) -> list[Segment]:
        """Digits and words in one number: composed groups, or the older 'last digit as a word' form."""
        r = self.rng
        national = self._mobile()
        if r.random() < 0.25:
            first = r.choice(("8", "8", "+7", "восемь"))
            body = national[:-1]
            cut = r.choice((3, 6, 8))
            digits_part = body[:cut] + r.choice((" ", "", " ")) + body[cut:]
            tail_sep = r.choice((" ", " ", "-", ", "))
            space = " " if first == "восемь" else r.choice(("", " "))
            text = f"{first}{space}{digits_part}{tail_sep}{_UNITS[int(national[-1])]}"
            return self._phone_phrase(text, national, "mixed_words")
        return self._phone_phrase(self._composed_text(national, "mixed_words"), national, "mixed_words")

    def _c_english_words(self, ad: _Ad) -> list[Segment]:
        """Mostly English number words: 'eight nine one two', '+7 nine twelve 345 sixty-seven 89'."""
        national = self._mobile()
        return self._phone_phrase(self._composed_text(national, "english_words"), national, "english_words")

    def _c_glued(self, ad: _Ad) -> list[Segment]:
        """Number words glued to digits: '8девятьсот12 345 шестьдесят7 89'."""
        national = self._mobile()
        return self._phone_phrase(self._composed_text(national, "glued"), national, "glued")

    def _c_invisible(self, ad: _Ad) -> list[Segment]:
        """Invisible characters (U+200B, U+2060, U+FEFF, U+00AD) between the digits."""
        national = self._mobile()
        return self._phone_phrase(self._composed_text(national, "invisible"), national, "invisible")

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

    def _c_lookalike(self, ad: _Ad) -> list[Segment]:
        """Digits replaced by look-alike letters: О for 0, З for 3, l/I for 1, б for 6."""
        r = self.rng
        national = self._mobile()
        while not any(digit in national for digit in _LOOKALIKE_COMMON):
            national = self._mobile()
        glyphs = list(national)
        candidates = [i for i, digit in enumerate(national) if digit in _LOOKALIKE_COMMON]
        changed = False
        for i, digit in enumerate(national):
            options = _LOOKALIKE.get(digit)
            if options and r.random() < (0.45 if digit in _LOOKALIKE_COMMON else 0.12):
                glyphs[i] = r.choice(options)
                changed = True
        if not changed:
            i = r.choice(candidates)
            glyphs[i] = r.choice(_LOOKALIKE[national[i]])
        prefix = r.choice(("8", "8", "+7", "В", ""))
        text = self._compose(prefix, glyphs, 3, _PLAIN_LAYOUTS.pick(r))
        return self._phone_phrase(text, national, "lookalike")

    def _c_emoji(self, ad: _Ad) -> list[Segment]:
        """Keycap emoji digits (8️⃣9️⃣...)."""
        r = self.rng
        national = self._mobile()
        glyphs = [digit + _KEYCAP for digit in national]
        if r.random() < 0.25:
            keep = r.randrange(2, 6)
            glyphs[:keep] = list(national[:keep])
        prefix = r.choice(("8" + _KEYCAP, "8" + _KEYCAP, "+7" + _KEYCAP, "8"))
        layout = r.choice(("{p}{c}{a}{b}{d}", "{p} {c} {a} {b} {d}", "{p} {c} {a}{b}{d}", "{p}-{c}-{a}-{b}-{d}"))
        return self._phone_phrase(self._compose(prefix, glyphs, 3, layout), national, "emoji")

    def _c_fullwidth(self, ad: _Ad) -> list[Segment]:
        """Full-width digits (８９１２...)."""
        r = self.rng
        national = self._mobile()
        if r.random() < 0.7:
            glyphs = [_FULLWIDTH[digit] for digit in national]
        else:
            glyphs = [_FULLWIDTH[digit] if r.random() < 0.5 else digit for digit in national]
            glyphs[0] = _FULLWIDTH[national[0]]
        prefix = r.choice((_FULLWIDTH["8"], _FULLWIDTH["8"], "+7", "＋" + _FULLWIDTH["7"], "8"))
        text = self._compose(prefix, glyphs, 3, _PLAIN_LAYOUTS.pick(r))
        return self._phone_phrase(text, national, "fullwidth")

    def _c_scattered(self, ad: _Ad) -> list[Segment]:
        """Digits scattered among letters or through the words of a sentence."""
        r = self.rng
        national = self._mobile()
        digits = r.choice(("8", "8", "7")) + national
        value = "+7" + national
        if r.random() < 0.4:
            parts = []
            for digit in digits[:-1]:
                parts.append(digit)
                parts.append("".join(r.choice(_SCATTER_LETTERS) for _ in range(r.choice((1, 1, 2)))))
            parts.append(digits[-1])
            text = "".join(parts)
            if r.random() < 0.3:
                text = text.upper()
            lead = r.choice(("", "", "Тел ", "номер: ", "Звоните ", "пишите "))
            return [lead, _Gold(text, "phone", value, "scattered")]
        words = r.choice(_SCATTER_PHRASES).split()
        n_chunks = r.randrange(3, 6)
        cuts = sorted(r.sample(range(1, len(digits)), n_chunks - 1))
        chunks = [digits[i:j] for i, j in zip((0, *cuts), (*cuts, len(digits)), strict=True)]
        pre_count = r.randrange(0, 3)
        pre = " ".join(words[:pre_count])
        rest = words[pre_count:]
        pieces = [chunks[0]]
        for chunk in chunks[1:]:
            take = r.choice((1, 1, 2))
            filler = " ".join(rest[:take]) if rest else r.choice(("и", "а", "да"))
            rest = rest[take:]
            before = r.choice(("", " ", " "))
            after = r.choice(("", "", " "))
            pieces.append(f"{before}{filler}{after}{chunk}")
        post = " ".join(rest)
        text = "".join(pieces)
        if pre:
            pre = _cap(pre) + r.choice((" ", " ", ""))
        if post:
            post = r.choice((" ", "", " ")) + post
        return [pre, _Gold(text, "phone", value, "scattered"), post]

    def _split_text(self, digits: str) -> str:
        """Digits of one half of a split number, with a space or dash here and there."""
        r = self.rng
        if len(digits) <= 3 or r.random() < 0.35:
            return digits
        cut = r.randrange(1, len(digits))
        return digits[:cut] + r.choice((" ", " ", "-")) + digits[cut:]

    def _c_split(self, ad: _Ad) -> list[Segment]:
        """One number written in two sentences: two gold spans."""
        r = self.rng
        national = self._mobile()
        digits = r.choice(("8", "8", "7")) + national
        value = "+7" + national
        cut = r.randrange(4, 9)
        first = self._split_text(digits[:cut])
        second = self._split_text(digits[cut:])
        if r.random() < 0.15:
            first = "+" + first if first.startswith("7") else first
        lead = r.choice(_SPLIT_FIRST_LEADS)
        middle = r.choice(_SPLIT_MIDDLES)
        return [
            lead,
            _Gold(first, "phone", value, "split_sentences"),
            middle,
            _Gold(second, "phone", value, "split_sentences"),
        ]

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

    def _wrapped_pieces(self) -> list[Segment]:
        """One number in 3-4 pieces, each in the same wrapper after an ordinary phrase: '(8)', '⭐928⭐'."""
        r = self.rng
        national = self._mobile()
        digits = r.choice(("8", "8", "7")) + national
        count = r.choice((3, 4, 4))
        cuts = sorted(r.sample(range(1, len(digits)), count - 1))
        pieces = [digits[i:j] for i, j in zip((0, *cuts), (*cuts, len(digits)), strict=True)]
        opening, closing = r.choice(_WRAPPERS)
        hint = r.choice(_WRAPPED_HINTS)
        phrase: list[Segment] = [hint] if hint else []
        for index, piece in enumerate(pieces):
            if index:
                phrase.append(_BREAK)
            shown = " ".join(piece) if len(piece) > 1 and r.random() < 0.15 else piece
            filler = _cap(r.choice(_WRAPPED_FILLERS)) if r.random() < 0.5 else r.choice(_WRAPPED_FILLERS)
            phrase.extend((f"{filler} {opening}", _Gold(shown, "phone", "+7" + national, "split_pieces"), closing))
        return phrase

    def _riddle_pieces(self) -> list[Segment]:
        """A number as the values of a list (prices, codes) that the ad tells the reader to read in order."""
        r = self.rng
        national = self._mobile()
        digits = r.choice(("8", "8", "7")) + national
        count = r.choice((3, 4, 4))
        cuts = sorted(r.sample(range(2, len(digits) - 1), count - 1))
        while any(b - a < 2 for a, b in zip((0, *cuts), (*cuts, len(digits)), strict=True)):
            cuts = sorted(r.sample(range(2, len(digits) - 1), count - 1))
        pieces = [digits[i:j] for i, j in zip((0, *cuts), (*cuts, len(digits)), strict=True)]
        lead, unit = r.choice(_RIDDLE_LINES)
        items = r.sample(_RIDDLE_ITEMS, count)
        phrase: list[Segment] = [r.choice(_RIDDLE_INTROS)]
        for item, piece in zip(items, pieces, strict=True):
            phrase.extend((f"\n{lead.format(item=item)}", _Gold(piece, "phone", "+7" + national, "split_pieces"), unit))
        phrase.append("\n" + r.choice(_RIDDLE_HINTS))
        return phrase

    def _c_split_pieces(self, ad: _Ad) -> list[Segment]:
        """One number in 2-4 pieces placed apart, each after (or before) a connecting phrase; a span per piece."""
        r = self.rng
        roll = r.random()
        if roll < 0.12:
            return self._wrapped_pieces()
        if roll < 0.22:
            return self._riddle_pieces()
        national = self._mobile()
        prefix = r.choice(("8", "8", "7", "+7", ""))
        digits = prefix + national
        value = "+7" + national
        count = r.choice((2, 2, 3, 3, 3, 4))
        natural = [len(prefix) + 3, len(prefix) + 6, len(prefix) + 8]
        if prefix and count == 4:
            natural.insert(0, len(prefix))
        if len(natural) >= count - 1 and r.random() < 0.8:
            cuts = sorted(r.sample(natural, count - 1))
        else:
            cuts = sorted(r.sample(range(2, len(digits) - 1), count - 1))
            while any(b - a < 2 for a, b in zip((0, *cuts), (*cuts, len(digits)), strict=True)):
                cuts = sorted(r.sample(range(2, len(digits) - 1), count - 1))
        pieces = [digits[i:j] for i, j in zip((0, *cuts), (*cuts, len(digits)), strict=True)]
        phrase: list[Segment] = []
        for index, piece in enumerate(pieces):
            gold = _Gold(self._piece_text(piece), "phone", value, "split_pieces")
            if index:
                phrase.append(_BREAK)
            if index == 0:
                lead = _PIECE_FIRST.pick(r)
                tail = r.choice(_PIECE_FIRST_TAILS) if not lead and r.random() < 0.6 else ""
            elif index < len(pieces) - 1:
                lead, tail = _PIECE_MIDDLE.pick(r), ""
            else:
                lead = _PIECE_LAST.pick(r)
                if lead == "{count} ":
                    count_word = _PIECE_COUNTS.get(len(piece.lstrip("+")), "последние")
                    lead = count_word + r.choice((" ", " цифры ", ": ", " цифры: "))
                tail = ""
            if r.random() < 0.3:
                lead = _cap(lead)
            phrase.extend((lead, gold, tail))
        return phrase

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

    def _c_city(self, ad: _Ad) -> list[Segment]:
        """A landline with its area code, or a 6-7 digit city number; sometimes with no phone word near."""
        r = self.rng
        code = ad.code
        if code == "495":
            code = r.choice(("495", "499"))
        elif code == "496":
            code = r.choice(("496", "498"))
        local_len = 10 - len(code)
        local = f"{r.randrange(2, 8)}{r.randrange(10 ** (local_len - 1)):0{local_len - 1}d}"
        lead = _CITY_LEADS.pick(r) if r.random() < 0.65 else r.choice(_CITY_BARE_LEADS)
        if r.random() < 0.55:
            national = code + local
            prefix = r.choice(("8 ", "8", "8-", "+7 ", "+7", "", ""))
            code_text = r.choice((f"({code}) ", f"({code})", f"{code} ", f"{code}-", f"({code}) "))
            if not prefix and "(" not in code_text and r.random() < 0.6:
                code_text = f"({code}) "
            text = prefix + code_text + self._city_local(local)
            return [lead, _Gold(text, "phone", "+7" + national, "city_number")]
        return [lead, _Gold(self._city_local(local), "phone", local, "city_number")]

    def _c_messenger_number(self, ad: _Ad) -> list[Segment]:
        """A WhatsApp/Viber number (kind phone)."""
        r = self.rng
        national = self._mobile()
        gold = _Gold(self._plain_phone_text(national), "phone", "+7" + national, "messenger_number")
        lead = _WA_LEADS.pick(r)
        if lead == "":
            return [gold, r.choice(_WA_TAILS)]
        return [lead, gold]

    # ---------------------------------------------------------------- handles, social, e-mail, url

    def _c_handle(self, ad: _Ad) -> list[Segment]:
        """@handle, 'tg: handle', t.me links, Skype or Discord ids."""
        r = self.rng
        roll = r.random()
        handle = self._latin_handle()
        value = "@" + handle.lower()
        if roll < 0.35:
            return [_TG_LEADS.pick(r), _Gold("@" + handle, "messenger", value, "handle")]
        if roll < 0.6:
            return [r.choice(_TG_NAMED_LEADS), _Gold(handle, "messenger", value, "handle")]
        if roll < 0.8:
            link = r.choice(("t.me/", "https://t.me/", "t.me/", "telegram.me/", "http://t.me/")) + handle
            lead = r.choice(("", "Telegram: ", "Канал: ", "Пишите: ", "Наш канал ", "Телеграм "))
            return [lead, _Gold(link, "messenger", "t.me/" + handle.lower(), "handle")]
        if roll < 0.9:
            skype = self._dotted_handle()
            lead = r.choice(("Skype: ", "скайп: ", "Скайп ", "skype ", "Skype "))
            return [lead, _Gold(skype, "messenger", "skype:" + skype.lower(), "handle")]
        name = r.choice((*_LAT_FIRST, *_LAT_WORDS)) + r.choice(("", "_", "")) + r.choice(("", "x", "pro", "777"))
        discord = f"{name}#{r.randrange(1000, 10000)}"
        lead = r.choice(("Discord: ", "discord: ", "Дискорд ", "дискорд: "))
        return [lead, _Gold(discord, "messenger", "discord:" + discord.lower(), "handle")]

    def _c_cyrillic_handle(self, ad: _Ad) -> list[Segment]:
        """A handle in Cyrillic letters or behind slang like 'тг', 'телега'."""
        r = self.rng
        roll = r.random()
        if roll < 0.5:
            handle = self._cyrillic_handle()
            at = r.choice(("", "", "@"))
            lead = r.choice((*_TG_SLANG_LEADS, "Телеграм: ", "Telegram ", "Пишите в телеграм "))
        else:
            handle = self._latin_handle()
            at = r.choice(("", "@"))
            lead = r.choice(_TG_SLANG_LEADS)
        return [lead, _Gold(at + handle, "messenger", "@" + handle.lower(), "cyrillic_handle")]

    def _translit_handle(self) -> str:
        """A handle of transliterated Russian words: santehnik_msk, remont_kvartir24."""
        r = self.rng
        word = r.choice(_TRANSLIT)
        roll = r.random()
        if roll < 0.35:
            return f"{word}_{r.choice(_CITY_LAT)}"
        if roll < 0.6:
            return f"{word}{r.choice(('24', '77', '1', '2020', '_pro', '_official', ''))}"
        if roll < 0.8:
            return f"{word}_{r.choice(_LAT_FIRST)}"
        return f"{r.choice(_LAT_FIRST)}_{word}"

    def _platform_value(self, platform: str, handle: str) -> tuple[str, str, str]:
        """(kind, value, shown handle) of a handle named by a platform."""
        r = self.rng
        low = handle.lower()
        if platform in ("telegram", "login", "whatsapp"):
            return "messenger", "@" + low, handle
        if platform == "channel":
            return "messenger", "t.me/" + low, handle
        if platform == "skype":
            return "messenger", "skype:" + low, handle
        if platform == "discord":
            return "messenger", "discord:" + low, handle
        if platform == "vk":
            return "social", "vk.com/" + low, handle
        if platform == "instagram":
            return "social", "instagram.com/" + low, handle
        if platform == "youtube":
            return "social", "youtube.com/@" + low, handle
        if platform == "tiktok":
            return "social", "tiktok.com/@" + low, handle
        domain = r.choice(("yandex", "yandex", "gmail")) if platform == "mail" else "mail"
        zone = "com" if domain == "gmail" else "ru"
        return "email", f"{low}@{domain}.{zone}", handle

    def _platform_handle(self, platform: str) -> str:
        """A handle fit for the platform: Latin, dotted, transliterated or Cyrillic."""
        r = self.rng
        roll = r.random()
        if platform in ("skype", "mail"):
            return (
                self._dotted_handle()
                if roll < 0.5
                else self._email_local()
                if platform == "mail"
                else self._latin_handle()
            )
        if platform == "discord":
            return self._latin_handle()
        if platform in ("telegram", "vk", "login", "whatsapp") and roll < 0.25:
            return self._cyrillic_handle()
        if roll < 0.55:
            return self._latin_handle()
        if roll < 0.8 or platform not in ("instagram", "skype"):
            return self._translit_handle()
        return self._dotted_handle()

    def _c_platform_handle(self, ad: _Ad) -> list[Segment]:
        """A handle without '@' right after a platform word: 'инст ivan.petrov', 'ютуб remont_master', 'тг иван'."""
        r = self.rng
        platform, words, _weight = _PLATFORM_PICK.pick(r)
        kind, value, handle = self._platform_value(platform, self._platform_handle(platform))
        word = r.choice(words)
        if r.random() < 0.15 and not word.endswith(":"):
            after = r.choice((" ({})", " в {}", " — {}", " ({})"))
            return [r.choice(("", "Пишите ", "Ищите ", "Мы тут: ")), _Gold(handle, kind, value, "platform_handle"),
                    after.format(word.rstrip(":"))]  # fmt: skip
        joiner = " " if word.endswith(":") else r.choice((" ", ": ", " - ", " — ", ":", " "))
        lead = r.choice(("", "", "", "Пишите ", "Связь: ", "Подписывайтесь ", "Наш ", "Мы тут: "))
        if lead and word[:1].isupper():
            word = _lower_first(word)
        return [lead + word + joiner, _Gold(handle, kind, value, "platform_handle")]

    def _c_slash_handle(self, ad: _Ad) -> list[Segment]:
        """A handle right after 'platform/': 'тг/ivan_petrov', 'inst/ivan.petrov', 'вк / santehnik_msk'."""
        r = self.rng
        platform = _SLASH_PICK.pick(r)
        handle = self._platform_handle(platform)
        kind, value, handle = self._platform_value(platform, handle)
        at = "@" if kind == "messenger" and r.random() < 0.2 else ""
        slash = r.choice(("/", "/", "/", " / ", "/ "))
        lead = r.choice(("", "", "Пишите ", "Связь: ", "Мы тут: ", "Подписывайтесь ", "Контакты: ", "Наши работы "))
        # The handle alone is the contact; the platform and its slash lead into it (as writers mark it).
        return [lead + r.choice(_SLASH_WORDS[platform]) + slash, _Gold(at + handle, kind, value, "slash_handle")]

    def _c_social(self, ad: _Ad) -> list[Segment]:
        """Links to vk/ok/instagram/youtube or a profile name after 'инст:', 'вк'."""
        r = self.rng
        roll = r.random()
        if roll < 0.7:
            site = r.random()
            leads = _SOCIAL_LEADS_BY_SITE[
                "vk"
                if site < 0.35
                else "ok"
                if site < 0.5
                else "instagram"
                if site < 0.8
                else "youtube"
                if site < 0.95
                else "facebook"
            ]
            if site < 0.35:
                link = r.choice(
                    (
                        f"vk.com/{self._latin_handle()}",
                        f"https://vk.com/{self._latin_handle()}",
                        f"vk.com/id{self._digits(r.randrange(6, 10))}",
                        f"https://vk.com/club{self._digits(r.randrange(7, 10))}",
                        f"m.vk.com/{self._latin_handle()}",
                        f"www.vk.com/public{self._digits(r.randrange(7, 10))}",
                    )
                )
            elif site < 0.5:
                link = r.choice(
                    (
                        f"ok.ru/profile/{self._digits(12)}",
                        f"https://ok.ru/group/{self._digits(14)}",
                        f"ok.ru/{self._latin_handle().lower()}",
                    )
                )
            elif site < 0.8:
                link = r.choice(("instagram.com/", "https://www.instagram.com/", "www.instagram.com/"))
                link += r.choice((self._latin_handle(), self._dotted_handle()))
            elif site < 0.95:
                chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                link = r.choice(
                    (
                        f"youtube.com/c/{self._latin_handle()}",
                        "https://www.youtube.com/channel/UC" + "".join(r.choice(chars) for _ in range(22)),
                        "https://youtu.be/" + "".join(r.choice(chars) for _ in range(11)),
                    )
                )
            else:
                link = f"facebook.com/{self._dotted_handle()}"
            lead = r.choice(leads) if r.random() < 0.6 else _SOCIAL_LEADS.pick(r)
            return [lead, _Gold(link, "social", link.lower(), "social_link")]
        name_roll = r.random()
        if name_roll < 0.45:
            handle = r.choice((self._latin_handle(), self._dotted_handle()))
            at = r.choice(("", "", "@"))
            lead = r.choice(
                ("инст: ", "Инст ", "Инстаграм: ", "инстаграм ", "insta: ", "Instagram: ", "Наш инстаграм ")
            )
            return [lead, _Gold(at + handle, "social", "instagram.com/" + handle.lower(), "social_link")]
        if name_roll < 0.75:
            ident = "id" + self._digits(r.randrange(6, 10))
            lead = r.choice(("вк ", "ВК ", "Вконтакте: ", "vk ", "Страница вк: "))
            return [lead, _Gold(ident, "social", "vk.com/" + ident, "social_link")]
        if name_roll < 0.9:
            handle = self._latin_handle()
            lead = r.choice(("Группа вк: ", "ВК: ", "вконтакте ", "Мы в вк: "))
            return [lead, _Gold(handle, "social", "vk.com/" + handle.lower(), "social_link")]
        handle = self._latin_handle()
        lead = r.choice(("тикток ", "TikTok: ", "Тик-ток "))
        return [lead, _Gold("@" + handle, "social", "tiktok.com/@" + handle.lower(), "social_link")]

    def _email_parts(self) -> tuple[str, str, str]:
        """Local part, domain name and top-level domain of an address."""
        local = self._email_local()
        domain, tld = _MAIL_DOMAINS.pick(self.rng)
        return local, domain, tld

    def _c_plain_email(self, ad: _Ad) -> list[Segment]:
        """A plainly written e-mail address."""
        r = self.rng
        if r.random() < 0.12:
            local, domain, tld = r.choice(("info", "zakaz", "sale", "office", "hr")), self._site_name(), "ru"
        else:
            local, domain, tld = self._email_parts()
        text = f"{local}@{domain}.{tld}"
        if r.random() < 0.12:
            text = _cap(text)
        return [_EMAIL_LEADS.pick(r), _Gold(text, "email", text.lower(), "plain")]

    def _c_email_words(self, ad: _Ad) -> list[Segment]:
        """'ivan собака mail точка ru', 'ivan эт яндекс тчк ру', 'ivan(at)mail(dot)ru', 'ivan (a) gmail com'."""
        r = self.rng
        local, domain, tld = self._email_parts()
        value = f"{local}@{domain}.{tld}"
        roll = r.random()
        if roll < 0.2:
            text = f"{local}(at){domain}(dot){tld}"
        elif roll < 0.3:
            text = f"{local} [at] {domain} [dot] {tld}"
        elif roll < 0.38:
            text = f"{local} at {domain} dot {tld}"
        else:
            spoken_domain = r.choice(_DOMAIN_WORDS.get(domain, (domain,))) if r.random() < 0.5 else domain
            spoken_tld = r.choice(_SPOKEN_ZONES.get(tld, (tld,))) if r.random() < 0.4 else tld
            at = r.choice(
                (" собака ", " собака ", " собачка ", "(собака)", " (собака) ", " эт ", " at ", "(at)", " (a) ",
                 "(a)", "@", " @ ")
            )  # fmt: skip
            dot = r.choice((" точка ", " точка ", " тчк ", "(точка)", " dot ", "(dot)", ".", " . ", " "))
            if at == "@" and dot == "." and spoken_domain == domain and spoken_tld == tld:
                dot = r.choice((" точка ", " тчк ", " dot "))
            text = f"{local}{at}{spoken_domain}{dot}{spoken_tld}"
        return [_EMAIL_LEADS.pick(r), _Gold(text, "email", value, "email_words")]

    def _c_email_spaced(self, ad: _Ad) -> list[Segment]:
        """Letters of an e-mail separated by spaces."""
        r = self.rng
        local, domain, tld = self._email_parts()
        value = f"{local}@{domain}.{tld}"
        roll = r.random()
        if roll < 0.5:
            text = " ".join(value)
        elif roll < 0.8:
            text = f"{local} @ {domain} . {tld}"
        else:
            text = " ".join(local) + f" @{domain}.{tld}"
        return [_EMAIL_LEADS.pick(r), _Gold(text, "email", value, "email_spaced")]

    def _c_plain_url(self, ad: _Ad) -> list[Segment]:
        """A website written plainly: https://, www., bare domain, .рф."""
        r = self.rng
        cyrillic = r.random() < 0.12
        domain = r.choice(_CYR_DOMAINS) + ".рф" if cyrillic else f"{self._site_name()}.{_TLDS.pick(r)}"
        roll = r.random()
        if roll < 0.25:
            text = "https://" + domain
        elif roll < 0.35:
            text = "http://" + domain
        elif roll < 0.55:
            text = "www." + domain
        elif roll < 0.8:
            text = domain
        else:
            path = r.choice(("catalog", "price", "uslugi", "kontakty", "sale", "portfolio", "remont", "o-nas"))
            text = r.choice(("https://", "", "https://www.")) + domain + "/" + path
        return [_URL_LEADS.pick(r), _Gold(text, "url", text.lower(), "plain")]

    def _c_url_words(self, ad: _Ad) -> list[Segment]:
        """'site точка ру', 'site тчк com', 'site dot com', 'site(.)ru', 'www site ru'."""
        r = self.rng
        roll = r.random()
        if r.random() < 0.2:
            name, tld, spoken = r.choice(_CYR_DOMAINS), "рф", "рф"
            roll = roll * 0.4 if roll < 0.7 else roll
        else:
            name, tld = self._site_name(), _TLDS.pick(r)
            spoken = r.choice(_SPOKEN_ZONES.get(tld, (tld,)))
        if roll < 0.45:
            text = f"{name} {r.choice(('точка', 'точка', '(точка)', '[точка]', 'тчк'))} {spoken}"
        elif roll < 0.6:
            text = f"{name} dot {tld}"
        elif roll < 0.8:
            text = f"{name}{r.choice(('(.)', '[.]', '(dot)', '(точка)'))}{tld}"
        else:
            text = f"www {name} {tld}"
        lead = r.choice(("Сайт: ", "сайт ", "Наш сайт ", "Подробнее на сайте ", "Ищите нас: ", "🌐 ", "Сайт "))
        return [lead, _Gold(text, "url", f"{name}.{tld}".lower(), "url_words")]

    def _c_domain_space(self, ad: _Ad) -> list[Segment]:
        """A domain with a space before its zone: 'remont-kvartir ru', 'мастер . рф', 'santehnik .com'."""
        r = self.rng
        roll = r.random()
        if roll < 0.25:
            name, tld = r.choice((*_CYR_DOMAINS, *_CYR_WORDS)), "рф"
            zone = "рф"
        else:
            name = self._site_name() if roll < 0.75 else self._translit_handle().replace("_", "-")
            tld = _TLDS.pick(r)
            zone = r.choice(_SPOKEN_ZONES.get(tld, (tld,))) if r.random() < 0.3 else tld
        text = name + r.choice((" ", " ", " ", " . ", " .", ". ", "  ")) + zone
        lead = _URL_LEADS.pick(r) if r.random() < 0.7 else r.choice(("Заходите на ", "Ищите: ", "Каталог: ", ""))
        return [lead, _Gold(text, "url", f"{name}.{tld}".lower(), "domain_space")]

    # ---------------------------------------------------------------- hard negatives

    def _n_price(self, ad: _Ad) -> str:
        """A price: '12 500 руб', '15000₽', 'цена 8900'."""
        r = self.rng
        value = int(ad.price) if ad.price == ad.price and ad.price > 0 else r.randrange(5, 500) * 100
        money = _money(value, r)
        return r.choice(
            (f"Цена {money} руб.", f"{money} ₽", f"{money}₽", f"Цена: {money} р.", f"Отдам за {money}",
             f"Стоимость {money} рублей", f"цена {money}", f"{money} руб/шт", f"Всего {money} р",
             f"Прошу {money} руб")
        )  # fmt: skip

    def _n_salary(self, ad: _Ad) -> str:
        """A salary or salary range."""
        r = self.rng
        low = r.randrange(4, 17) * 5000
        high = low + r.randrange(2, 13) * 5000
        lo, hi = _money(low, r), _money(high, r)
        return r.choice(
            (f"от {lo} до {hi} руб", f"ЗП {low}-{high}", f"Зарплата от {lo} ₽ на руки",
             f"оплата {r.randrange(12, 45) * 100} руб/смена", f"доход до {hi} в месяц",
             f"Оклад {lo} + премии",
             f"З/п {lo} - {hi} руб.")
        )  # fmt: skip

    def _n_mileage(self, ad: _Ad) -> str:
        """A car's mileage."""
        r = self.rng
        km = r.randrange(5, 350) * 1000 + r.choice((0, 0, r.randrange(1000)))
        return r.choice(
            (f"пробег {_money(km, r)} км", f"Пробег: {km // 1000}тыс.км", f"пробег {km}",
             f"оригинальный пробег {km // 1000} тыс", f"Пробег {_money(km, r)} км, по ПТС")
        )  # fmt: skip

    def _n_vin(self, ad: _Ad) -> str:
        """A 17-character VIN."""
        r = self.rng
        vin = r.choice(_VIN_WMI) + "".join(r.choice(_VIN_CHARS) for _ in range(8)) + self._digits(6)
        return r.choice((f"VIN {vin}", f"VIN: {vin}", f"вин {vin}", f"VIN-код {vin}"))

    def _n_article(self, ad: _Ad) -> str:
        """A part or article number (OEM, catalogue number)."""
        r = self.rng
        alnum = "".join(r.choice(_ALNUM) for _ in range(5))
        return r.choice(
            (f"арт. {self._digits(7)}", f"Артикул: {self._digits(4)}-{self._digits(3)}",
             f"OEM {self._digits(5)}-{alnum}", f"кат. номер {r.randrange(1, 9)}K{r.randrange(10)} "
             f"{self._digits(3)} {self._digits(3)} {r.choice('ABCDE')}",
             f"номер детали {alnum}{self._digits(4)}",
             f"OEM: 8{self._digits(9)}", f"Парт-номер A{self._digits(10)}", f"Код товара: {self._digits(6)}")
        )  # fmt: skip

    def _n_imei(self, ad: _Ad) -> str:
        """A 15-digit IMEI."""
        r = self.rng
        imei = r.choice(("35", "86", "35", "01")) + f"{r.randrange(10**13):013d}"
        return r.choice((f"IMEI {imei}", f"IMEI: {imei}", f"имей {imei}", f"imei1 {imei}"))

    def _n_inn(self, ad: _Ad) -> str:
        """A 10 or 12 digit INN."""
        r = self.rng
        return f"ИНН {self._digits(r.choice((10, 12)))}"

    def _n_ogrn(self, ad: _Ad) -> str:
        """A 13 digit OGRN or 15 digit OGRNIP."""
        r = self.rng
        return r.choice((f"ОГРН {self._digits(13)}", f"ОГРНИП {self._digits(15)}", f"ОГРН: {self._digits(13)}"))

    def _n_cadastral(self, ad: _Ad) -> str:
        """A cadastral number like 50:21:0110114:1234."""
        r = self.rng
        number = (
            f"{r.randrange(1, 92):02d}:{r.randrange(1, 60):02d}:{r.randrange(100000, 9999999):07d}:"
            f"{r.randrange(1, 9999)}"
        )
        return r.choice((f"кадастровый номер {number}", f"КН {number}", f"Кад. номер: {number}"))

    def _n_size(self, ad: _Ad) -> str:
        """A clothes or shoe size, or a height."""
        r = self.rng
        size = r.randrange(38, 58, 2)
        return r.choice(
            (f"р-р {size}-{size + 2}", f"размер {size}",
             f"размер {r.choice(('S', 'M', 'L', 'XL'))} ({size}-{size + 2})",
             f"рост {r.randrange(150, 195)} см", f"обувь {r.randrange(35, 46)} размер",
             f"на рост {r.randrange(80, 160, 6)}-{r.randrange(86, 166, 6)}")
        )  # fmt: skip

    def _n_dimensions(self, ad: _Ad) -> str:
        """Dimensions like 200х90х45 см."""
        r = self.rng
        a, b, c = r.randrange(40, 240, 5), r.randrange(30, 120, 5), r.randrange(20, 220, 5)
        return r.choice(
            (f"{a}х{b}х{c} см", f"Размеры: {a}*{b}*{c}", f"ШхГхВ {a}х{b}х{c} см",
             f"длина {r.randrange(1, 7)},5 м",
             f"{a * 10}x{b * 10} мм", f"Габариты {a}x{b}x{c}")
        )  # fmt: skip

    def _n_year(self, ad: _Ad) -> str:
        """A year of make or purchase."""
        r = self.rng
        year = r.randrange(1985, 2021)
        return r.choice(
            (f"{year} г.в.", f"год выпуска {year}", f"{year} года", f"куплен в {year} году", f"выпуск {year}")
        )

    def _n_date(self, ad: _Ad) -> str:
        """A date like 'с 01.09.2020'."""
        r = self.rng
        day, month, year = r.randrange(1, 29), r.randrange(1, 13), r.choice((2019, 2020, 2020))
        return r.choice(
            (f"с {day:02d}.{month:02d}.{year}", f"до {day:02d}.{month:02d}.{year}",
             f"дата рождения {day:02d}.{month:02d}.{year % 100:02d}", f"заезд {day:02d}.{month:02d}",
             f"мероприятие {day:02d}.{month:02d}.{year} в {r.randrange(10, 21)}:00")
        )  # fmt: skip

    def _n_hours(self, ad: _Ad) -> str:
        """Opening hours like 'пн-пт 9:00-18:00'."""
        r = self.rng
        start, end = r.randrange(7, 11), r.randrange(17, 22)
        return r.choice(
            (f"пн-пт {start}:00-{end}:00", f"Режим работы: ежедневно с {start}:00 до {end}:00",
             f"сб-вс {start + 1}-{end - 3}", "круглосуточно 24/7", f"график 2/2 с {start}:00 до {end}:00",
             f"прием с {start} до {end}")
        )  # fmt: skip

    def _n_address(self, ad: _Ad) -> str:
        """A street address with house and flat numbers."""
        r = self.rng
        street = r.choice(_STREETS)
        house, flat = r.randrange(1, 150), r.randrange(1, 300)
        return r.choice(
            (f"ул. {street}, д. {house}, кв. {flat}", f"пр-т {street} {house}/{r.randrange(1, 9)}",
             f"ТЦ «{self._brand()}», {r.randrange(1, 4)} этаж, пав. {r.randrange(100, 400)}",
             f"мкр. Северный, {house}к{r.randrange(1, 5)}", f"г. {ad.city}, ул. {street}, {house}")
        )  # fmt: skip

    def _n_at_price(self, ad: _Ad) -> str:
        """'@' used as a price sign: '@ 500 р/шт'."""
        r = self.rng
        price = r.randrange(5, 200) * 10
        return r.choice((f"@ {price} р/шт", f"@{price}р", f"Оптом @ {price} руб", f"{r.randrange(2, 50)} шт @ {price}"))

    def _n_hashtag(self, ad: _Ad) -> str:
        """One to three hashtags."""
        r = self.rng
        words = r.sample(_HASHTAG_WORDS, r.randrange(1, 4))
        return " ".join("#" + word for word in words)

    def _n_avito_chat(self, ad: _Ad) -> str:
        """An invitation to write through the marketplace's chat."""
        return self.rng.choice(_AVITO_CHAT)

    def _n_messenger_name(self, ad: _Ad) -> str:
        """A messenger named without any contact ('есть WhatsApp')."""
        return self.rng.choice(_MESSENGER_NAMES)

    def _n_model_number(self, ad: _Ad) -> str:
        """A model number full of digits ('Antminer S19j Pro 104Th')."""
        r = self.rng
        roll = r.random()
        if roll < 0.5:
            return r.choice(_MODEL_NUMBERS)
        if roll < 0.75:
            # A Latin code followed by digit groups that add up to a mobile-shaped run: "RB2140 901 50-22 150",
            # "PC9 00501-0101" (colour, lens and bridge sizes, a style number).
            letters = "".join(r.choice("ABCDEFGHKLMNPRSTVXZ") for _ in range(r.randrange(1, 4)))
            code = letters + self._digits(r.randrange(1, 5))
            tail = f"9{r.randrange(100):02d}{r.randrange(10**7):07d}"
            shaped = r.choice(
                (f"{tail[:3]} {tail[3:5]}-{tail[5:7]} {tail[7:]}", f"{tail[0]} {tail[1:6]}-{tail[6:]}",
                 f"{tail[:3]}-{tail[3:6]}-{tail[6:]}", f"{tail[:3]} {tail[3:6]} {tail[6:]}")
            )  # fmt: skip
            return r.choice(("", "", "модель ", "на бирке ", "маркировка ", "арт. ")) + f"{code} {shaped}"
        return f"модель {''.join(r.choice(_ALNUM) for _ in range(2))}-{self._digits(4)}{r.choice(_ALNUM)}"

    def _n_oem_number(self, ad: _Ad) -> str:
        """A part number after 'номер'/'артикул' that looks like a phone: '8200 768 913', '79161234567'."""
        r = self.rng
        roll = r.random()
        leads = _OEM_LEADS if r.random() < 0.7 else _OEM_BARE_LEADS
        if roll < 0.35:
            number = r.choice(_OEM_PREFIXES) + f"{r.randrange(10**6):06d}"
            text = r.choice(
                (number, f"{number[:4]} {number[4:7]} {number[7:]}", f"{number[:4]}-{number[4:7]}-{number[7:]}")
            )
        elif roll < 0.6:
            number = r.choice("78") + "9" + f"{r.randrange(10**9):09d}"
            text = number if r.random() < 0.6 else f"{number[0]} {number[1:4]} {number[4:7]} {number[7:]}"
            leads = _OEM_LEADS
        elif roll < 0.8:
            number = (
                f"{r.randrange(10, 100)} {r.randrange(10, 100)} {r.randrange(10)} {self._digits(3)} {self._digits(3)}"
            )
            text = number
        else:
            text = r.choice(
                (f"{self._digits(5)}-{''.join(r.choice(_ALNUM) for _ in range(5))}",
                 f"{r.randrange(1, 9)}K{r.randrange(10)} {self._digits(3)} {self._digits(3)} {r.choice('ABCDE')}")
            )  # fmt: skip
        return r.choice(leads) + text

    def _n_barcode(self, ad: _Ad) -> str:
        """An EAN-13 barcode with a Russian prefix and a valid check digit."""
        r = self.rng
        body = f"{r.randrange(460, 470)}{r.randrange(10**9):09d}"
        check = (10 - sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body)) % 10) % 10
        code = body + str(check)
        shown = code if r.random() < 0.75 else f"{code[0]} {code[1:7]} {code[7:]}"
        return r.choice(("штрихкод ", "Штрих-код: ", "EAN ", "EAN-13: ", "штрих-код на упаковке ")) + shown

    def _n_price_list(self, ad: _Ad) -> str:
        """Several prices in one line."""
        r = self.rng
        a, b, c = sorted(r.randrange(3, 300) * 10 for _ in range(3))
        if ad.style == "service" and r.random() < 0.6:
            return r.choice(
                (f"выезд {a}, диагностика {b}, работа от {_money(c * 10, r)}",
                 f"Цены: от {a} до {_money(c * 10, r)} руб, выезд {b}", f"Прайс: {a} / {b} / {c} руб",
                 f"первичная консультация {a}, полный день {_money(c * 10, r)}")
            )  # fmt: skip
        return r.choice(
            (f"1 шт — {a} р, 10 шт — {_money(b * 10, r)} р, 100 шт — {_money(c * 100, r)} р",
             f"Прайс: S — {a}, M — {b}, L — {c}", f"от 5 шт — {b} руб/шт, от 20 шт — {a} руб/шт",
             f"Цены: {a}/{b}/{c} руб", f"Опт от 10 шт — {a}, розница {b}, под заказ {c}",
             f"за штуку {b} р, комплект {_money(c * 10, r)} р")
        )  # fmt: skip

    def _n_house_parking(self, ad: _Ad) -> str:
        """House, flat, parking place and dimensions together: a phone's worth of digits."""
        r = self.rng
        house, flat, place = r.randrange(1, 150), r.randrange(1, 400), r.randrange(1, 300)
        a, b, c, d = r.randrange(2, 4), r.randrange(1, 10), r.randrange(4, 7), r.randrange(1, 10)
        return r.choice(
            (f"Дом {house}, кв. {flat}, машиноместо {place}, размер {a},{b}х{c},{d} м",
             f"д. {house} кв. {flat} м/м {place} ({a} на {c})",
             f"корпус {r.randrange(1, 6)}, кв. {flat}, парковка № {place}, кладовка {a}х{c}",
             f"ул. {r.choice(_STREETS)} {house}-{flat}, место {place}, {a},{b}х{c},{d}",
             f"дом {house}, подъезд {r.randrange(1, 9)}, этаж {r.randrange(1, 17)}, кв. {flat}, м/м {place}")
        )  # fmt: skip

    def _n_platform_code(self, ad: _Ad) -> str:
        """A model code whose letters look like a platform: 'Насос TG-450', 'микрофон VK-2100'."""
        r = self.rng
        code = r.choice(_PLATFORM_CODES)
        number = r.choice((2, 5, 12, 45, 50, 125, 160, 300, 450, 900, 2100, 2500, 3000, r.randrange(10, 5000)))
        product = r.choice(_PLATFORM_CODE_PRODUCTS)
        return r.choice(
            (f"{product} {code}-{number}", f"модель {code}-{number}", f"{product} {code}{number}",
             f"арт. {code}-{number}", f"{product} серии {code}, модель {code}-{number}")
        )  # fmt: skip

    def _n_provider(self, ad: _Ad) -> str:
        """A provider or brand with a domain-like name: 'Интернет Дом.ру', 'студия beauty-nails' (no zone)."""
        r = self.rng
        if r.random() < 0.55:
            return r.choice(_PROVIDERS)
        name = self._site_name() if r.random() < 0.6 else self._translit_handle().replace("_", "-")
        return r.choice(_PROVIDER_FRAMES).format(name)

    def _n_number_words(self, ad: _Ad) -> str:
        """Number words in clean sentences: 'двухкомнатная, три комнаты, два года'."""
        r = self.rng
        return _cap(", ".join(r.sample(_NUMBER_WORD_POOLS[ad.style], r.choice((2, 3, 3, 4, 5)))))

    def _n_english_words(self, ad: _Ad) -> str:
        """English number words that are no phone: 'размер One Size', 'коллекция Forever 21'."""
        r = self.rng
        return ", ".join(r.sample(_ENGLISH_PHRASES, r.choice((2, 2, 3, 4))))

    def _n_glued_number(self, ad: _Ad) -> str:
        """Digits glued to words: '2-х комнатная', '5ти этажный дом', '3шт по 500р'."""
        r = self.rng
        return ", ".join(r.sample(_GLUED_PHRASES, r.choice((3, 4, 4, 5))))

    def _n_invisible_number(self, ad: _Ad) -> str:
        """Copy-paste junk: invisible characters inside a price, a year, a mileage or a word."""
        r = self.rng
        mark = r.choice(_INVISIBLE)

        def hidden(number: int) -> str:
            digits = str(number)
            cut = r.randrange(1, len(digits))
            return digits[:cut] + mark + digits[cut:]

        value = int(ad.price) if ad.price == ad.price and ad.price >= 100 else r.randrange(10, 500) * 100
        options = (
            f"Цена {hidden(value)} руб", f"{hidden(r.randrange(1995, 2021))} г.в.",
            f"пробег {hidden(r.randrange(20, 300) * 1000)} км", f"куплен в {hidden(r.randrange(2010, 2021))} году",
            f"пере{mark}купщикам не беспокоить", f"площадь {hidden(r.randrange(18, 200))} м²",
            f"без{mark}торга", f"{hidden(r.randrange(10, 99) * 10)} руб за штуку", f"скидка {hidden(r.randrange(10, 60))}%",
        )  # fmt: skip
        return _cap(", ".join(r.sample(options, r.choice((2, 2, 3)))))

    def _n_split_numbers(self, ad: _Ad) -> str:
        """Numbers spread over the ad with the same connecting words as a split phone."""
        r = self.rng
        pieces = r.choice(_SPLIT_NEGATIVES)
        values = {
            "a": r.randrange(50, 900), "b": r.randrange(5, 90), "y": r.randrange(2021, 2026),
            "n": r.randrange(2, 5), "p": _money(r.randrange(5, 400) * 100, r), "q": _money(r.randrange(5, 400) * 100, r),
            "k": r.randrange(2, 25), "d": f"{r.randrange(1, 29):02d}", "m": f"{r.randrange(1, 13):02d}",
            "d2": f"{r.randrange(1, 29):02d}", "m2": f"{r.randrange(1, 13):02d}",
        }  # fmt: skip
        return _BREAK.join(piece.format(**values) for piece in pieces)

    def _n_styled_digits(self, ad: _Ad) -> str:
        """Keycap or full-width digits in a list or a banner."""
        r = self.rng
        number = str(r.randrange(5, 70))
        keycaps = "".join(d + _KEYCAP for d in number)
        wide = "".join(_FULLWIDTH[d] for d in number)
        price = "".join(_FULLWIDTH[d] for d in str(r.randrange(5, 300) * 100))
        date = (
            "".join(_FULLWIDTH[d] for d in f"{r.randrange(1, 29):02d}")
            + "．"
            + "".join(_FULLWIDTH[d] for d in f"{r.randrange(1, 13):02d}")
        )
        steps = r.sample(
            ("Доставка", "Сборка", "Гарантия", "Замер", "Монтаж", "Скидки", "Рассрочка"), r.randrange(3, 6)
        )
        listed = " ".join(f"{i}{_KEYCAP} {step}" for i, step in enumerate(steps, start=1))
        options = (
            listed, f"Скидка {keycaps}%", "🔟 лет на рынке", f"ＳＡＬＥ －{wide}％ до {date}",
            f"Акция {_FULLWIDTH['2']}+{_FULLWIDTH['1']}", f"Размер {wide}", f"Осталось {keycaps} шт",
            f"{keycaps} лет опыта", f"Цена {price} ₽", f"Цена {keycaps}0{_KEYCAP}0{_KEYCAP} руб",
        )  # fmt: skip
        return ", ".join(r.sample(options, r.choice((1, 2, 2))))

    def _n_city_like(self, ad: _Ad) -> str:
        """2-2-2 shapes that are no city number: sizes, rooms, hours, house-flat."""
        r = self.rng
        size = r.randrange(40, 56, 2)
        height = r.randrange(80, 140, 6)
        return r.choice(
            (f"размеры {size}-{size + 2}-{size + 4}", f"рост {height}-{height + 6}-{height + 12}",
             f"офис {r.randrange(1, 9)}-{r.randrange(10, 40)}", f"каб. {r.randrange(1, 6)}-{r.randrange(10, 30)}",
             f"Размер {r.randrange(100, 200)}-{r.randrange(40, 90)}-{r.randrange(40, 90)} см",
             f"приём {r.randrange(8, 11)}-{r.randrange(12, 14)}, {r.randrange(14, 16)}-{r.randrange(17, 20)}",
             f"пн-пт {r.randrange(8, 11)}-00 — {r.randrange(17, 21)}-00",
             f"ул. {r.choice(_STREETS)}, {r.randrange(1, 99)}-{r.randrange(1, 99)}")
        )  # fmt: skip

    def _n_spoken_email(self, ad: _Ad) -> str:
        """'собака' and 'точка' in clean sentences."""
        r = self.rng
        return _cap(", ".join(r.sample(_SPOKEN_EMAIL_PHRASES, r.choice((1, 2, 2)))))

    def _n_slash_words(self, ad: _Ad) -> str:
        """Slashes that are no 'platform/handle': 'б/у', 'S/M/L', 'тг/вотсап через Авито'."""
        r = self.rng
        return _cap(", ".join(r.sample(_SLASH_PHRASES, r.choice((1, 2, 2)))))

    def twin_kind(self, shape: str, category: str) -> str:
        """The look-alike kind that stands in for a contact of the given disguise in a clean slot.

        Among the kinds of that shape, those natural for the category are preferred.
        """
        r = self.rng
        if shape == "plain":
            shape = "plain_" + _PLAIN_KIND.pick(r)
        options = _TWINS[shape]
        natural = [kind for kind in options if kind in _NEGATIVE_PREFERENCE[category]]
        return r.choice(natural if natural and r.random() < 0.7 else options)

    def pick_negative_kinds(self, category: str, count: int) -> list[str]:
        """Distinct hard-negative kinds, mostly those natural for the category."""
        r = self.rng
        preferred = _NEGATIVE_PREFERENCE[category]
        kinds: list[str] = []
        for _ in range(count * 3):
            kind = r.choice(preferred) if r.random() < 0.85 else r.choice(NEGATIVE_KINDS)
            if kind not in kinds:
                kinds.append(kind)
            if len(kinds) == count:
                break
        return kinds

    # ---------------------------------------------------------------- bodies

    def _sentences(self, pool: Sequence[str], count: int) -> list[str]:
        """Up to count distinct phrases from a pool."""
        if count <= 0:
            return []
        return self.rng.sample(pool, min(count, len(pool)))

    def _group_lines(self, sentences: list[str], new_line_share: float) -> list[str]:
        """Join sentences with end punctuation into lines."""
        r = self.rng
        lines: list[str] = []
        current: list[str] = []
        for sentence in sentences:
            end = "" if sentence[-1:] in ".!?:" else r.choice((".", ".", ".", "!", ""))
            if current and r.random() < new_line_share:
                lines.append(" ".join(current))
                current = []
            current.append(sentence + end)
        if current:
            lines.append(" ".join(current))
        return lines

    def body_private(self, ad: _Ad) -> list[str]:
        """A private seller's ad: one to a few lines."""
        r = self.rng
        things, feats = _CONTENT[ad.subcategory]
        thing = r.choice(things)
        ad.title = thing + r.choice(("", "", "", "", " б/у", " новый", ", торг", " срочно", " недорого"))
        roll = r.random()
        size = 1 if roll < 0.3 else 2 if roll < 0.55 else r.randrange(3, 6) if roll < 0.88 else r.randrange(6, 10)
        if ad.style == "car":
            size = max(size, r.randrange(2, 7))
            ad.title = f"{thing}, {r.randrange(1998, 2021)}"
        sentences: list[str] = []
        start = r.random()
        if start < 0.65:
            opener, needs_accusative = _OPENERS.pick(r)
            lowered = _lower_first(thing)
            if needs_accusative:
                lowered = _ACCUSATIVE.get(lowered) or _accusative(lowered)
            elif opener.startswith("Прода") and lowered.split(" ")[0].endswith(("и", "ы", "ята", "ья")):
                opener = "Продаются"
            lead = f"{opener} {lowered}"
            if r.random() < 0.4 and ad.category != "Животные":
                lead += ", " + _lower_first(r.choice(_CONDITIONS))
            sentences.append(lead + r.choice(_EXCLAIM))
        elif start < 0.85 and ad.category != "Животные":
            sentences.append(r.choice(_CONDITIONS))
        if ad.category == "Животные" or ad.subcategory in _NO_CONDITION_SUBCATEGORIES:
            pool = [*feats, r.choice(_DELIVERY), r.choice(_CLOSINGS)]
        else:
            pool = [*feats, *r.sample(_CONDITIONS, 2), r.choice(_REASONS), r.choice(_DELIVERY), r.choice(_CLOSINGS)]
        sentences.extend(self._sentences(pool, size - len(sentences)))
        if not sentences:
            sentences.append(r.choice(feats))
        if r.random() < 0.12:
            return [" ".join(_lower_first(s).lower().rstrip(".!") for s in sentences)]
        return self._group_lines(sentences, 0.35 if size > 3 else 0.15)

    def _bullet_lines(self, items: Sequence[str], ad: _Ad) -> list[str]:
        """Items as bullet lines with the ad's bullet mark."""
        return [f"{ad.bullet} {item}" if ad.bullet else item for item in items]

    def body_shop(self, ad: _Ad) -> list[str]:
        """A shop or company selling goods: greeting, list, advantages, call to action."""
        r = self.rng
        things, feats = _CONTENT[ad.subcategory]
        thing = r.choice(things)
        ad.title = thing + r.choice(("", "", " в наличии", " опт и розница", " с доставкой", " новые", " б/у"))
        if r.random() < 0.35:
            return self.body_private(ad)
        ad.bullet = _BULLETS.pick(r)
        lines: list[str] = []
        if r.random() < 0.5:
            lines.append(r.choice(_GREETINGS))
        brand = self._brand()
        lines.append(
            r.choice(
                (f"Компания «{brand}» предлагает {_lower_first(thing)}.", f"В наличии {_lower_first(thing)}.",
                 f"{thing} — в наличии и под заказ.",
                 f"Магазин «{brand}»: {_lower_first(thing)} по выгодной цене.",
                 f"Продаем {_lower_first(thing)} от производителя.")
            )
        )  # fmt: skip
        if r.random() < 0.5:
            lines.append("")
        if r.random() < 0.4:
            lines.append(r.choice(("В наличии:", "Ассортимент:", "Также есть:", "ПРОДАЕМ:")))
            items = self._sentences(things, r.randrange(2, 7))
            if r.random() < 0.4:
                items = [f"{item} {r.choice(_CATALOG_VARIANTS)}" for item in items for _ in range(r.randrange(1, 4))]
            lines.extend(self._bullet_lines(items, ad))
        lines.append(r.choice(_HEADINGS))
        items = self._sentences(feats, r.randrange(1, 4)) + self._sentences(_ADVANTAGES, r.randrange(2, 6))
        lines.extend(self._bullet_lines(items, ad))
        if r.random() < 0.5:
            lines.append("")
        lines.append(r.choice(_CTAS))
        return lines

    def body_business(self, ad: _Ad) -> list[str]:
        """A business for sale: prose paragraphs and a list of what is included."""
        r = self.rng
        things, feats = _CONTENT[ad.subcategory]
        thing = r.choice(things)
        ad.title = thing
        ad.bullet = _BULLETS.pick(r)
        lines: list[str] = []
        if r.random() < 0.4:
            lines.append(r.choice(_GREETINGS))
        lines.append(f"{r.choice(('Продается', 'Продам', 'Предлагаем к покупке'))} {_lower_first(thing)}.")
        lines.extend(self._group_lines(self._sentences(feats, r.randrange(2, 6)), 0.5))
        if r.random() < 0.6:
            lines.append(r.choice(("В стоимость входит:", "Что получаете:", "Передается:", "Оборудование:")))
            lines.extend(self._bullet_lines(self._sentences(_ADVANTAGES, r.randrange(2, 6)), ad))
        lines.append(r.choice((*_CTAS, "Рассмотрю разумные предложения.", "Все подробности при встрече.")))
        return lines

    def body_service(self, ad: _Ad) -> list[str]:
        """A service ad: short note or long list of works with emoji bullets."""
        r = self.rng
        generic = ad.subcategory == "Предложение услуг"
        topic_key = r.choice(tuple(_SERVICE_TOPICS)) if generic else ad.subcategory
        titles, works = _SERVICE_TOPICS[topic_key]
        title = r.choice(titles)
        ad.title = title + r.choice(("", "", "", " недорого", " быстро", " качественно", " в вашем городе"))
        if r.random() < 0.25:
            sentences = [title, *self._sentences(works, r.randrange(1, 3)), r.choice(_ADVANTAGES)]
            return self._group_lines(sentences, 0.3)
        ad.bullet = _BULLETS.pick(r)
        lines: list[str] = []
        if r.random() < 0.5:
            lines.append(r.choice(_GREETINGS))
        lines.append(
            r.choice(
                (f"{title}. Опыт работы больше {r.randrange(3, 20)} лет.",
                 f"Выполним: {_lower_first(title)}.",
                 f"{title} — быстро и качественно.", f"Команда «{self._brand()}»: {_lower_first(title)}.",
                 f"Предлагаю услуги: {_lower_first(title)}.")
            )
        )  # fmt: skip
        lines.append(r.choice(("Виды работ:", "Мы предлагаем:", "Услуги:", "Что делаем:", "Выполняем:")))
        lines.extend(self._bullet_lines(self._sentences(works, r.randrange(3, 9)), ad))
        if r.random() < 0.7:
            if r.random() < 0.5:
                lines.append("")
            lines.append(r.choice(_HEADINGS))
            lines.extend(self._bullet_lines(self._sentences(_ADVANTAGES, r.randrange(2, 6)), ad))
        lines.append(r.choice(_CTAS))
        return lines

    def body_job(self, ad: _Ad) -> list[str]:
        """A vacancy: duties, requirements, conditions."""
        r = self.rng
        position, duties = r.choice(_JOB_POSITIONS)
        ad.title = position + r.choice(("", "", "", " (без опыта)", ", вахта", " в магазин", " на склад"))
        intro = r.choice(_JOB_INTROS).format(brand=self._brand(), pos=_lower_first(position))
        intro = _cap(intro)
        if r.random() < 0.3:
            parts = [intro, _cap(r.choice(duties)), _cap(r.choice(_JOB_CONDITIONS)), r.choice(_JOB_SALARY_WORDS)]
            return self._group_lines(parts, 0.3)
        ad.bullet = r.choice(("-", "•", "✔️", "—", "▪️", ""))
        lines = [intro, ""]
        for heading, pool, low, high in (
            ("Обязанности:", duties, 2, 3),
            ("Требования:", _JOB_REQUIREMENTS, 2, 5),
            ("Условия:", _JOB_CONDITIONS, 2, 6),
        ):
            lines.append(heading)
            lines.extend(self._bullet_lines(self._sentences(pool, r.randrange(low, high + 1)), ad))
        if r.random() < 0.5:
            lines.append(r.choice(_JOB_SALARY_WORDS))
        lines.append(
            r.choice(("Ждем ваших откликов!", "Звоните!", "Откликайтесь на Авито.", "Приходите на собеседование!"))
        )
        return lines

    def body_resume(self, ad: _Ad) -> list[str]:
        """A job seeker's short resume."""
        r = self.rng
        position, duties = r.choice(_JOB_POSITIONS)
        ad.title = r.choice((position, f"Ищу работу: {_lower_first(position)}", f"{position}, подработка"))
        sentences = [f"Ищу работу — {_lower_first(position)}", *self._sentences(_RESUME_LINES, r.randrange(1, 5))]
        if r.random() < 0.5:
            sentences.insert(1, "Умею: " + ", ".join(self._sentences(duties, 2)))
        return self._group_lines(sentences, 0.4)

    def body_realty(self, ad: _Ad) -> list[str]:
        """Real estate: area, floor, amenities; agencies write longer lists."""
        r = self.rng
        sub = ad.subcategory
        facts = _REALTY_FACTS[sub]
        rent = r.random() < 0.4
        if sub == "Квартиры":
            rooms = r.choice((1, 1, 2, 2, 3, 4))
            area = round(18 + rooms * 16 + r.random() * 20, 1)
            floors = r.choice((5, 9, 10, 12, 14, 17, 25))
            floor = r.randrange(1, floors + 1)
            shown = f"{area:g}".replace(".", ",")
            ad.title = f"{rooms}-к квартира, {shown} м², {floor}/{floors} эт."
            verb = "Сдается" if rent else "Продается"
            first = r.choice(
                (f"{verb} {rooms}-комнатная квартира, {shown} кв.м.", f"{verb} {rooms}-к. квартира.",
                 f"{verb} уютная квартира в {r.choice(('центре', 'спальном районе', 'новом доме', 'тихом районе'))}.")
            )  # fmt: skip
            detail = f"{floor} этаж {floors}-этажного дома, кухня {r.randrange(6, 16)} м²."
        elif sub == "Комнаты":
            area = r.randrange(9, 25)
            ad.title = f"Комната {area} м² в {r.randrange(2, 5)}-к, {r.randrange(1, 9)}/9 эт."
            first = f"{'Сдам' if rent else 'Продам'} комнату {area} кв.м."
            detail = r.choice(("В квартире ещё две комнаты.", "Комната в общежитии секционного типа."))
        elif sub == "Дома, дачи, коттеджи":
            area, land = r.randrange(30, 300), r.randrange(4, 30)
            ad.title = f"{r.choice(('Дом', 'Дача', 'Коттедж'))} {area} м² на участке {land} сот."
            first = f"Продается {r.choice(('дом', 'дача', 'коттедж', 'дом с участком'))}."
            detail = f"Площадь дома {area} кв.м, участок {land} соток."
        elif sub == "Земельные участки":
            land = r.randrange(4, 50)
            ad.title = f"Участок {land} сот. ({r.choice(('ИЖС', 'СНТ, ДНП', 'промназначения'))})"
            first = f"Продам земельный участок {land} соток."
            detail = r.choice(("Категория земель — населенных пунктов.", "Разрешенное использование — ИЖС."))
        elif sub == "Гаражи и машиноместа":
            area = r.randrange(12, 40)
            ad.title = f"{r.choice(('Гараж', 'Машиноместо'))}, {area} м²"
            first = f"{'Сдам' if rent else 'Продам'} {r.choice(('гараж', 'кирпичный гараж', 'машиноместо'))}."
            detail = f"Площадь {area} кв.м."
        else:
            area = r.randrange(20, 900)
            ad.title = (
                f"{r.choice(('Помещение свободного назначения', 'Офис', 'Торговое помещение', 'Склад'))}, {area} м²"
            )
            first = f"{'Сдается' if rent else 'Продается'} помещение {area} м²."
            detail = r.choice(("Потолки высокие.", "Ремонт под офис.", "Есть витринные окна."))
        if r.random() < 0.3:
            ad.bullet = _BULLETS.pick(r)
            lines = [first, detail, r.choice(("Преимущества:", "Особенности:", "В квартире:", "Плюсы:"))]
            lines.extend(self._bullet_lines([f.rstrip(".") for f in self._sentences(facts, r.randrange(3, 7))], ad))
            lines.append(
                r.choice(
                    ("Звоните, покажем в удобное время!", "Ждем вас на просмотр.", "Агентство, без скрытых комиссий.")
                )
            )
            return lines
        sentences = [
            first.rstrip("."),
            detail.rstrip("."),
            *(f.rstrip(".") for f in self._sentences(facts, r.randrange(1, 5))),
        ]
        return self._group_lines(sentences, 0.3)

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

    def callout(self) -> str:
        """A contact-intent sentence without a contact, built from the same lead-ins, names and frames."""
        r = self.rng
        roll = r.random()
        text = r.choice(_CALLOUTS)
        if roll >= 0.4:
            pool = (
                _PHONE_LEADS if roll < 0.7 else _WA_LEADS if roll < 0.82 else _EMAIL_LEADS if roll < 0.9 else _URL_LEADS
            )
            lead = pool.pick(r).strip().rstrip(":").strip()
            if lead:
                text = f"{lead} {r.choice(_NO_CONTACT_ENDINGS)}"
        roll = r.random()
        if roll < 0.25:
            before, after = r.choice(_EMBED_TEMPLATES)
            return before + _lower_first(text.rstrip(".!")) + after
        if roll < 0.4:
            tail = _PHONE_TAILS.pick(r)
            return text.rstrip(".!") + (tail or r.choice((" (Иван)", " Сергей"))) + "."
        return text

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


_BODIES: dict[str, str] = {
    "private": "body_private",
    "car": "body_private",
    "shop": "body_shop",
    "business": "body_business",
    "service": "body_service",
    "job": "body_job",
    "resume": "body_resume",
    "realty": "body_realty",
}


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
                if slot == 0:
                    disguise = f"title:{name}" if in_title else name
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


_ACCUSATIVE: dict[str, str] = {
    _lower_first(thing): _accusative(_lower_first(thing)) for things, _ in _CONTENT.values() for thing in things
}
