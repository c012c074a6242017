"""Normalization: number words, look-alikes, e-mail words, and the offset map's invariants."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from core.config import DetectSettings
from core.engine import normalize as normalize_module
from core.engine.detectors import build_detectors, find_contacts
from core.engine.normalize import _HINT_SEPARATOR, _LOOKALIKE_HINT, _RUN_SEPARATOR, normalize, words_to_numbers

DETECTORS = build_detectors(DetectSettings())


def test_compound_number_words() -> None:
    words = [
        "восемь",
        "девятьсот",
        "двенадцать",
        "триста",
        "сорок",
        "пять",
        "шестьдесят",
        "семь",
        "восемьдесят",
        "девять",
    ]
    assert words_to_numbers(words) == ["8", "912", "345", "67", "89"]
    assert words_to_numbers(["сорок", "пять"]) == ["45"]
    assert words_to_numbers(["девять", "один", "два"]) == ["9", "1", "2"]
    assert words_to_numbers(["двенадцать", "пять"]) == ["12", "5"]
    assert words_to_numbers(["сто", "пять"]) == ["105"]


def test_normalized_text_and_map_back() -> None:
    raw = "тел: ivan собака mail точка ru или 8 9I2 З45 67 89"
    normalized = normalize(raw)
    assert normalized.text == "тел: ivan@mail.ru или 8 912 345 67 89"
    start = normalized.text.index("ivan")
    assert raw[slice(*normalized.to_raw(start, start + len("ivan@mail.ru")))] == "ivan собака mail точка ru"


def test_plain_text_is_identity() -> None:
    raw = "Продам диван, самовывоз"
    normalized = normalize(raw)
    assert normalized.text == raw
    assert normalized.to_raw(3, 7) == (3, 7)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_offset_map_is_monotonic_and_in_bounds(raw: str) -> None:
    normalized = normalize(raw)
    if normalized.starts is None:
        assert normalized.text == raw
        return
    assert len(normalized.starts) == len(normalized.ends) == len(normalized.text)
    assert all(0 <= s < e <= len(raw) for s, e in zip(normalized.starts, normalized.ends, strict=True))
    assert normalized.starts == sorted(normalized.starts)
    assert normalized.ends == sorted(normalized.ends)


ad_alphabet = st.sampled_from(
    list("0123456789 +-().,:/@_#")
    + list("абвгдеёжзийклмнопрстуфхцчшщъыьэюяОЗlIб")
    + ["восемь ", "собака ", "точка ", "8️⃣", "９", "\u200b", "\u00ad", "\ufeff", "nine ", "vosem", "ＡＢ", "dot ", "ат "]
    + ["\u202e", "\u202c", "𝒌𝒐", "ꜱᴘʙ", "Ο", "【", "】", "𝟖"]
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=200), st.lists(ad_alphabet, max_size=80).map("".join)))
def test_arbitrary_text_never_crashes_and_spans_are_ordered_in_bounds(raw: str) -> None:
    spans = find_contacts(raw, DETECTORS, min_score=0.0)
    previous_finish = 0
    for span in spans:
        assert 0 <= span.start < span.finish <= len(raw)
        assert span.start >= previous_finish
        assert raw[span.start : span.finish] == span.text
        assert 0.0 <= span.score <= 1.0
        previous_finish = span.finish


def test_ordinary_words_that_begin_like_platform_words_name_no_platform() -> None:
    # "холодильник" holds "ник", "инструкция" begins like "инст": neither makes spelled or spaced letters a handle
    assert normalize("холодильник LG, модель по буквам: эл джи эс эм").text.endswith("по буквам: lgsm")
    assert normalize("в тг, ник по буквам: эл джи эс эм").text.endswith("по буквам: @lgsm")
    assert normalize("инструкция: m o d e l 5 0 0 в комплекте").text == "инструкция: m o d e l 5 0 0 в комплекте"
    assert normalize("инст: m o d e l 5 0 0").text == "инст: model500"


def test_sums_are_worked_out_only_in_an_ad_that_asks_to_count() -> None:
    assert normalize("ковер, например 2×3 м, примерно 4×5").text == "ковер, например 2×3 м, примерно 4×5"
    assert normalize("посчитайте: 8 (900+15) 6 (40+4) 23 17").text == "посчитайте: 8 915 6 44 23 17"


def test_merged_digit_hint_finds_the_characters_either_hint_finds() -> None:
    # _ANY_DIGIT_HINT gates _digit_edits in place of _SYMBOL_DIGIT_HINT or _OTHER_DIGIT_HINT: the same code points
    every = "".join(map(chr, range(0xD800))) + "".join(map(chr, range(0xE000, 0x110000)))
    merged = [m.start() for m in normalize_module._ANY_DIGIT_HINT.finditer(every)]
    either = {m.start() for hint in (normalize_module._SYMBOL_DIGIT_HINT, normalize_module._OTHER_DIGIT_HINT)
              for m in hint.finditer(every)}  # fmt: skip
    assert merged == sorted(either)


def test_what_only_changes_rendering_is_read_as_shown() -> None:
    cases = {
        "пишите: 𝓻𝓮𝓷𝓽𝓪.𝓸𝓯𝓯𝓲𝓬𝓮@𝔂𝓪𝓷𝓭𝓮𝔁.𝓻𝓾": "пишите: renta.office@yandex.ru",  # math script letters
        "в тг ꜱɴᴇᴀᴋᴇʀʙʀᴏ_ꜱᴘʙ": "в тг sneakerbro_spb",  # small capitals
        "Звоните 8 9Ο4 7Ο1 2Ο 35": "Звоните 8 904 701 20 35",  # Greek Omicron as a look-alike zero
        "почта watch.lux【at】gmail【dot】com": "почта watch.lux@gmail.com",  # decorative brackets
        "Ватсап: \u202e46 28 053 719 7+\u202c.": "Ватсап: +7 917 350 82 64.",  # right-to-left override
    }
    for raw, shown in cases.items():
        assert normalize(raw).text == shown
    raw = "Ватсап: \u202e46 28 053 719 7+\u202c."
    normalized = normalize(raw)
    start = normalized.text.index("+7")
    assert normalized.to_raw(start, start + len("+7 917 350 82 64")) == (raw.index("4"), raw.index("+") + 1)
    assert [s.text for s in find_contacts(raw, DETECTORS)] == ["46 28 053 719 7+"]
    # Greek text that is not a look-alike, and a micro sign, stay as they are
    assert normalize("конденсатор 10 μF, Ω").text == "конденсатор 10 μF, Ω"


def test_spoken_signs_in_brackets_cases_and_spaced_zones() -> None:
    cases = {
        "Портфолио: anyashoots (дот) com": "Портфолио: anyashoots.com",  # a bracketed "дот"
        "пишите chasy.klintsy в собаке гмейл ком": "пишите chasy.klintsy@gmail.com",  # "в собаке"
        "пишите: boardgame_nsk @ yandex ru": "пишите: boardgame_nsk@yandex.ru",  # spaced sign, spaced zone
    }
    for raw, read in cases.items():
        assert normalize(raw).text == read
    assert normalize("Собака в собаке души не чает").text == "Собака в собаке души не чает"
    assert normalize("лодка @ yandex ru").text != "лодка@yandex.ru"  # no Latin login before the sign


def test_a_dot_then_a_space_before_any_zone_is_undone_on_its_own() -> None:
    # the hidden-dot gate once let these through only when another hint ("www", " ru"…) stood in the same text
    assert normalize("Окна ПВХ, сайт okna-kzn16. pro").text == "Окна ПВХ, сайт okna-kzn16.pro"
    assert normalize("каталог в тг: t. me/stoney_resale").text == "каталог в тг: t.me/stoney_resale"


def test_spoken_slash_and_dash_words_are_read_in_any_case() -> None:
    # the passes read them ignoring case; their gates asked the words in lower case only
    assert normalize("vk.com СЛЕШ ivan_petrov").text == "vk.com/ivan_petrov"
    assert normalize("ok.ru Слэш profile_77").text == "ok.ru/profile_77"
    # (upper-case dash words were already read by the e-mail hyphen pass: a guard, not the fix)
    assert normalize("8 912 ТИРЕ 345 ТИРЕ 67 ТИРЕ 89").text == "8 912-345-67-89"


def test_a_lookalike_run_split_by_underscores_opens_the_gate() -> None:
    separator, hint_separator = re.compile(_RUN_SEPARATOR), re.compile(_HINT_SEPARATOR)
    missing = [c for c in map(chr, range(0x110000)) if separator.fullmatch(c) and not hint_separator.fullmatch(c)]
    assert missing == []  # every separator a run may hold counts for the gate
    assert _LOOKALIKE_HINT.search("звоните 8_9_1_2_ЗЗ_ОО_12_34") is not None
    # end to end: a run whose look-alikes stand only between underscores was never decoded before
    assert normalize("звоните 8_912_ЗЗЗ_45_67").text == "звоните 8_912_333_45_67"


def test_no_lookalike_edit_that_changes_nothing() -> None:
    # "86" of "86🅾р": the token pattern backs off its look-alike; a digit glued to a name is plain, not a look-alike
    assert normalize("код 86🅾р").edits == []
    assert not [e for e in normalize("Звони89992184407Василий").edits if e.op == "lookalike"]
    assert [s.disguise for s in find_contacts("Звони89992184407Василий", DETECTORS)] == ["plain"]


def test_other_forms_of_the_dog_word_in_brackets_between_an_address_parts() -> None:
    assert normalize("скину на мыло: pryazha_nina (собачка) inbox ру").text == "скину на мыло: pryazha_nina@inbox.ru"
    assert normalize("pryazha_nina [собаку] mail ru").text == "pryazha_nina@mail.ru"
    assert normalize("Корм сухой (собаки) 15 кг").text == "Корм сухой (собаки) 15 кг"  # no address around it


def test_a_programmers_literal_keeps_its_base_letters() -> None:
    # "0o…", "0b…" and hex digits belong to the base: no look-alike digits inside (the phone detector decodes them)
    for text in ("номер в hex: 0x14c26c66b0", "номер 0o1231030075651", "bin: 0b1000100010000011010101100010000111"):
        assert normalize(text).text == text
    # a short piece is still a look-alike: "0O4" is a piece of a number, no octal literal
    assert normalize("Звоните: 8 nine 1 семь 0O4 two три 5 5").text == "Звоните: 8 9 1 7 004 2 3 5 5"


def test_an_english_number_word_after_a_look_alike_digit_is_read() -> None:
    # "сорок, l one": number words, a look-alike "l" for 1, then an English word, which is a digit too
    assert normalize("Звоните: 8 nine один 7 three шесть five, сорок, l one").text == "Звоните: 8 9 1 7 3 6 5 40, 1 1"
    # "one" alone after a look-alike letter with no number words before it stays a word
    assert normalize("Модель l one, цвет чёрный").text == "Модель l one, цвет чёрный"


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet="0123456789abcdefABCDEF# \t:,-_xй٣\n.", max_size=30))
def test_hex_bytes_pattern_led_by_its_class_finds_what_the_look_behind_first_one_did(text: str) -> None:
    # (_HEX_BYTES_TEXT_RE asks "no word character or '#' before" after its first digit, so the engine scans for it)
    reference = re.compile(r"(?<![\w#])[0-9A-Fa-f]{2}(?:[ \t:,\-][0-9A-Fa-f]{2}){3,}(?!\w)")
    found = [m.span() for m in normalize_module._HEX_BYTES_TEXT_RE.finditer(text)]
    assert found == [m.span() for m in reference.finditer(text)]
    for fixed in ("6B 6F 64 65", "x 6B:6F:64:65", "#6B 6F 64 65 66", "a6B 6F 64 65 66"):
        found = [m.span() for m in normalize_module._HEX_BYTES_TEXT_RE.finditer(fixed)]
        assert found == [m.span() for m in reference.finditer(fixed)]
