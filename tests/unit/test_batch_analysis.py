"""Texts analysed stage by stage (analyze_texts, analyze_ads) give what analyze_text gives one text at a time."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from core.config import DetectSettings
from core.engine import gates
from core.engine.detectors import TEXTS_PER_STAGE, analyze_text, analyze_texts, build_detectors
from core.engine.features import analyze_ad, analyze_ads
from core.engine.normalize import Normalized
from core.engine.spans import Span
from core.lifecycle.synth import generate_ads

DETECTORS = build_detectors(DetectSettings())


def _analysis(normalized: Normalized, spans: list[Span]) -> tuple:
    """Everything analyze_text returns, as plain values (normalized text, offset map, edits, lowered copy, spans)."""
    edits = [(e.start, e.finish, e.text, e.op) for e in normalized.edits]
    return normalized.text, normalized.starts, normalized.ends, edits, normalized.lowered, spans


@pytest.fixture(scope="module")
def texts() -> list[str]:
    """Titles and descriptions of synthetic ads over several chunks, with empty, blank and repeated texts."""
    frame = generate_ads(3 * TEXTS_PER_STAGE // 2, seed=5)
    texts = [text for pair in zip(frame["title"], frame["description"], strict=True) for text in pair]
    return ["", " ", *texts[:5], "", *texts, texts[3], "звоните 8\u200b912\u200b345\u200b67\u200b89"]


def test_analyze_texts_gives_what_analyze_text_gives(texts: list[str]) -> None:
    assert len(texts) > 2 * TEXTS_PER_STAGE  # (chunks end inside the list)
    one_by_one = [_analysis(*analyze_text(text, DETECTORS)) for text in texts]
    assert [_analysis(*result) for result in analyze_texts(texts, DETECTORS)] == one_by_one
    assert any(spans for *_, spans in one_by_one)  # (the texts hold contacts)


def test_analyze_texts_without_remembered_passes(texts: list[str]) -> None:
    # every gate asks its question (no Hyperscan pass), and with passes forgotten before each chunk's detectors
    # would run: the same answers
    expected = [_analysis(*analyze_text(text, DETECTORS)) for text in texts[:300]]
    gates.set_enabled(False)
    try:
        assert [_analysis(*result) for result in analyze_texts(texts[:300], DETECTORS)] == expected
    finally:
        gates.set_enabled(True)
    kept = gates._MASKS_KEPT
    gates._MASKS_KEPT = 1  # (every new text moves the generations: a chunk's passes are gone by its detectors)
    try:
        assert [_analysis(*result) for result in analyze_texts(texts[:300], DETECTORS)] == expected
    finally:
        gates._MASKS_KEPT = kept
        gates.forget()


def test_analyze_texts_from_many_threads_at_once(texts: list[str]) -> None:
    sample = texts[: TEXTS_PER_STAGE + 50]
    expected = [_analysis(*analyze_text(text, DETECTORS)) for text in sample]
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: [_analysis(*r) for r in analyze_texts(sample, DETECTORS)], range(4)))
    assert all(result == expected for result in results)


def test_analyze_ads_gives_what_each_ad_alone_gives() -> None:
    frame = generate_ads(TEXTS_PER_STAGE + 100, seed=8)
    pairs = list(zip(frame["title"], frame["description"], strict=True))
    pairs += [("", ""), pairs[0], (pairs[1][0], pairs[2][1]), ("Коляска, звоните 8-912", "Остальные цифры 605-44-18")]
    together = analyze_ads(pairs, DETECTORS, 0.5)
    alone = [analyze_ad(title, description, DETECTORS, 0.5) for title, description in pairs]
    assert together == alone
    assert any(analysis.title_candidates for analysis in together) and any(a.contacts for a in together)


def test_remembered_passes_move_a_generation_at_a_time() -> None:
    gates.forget()
    asked = [f"текст объявления номер {i}" for i in range(gates._MASKS_KEPT + 10)]
    masks = [gates.pattern_mask(text) for text in asked]
    # the first generation moved over whole: every text is still remembered (not scanned again), in two generations
    assert len(gates._older) == gates._MASKS_KEPT and len(gates._masks) == 10
    assert all(gates._masks.get(text, gates._older.get(text)) == mask for text, mask in zip(asked, masks, strict=True))
    more = [f"другой текст {i}" for i in range(gates._MASKS_KEPT)]
    for text in more:
        gates.pattern_mask(text)
    assert asked[0] not in gates._masks and asked[0] not in gates._older  # (two generations at most)
    assert gates.pattern_mask(asked[0]) == masks[0]  # (scanned again: the same mask)
    gates.forget()
    long_text = "x" * gates._MASKED_CHARS
    gates.pattern_mask(long_text)
    gates.pattern_mask("короткий")
    assert list(gates._older) == [long_text] and list(gates._masks) == ["короткий"]  # (bounded by characters too)
    gates.forget()
    assert not gates._masks and not gates._older
