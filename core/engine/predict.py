"""Predict one ad or a batch: probability and contact spans (used by pages, CLI and server)."""

from __future__ import annotations

import gc
import json
import multiprocessing as mp
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from catboost import CatBoostClassifier

from core.config import DetectSettings, ModelSettings
from core.engine import gates
from core.engine.detectors import build_detectors
from core.engine.features import AdAnalysis, ad_candidates, analyze_ads, build_feature_frame
from core.engine.model import make_pool, predict_probability
from core.engine.scorer import SpanScorer
from core.engine.spans import Span, contest_span, spans_to_json

_WORKER_STATE: dict[str, object] = {}
# A parallel batch goes out in up to this many pieces per worker, each of at least _MIN_CHUNK items.
_CHUNKS_PER_WORKER = 4
_MIN_CHUNK = 1000
# predict_frame's pieces shrink (guided): each takes 1/_GUIDED_SHARE of what is left per worker, down to _MIN_PIECE ads,
# so the last pieces are short and a worker done first waits little for the other's last one.
_GUIDED_SHARE = 2
_MIN_PIECE = 500


def _analyze_chunk(pairs: list[tuple[str, str]]) -> list[AdAnalysis]:
    """Worker side of a parallel analysis: the forked predictor runs its detectors on its chunk."""
    predictor: Predictor = _WORKER_STATE["predictor"]  # type: ignore[assignment]
    return predictor.analyze_pairs(pairs)


def _features_chunk(chunk: pd.DataFrame) -> pd.DataFrame:
    """Worker side of a parallel feature build: only the feature table travels back, not the analyses."""
    predictor: Predictor = _WORKER_STATE["predictor"]  # type: ignore[assignment]
    return predictor.features(chunk, predictor.analyze_pairs(title_description_pairs(chunk)))


def _predict_chunk(chunk: pd.DataFrame) -> pd.DataFrame:
    """Worker side of a parallel batch: the forked predictor scores its chunk on one thread."""
    predictor: Predictor = _WORKER_STATE["predictor"]  # type: ignore[assignment]
    return predictor.predict_serial(chunk, thread_count=1)


def _title_order(frame: pd.DataFrame) -> np.ndarray | None:
    """Positions of the ads with equal titles next to each other (groups in order of first appearance, ads in order
    within a group), or None when no title repeats.

    A batch analyses each distinct title once (analyze_ads); cut into chunks in the frame's order, a title shared by
    ads far apart is analysed again in every chunk that holds one (20,000 synthetic ads: 5,619 distinct titles, 13,380
    analyses in 8 chunks, about 30 us each). An ad's answer does not depend on the other ads of its chunk.
    """
    if "title" not in frame or len(frame) < 2:
        return None
    codes, uniques = pd.factorize(frame["title"], use_na_sentinel=False)
    if len(uniques) == len(frame):
        return None
    return np.argsort(codes, kind="stable")


def title_description_pairs(frame: pd.DataFrame) -> list[tuple[str, str]]:
    """(title, description) of every ad, empty strings for missing values."""
    titles = frame["title"].fillna("").astype(str).tolist() if "title" in frame else [""] * len(frame)
    descriptions = frame["description"].fillna("").astype(str).tolist()
    return list(zip(titles, descriptions, strict=True))


@contextmanager
def _gc_paused() -> Iterator[None]:
    """The cyclic garbage collector off for one batch, back to its former state after it.

    A batch allocates millions of small containers (spans, lists, dicts, match objects) and keeps thousands until it
    ends, so the collector runs often and its full collections walk every object of the process (model, patterns,
    modules): 2-7 % of predict_serial. None of a batch's objects form reference cycles (a 4,000-ad predict_serial run
    with the collector off leaves 0 unreachable objects for gc.collect): reference counting frees them all the same,
    and anything else waits only until the batch ends.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


MODEL_INPUT_COLUMNS = ("title", "description", "category", "subcategory", "price")
OUTPUT_SPAN_FIELDS = ("start", "finish", "kind", "text", "value", "score", "disguise")


def _title_contacts(analysis: AdAnalysis, min_score: float) -> list[Span]:
    """The contacts found in an ad's title (its candidates that reach min_score)."""
    return [s for s in analysis.title_candidates if s.score >= min_score]


