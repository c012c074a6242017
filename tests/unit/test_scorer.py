"""The learned span scorer and the evidence-only classifier, fitted for real on small generated data."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from core.config import DetectSettings, ModelSettings, Settings
from core.engine.predict import Predictor
from core.engine.scorer import Candidate, candidate_features, gold_labels
from core.engine.spans import Span
from core.lifecycle.metrics import per_category_auc
from core.lifecycle.pipeline import train
from core.lifecycle.synth import generate_ads

TEXT = "Цена 12 500 руб. Звоните 8 912 345 67 89, Иван."


def _phone_span(text: str) -> Span:
    start = text.index("8 912")
    return Span(start, start + len("8 912 345 67 89"), "phone", "8 912 345 67 89", "+79123456789", 0.9, "plain")


def test_candidate_features_read_the_words_around_a_candidate() -> None:
    feats = candidate_features(Candidate(TEXT, _phone_span(TEXT)))
    assert feats["left_call"] == 1.0 and feats["right_name"] == 1.0
    assert feats["left_code"] == 0.0 and feats["right_unit"] == 0.0
    assert feats["digits"] == 11.0 and feats["groups"] == 5.0 and feats["mobile_value"] == 1.0
    price = "Артикул 8 912 345 67 89 шт"
    span = Span(8, 23, "phone", price[8:23], "+79123456789", 0.9)
    feats = candidate_features(Candidate(price, span))
    assert feats["left_code"] == 1.0 and feats["right_unit"] == 1.0 and feats["left_call"] == 0.0


def test_right_unmasked_reads_as_far_as_the_detector() -> None:
    """A phrase that takes a joke back past 24 characters still says the code is a number (y10-119)."""
    text = "Номер кузова, как говорится, 89124078355 — а если серьёзно, это мой телефон, звоните"
    start = text.index("8912")
    span = Span(start, start + 11, "phone", "89124078355", "+79124078355", 0.98, "plain")
    assert candidate_features(Candidate(text, span))["right_unmasked"] == 1.0
    text = "Номер кузова 89124078355 — а если серьёзно, кузов без ржавчины"
    start = text.index("8912")
    span = Span(start, start + 11, "phone", "89124078355", "+79124078355", 0.98, "plain")
    assert candidate_features(Candidate(text, span))["right_unmasked"] == 0.0


def test_gold_labels_mark_candidates_that_touch_a_gold_span() -> None:
    gold = [Span(10, 20, "phone")]
    candidates = [Span(0, 5, "phone"), Span(15, 25, "phone"), Span(20, 30, "phone")]
    assert gold_labels(candidates, gold) == [0, 1, 0]


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, Predictor]:
    settings = Settings()
    settings.model.iterations = 120
    settings.train.early_stopping_rounds = 0
    result = train(settings, generate_ads(3000, seed=1), generate_ads(600, seed=2))
    return settings, result.predictor


def test_training_fits_a_span_scorer_that_separates_contacts_from_look_alikes(
    trained: tuple[Settings, Predictor],
) -> None:
    _, predictor = trained
    assert predictor.scorer.model is not None
    ads = generate_ads(800, seed=3)
    analyses = predictor.analyze(ads)
    gold = [[Span(**item) for item in json.loads(spans)] for spans in ads["spans"]]
    scores, labels = [], []
    for analysis, gold_spans in zip(analyses, gold, strict=True):
        scores.extend(span.score for span in analysis.candidates)
        labels.extend(gold_labels(analysis.candidates, gold_spans))
    assert 0 < sum(labels) < len(labels)
    assert per_category_auc(["all"] * len(labels), labels, scores).mean > 0.9


def test_a_candidate_the_rules_reject_is_never_lifted_by_the_scorer(trained: tuple[Settings, Predictor]) -> None:
    _, predictor = trained
    weak = Span(25, 40, "phone", "8 912 345 67 89", "+79123456789", 0.1, "plain")
    strong = Span(25, 40, "phone", "8 912 345 67 89", "+79123456789", 0.9, "plain")
    candidates = [Candidate(TEXT, weak), Candidate(TEXT, strong)]
    learned = predictor.scorer.scores(candidates)
    rescored = predictor.scorer.rescore(candidates, min_score=0.5)
    # the rejected candidate keeps at most its rule score; the accepted one takes the model's score
    assert rescored[0].base_score == 0.1 and rescored[0].score == round(min(0.1, float(learned[0])), 4)
    assert rescored[1].base_score == 0.9 and rescored[1].score == round(float(learned[1]), 4)
    assert learned[0] > 0.1  # so the first assertion really shows the model being held back


def test_every_contact_comes_with_an_explanation(trained: tuple[Settings, Predictor]) -> None:
    _, predictor = trained
    prediction = predictor.predict_one(TEXT, category="Транспорт")
    explanations, drivers = predictor.explain(prediction, TEXT, "", "Транспорт")
    assert len(explanations) == len(prediction.contacts) == 1
    explanation = explanations[0]
    assert explanation["rule"] == "phone/plain" and explanation["validated"] == "+79123456789"
    assert "left_call" in explanation["context"] and explanation["score_parts"]
    assert drivers and all(value > 0 for _, value in drivers)


def test_save_and_load_keep_the_scorer(trained: tuple[Settings, Predictor], tmp_path: Path) -> None:
    _, predictor = trained
    ads = generate_ads(200, seed=4)
    loaded = Predictor.load(predictor.save(tmp_path / "predictor"))
    assert loaded.scorer.model is not None
    pd.testing.assert_frame_equal(loaded.predict_frame(ads), predictor.predict_frame(ads))


def test_classifier_never_ranks_an_ad_below_stronger_detector_evidence(trained: tuple[Settings, Predictor]) -> None:
    _, predictor = trained
    ads = generate_ads(300, seed=5)
    analyses = predictor.analyze(ads)
    features = predictor.features(ads, analyses)
    base = predictor.classifier.predict_proba(features[list(predictor.classifier.feature_names_)])[:, 1]
    stronger = features.copy()
    for column in ("max_score", "any_max_score", "phone_max"):
        stronger[column] = np.minimum(stronger[column] + 0.3, 1.0)
    raised = predictor.classifier.predict_proba(stronger[list(predictor.classifier.feature_names_)])[:, 1]
    assert (raised >= base - 1e-9).all()


def _pad(text: str, sentences: int) -> str:
    filler = " Состояние хорошее, вещь чистая, без запаха. Отдам в хорошие руки, торг уместен."
    return text + filler * sentences + " 2 шт." * (sentences % 3)


def test_length_and_digit_counts_carry_no_label(trained: tuple[Settings, Predictor]) -> None:
    """Clean ads padded to the positives' lengths (and the reverse) are ranked as before."""
    _, predictor = trained
    ads = generate_ads(1500, seed=6)
    before = predictor.predict_frame(ads)["prediction"].to_numpy()
    swapped = ads.copy()
    rng = np.random.default_rng(0)
    swapped["description"] = [
        _pad(text, int(rng.integers(3, 8)) if label == 0 else int(rng.integers(0, 2)))
        for text, label in zip(ads["description"], ads["is_bad"], strict=True)
    ]
    after = predictor.predict_frame(swapped)["prediction"].to_numpy()
    labels = ads["is_bad"].tolist()
    auc_before = per_category_auc(ads["category"].tolist(), labels, before).mean
    auc_after = per_category_auc(ads["category"].tolist(), labels, after).mean
    assert abs(auc_after - auc_before) < 0.005


