"""Check that detection and prediction outputs stay identical across a speed change.

    python bench/check_identical.py --record   # store the baseline (run on the code before the change)
    python bench/check_identical.py            # compare the current code with the stored baseline
    python bench/check_identical.py --record --code /path/to/main   # baseline from another tree's core/ (same corpus)

The corpus: 5,000 synthetic ads from five seeds (titles and descriptions), every line of tests/data/*.jsonl
(descriptions and titles, the ⟦⟧ marks stripped as core.lifecycle.golden does), the rows of
tests/data/real/*.csv, a few long texts made of many ads, and hand-picked disguises. Stored per text: the
normalized text, its offset map, edits and every candidate span of `analyze_text`; per ad frame: the full
`Predictor.predict_serial` output (probability, start, finish, contacts JSON). Spans and normalized text must
match byte for byte, probabilities within 1e-9.
"""

from __future__ import annotations

import argparse
import gzip
import json
import pickle
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
# The code under test: this tree, or another one's core/ (--code); the corpus always comes from this tree.
CODE = Path(sys.argv[sys.argv.index("--code") + 1]) if "--code" in sys.argv else ROOT
sys.path.insert(0, str(CODE))

from core.engine.detectors import analyze_text  # noqa: E402
from core.engine.predict import Predictor  # noqa: E402
from core.lifecycle.golden import parse_marked  # noqa: E402
from core.lifecycle.synth import generate_ads  # noqa: E402

# The saved predictor both runs load (--model): the same one for the baseline and the comparison.
MODEL = Path(__file__).resolve().parents[1] / "models" / "predictor"
DEFAULT_BASELINE = Path("/tmp/contactguard_identity_baseline.pkl.gz")
SEEDS = (11, 12, 23, 37, 101)
EXTRA_TEXTS = (
    "звоните 8\u200b912\u200b345\u200b67\u200b89",
    "Продам гараж, звоните 8 916 523 45 67",
    "кухня 9 м². Документы готовы. 100х75х50 см. телефон 7*912~004_36|56",
    "восемь девятьсот двенадцать триста сорок пять шестьдесят семь восемьдесят девять",
    "nine5I4ноль 8 9lЗ ООб 72 ЗЗ ivan собака mail точка ru",
    "i v a n @ m a i l . r u, o🦆h🦆o🦆t, в о с е м ь, mаinеcооn, ＠ｉｖａｎ＿ｐｅｔｒｏｖ 8️⃣9️⃣1️⃣",
    "пишите в тг @ivan_petrov или vk com/ivan, сайт печник рф, www торты-на-заказ рф",
    "8п9у4ш7и1с2т3ы0е5х6о2 номер пишу задом наперёд: 55 02 471 269 8",
    "ИСТАНБУЛ İstanbul ǅ ﬁ Ⅷ ẞ",
    "",
    " ",
)


def _texts_of(frame: pd.DataFrame) -> list[str]:
    texts = []
    for column in ("title", "description"):
        if column in frame:
            texts.extend(frame[column].fillna("").astype(str).tolist())
    return texts


