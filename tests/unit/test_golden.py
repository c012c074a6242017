"""The hand-written sets: every ad of every file loads, counts per category, title contacts, format errors.

The untouched set is evaluation-only: these tests assert counts and invariants, never print its ads.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from core.config import CATEGORIES, Settings, resolve_path
from core.engine.spans import spans_from_json
from core.lifecycle.golden import GoldenFormatError, load_golden

DATA = Path(__file__).resolve().parents[1] / "data"
# file -> (ads, contact ads, ads whose only contact is in the title)
EXPECTED = {
    "golden.jsonl": (8370, 4190, 189),
    "golden_holdout.jsonl": (130, 66, 0),
    "handwritten_untouched.jsonl": (1120, 560, 27),
}
INVISIBLE = ("\u200b", "\u2060", "\ufeff", "\u00ad")
NEW_DISGUISES = {
    "english_words",
    "glued",
    "invisible",
    "split_pieces",
    "slash_handle",
    "platform_handle",
    "domain_space",
    "other",
}


def _lines(name: str) -> list[str]:
    return [line for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_ad_of_every_file_loads(name: str) -> None:
    ads, bad, title_only = EXPECTED[name]
    frame = load_golden(DATA / name)
    assert len(frame) == len(_lines(name)) == ads
    assert int(frame["is_bad"].sum()) == bad
    assert frame["golden_id"].is_unique
    assert set(frame["category"]) <= set(CATEGORIES)
    no_description_mark = frame["spans"].map(lambda value: not spans_from_json(value))
    with_title_mark = frame["title_spans"].map(lambda value: bool(spans_from_json(value)))
    assert int((no_description_mark & with_title_mark).sum()) == title_only
    # a title-only contact makes the ad a contact ad, and its gold spans (on the description) stay empty
    clean_with_title_mark = int((frame.loc[with_title_mark, "is_bad"] != 1).sum())
    # clean ads have no gold span anywhere
    clean = frame[frame["is_bad"] == 0]
    clean_with_spans = int((clean["spans"].ne("[]") | clean["title_spans"].ne("[]")).sum())
    assert (clean_with_title_mark, clean_with_spans) == (0, 0)  # counts only: no ad text in a failure message


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_gold_spans_cover_exactly_the_marked_text(name: str) -> None:
    frame = load_golden(DATA / name)
    wrong = marks_left = 0
    for row in frame.itertuples():
        for field, column in (("description", "spans"), ("title", "title_spans")):
            text = getattr(row, field)
            marks_left += "⟦" in text or "⟧" in text
            for span in spans_from_json(getattr(row, column)):
                wrong += not (
                    0 <= span.start < span.finish <= len(text) and text[span.start : span.finish] == span.text
                )
    assert (wrong, marks_left) == (0, 0)  # counts only: the untouched set's ads are never printed


def test_new_sets_are_balanced_per_category_and_use_the_new_disguises() -> None:
    for name, per_category in (("golden.jsonl", (837, 419)), ("handwritten_untouched.jsonl", (112, 56))):
        frame = load_golden(DATA / name)
        counts = frame.groupby("category")["is_bad"].agg(["size", "sum"])
        assert set(counts.index) == set(CATEGORIES)
        assert {tuple(int(v) for v in row) for row in counts.to_numpy()} == {per_category}, name
    golden = load_golden(DATA / "golden.jsonl")
    disguises = Counter(
        span.disguise
        for column in ("spans", "title_spans")
        for value in golden[column]
        for span in spans_from_json(value)
    )
    assert set(disguises) >= NEW_DISGUISES
    # invisible characters are part of the text: the loader keeps them
    assert golden["description"].map(lambda text: any(mark in text for mark in INVISIBLE)).sum() >= 10


def test_golden_keeps_the_writers_ids_after_the_first_210_ads() -> None:
    ids = load_golden(DATA / "golden.jsonl")["golden_id"].tolist()
    assert ids[:2] == ["g001", "g002"] and ids[209] == "g210"
    prefixes = Counter(value.split("-")[0] for value in ids[210:])
    sets = (
        *("a1", "a2", "b1", "b2", "d1", "d2", "c1", "c2", "e1", "e2", "f1", "f2", "g1", "g2", "h1", "h2", "k1", "k2"),
        *("i1", "i2", "j1", "j2", "m1", "m2", "n1", "n2", "l1", "l2", "q1", "q2", "r1", "r2", "s1", "s2"),
        *("o1", "o2", "u1", "u2", "v1", "v2", "x1", "y1", "y3", "y4", "y5", "y6", "y7", "y8", "y9", "y10", "y11"),
    )
    assert prefixes == dict.fromkeys(sets, 160)
    untouched = Counter(value.split("-")[0] for value in load_golden(DATA / "handwritten_untouched.jsonl")["golden_id"])
    assert untouched == {"p1": 160, "p2": 160, "t1": 160, "t2": 160, "w1": 160, "w2": 160, "y2": 160}


def test_no_ad_of_the_untouched_set_is_in_a_development_set() -> None:
    def texts(name: str) -> set[str]:
        return set(load_golden(DATA / name)["description"])

    untouched = texts("handwritten_untouched.jsonl")
    shared = len(untouched & (texts("golden.jsonl") | texts("golden_holdout.jsonl")))
    assert shared == 0  # a count, never the ads themselves


def test_default_config_points_at_the_three_files() -> None:
    paths = {entry["name"]: resolve_path(entry["path"]) for entry in Settings().evaluate.handwritten_sets}
    assert paths == {
        "golden": DATA / "golden.jsonl",
        "holdout": DATA / "golden_holdout.jsonl",
        "untouched": DATA / "handwritten_untouched.jsonl",
    }


def _ad(description: str, title: str = "Диван", ad_id: str = "t-001", **extra) -> str:
    item = {"id": ad_id, "category": "Для дома и дачи", "title": title, "description": description, **extra}
    return json.dumps(item, ensure_ascii=False)


def test_title_only_contact_and_explicit_label(tmp_path: Path) -> None:
    path = tmp_path / "set.jsonl"
    lines = [
        _ad("Диван, самовывоз", title="Диван ⟦8 912 345 67 89⟧{phone/plain}", ad_id="t-001"),
        _ad("Пишите ⟦ivan собака mail точка ru⟧{email/email_words}", ad_id="t-002"),
        _ad("Кресло 2019 года", ad_id="t-003"),
        _ad("Кресло", ad_id="t-004", is_bad=1),
    ]
    path.write_text("\n".join(lines) + "\n\n", encoding="utf-8")
    frame = load_golden(path).set_index("golden_id")
    assert frame["is_bad"].to_dict() == {"t-001": 1, "t-002": 1, "t-003": 0, "t-004": 1}
    assert frame.loc["t-001", "spans"] == "[]" and frame.loc["t-001", "title"] == "Диван 8 912 345 67 89"
    [title_span] = spans_from_json(frame.loc["t-001", "title_spans"])
    assert (title_span.start, title_span.finish, title_span.kind) == (6, 21, "phone")
    [span] = spans_from_json(frame.loc["t-002", "spans"])
    assert (span.start, span.kind, span.disguise) == (7, "email", "email_words")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "set.jsonl:2: not valid JSON"),
        (
            _ad("звоните ⟦8 912 345 67 89⟧{fax/plain}", ad_id="x"),
            "set.jsonl:2: `description` marks an unknown kind fax",
        ),
        (_ad("звоните ⟦8 912 345 67 89 без конца", ad_id="x"), "set.jsonl:2: `description` has a ⟦ or ⟧"),
        (_ad("ok", title="⟦⟧{phone/plain}", ad_id="x"), "set.jsonl:2: `title` has an empty mark"),
        (_ad("ok", ad_id="t-001"), "set.jsonl:2: id t-001 appears twice"),
        (json.dumps({"id": "x", "description": "ok"}), "set.jsonl:2: missing category"),
    ],
)
def test_a_broken_line_names_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "set.jsonl"
    path.write_text(_ad("ok") + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(GoldenFormatError) as caught:
        load_golden(path)
    assert str(caught.value).startswith(message)
