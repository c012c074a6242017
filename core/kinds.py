"""The one registry of contact kinds and disguises: names, moderators' labels, colours and help.

Everything else derives from here: the config's allowed detector names, the span disguise labels used by
the generator and the slice metrics, the UI's labels and highlight colours. Adding a kind or a disguise
starts here (then a detector in `core.engine.detectors` and a builder in `core.lifecycle.synth`; tests check that both
exist for every name registered here).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ContactKind:
    """A kind of contact: its name in data and config, its Russian label, highlight colours and help."""

    name: str
    label: str
    background: str
    border: str
    help: str


@dataclass(frozen=True, slots=True)
class Disguise:
    """A way sellers hide a contact: its name in gold spans and metrics, its Russian label and an example."""

    name: str
    label: str
    example: str


KINDS: tuple[ContactKind, ...] = (
    ContactKind("phone", "телефон", "#ffd9d6", "#c62828", "Мобильные и городские номера в любой записи"),
    ContactKind("email", "email", "#d8e8ff", "#1565c0", "Адреса почты, в том числе словами (собака, точка)"),
    ContactKind("messenger", "мессенджер", "#eadcff", "#6a1b9a", "Ники и ссылки Telegram, Skype, Discord"),
    ContactKind("url", "ссылка", "#d5f5dd", "#2e7d32", "Адреса сайтов и ссылки"),
    ContactKind("social", "соцсеть", "#fff0bf", "#b26a00", "Профили ВКонтакте, Instagram, YouTube, TikTok"),
)

DISGUISE_REGISTRY: tuple[Disguise, ...] = (
    Disguise("plain", "без маскировки", "+7 912 345-67-89, ivan@mail.ru, https://site.ru"),
    Disguise("separators", "цифры с разделителями", "8.912.345.67.89, 8(912)345*67*89"),
    Disguise("spaced", "цифры через пробел", "8 9 1 2 3 4 5 6 7 8 9"),
    Disguise("words", "цифры словами", "восемь девятьсот двенадцать …"),
    Disguise("mixed_words", "цифры и слова вперемешку", "8 девятьсот 12 345 шестьдесят семь 89"),
    Disguise("lookalike", "похожие буквы вместо цифр", "8 9I2 З45 67 89"),
    Disguise("emoji", "цифры-эмодзи", "8️⃣9️⃣1️⃣2️⃣"),
    Disguise("fullwidth", "широкие цифры", "８９１２"),
    Disguise("scattered", "цифры вперемешку с буквами", "8а9б1в2…"),
    Disguise("split_sentences", "номер разбит на предложения", "Звоните 8 912. Остальное 345 67 89"),
    Disguise("city_number", "городской номер", "(3452) 12-34-56, 45-67-89"),
    Disguise("messenger_number", "номер для мессенджера", "WhatsApp 8 912 345 67 89"),
    Disguise("handle", "ник в мессенджере", "@ivan_petrov, tg: ivan, t.me/ivan"),
    Disguise("cyrillic_handle", "ник кириллицей", "тг иван_петров"),
    Disguise("social_link", "ссылка на соцсеть", "vk.com/id1, инст: ivan"),
    Disguise("email_words", "почта словами (собака, точка)", "ivan собака mail точка ru"),
    Disguise("email_spaced", "почта через пробелы", "i v a n @ m a i l . r u"),
    Disguise("url_words", "адрес сайта словами", "site точка ру"),
    Disguise("english_words", "цифры английскими словами", "eight nine one two"),
    Disguise("glued", "цифры и слова слитно", "8девятьсот12 345 шестьдесят7 89"),
    Disguise("invisible", "невидимые символы между цифрами", "8 9\u200b1\u200b2 345"),
    Disguise("split_pieces", "номер разбит на части", "первые цифры 8 912 … окончание 67 89"),
    Disguise("platform_handle", "ник после названия площадки", "инст ivan.petrov, ютуб remont_master"),
    Disguise("slash_handle", "ник после косой черты", "тг/ivan_petrov, вк / santehnik_msk"),
    Disguise("domain_space", "адрес сайта с пробелом", "remont-kvartir ru, мастер . рф"),
    Disguise("reversed", "номер задом наперёд", "номер наоборот: 98 76 543 219 8"),
    Disguise("keyed", "номер по ключу из объявления", "А=1, Б=2 … И=9, О=0: З-ИВЕ-ДЖБ-ГД-ОА"),
    Disguise("blanks", "номер с пропусками", "8 9__ 512 40 77 — вместо пропуска впишите 6"),
)

CONTACT_KINDS: tuple[str, ...] = tuple(kind.name for kind in KINDS)
DISGUISES: tuple[str, ...] = tuple(disguise.name for disguise in DISGUISE_REGISTRY)
KIND_LABELS: dict[str, str] = {kind.name: kind.label for kind in KINDS}
KIND_COLORS: dict[str, tuple[str, str]] = {kind.name: (kind.background, kind.border) for kind in KINDS}
DISGUISE_LABELS: dict[str, str] = {disguise.name: disguise.label for disguise in DISGUISE_REGISTRY}
