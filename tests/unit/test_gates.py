"""Every Hyperscan-answered gate gives its own question's answer: on real, hand-written, synthetic and fuzzed texts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import core.engine.features  # (makes its gates)
import core.engine.predict  # noqa: F401 - imports every module that makes gates
from core.engine import gates
from core.engine.normalize import lower_same_length
from core.lifecycle.synth import generate_ads

DATA = Path(__file__).resolve().parents[1] / "data"


def _corpus() -> list[str]:
    """Titles and descriptions: the development sets, the synthetic ads of two seeds; each as written and lowered."""
    texts: list[str] = []
    for name in ("golden.jsonl", "golden_holdout.jsonl"):
        for line in (DATA / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                ad = json.loads(line)
                texts += [ad.get("title", ""), ad["description"]]
    for seed in (3, 17):
        frame = generate_ads(1500, seed=seed)
        texts += frame["title"].tolist() + frame["description"].tolist()
    return [variant for text in texts for variant in (text, lower_same_length(text))]


@pytest.fixture(scope="module")
def corpus() -> list[str]:
    return _corpus()


@pytest.fixture
def hyperscan_on() -> Iterator[None]:
    gates.set_enabled(True)
    yield
    gates.set_enabled(True)


def test_hyperscan_is_installed_and_answers() -> None:
    # CI installs requirements.txt: the gates must run on Hyperscan there, not silently on the fallback.
    assert gates.hyperscan is not None and gates.enabled()
    assert len(gates.all_gates()) >= 5


def _answers_as_its_question(gate: gates.Gate, text: str) -> bool:
    """A gate's answer is its question's (a lowered gate: its patterns match the lowered text wherever it says yes)."""
    if gate.lowered:
        return gate.maybe(lower_same_length(text)) or not gate.check(text)
    return gate(text) == gate.check(text) and (gate.maybe(text) or not gate.check(text))


def test_every_gate_answers_as_its_question(corpus: list[str], hyperscan_on: None) -> None:
    wrong: dict[str, int] = {}
    passed = dict.fromkeys(map(repr, gates.all_gates()), 0)
    for text in corpus:
        for gate in gates.all_gates():
            if not _answers_as_its_question(gate, text):
                wrong[repr(gate)] = wrong.get(repr(gate), 0) + 1
            passed[repr(gate)] += gate.check(text)
    assert not wrong
    # (the corpus reaches every gate's yes as well as its no)
    assert all(passed.values()), [name for name, count in passed.items() if not count]


# Characters and words the gates' patterns turn on: their letters and signs, word characters beyond WORD_CHARS
# ("ß", "é", "І", digits of other scripts, "\u0301"), case-folding oddities ("ſ", "K", "İ") and separators.
_PIECES = [
    *"abcdefghijklmnopqrstuvwxyz0123456789_@.,:;/()[]{}<>-–—+ \n\t·∙•",
    *"абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    *"ßéІіїұӯҳ٣۵߂\u0301ſKİ\u00a0\u200b",
    *("точка", "точк", "тчк", "dot", "собака", "собачка", "at", "эт", "ат", "dog", "подч", "дефис", "тире", "дот"),
    *(" ру", " рф", " ком", " орг", " ru", " com", " net", "ru", "com", "su", "инфо", "нет", "www", "(.", " .", ". "),
    *("восемь", "девять", "один", "oh", "ту", "фо", "сем", "дев", "тг", "вк", "vk", "телег", "whats", "номер"),
    *("\U0001f436", "\U0001f415", "gmail", " на ", "(а)", "[гав]", "@", "mail", "логин", "имя", "яндекс"),
    *("alpha", "tango", "zulu", "me", "ми", "мэ", "/", "слеш", "слэш", ".me", ".com", ".ru", ".info", "tilda.ws"),
    *("вконтакте", "инст", "ok", "ig", "fb", "дс", "ds", "подряд", "наоборот", "поменяй", "раза", "пропуск", "*", "🦆"),
    *("\ufe0f", "аеорсухкмтвн"),
    # look-alike digits and their neighbours: both cases, separators, separator and other-script digits
    *"ОоOoЗзlI|іІӀӏбБbЧчВвBSZ",
    "🅾",
    "⭕",
    "①",
    "⒈",
    "🄁",
    "٣",
    "𝟘",
    "окна",
    "ЗЗ",
    "_",
    "  ",
]


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_PIECES), max_size=14).map("".join))
def test_gates_on_fuzzed_texts(text: str) -> None:
    gates.set_enabled(True)
    for gate in gates.all_gates():
        assert _answers_as_its_question(gate, text), (gate, text)


def test_a_text_hyperscan_cannot_read_asks_the_regex(hyperscan_on: None) -> None:
    # A lone surrogate is not UTF-8: no Hyperscan pass, every gate asks its question.
    text = "пишите на ivan собака mail точка ру \ud800"
    assert gates.pattern_mask(text) == -1
    for gate in gates.all_gates():
        assert _answers_as_its_question(gate, text)


def test_the_fallback_gives_the_same_answers(corpus: list[str]) -> None:
    sample = corpus[::7]
    gates.set_enabled(True)
    asked = [gate for gate in gates.all_gates() if not gate.lowered]
    on = [[gate(text) for gate in asked] for text in sample]
    gates.set_enabled(False)
    try:
        assert not gates.enabled()
        assert all(gate.maybe(text) for gate in gates.all_gates() for text in sample[:50])  # (no pass: maybe)
        off = [[gate(text) for gate in asked] for text in sample]
    finally:
        gates.set_enabled(True)
    assert on == off


def test_literal_matches_the_text_itself(hyperscan_on: None) -> None:
    gate = gates.Gate(r"a\.b\(ё\)", [gates.literal("a.b(ё)")], exact=True)
    assert gate("xa.b(ё)y") and not gate("xaxb(ё)y") and not gate("a.b(е)")


def test_gates_answer_from_many_threads_at_once(corpus: list[str], hyperscan_on: None) -> None:
    # Streamlit sessions and the server's worker threads scan at the same time: each thread needs its own scratch
    # space (Hyperscan refuses a scratch in use by another scan).
    from concurrent.futures import ThreadPoolExecutor

    sample = corpus[:3000]
    expected = [[gate.check(text) for gate in gates.all_gates() if not gate.lowered] for text in sample]

    def answers(offset: int) -> list[list[bool]]:
        rotated = sample[offset:] + sample[:offset]
        found = []
        for text in rotated:
            gates._masks.clear()  # (every text scanned, none remembered)
            found.append([gate(text) for gate in gates.all_gates() if not gate.lowered])
        return found[len(sample) - offset :] + found[: len(sample) - offset]

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(answers, (0, 750, 1500, 2250)))
    assert all(result == expected for result in results)


def test_a_predictor_builds_the_database_before_its_first_ad() -> None:
    # (forked workers then inherit it instead of building one each; the first ad is not 0.2 s slower)
    from core.config import DetectSettings, ModelSettings
    from core.engine.predict import Predictor

    gates._built_for = 0  # as in a fresh process
    Predictor(None, DetectSettings(), ModelSettings())
    assert gates._database is not None and gates._built_for == len(gates._patterns)


def test_the_pass_answers_without_asking_the_question(hyperscan_on: None) -> None:
    # (the equivalence tests above would pass if every gate simply asked its question: here the pass must decide)
    asked: list[str] = []

    def question(text: str) -> bool:
        asked.append(text)
        return "квазар" in text

    gate = gates.Gate(question, [gates.literal("квазар")])
    exact = gates.Gate(lambda text: asked.append(text) or True, [gates.literal("пульсар")], exact=True)
    assert not gate("обычный текст объявления") and not exact("обычный текст объявления")
    assert asked == []  # no pattern matched: no question asked
    assert exact("видели пульсар") and asked == []  # an exact gate's pattern is its answer
    assert gate("видели квазар") and asked == ["видели квазар"]  # a pattern matched: the question decides
    gates.set_enabled(False)
    assert not gate("обычный текст объявления") and asked[-1] == "обычный текст объявления"  # off: it always asks


def test_the_database_is_kept_on_disk_between_processes(
    corpus: list[str], hyperscan_on: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONTACTGUARD_CACHE_DIR", str(tmp_path))
    sample = corpus[::11]
    gates._build()  # compiled, then written
    path = gates.database_file()
    assert path.parent == tmp_path and path.exists() and not list(tmp_path.glob("*.part"))
    compiled = [gates.pattern_mask(text) for text in sample]

    def no_compiling(*args: object, **kwargs: object) -> None:
        raise AssertionError("compiled although the file was there")

    with monkeypatch.context() as patched:
        patched.setattr(gates.hyperscan, "Database", no_compiling)
        gates._build()  # read from the file
    assert [gates.pattern_mask(text) for text in sample] == compiled
    path.write_bytes(b"not a database")
    gates._build()  # a file that does not load: compiled again, and written again
    assert [gates.pattern_mask(text) for text in sample] == compiled and path.read_bytes() != b"not a database"
    # other patterns, another file
    gates._patterns.append("\\x{43a}\\x{432}\\x{430}\\x{437}\\x{430}\\x{440}")
    try:
        assert gates.database_file() != path
    finally:
        gates._patterns.pop()
    blocked = tmp_path / "file"
    blocked.write_text("")
    monkeypatch.setenv("CONTACTGUARD_CACHE_DIR", str(blocked / "below"))  # a folder that cannot be made
    gates._build()
    assert [gates.pattern_mask(text) for text in sample] == compiled
