"""Real CatBoost fits on small synthetic data: both feature sets, seeded, saved and loaded back."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from core.config import Settings
from core.pipeline import train
from core.predict import Predictor
from core.synth import generate_ads


@pytest.mark.parametrize("use_text", [False, True])
def test_fit_predict_save_load(tmp_path: Path, use_text: bool) -> None:
    settings = Settings()
    settings.model.iterations = 40
    settings.model.use_text = use_text
    frame = generate_ads(900, seed=3)
    result = train(settings, frame.iloc[:700], frame.iloc[700:])
    probabilities = result.predictor.predict_frame(frame.iloc[700:])["prediction"].to_numpy()
    assert ((probabilities >= 0) & (probabilities <= 1)).all()
    assert result.metrics["val_mean_auc"] > 0.8

    loaded = Predictor.load(result.predictor.save(tmp_path / "predictor"))
    again = loaded.predict_frame(frame.iloc[700:])["prediction"].to_numpy()
    np.testing.assert_allclose(probabilities, again, rtol=1e-6)

    same_seed = train(settings, frame.iloc[:700], frame.iloc[700:])
    np.testing.assert_allclose(
        probabilities, same_seed.predictor.predict_frame(frame.iloc[700:])["prediction"], rtol=1e-6
    )


def test_worker_processes_give_the_same_answers_as_one_process() -> None:
    settings = Settings()
    settings.model.iterations = 30
    frame = generate_ads(700, seed=5)
    predictor = train(settings, frame.iloc[:500], frame.iloc[500:]).predictor
    ads = generate_ads(400, seed=6)
    predictor.detect.workers, predictor.detect.parallel_from = 1, 10_000
    serial = predictor.predict_frame(ads)
    serial_analyses = predictor.analyze(ads)
    predictor.detect.workers, predictor.detect.parallel_from = 2, 100
    assert predictor._parallel(len(ads))
    parallel = predictor.predict_frame(ads)
    np.testing.assert_allclose(serial["prediction"], parallel["prediction"], rtol=1e-9)
    assert serial["contacts"].tolist() == parallel["contacts"].tolist()
    assert [a.features for a in predictor.analyze(ads)] == [a.features for a in serial_analyses]
    calls: list[tuple[int, int]] = []
    batched = predictor.predict_batches(ads, 150, lambda done, total: calls.append((done, total)))
    assert batched["contacts"].tolist() == serial["contacts"].tolist()
    assert calls[-1] == (400, 400) and all(total == 400 for _, total in calls)