def _output_columns(analyses: list[AdAnalysis], min_score: float) -> dict[str, object]:
    """predict_serial's output columns (all but the probability) for the ads' analyses, built column by column (not
    a dict per ad that pandas reads back): start and finish as nullable integers."""
    starts: list[int | None] = []
    finishes: list[int | None] = []
    contacts_json: list[str] = []
    counts: list[int] = []
    kinds: list[str] = []
    titles_json: list[str] = []
    for analysis in analyses:
        contacts = analysis.contacts
        title_contacts = _title_contacts(analysis, min_score)
        span = contest_span(contacts)
        starts.append(span[0] if span else None)
        finishes.append(span[1] if span else None)
        contacts_json.append(spans_to_json(contacts, OUTPUT_SPAN_FIELDS))
        counts.append(len(contacts))
        kinds.append(",".join(sorted({s.kind for s in contacts})) if contacts else "")
        titles_json.append(spans_to_json(title_contacts, OUTPUT_SPAN_FIELDS))
    return {
        "start": pd.array(starts, dtype="Int64"),
        "finish": pd.array(finishes, dtype="Int64"),
        "contacts": contacts_json,
        "n_contacts": np.array(counts, dtype=np.int64),
        "kinds": kinds,
        "title_contacts": titles_json,
    }


CLASSIFIER_FILE = "classifier.cbm"
SETTINGS_FILE = "predictor.json"


@dataclass(slots=True)
class Prediction:
    """The answer for one ad."""

    probability: float
    contacts: list[Span]
    features: dict[str, float] = field(default_factory=dict)
    title_contacts: list[Span] = field(default_factory=list)

    @property
    def contest_span(self) -> tuple[int, int] | None:
        """The contest's single span (first start to last finish) or None."""
        return contest_span(self.contacts)


