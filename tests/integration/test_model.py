"""Real CatBoost fits on small synthetic data: both feature sets, seeded, saved and loaded back."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from mlflow.exceptions import MlflowException

from core.config import Settings, save_settings
from core.engine.predict import Predictor
from core.lifecycle import tracking
from core.lifecycle.pipeline import train
from core.lifecycle.pyfunc_model import INPUT_COLUMNS, OUTPUT_COLUMNS, REQUIRED_INPUTS
from core.lifecycle.synth import generate_ads

ROOT = Path(__file__).resolve().parents[2]


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


# --------------------------------------------------------------------------- the registered MLflow model

FRESH_SCRIPT = """
import json, sys
import mlflow, pandas as pd
ads = pd.read_json(sys.argv[1], orient="records", dtype=False)
model = mlflow.pyfunc.load_model("models:/contact-detector@champion")
import core
result = model.predict(ads)
json.dump({"core": core.__file__, "columns": list(result.columns), "rows": result.to_dict(orient="records")},
          open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
"""


def _model_env(trained_store) -> dict[str, str]:
    """An environment that knows only the tracking store: no project on the path, no config."""
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "CONTACTGUARD_CONFIG")}
    env["MLFLOW_TRACKING_URI"] = tracking.tracking_uri(trained_store.settings.tracking)
    return env


def test_champion_loads_in_a_fresh_process_and_scores_5000_ads_in_one_call(trained_store, tmp_path: Path) -> None:
    ads = generate_ads(5_000, seed=11)[list(INPUT_COLUMNS)]
    ads.to_json(tmp_path / "ads.json", orient="records", force_ascii=False)
    out = tmp_path / "out.json"
    done = subprocess.run(
        [sys.executable, "-c", FRESH_SCRIPT, str(tmp_path / "ads.json"), str(out)],
        cwd=tmp_path,
        env=_model_env(trained_store),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    answer = json.loads(out.read_text(encoding="utf-8"))
    assert Path(answer["core"]).parts[-3:] == ("code", "core", "__init__.py")  # core came with the model
    assert not Path(answer["core"]).is_relative_to(ROOT)
    assert answer["columns"] == list(OUTPUT_COLUMNS) and len(answer["rows"]) == 5_000
    expected = tracking.load_predictor(trained_store.settings.tracking).predict_frame(ads)
    np.testing.assert_allclose([row["prediction"] for row in answer["rows"]], expected["prediction"], rtol=1e-6)
    assert [row["contacts"] for row in answer["rows"]] == [json.loads(value) for value in expected["contacts"]]
    assert [row["start"] for row in answer["rows"]] == [None if pd.isna(v) else int(v) for v in expected["start"]]


def test_signature_names_every_input_column_and_order_or_optional_columns_do_not_matter(trained_store) -> None:
    model = tracking.load_model(trained_store.settings.tracking, tracking.model_uri(trained_store.settings.tracking))
    inputs = model.metadata.get_input_schema()
    assert inputs.input_names() == list(INPUT_COLUMNS)
    optional = {spec.name for spec in inputs.inputs if not spec.required}
    assert optional == set(INPUT_COLUMNS) - set(REQUIRED_INPUTS) == {"title", "subcategory", "price"}
    outputs = model.metadata.get_output_schema()
    assert outputs.input_names() == list(OUTPUT_COLUMNS)
    assert model.metadata.saved_input_example_info["type"] == "dataframe"
    ads = generate_ads(60, seed=12)
    full = ads[list(INPUT_COLUMNS)]
    scored = model.predict(full)
    assert list(scored.columns) == list(OUTPUT_COLUMNS) and len(scored) == 60
    shuffled = model.predict(full[["price", "category", "subcategory", "description", "title"]])
    pd.testing.assert_frame_equal(scored, shuffled)
    with_extra = model.predict(ads)  # region, city, datetime_submitted, labels…: ignored
    pd.testing.assert_frame_equal(scored, with_extra)

    nulls = full.assign(title=None, subcategory=None, price=None)
    without = model.predict(full[["description", "category"]])
    pd.testing.assert_frame_equal(model.predict(nulls), without)
    with pytest.raises(MlflowException, match="description"):
        model.predict(full[["title", "category"]])
    empty = model.predict(full.iloc[:0])
    assert list(empty.columns) == list(OUTPUT_COLUMNS) and empty.empty


def test_model_only_scores_and_keeps_its_settings(trained_store, tmp_path: Path, monkeypatch) -> None:
    """No row limit, no monitoring log, no config.yaml read; model_config holds the runtime settings."""
    settings = trained_store.settings.model_copy(deep=True)
    settings.serve.max_rows = 3
    settings.monitoring.db_path = str(tmp_path / "log.sqlite")
    monkeypatch.setenv("CONTACTGUARD_CONFIG", str(save_settings(settings, tmp_path / "config.yaml")))
    uri = tracking.model_uri(settings.tracking)
    model = tracking.load_model(settings.tracking, uri)
    config = model.model_config
    assert config == {"detect.max_chars": 20_000, "detect.workers": 2, "detect.parallel_from": 4_000}
    ads = generate_ads(10, seed=13)[list(INPUT_COLUMNS)]
    assert len(model.predict(ads)) == 10
    assert not (tmp_path / "log.sqlite").exists()

    phone = "звоните 8 912 345-67-89"
    long_ad = pd.DataFrame([{"description": "диван " * 200 + phone, "category": "Для дома и дачи"}])
    assert model.predict(long_ad)["contacts"][0]  # 1,223 characters: all of them scored
    short = tracking.load_model(settings.tracking, uri, model_config={"detect.max_chars": 600})
    assert short.unwrap_python_model().predictor.detect.max_chars == 600
    assert short.predict(long_ad)["contacts"][0] == []  # the phone lies past the first 600 characters


def test_tracking_and_monitoring_do_not_import_each_other_at_module_level() -> None:
    paths = {
        "tracking": ROOT / "core" / "lifecycle" / "tracking.py",
        "monitoring": ROOT / "core" / "ops" / "monitoring.py",
    }
    packages = {"tracking": "core.lifecycle", "monitoring": "core.ops"}
    for module, other in (("tracking", "monitoring"), ("monitoring", "tracking")):
        tree = ast.parse(paths[module].read_text(encoding="utf-8"))
        top = [node for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom)]
        names = {alias.name for node in top for alias in node.names} | {
            node.module or "" for node in top if isinstance(node, ast.ImportFrom)
        }
        assert f"{packages[other]}.{other}" not in names and other not in names
    tracking_source = paths["tracking"].read_text(encoding="utf-8")
    assert "monitoring" not in tracking_source
