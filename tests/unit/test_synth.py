"""Tests of the synthetic ad generator: format, gold spans, disguises, shares, determinism."""

from __future__ import annotations

import json
import re
import unicodedata

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from core.config import CATEGORIES, SynthSettings
from core.engine.spans import spans_from_json
from core.kinds import CONTACT_KINDS, DISGUISES
from core.lifecycle.synth import (
    COLUMNS,
    NEGATIVE_KINDS,
    SPLIT_PERIODS,
    generate_ads,
    generate_splits,
    number_words,
)

EXPECTED_COLUMNS = [
    "title",
    "description",
    "subcategory",
    "category",
    "price",
    "region",
    "city",
    "datetime_submitted",
    "is_bad",
    "spans",
    "disguise",
    "negative_kind",
]
DIGIT_DISGUISES = {
    "plain",
    "separators",
    "spaced",
    "words",
    "mixed_words",
    "english_words",
    "glued",
    "invisible",
    "lookalike",
    "emoji",
    "fullwidth",
    "scattered",
    "city_number",
    "messenger_number",
}
NEW_DISGUISES = (
    "english_words",
    "glued",
    "invisible",
    "split_pieces",
    "platform_handle",
    "slash_handle",
    "domain_space",
)
INVISIBLE = "\u200b\u2060\ufeff\u00ad"
LOOKALIKE = {"О": "0", "O": "0", "o": "0", "о": "0", "l": "1", "I": "1", "|": "1", "З": "3", "з": "3"}
LOOKALIKE |= {"б": "6", "Ч": "4", "В": "8", "S": "5"}
# word -> (value, magnitude): units 1, teens and tens 2, hundreds 3
SPOKEN: dict[str, tuple[int, int]] = {}
for _words in (
    ("ноль", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять"),
    ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"),
):
    for _value, _word in enumerate(_words):
        SPOKEN[_word] = (_value, 1)
for _value, _word in enumerate(
    ("единица", "двойка", "тройка", "четвёрка", "пятёрка", "шестёрка", "семёрка", "восьмёрка", "девятка"), start=1
):
    SPOKEN[_word] = SPOKEN[_word.replace("ё", "е")] = (_value, 1)
for _words in (
    (
        "десять",
        "одиннадцать",
        "двенадцать",
        "тринадцать",
        "четырнадцать",
        "пятнадцать",
        "шестнадцать",
        "семнадцать",
        "восемнадцать",
        "девятнадцать",
    ),
    ("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"),
):
    for _value, _word in enumerate(_words, start=10):
        SPOKEN[_word] = (_value, 2)
for _words in (
    ("двадцать", "тридцать", "сорок", "пятьдесят", "шестьдесят", "семьдесят", "восемьдесят", "девяносто"),
    ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"),
):
    for _value, _word in enumerate(_words, start=2):
        SPOKEN[_word] = (_value * 10, 2)
for _value, _word in enumerate(
    ("сто", "двести", "триста", "четыреста", "пятьсот", "шестьсот", "семьсот", "восемьсот", "девятьсот"), start=1
):
    SPOKEN[_word] = (_value * 100, 3)
# Misspelled words a seller writes as he hears them, read as the word they stand for.
MISHEARD = {
    "восем": "восемь", "васемь": "восемь", "девятсот": "девятьсот", "двацать": "двадцать", "двадцат": "двадцать",
    "тристо": "триста", "пицот": "пятьсот", "пятсот": "пятьсот", "шездесят": "шестьдесят",
    "шестдесят": "шестьдесят", "двенацать": "двенадцать", "девяноста": "девяносто", "пидесят": "пятьдесят",
    "пятдесят": "пятьдесят", "семдесят": "семьдесят", "восемдесят": "восемьдесят", "читыре": "четыре",
    "сорак": "сорок", "шеснадцать": "шестнадцать", "тридцат": "тридцать", "одинацать": "одиннадцать",
}  # fmt: skip
SPOKEN.update({wrong: SPOKEN[right] for wrong, right in MISHEARD.items()})
# English digit names heard and written in Cyrillic letters.
HEARD_ENGLISH = {
    "зиро": "zero", "зеро": "zero", "ван": "one", "уан": "one", "ту": "two", "фри": "three", "сри": "three",
    "фо": "four", "фор": "four", "файв": "five", "сикс": "six", "сэвэн": "seven", "севен": "seven",
    "сэвен": "seven", "эйт": "eight", "найн": "nine",
}  # fmt: skip
SPOKEN.update({heard: SPOKEN[english] for heard, english in HEARD_ENGLISH.items()})
# Digit names in Uzbek (Latin; read without the apostrophe, "to'rt" = "tort"), Tajik and Kyrgyz.
CENTRAL_ASIAN = (
    ("nol", "bir", "ikki", "uch", "tort", "besh", "olti", "yetti", "sakkiz", "toqqiz"),
    ("сифр", "як", "ду", "се", "чор", "панҷ", "шаш", "ҳафт", "ҳашт", "нӯҳ"),
    ("нөл", "бир", "эки", "үч", "төрт", "беш", "алты", "жети", "сегиз", "тогуз"),
)
for _names in CENTRAL_ASIAN:
    for _value, _word in enumerate(_names):
        SPOKEN[_word] = (_value, 1)
ZEROS = ("ноль", "zero", "зиро", "зеро", "nol", "сифр", "нөл")
SKIPPED = {"плюс", "plus"}


@pytest.fixture(scope="module")
def ads() -> pd.DataFrame:
    """Twenty thousand ads with default settings (generated once for the module)."""
    return generate_ads(20_000, 11)


@pytest.fixture(scope="module")
def spans_of(ads: pd.DataFrame) -> list[list[dict]]:
    """The parsed gold spans of every ad."""
    return [json.loads(text) for text in ads["spans"]]


def decode_digits(text: str) -> str:
    """Read the digits a disguised phone spells out, the way a person would.

    Number words (Russian, English, colloquial 'восьмёрка'), look-alike letters, keycap and full-width
    digits; invisible characters are ignored; words merge into a number like people say them
    ('девятьсот двенадцать' = 912) and digits right after a round word fill it ('девятьсот12' = 912).
    """
    digits: list[str] = []
    group_value, group_width, last_magnitude = 0, 0, 0

    def flush() -> None:
        nonlocal group_value, group_width, last_magnitude
        if group_width:
            digits.append(str(group_value).zfill(group_width))
        group_value, group_width, last_magnitude = 0, 0, 0

    normalized = unicodedata.normalize("NFKC", text).translate(dict.fromkeys(map(ord, (*INVISIBLE, "'"))))
    for chunk in re.findall(r"(?:[^\W_]|\|)+", normalized):
        tokens: list[tuple[str, str]] = []
        for run in re.findall(r"\d+|[^\W\d_]+|\|", chunk):
            word = run.lower()
            if word in SPOKEN or word in SKIPPED:
                tokens.append(("word", word))
            elif run.isdigit() or all(char in LOOKALIKE for char in run):
                mapped = "".join(LOOKALIKE.get(char, char) for char in run)
                if tokens and tokens[-1][0] == "digits":
                    tokens[-1] = ("digits", tokens[-1][1] + mapped)
                else:
                    tokens.append(("digits", mapped))
            else:
                raise AssertionError(f"cannot read {run!r} in {text!r}")
        for kind, token in tokens:
            if kind == "digits":
                if group_width and len(token) < last_magnitude:
                    group_value += int(token)
                    flush()
                else:
                    flush()
                    digits.append(token)
                continue
            if token in SKIPPED:
                continue
            value, magnitude = SPOKEN[token]
            if token in ZEROS:
                flush()
                digits.append("0")
            elif 10 <= value < 20:
                if not (group_width and last_magnitude == 3):
                    flush()
                    group_width = 2
                group_value += value
                flush()
            elif group_width and magnitude < last_magnitude:
                group_value += value
                last_magnitude = magnitude
            else:
                flush()
                group_value, group_width, last_magnitude = value, magnitude, magnitude
    flush()
    return "".join(digits)


def test_decoder_reads_composed_numbers() -> None:
    assert decode_digits("8девятьсот12 345 шестьдесят7 89") == "89123456789"
    assert decode_digits("+7 nine twelve 345 sixty-seven 89") == "79123456789"
    assert decode_digits("восьмёрка 9I2 З45, шестьдесят семь, 8️⃣9️⃣") == "89123456789"
    assert decode_digits("8 9\u200b1\u00ad2 ３４５ 67 89") == "89123456789"
    assert decode_digits("шесть ноль 7") == "607"


def test_number_words_reads_groups_like_people_say_them() -> None:
    assert number_words("912") == "девятьсот двенадцать"
    assert number_words("345") == "триста сорок пять"
    assert number_words("67") == "шестьдесят семь"
    assert number_words("05") == "ноль пять"
    assert number_words("100") == "сто"
    assert number_words("0") == "ноль"
    assert number_words("010") == "ноль десять"


def test_columns_types_and_formats(ads: pd.DataFrame) -> None:
    assert list(ads.columns) == EXPECTED_COLUMNS == list(COLUMNS)
    assert len(ads) == 20_000
    assert ads["price"].dtype == np.float64
    assert ads["price"].isna().any() and (ads["price"].dropna() >= 0).all()
    assert set(ads["is_bad"].unique()) == {0, 1}
    assert ads["datetime_submitted"].str.fullmatch(r"20(19|20)-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}").all()
    assert ads["datetime_submitted"].is_monotonic_increasing
    for column in ("title", "description", "subcategory", "category", "region", "city"):
        assert ads[column].map(lambda value: isinstance(value, str) and value != "").all(), column
    assert set(ads["category"]) == set(CATEGORIES)
    subcategories = ads.groupby("category")["subcategory"].nunique()
    assert (subcategories >= 2).all() and subcategories.sum() >= 45


def test_line_breaks_mix_plain_and_slash_styles(ads: pd.DataFrame) -> None:
    slash = ads["description"].str.contains("/\n", regex=False)
    plain = ads["description"].str.contains("\n", regex=False) & ~slash
    assert 0.15 < slash.mean() < 0.6
    assert plain.mean() > 0.15


def test_every_span_matches_its_text_and_is_ordered(ads: pd.DataFrame, spans_of: list[list[dict]]) -> None:
    for description, spans in zip(ads["description"], spans_of, strict=True):
        previous_finish = 0
        for span in spans:
            assert 0 <= span["start"] < span["finish"] <= len(description)
            assert description[span["start"] : span["finish"]] == span["text"]
            assert span["start"] >= previous_finish, "spans overlap or are not sorted"
            previous_finish = span["finish"]
            assert span["text"] == span["text"].strip()
            assert span["kind"] in CONTACT_KINDS
            assert span["disguise"] in DISGUISES
            assert span["score"] == 1.0
            assert span["value"]


def test_spans_parse_as_span_objects(ads: pd.DataFrame) -> None:
    parsed = spans_from_json(ads["spans"].iloc[int(np.argmax(ads["spans"].str.len()))])
    assert parsed and all(span.finish > span.start for span in parsed)


def test_labels_disguise_and_spans_agree_without_noise(ads: pd.DataFrame, spans_of: list[list[dict]]) -> None:
    has_span = np.array([bool(spans) for spans in spans_of])
    in_title = ads["disguise"].str.startswith("title:").to_numpy()
    labels = ads["is_bad"].to_numpy()
    assert (labels[~in_title] == has_span[~in_title]).all()
    assert (labels[in_title] == 1).all()
    assert ((ads["disguise"] == "none") == (labels == 0)).all()
    for disguise, spans, title in zip(ads["disguise"], spans_of, in_title, strict=True):
        if spans and not title:
            assert disguise in {span["disguise"] for span in spans}


def test_each_disguise_appears_in_twenty_thousand_ads(ads: pd.DataFrame, spans_of: list[list[dict]]) -> None:
    main = ads["disguise"].value_counts()
    for disguise in DISGUISES:
        assert main.get(disguise, 0) >= 100, disguise
    assert main.drop("none").idxmax() == "plain"
    assert set(main.index) - {"none"} <= set(DISGUISES) | {f"title:{name}" for name in DISGUISES}
    kinds = {span["kind"] for spans in spans_of for span in spans}
    assert kinds == set(CONTACT_KINDS)
    several = sum(len({(s["value"], s["disguise"]) for s in spans}) >= 2 for spans in spans_of)
    assert several > 0.05 * ads["is_bad"].sum()


def test_positive_share_is_near_the_setting(ads: pd.DataFrame) -> None:
    assert abs(ads["is_bad"].mean() - 0.45) < 0.02
    per_category = ads.groupby("category")["is_bad"].mean()
    assert (per_category > 0.1).all() and (per_category < 0.95).all()
    assert generate_ads(300, 2, positive_share=0.0)["is_bad"].sum() == 0
    assert generate_ads(300, 2, positive_share=1.0)["is_bad"].sum() == 300
    assert abs(generate_ads(3000, 3, positive_share=0.2)["is_bad"].mean() - 0.2) < 0.03


def test_phone_spans_spell_their_value(ads: pd.DataFrame, spans_of: list[list[dict]]) -> None:
    checked = 0
    for spans in spans_of:
        for span in spans:
            if span["kind"] != "phone" or span["disguise"] not in DIGIT_DISGUISES:
                continue
            text, value = span["text"], span["value"]
            if span["disguise"] in ("scattered", "separators", "spaced", "emoji", "fullwidth"):
                digits = re.sub(r"\D", "", unicodedata.normalize("NFKC", text))
            else:
                digits = decode_digits(text)
            if value.startswith("+7") and span["disguise"] == "city_number" and len(digits) < 10:
                # a city number whose area code is said apart: the local piece ends the value, the code starts it
                assert value[2:].endswith(digits) or value[2:].startswith((digits, digits[1:])), (text, value, digits)
            elif value.startswith("+7"):
                assert re.fullmatch(r"\+7\d{10}", value), value
                assert digits.endswith(value[2:]) and digits[:-10] in ("", "7", "8"), (text, value, digits)
            elif value.startswith("+") and span["disguise"] == "messenger_number":
                assert re.fullmatch(r"\+(?:3\d\d|99\d)\d{8,9}", value) and digits == value[1:], (text, value)
            else:
                assert span["disguise"] == "city_number" and re.fullmatch(r"\d{5,7}", value), value
                assert digits == value, (text, value)
            checked += 1
    assert checked > 5000


def test_composed_phones_are_half_of_the_phones(spans_of: list[list[dict]]) -> None:
    phones: dict[tuple[int, str], str] = {}
    for index, spans in enumerate(spans_of):
        for span in spans:
            if span["kind"] == "phone":
                phones[(index, span["value"])] = span["disguise"]
    composed = {"english_words", "glued", "invisible", "split_pieces", "mixed_words"}
    share = sum(disguise in composed for disguise in phones.values()) / len(phones)
    assert 0.38 < share < 0.6, share


def test_split_numbers_give_two_spans_that_join_into_the_number(spans_of: list[list[dict]]) -> None:
    found = 0
    for spans in spans_of:
        parts = [span for span in spans if span["disguise"] == "split_sentences"]
        assert len(parts) % 2 == 0
        for first, second in zip(parts[::2], parts[1::2], strict=True):
            assert first["value"] == second["value"] and first["kind"] == second["kind"] == "phone"
            digits = re.sub(r"\D", "", first["text"] + second["text"])
            assert digits.endswith(first["value"][2:]) and digits[:-10] in ("", "7", "8")
            found += 1
    assert found >= 100


def test_split_pieces_give_two_to_four_spans_that_join_into_the_number(
    ads: pd.DataFrame, spans_of: list[list[dict]]
) -> None:
    found = 0
    for description, spans in zip(ads["description"], spans_of, strict=True):
        parts = [span for span in spans if span["disguise"] == "split_pieces" and span["kind"] == "phone"]
        if not parts:
            continue
        assert 2 <= len(parts) <= 4
        assert len({span["value"] for span in parts}) == 1 and {span["kind"] for span in parts} == {"phone"}
        digits = "".join(decode_digits(span["text"]) for span in parts)
        value = parts[0]["value"]
        assert digits.endswith(value[2:]) and digits[:-10] in ("", "7", "8"), (digits, value)
        between = description[parts[0]["finish"] : parts[-1]["start"]]
        assert len(between) >= 4, description
        found += 1
    assert found >= 200


def test_handles_in_named_pieces_join_into_their_value(ads: pd.DataFrame, spans_of: list[list[dict]]) -> None:
    found = 0
    for description, spans, disguise in zip(ads["description"], spans_of, ads["disguise"], strict=True):
        parts = [span for span in spans if span["disguise"] == "split_pieces" and span["kind"] != "phone"]
        if not parts:
            continue
        assert disguise == "split_pieces" and 2 <= len(parts) <= 3, description
        assert len({span["value"] for span in parts}) == 1 and len({span["kind"] for span in parts}) == 1
        # (the pieces may be written in mathematical letters: read as a person does, by NFKC)
        joined = unicodedata.normalize("NFKC", "".join(span["text"] for span in parts)).lstrip("@").lower()
        kind, value = parts[0]["kind"], parts[0]["value"]
        if kind == "messenger":
            assert value == "@" + joined, (value, joined)
        else:
            assert kind == "social" and value.endswith(("/" + joined, "/@" + joined)), (value, joined)
        assert re.fullmatch(r"[a-z0-9_]+", joined), joined
        lead = description[max(0, parts[0]["start"] - 80) : parts[0]["start"]].lower()
        assert re.search(r"ник|логин|юзернейм|аккаунт|имя", lead), description
        found += 1
    assert found >= 50
    # the same shapes that name no handle stand in clean ads' slots
    twins = ads.loc[ads["is_bad"] == 0, "negative_kind"].str.partition("|")[2]
    assert twins.str.contains("named_pieces").sum() >= 50


def test_invisible_characters_sit_between_digits(spans_of: list[list[dict]]) -> None:
    found = 0
    for spans in spans_of:
        for span in spans:
            if span["disguise"] == "invisible":
                assert re.search(f"[0-9][{INVISIBLE}]+[0-9]", span["text"]), span["text"]
                found += 1
    assert found >= 200


def test_new_disguises_look_like_their_names(spans_of: list[list[dict]]) -> None:
    english_words = [word for word in SPOKEN if word.isascii()] + list(HEARD_ENGLISH)
    english = re.compile(rf"(?<![a-z])({'|'.join(english_words)})(?![a-z])", re.I)
    counts = dict.fromkeys(NEW_DISGUISES, 0)
    for spans in spans_of:
        for span in spans:
            # (a handle, e-mail or link may be written in mathematical letters: read as a person does, by NFKC)
            disguise, text = span["disguise"], unicodedata.normalize("NFKC", span["text"])
            if disguise not in counts:
                continue
            counts[disguise] += 1
            if disguise == "english_words":
                assert english.search(text), text
            elif disguise == "glued":
                assert re.search(r"[^\W\d_]\d|\d[^\W\d_]", text), text
            elif disguise in ("platform_handle", "slash_handle"):
                assert " " not in text and (not text.startswith("@") or disguise == "slash_handle"), text
            elif disguise == "domain_space":
                assert re.search(r"\s\.?[a-zа-я]+$", text), text
    assert min(counts.values()) >= 150, counts


def test_some_positive_ads_carry_their_contact_in_the_title(ads: pd.DataFrame) -> None:
    in_title = ads["disguise"].str.startswith("title:")
    positives = ads["is_bad"] == 1
    assert 0.025 < in_title[positives].mean() < 0.06
    assert (ads.loc[in_title, "is_bad"] == 1).all()
    digit_rich = ads["disguise"].isin([f"title:{name}" for name in ("plain", "separators", "spaced", "invisible")])
    titles = ads.loc[digit_rich, "title"].map(lambda title: unicodedata.normalize("NFKC", title))
    with_number = titles.str.count(r"\d") >= 10
    assert with_number.mean() > 0.6
    assert ads.loc[in_title, "title"].str.len().mean() > ads.loc[~positives, "title"].str.len().mean() + 10


def test_length_and_digits_do_not_tell_the_label(ads: pd.DataFrame) -> None:
    description = ads["description"]
    length = description.str.len().to_numpy(float)
    digits = description.str.count(r"\d").to_numpy(float)
    lines = description.str.count("\n").to_numpy(float) + 1
    features = np.column_stack([length, digits, digits / np.maximum(length, 1), lines])
    labels = ads["is_bad"].to_numpy()
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    scores = cross_val_predict(model, features, labels, cv=5, method="predict_proba")[:, 1]
    assert roc_auc_score(labels, scores) <= 0.6


def test_category_and_background_look_alikes_do_not_tell_the_label(ads: pd.DataFrame) -> None:
    per_category = ads.groupby("category")["is_bad"].mean()
    assert (per_category - ads["is_bad"].mean()).abs().max() < 0.07
    background = ads["negative_kind"].str.partition("|")[0]
    count = background.map(lambda value: len(value.split(",")) if value else 0)
    by_label = count.groupby(ads["is_bad"]).mean()
    assert abs(by_label[0] - by_label[1]) < 0.06
    shares = (background != "").groupby(ads["is_bad"]).mean()
    assert abs(shares[0] - shares[1]) < 0.03


def test_spans_cover_only_the_contact(spans_of: list[list[dict]]) -> None:
    lead_words = ("тел", "звон", "whatsapp", "вотсап", "viber", "вайбер", "почта", "сайт", "tg", "тг", "telegram:")
    for spans in spans_of:
        for span in spans:
            text = span["text"]
            assert not text.lower().startswith(lead_words), text
            assert text[-1] not in ".,!?:;)( ", text
            if span["kind"] == "phone" and span["disguise"] != "keyed":  # a key may use emojis for digits
                assert text[0].isalnum() or text[0] in "+(＋" or unicodedata.category(text[0]) == "Nd", text
            handle_like = ("handle", "cyrillic_handle", "plain", "platform_handle")
            if span["kind"] in ("messenger", "url", "social") and span["disguise"] in handle_like:
                assert " " not in text and ":" not in text.replace("://", ""), text
            if span["disguise"] == "slash_handle":
                assert re.fullmatch(r"@?[^\s/]+", text), text  # "tg/ivan": the handle after the slash, alone


def test_values_are_normalized(spans_of: list[list[dict]]) -> None:
    for spans in spans_of:
        for span in spans:
            kind, value, text = span["kind"], span["value"], unicodedata.normalize("NFKC", span["text"])
            assert value == value.lower() or kind == "phone"
            assert value[-1] not in ".,!?;:/"
            if kind == "email":
                assert re.fullmatch(r"[a-z0-9._\-]+@[a-z0-9\-]+\.[a-z]+", value), value
                if span["disguise"] == "plain":
                    assert text.lower() == value
                if span["disguise"] == "email_spaced":
                    assert text.replace(" ", "").lower() == value
            elif kind == "messenger":
                assert value.startswith(("@", "t.me/", "skype:", "discord:")), value
                if value.startswith("@") and span["disguise"] != "split_pieces":
                    handle = text.lower().split("/")[-1].strip() if span["disguise"] == "slash_handle" else text.lower()
                    assert handle.lstrip("@") == value[1:]
            elif kind == "url" and span["disguise"] == "plain":
                assert text.lower() == value
            elif kind == "social":
                assert re.match(
                    r"(https?://)?(www\.|m\.)?(vk\.com|ok\.ru|instagram\.com|youtube\.com|youtu\.be|facebook\.com|tiktok\.com)/",
                    value,
                ), value


def test_lead_in_words_also_appear_in_clean_ads(ads: pd.DataFrame) -> None:
    clean = ads.loc[ads["is_bad"] == 0, "description"].str.lower()
    for word in ("звон", "тел", "whatsapp", "пишите", "viber"):
        assert clean.str.contains(word, regex=False).mean() > 0.01, word


def test_hard_negatives_follow_the_setting(ads: pd.DataFrame) -> None:
    background = ads["negative_kind"].str.partition("|")[0]
    twins = ads["negative_kind"].str.partition("|")[2]
    kinds = {kind for value in (*background, *twins) for kind in value.split(",") if kind}
    assert kinds == set(NEGATIVE_KINDS)
    for label in (0, 1):
        assert abs((background[ads["is_bad"] == label] != "").mean() - 0.6) < 0.03, label
    counts = background.map(lambda value: len(value.split(",")) if value else 0)
    assert counts.max() == 3
    clean = ads["is_bad"] == 0
    assert (twins[clean] != "").all(), "every contact slot of a clean ad holds a look-alike"
    assert (twins[~clean] != "").mean() < 0.2
    none = generate_ads(500, 4, hard_negative_share=0.0)
    assert (none["negative_kind"].str.partition("|")[0] == "").all()


def test_same_arguments_give_the_same_frame() -> None:
    first = generate_ads(400, 123, label_noise=0.05)
    second = generate_ads(400, 123, label_noise=0.05)
    pd.testing.assert_frame_equal(first, second)
    other = generate_ads(400, 124, label_noise=0.05)
    assert not first["description"].equals(other["description"])


def test_label_noise_flips_labels_only() -> None:
    clean = generate_ads(1000, 9)
    noisy = generate_ads(1000, 9, label_noise=0.1)
    pd.testing.assert_frame_equal(clean.drop(columns="is_bad"), noisy.drop(columns="is_bad"))
    assert (clean["is_bad"] != noisy["is_bad"]).sum() == 100


def test_splits_have_noise_only_on_train_and_own_seeds() -> None:
    settings = SynthSettings(seed=5, n_train=1000, n_val=200, n_test=300, label_noise=0.05)
    splits = generate_splits(settings)
    assert list(splits) == ["train", "val", "test"]
    assert [len(frame) for frame in splits.values()] == [1000, 200, 300]
    for name, frame in splits.items():
        assert list(frame.columns) == EXPECTED_COLUMNS
        has_contact = (frame["spans"] != "[]") | frame["disguise"].str.startswith("title:")
        mismatches = int((frame["is_bad"].astype(bool) != has_contact).sum())
        assert mismatches == (50 if name == "train" else 0), name
        low, high = SPLIT_PERIODS[name]
        assert frame["datetime_submitted"].min() >= low and frame["datetime_submitted"].max() < high
    heads = [tuple(frame["description"].head(50)) for frame in splits.values()]
    assert len(set(heads)) == 3


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="positive_share"):
        generate_ads(10, 1, positive_share=1.5)
    with pytest.raises(ValueError, match="label_noise"):
        generate_ads(10, 1, label_noise=-0.1)
    with pytest.raises(ValueError, match="n must be"):
        generate_ads(-1, 1)
    assert len(generate_ads(0, 1)) == 0


def test_some_handles_emails_and_links_are_written_in_mathematical_letters(spans_of: list[list[dict]]) -> None:
    styled = [
        span
        for spans in spans_of
        for span in spans
        if span["kind"] != "phone" and any(0x1D400 <= ord(c) <= 0x1D7FF for c in span["text"])
    ]
    assert len(styled) >= 20
    # more than one alphabet (bold, italic, sans-serif, monospace …), read from the letters' Unicode names
    styles = {
        unicodedata.name(c).split(" SMALL ")[0].split(" CAPITAL ")[0]
        for span in styled
        for c in span["text"]
        if ord(c) > 0xFFFF
    }
    assert len(styles) >= 3, styles
    # the value is the plain address, never the styled text (test_values_are_normalized compares it with NFKC)
    assert all(span["value"].isascii() and span["value"] != span["text"] for span in styled)