class Predictor:
    """Detectors plus the trained classifier: raw ads in, probability and spans out."""

    def __init__(
        self,
        classifier: CatBoostClassifier | None,
        detect: DetectSettings,
        model: ModelSettings,
        version: str = "",
        scorer: SpanScorer | None = None,
    ) -> None:
        self.classifier = classifier
        self.scorer = scorer or SpanScorer(None)
        self.detect = detect
        self.model_settings = model
        self.version = version
        self.detectors = build_detectors(detect)
        gates.prepare()  # (the gates' Hyperscan database: built here, not by the first ad or in each forked worker)

    def analyze(self, frame: pd.DataFrame) -> list[AdAnalysis]:
        """Run the detectors over every ad of the frame (over several processes for large batches)."""
        pairs = title_description_pairs(frame)
        if self._parallel(len(pairs)):
            with self._pool() as pool:
                parts = pool.map(_analyze_chunk, self._chunks(pairs))
                return [analysis for part in parts for analysis in part]
        return self.analyze_pairs(pairs)

    def analyze_pairs(self, pairs: list[tuple[str, str]]) -> list[AdAnalysis]:
        """Run the detectors over (title, description) pairs in this process."""
        with _gc_paused():
            return analyze_ads(pairs, self.detectors, self.detect.min_score, self.scorer)

    def _chunks(self, items: list | pd.DataFrame) -> list:
        """items cut into a few pieces per worker (of at least _MIN_CHUNK), so that a worker slowed by other jobs on
        the machine leaves its next pieces to the other workers instead of holding up the whole batch."""
        pieces = max(1, min(self.detect.workers * _CHUNKS_PER_WORKER, len(items) // _MIN_CHUNK))
        size = -(-len(items) // max(pieces, self.detect.workers))
        slicer = items.iloc if isinstance(items, pd.DataFrame) else items
        return [slicer[i : i + size] for i in range(0, len(items), size)]

    def feature_table(self, frame: pd.DataFrame, step: int = 50_000) -> pd.DataFrame:
        """The classifier's input table for a frame of any size, built in steps (the analyses are not kept)."""
        parts = []
        pool = self._pool() if self._parallel(len(frame)) else None
        try:
            for offset in range(0, len(frame), step):
                batch = frame.iloc[offset : offset + step]
                needed = batch[[c for c in MODEL_INPUT_COLUMNS if c in batch.columns]]
                if pool is not None and len(batch) >= self.detect.parallel_from:
                    parts.extend(pool.map(_features_chunk, self._chunks(needed)))
                else:
                    parts.append(self.features(batch, self.analyze_pairs(title_description_pairs(batch))))
        finally:
            if pool is not None:
                pool.shutdown()
        return pd.concat(parts) if parts else self.features(frame, [])

    def features(self, frame: pd.DataFrame, analyses: list[AdAnalysis]) -> pd.DataFrame:
        """The classifier's input table."""
        return build_feature_frame(frame, analyses, self.model_settings.use_text)

    def probabilities(self, frame: pd.DataFrame, analyses: list[AdAnalysis], thread_count: int = -1) -> np.ndarray:
        """Classifier probabilities, or the best detector score when there is no classifier."""
        if self.classifier is None:
            return np.array([a.features["max_score"] for a in analyses])
        return predict_probability(self.classifier, self.features(frame, analyses), thread_count)

    def _parallel(self, ads: int) -> bool:
        """Whether a batch of this size is split over worker processes."""
        workers_wanted = self.detect.workers > 1 and ads >= self.detect.parallel_from
        return workers_wanted and "fork" in mp.get_all_start_methods()

    def _pool(self) -> ProcessPoolExecutor:
        """Forked workers that inherit this predictor (nothing is pickled but the ads)."""
        _WORKER_STATE["predictor"] = self
        # gc.freeze in each worker: its collections then skip the inherited objects (the model, the compiled patterns),
        # which they would otherwise walk and so copy page by page from the parent (about 5 % of the workers' CPU).
        return ProcessPoolExecutor(self.detect.workers, mp_context=mp.get_context("fork"), initializer=gc.freeze)

    def _predict_with(self, pool: ProcessPoolExecutor, frame: pd.DataFrame) -> pd.DataFrame:
        """predict_frame over the pool: the ads sent in title groups (_title_order), the answer put back in order."""
        needed = frame[[c for c in MODEL_INPUT_COLUMNS if c in frame.columns]]  # pickle only what is used
        order = _title_order(needed)
        ordered = needed.iloc[order] if order is not None else needed
        result = pd.concat(list(pool.map(_predict_chunk, [ordered.iloc[a:b] for a, b in self._guided(len(ordered))])))
        if order is not None:
            result = result.iloc[np.argsort(order)]  # every ad back at its own position
        result.index = frame.index  # (the pieces' rows are the frame's, in its order again)
        return result

    def _guided(self, count: int) -> list[tuple[int, int]]:
        """(start, stop) of predict_frame's pieces of count ads: each 1/_GUIDED_SHARE of what is left per worker, at
        least _MIN_PIECE, the last one taking a rest shorter than _MIN_PIECE (20,000 ads, 2 workers: 5,000, 3,750 ...
        667, then 500s: 12 pieces)."""
        bounds = []
        start = 0
        while start < count:
            size = max(_MIN_PIECE, -(-(count - start) // (_GUIDED_SHARE * self.detect.workers)))
            stop = count if count - start - size < _MIN_PIECE else start + size
            bounds.append((start, stop))
            start = stop
        return bounds

    def predict_frame(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Score a frame of ads: prediction, start, finish, contacts (JSON), n_contacts, kinds, title_contacts (JSON)."""
        if self._parallel(len(frame)):
            with self._pool() as pool:
                return self._predict_with(pool, frame)
        return self.predict_serial(frame)

    def predict_serial(self, frame: pd.DataFrame, thread_count: int = -1) -> pd.DataFrame:
        """predict_frame in this process only."""
        with _gc_paused():
            return self._predict_serial(frame, thread_count)

    def _predict_serial(self, frame: pd.DataFrame, thread_count: int) -> pd.DataFrame:
        analyses = self.analyze_pairs(title_description_pairs(frame))
        probability = self.probabilities(frame, analyses, thread_count)
        if not len(frame):
            result = pd.DataFrame([], index=frame.index)
            result.insert(0, "prediction", [])
            result["start"] = pd.Series(dtype="Int64")
            result["finish"] = pd.Series(dtype="Int64")
            return result
        result = pd.DataFrame(_output_columns(analyses, self.detect.min_score), index=frame.index)
        result.insert(0, "prediction", np.clip(probability, 0.0, 1.0))
        return result

    def predict_batches(
        self, frame: pd.DataFrame, batch_size: int, progress: Callable[[int, int], None] | None = None
    ) -> pd.DataFrame:
        """predict_frame in batches (one worker pool for all of them), calling progress(done, total) after each."""
        if not len(frame):
            return self.predict_serial(frame)
        parallel = self._parallel(len(frame))
        step = max(batch_size, self.detect.workers * 500) if parallel else batch_size
        parts = []
        pool = self._pool() if parallel else None
        try:
            for offset in range(0, len(frame), step):
                batch = frame.iloc[offset : offset + step]
                parts.append(self._predict_with(pool, batch) if pool else self.predict_serial(batch))
                if progress is not None:
                    progress(min(offset + step, len(frame)), len(frame))
        finally:
            if pool is not None:
                pool.shutdown()
        return pd.concat(parts)

    def predict_one(
        self, description: str, title: str = "", category: str = "", subcategory: str = "", price: float | None = None
    ) -> Prediction:
        """Score a single ad."""
        frame = pd.DataFrame(
            [
                {
                    "title": title,
                    "description": description,
                    "category": category,
                    "subcategory": subcategory,
                    "price": price,
                }
            ]
        )
        analyses = self.analyze_pairs([(title or "", description or "")])  # the texts as given, not read back
        probability = float(np.clip(self.probabilities(frame, analyses)[0], 0.0, 1.0))
        analysis = analyses[0]
        title_contacts = _title_contacts(analysis, self.detect.min_score)
        return Prediction(probability, analysis.contacts, analysis.features, title_contacts)

    def explain(
        self, prediction: Prediction, description: str, title: str = "", category: str = ""
    ) -> tuple[list[dict], list[tuple[str, float]]]:
        """Why: one explanation per contact (description, then title) and the features that drove the probability."""
        candidates = ad_candidates(title, description, prediction.contacts, prediction.title_contacts)
        explanations = [self.scorer.explain(candidate) for candidate in candidates]
        drivers: list[tuple[str, float]] = []
        if self.classifier is not None and prediction.features:
            frame = pd.DataFrame([{"category": category}])
            features = build_feature_frame(frame, [AdAnalysis([], [], [], prediction.features)], False)
            features = features[list(self.classifier.feature_names_)]
            shap = self.classifier.get_feature_importance(make_pool(features), type="ShapValues")[0][:-1]
            ranked = sorted(zip(features.columns, shap, strict=True), key=lambda item: -item[1])
            drivers = [(name, round(float(value), 3)) for name, value in ranked[:3] if value > 0]
        return explanations, drivers

    def save(self, folder: str | Path) -> Path:
        """Write the classifier and the detector settings into folder."""
        target = Path(folder)
        target.mkdir(parents=True, exist_ok=True)
        if self.classifier is not None:
            self.classifier.save_model(str(target / CLASSIFIER_FILE))
        self.scorer.save(target)
        meta = {"detect": self.detect.model_dump(), "model": self.model_settings.model_dump(), "version": self.version}
        (target / SETTINGS_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
        return target

    @classmethod
    def load(cls, folder: str | Path, version: str = "") -> Predictor:
        """Read a predictor written by save()."""
        source = Path(folder)
        meta = json.loads((source / SETTINGS_FILE).read_text(encoding="utf-8"))
        classifier = None
        if (source / CLASSIFIER_FILE).exists():
            classifier = CatBoostClassifier()
            classifier.load_model(str(source / CLASSIFIER_FILE))
        return cls(
            classifier,
            DetectSettings(**meta["detect"]),
            ModelSettings(**meta["model"]),
            version or meta.get("version", ""),
            SpanScorer.load(source),
        )


def _span_column(result: pd.DataFrame, name: str) -> pd.Series:
    """A start/finish column as nullable integers on a 0..n-1 index (never floats, empty when missing)."""
    return result[name].astype("Int64").reset_index(drop=True)


def contest_task1(ids: Iterable, result: pd.DataFrame) -> pd.DataFrame:
    """Contest task 1 frame: index, prediction."""
    return pd.DataFrame({"index": list(ids), "prediction": result["prediction"].to_numpy()})


def contest_task2(ids: Iterable, result: pd.DataFrame) -> pd.DataFrame:
    """Contest task 2 frame: index, start, finish as integers (empty when there is no contact)."""
    return pd.DataFrame(
        {"index": list(ids), "start": _span_column(result, "start"), "finish": _span_column(result, "finish")}
    )


TEXT_COLUMNS = ("title", "description")


def cap_text(text: str, max_chars: int) -> tuple[str, bool]:
    """The first max_chars characters of text, and whether anything was cut."""
    return (text[:max_chars], True) if len(text) > max_chars else (text, False)


def cap_ad_texts(frame: pd.DataFrame, max_chars: int) -> tuple[pd.DataFrame, pd.Series]:
    """Ads with title and description cut to max_chars characters, and which ads were cut (bool, same index)."""
    truncated = pd.Series(False, index=frame.index, dtype=bool)
    longer = {}
    for column in TEXT_COLUMNS:
        if column in frame.columns:
            lengths = frame[column].astype(object).map(lambda value: len(value) if isinstance(value, str) else 0)
            longer[column] = (lengths > max_chars).to_numpy(dtype=bool)
            truncated |= longer[column]
    if not truncated.any():
        return frame, truncated
    capped = frame.copy()
    for column, mask in longer.items():
        if mask.any():
            values = capped[column].astype(object)
            values[mask] = [value[:max_chars] for value in values[mask]]
            capped[column] = values.astype(frame[column].dtype)
    return capped, truncated