def corpus() -> tuple[list[str], list[pd.DataFrame]]:
    """All texts for analyze_text and the ad frames for the full predictor."""
    frames = [generate_ads(1000, seed=seed) for seed in SEEDS]
    golden_rows = []
    for path in sorted((ROOT / "tests" / "data").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            item = json.loads(line)
            golden_rows.append(
                {
                    "title": parse_marked(item.get("title") or "")[0],
                    "description": parse_marked(item.get("description") or "")[0],
                    "category": item.get("category") or "",
                    "subcategory": item.get("subcategory") or "",
                    "price": item.get("price"),
                }
            )
    frames.append(pd.DataFrame(golden_rows))
    for path in sorted((ROOT / "tests" / "data" / "real").glob("*.csv")):
        real = pd.read_csv(path, dtype={"title": str, "description": str, "category": str, "subcategory": str})
        real = real[["title", "description", "category", "subcategory", "price"]].copy()
        real["price"] = pd.to_numeric(real["price"], errors="coerce")
        frames.append(real)
    texts = [text for frame in frames for text in _texts_of(frame)]
    descriptions = frames[0]["description"].tolist()
    long_texts = ["\n".join(descriptions[i : i + 40]) for i in range(0, 400, 40)] + ["  ".join(descriptions[:300])]
    frames.append(pd.DataFrame({"title": "", "description": long_texts, "category": "", "subcategory": ""}))
    texts.extend(long_texts)
    texts.extend(EXTRA_TEXTS)
    return texts, frames


def snapshot(texts: list[str], frames: list[pd.DataFrame], predictor: Predictor) -> dict:
    """What must not change: analyze_text on every text and predict_serial on every frame."""
    analyses = []
    for text in texts:
        normalized, spans = analyze_text(text, predictor.detectors)
        analyses.append(
            (
                normalized.text,
                normalized.starts,
                normalized.ends,
                [(e.start, e.finish, e.text, e.op) for e in normalized.edits],
                [(s.start, s.finish, s.kind, s.text, s.value, repr(s.score), s.disguise) for s in spans],
            )
        )
    predictions = []
    for frame in frames:
        result = predictor.predict_serial(frame)
        predictions.append(
            (
                result["prediction"].astype(float).tolist(),
                result["start"].astype(object).where(result["start"].notna(), None).tolist(),
                result["finish"].astype(object).where(result["finish"].notna(), None).tolist(),
                result["contacts"].tolist(),
                result["kinds"].tolist(),
            )
        )
    return {"texts": texts, "analyses": analyses, "predictions": predictions}


def untouched_texts() -> set[str]:
    """The titles and descriptions of the untouched hand-written set: a difference there is reported, never shown."""
    path = ROOT / "tests" / "data" / "handwritten_untouched.jsonl"
    texts = set()
    for line in path.read_text(encoding="utf-8").splitlines() if path.exists() else []:
        if line.strip():
            item = json.loads(line)
            texts.update(parse_marked(item.get(key) or "")[0] for key in ("title", "description"))
    return texts


def compare(baseline: dict, current: dict, hidden: set[str] = frozenset()) -> list[str]:
    """Differences between two snapshots (empty when identical); the texts in hidden are counted, not quoted."""
    problems = []
    if baseline["texts"] != current["texts"]:
        return ["the corpus itself differs (generator changed?)"]
    names = ("normalized text", "starts", "ends", "edits", "spans")
    for index, (old, new) in enumerate(zip(baseline["analyses"], current["analyses"], strict=True)):
        for name, a, b in zip(names, old, new, strict=True):
            if a != b:
                text = baseline["texts"][index]
                shown = "(a text of the untouched set, not shown)" if text in hidden else repr(text[:80])
                problems.append(f"text {index}: {name} differs: {shown}")
    for index, (old, new) in enumerate(zip(baseline["predictions"], current["predictions"], strict=True)):
        probabilities_old, *rest_old = old
        probabilities_new, *rest_new = new
        worst = max((abs(a - b) for a, b in zip(probabilities_old, probabilities_new, strict=True)), default=0.0)
        if worst > 1e-9:
            problems.append(f"frame {index}: probability differs by {worst:.3g}")
        for name, a, b in zip(("start", "finish", "contacts", "kinds"), rest_old, rest_new, strict=True):
            if a != b:
                rows = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
                problems.append(f"frame {index}: {name} differs on {len(rows)} rows, first {rows[:5]}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--record", action="store_true", help="store the baseline instead of comparing")
    parser.add_argument("--baseline", type=Path, default=DEFAULT_BASELINE)
    parser.add_argument("--code", type=Path, help="source tree whose core/ is checked (default: this one)")
    parser.add_argument("--model", type=Path, default=MODEL, help="saved predictor folder (default: models/predictor)")
    args = parser.parse_args()
    started = time.perf_counter()
    texts, frames = corpus()
    predictor = Predictor.load(args.model)
    predictor.detect.workers = 1
    current = snapshot(texts, frames, predictor)
    seconds = time.perf_counter() - started
    summary = f"{len(texts):,} texts, {sum(len(f) for f in frames):,} ads in {len(frames)} frames, {seconds:.1f} s"
    if args.record:
        with gzip.open(args.baseline, "wb") as handle:
            pickle.dump(current, handle)
        print(f"recorded {args.baseline}: {summary}")
        return 0
    with gzip.open(args.baseline, "rb") as handle:
        baseline = pickle.load(handle)
    problems = compare(baseline, current, untouched_texts())
    for problem in problems[:40]:
        print(problem)
    print(f"{'DIFFERENT' if problems else 'IDENTICAL'} ({len(problems)} differences): {summary}")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
