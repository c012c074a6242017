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