def test_a_contact_in_the_title_counts(trained: tuple[Settings, Predictor]) -> None:
    _, predictor = trained
    plain = predictor.predict_one("Продам гараж, документы готовы.", title="Продам гараж", category="Недвижимость")
    with_phone = predictor.predict_one(
        "Продам гараж, документы готовы.", title="Продам гараж, звоните 8 916 523 45 67", category="Недвижимость"
    )
    assert with_phone.title_contacts and with_phone.probability >= 0.5 > plain.probability


def test_the_scorer_can_be_switched_off() -> None:
    settings = Settings(model=ModelSettings(iterations=30, span_scorer=False), detect=DetectSettings())
    settings.train.early_stopping_rounds = 0
    result = train(settings, generate_ads(400, seed=7), generate_ads(100, seed=8))
    assert result.predictor.scorer.model is None


def test_a_model_trained_before_a_feature_was_added_reads_its_own_columns() -> None:
    from catboost import CatBoostClassifier, Pool

    from core.engine.scorer import CATEGORICAL, FEATURES, SpanScorer

    texts = [TEXT, "Звоните 8 912 345 67 89", "Артикул 8 912 345 67 89 шт", "Номер спрятан в ценах: 8 912 345 67 89"]
    candidates = [Candidate(text, Span(text.index("8 912"), text.index("8 912") + 15, "phone", "", "+79123456789", 0.9))
                  for text in texts]  # fmt: skip
    labels = [1, 1, 0, 1]
    old_names = [name for name in FEATURES if name != "hidden_hint"]  # the feature list before hidden_hint
    rows = [[candidate_features(c)[name] for name in old_names] for c in candidates]
    cat = [i for i, name in enumerate(old_names) if name in CATEGORICAL]
    model = CatBoostClassifier(iterations=20, depth=2, verbose=False, allow_writing_files=False, random_seed=1)
    model.fit(Pool(rows, labels, cat_features=cat, feature_names=old_names))
    scorer = SpanScorer(model)
    assert scorer.feature_names == tuple(old_names)
    expected = model.predict_proba(Pool(rows, cat_features=cat, feature_names=old_names))[:, 1]
    assert np.allclose(scorer.scores(candidates), expected)
    assert scorer.explain(candidates[0])["learned_score"] == round(float(expected[0]), 4)
