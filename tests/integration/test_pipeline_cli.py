"""Integration: prepare -> train -> evaluate -> predict through the CLI, with a real MLflow store in a temp folder."""

from __future__ import annotations

import csv
import io
import json
import re
import time
from pathlib import Path

import pandas as pd
import pytest

from core.cli import main
from core.config import save_settings
from tests.conftest import TrainedStore, small_settings

SHARED_DATA = Path(__file__).resolve().parents[1] / "data" / "real" / "real_rows_sample.csv"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    settings = small_settings(tmp_path)
    settings.synth.n_train = 800
    settings.synth.n_val = 200
    settings.synth.n_test = 300
    settings.model.iterations = 40
    config = save_settings(settings, tmp_path / "config.yaml")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("core.cli.LOCAL_MODEL_DIR", str(tmp_path / "models" / "predictor"))
    monkeypatch.setattr("core.cli.LOCAL_RUN_FILE", str(tmp_path / "models" / "run.json"))
    (tmp_path / "models").mkdir()
    return config


def test_predict_without_a_model_says_how_to_get_one(project: Path, tmp_path: Path, capsys) -> None:
    ads = tmp_path / "ads.csv"
    pd.DataFrame([{c: "x" for c in ("title", "description", "subcategory", "category", "region", "city")}]).assign(
        price=1, datetime_submitted="2020-01-01"
    ).to_csv(ads, index=False)
    assert main(["--config", str(project), "predict", str(ads), "-o", str(tmp_path / "out.csv")]) == 2
    assert "python -m core train" in capsys.readouterr().err


def test_full_cycle(project: Path, tmp_path: Path, capsys) -> None:
    assert main(["--config", str(project), "prepare"]) == 0
    assert main(["--config", str(project), "train", "--run-name", "cli-test"]) == 0
    out = capsys.readouterr().out
    assert "MEAN" in out and "registered version 1" in out and "champion set: True" in out

    run_id = json.loads((tmp_path / "models" / "run.json").read_text(encoding="utf-8"))["run_id"]
    from mlflow.tracking import MlflowClient

    from core.config import load_settings as load
    from core.lifecycle import tracking as tracking_module

    client = MlflowClient(tracking_module.tracking_uri(load(project).tracking))
    assert "hand-written sets" in out and "untouched" in out
    logged = {item.path for item in client.list_artifacts(run_id, "plots")}
    sets = ("golden", "holdout", "untouched")
    assert {f"plots/{kind}_{part}.png" for kind in ("roc", "confusion") for part in ("synthetic", *sets)} <= logged
    run = client.get_run(run_id)
    assert run.data.params["model.iterations"] == "40"
    assert json.loads(run.data.params["evaluate.handwritten_sets"])[2]["name"] == "untouched"
    assert "auc/Транспорт" in run.data.metrics and "holdout_span_f1" in run.data.metrics
    for part in sets:  # every hand-written set is logged with stable metric names
        assert {f"{part}_mean_auc", f"{part}_iou", f"{part}_span_f1", f"{part}_auc/Транспорт"} <= set(run.data.metrics)
    assert 0.5 < run.data.metrics["untouched_mean_auc"] <= 1.0
    evaluation = tracking_module.load_run_json(load(project).tracking, run_id, "evaluation.json")
    assert set(evaluation["synthetic"]["roc"]) <= set(evaluation["synthetic"]["per_category"]) | set(
        evaluation["synthetic"]["skipped_categories"]
    )
    entries = {entry["name"]: entry for entry in evaluation["handwritten"]}
    assert list(entries) == list(sets) and all(entry["evaluated"] for entry in entries.values())
    assert entries["untouched"]["ads"] == 1120 and entries["untouched"]["tuned"] is False and entries["golden"]["tuned"]
    assert evaluation["untouched"]["ads"] == 1120 and len(evaluation["untouched"]["per_category"]) == 10

    assert main(["--config", str(project), "evaluate"]) == 0
    out = capsys.readouterr().out
    metrics = json.loads((tmp_path / "metrics" / "metrics.json").read_text(encoding="utf-8"))
    assert 0.5 < metrics["mean_auc"] <= 1.0
    assert 0.0 <= metrics["span_f1"] <= 1.0
    assert {f"{part}_{key}" for part in sets for key in ("mean_auc", "iou", "span_f1")} <= set(metrics)
    assert metrics["untouched_mean_auc"] == pytest.approx(run.data.metrics["untouched_mean_auc"], abs=1e-6)
    assert (tmp_path / "metrics" / "plots" / "roc.csv").exists()
    header = out.splitlines()[0].split()
    assert header == ["synthetic", *sets]  # the per-category table has a column per set
    assert "hand-written sets" in out and "MEAN" in out

    # A second training run registers version 2 but leaves the champion on version 1.
    assert main(["--config", str(project), "train"]) == 0
    assert "registered version 2" in capsys.readouterr().out
    from core.config import load_settings
    from core.lifecycle import tracking

    assert tracking.get_alias_version(load_settings(project).tracking) == "1"
    assert main(["--config", str(project), "promote", "--version", "2"]) == 0
    assert tracking.get_alias_version(load_settings(project).tracking) == "2"

    output = tmp_path / "scored.csv"
    assert main(["--config", str(project), "predict", str(SHARED_DATA), "-o", str(output), "--quiet"]) == 0
    scored = pd.read_csv(output)
    real = pd.read_csv(SHARED_DATA)
    assert list(scored.columns) == ["index", "prediction", "start", "finish", "contacts", "truncated"]
    assert not scored["truncated"].any()
    assert len(scored) == len(real)
    assert scored["prediction"].between(0, 1).all()
    for row, description in zip(scored.itertuples(), real["description"].fillna(""), strict=True):
        contacts = json.loads(row.contacts)
        if contacts:
            assert row.start == contacts[0]["start"] and row.finish == max(c["finish"] for c in contacts)
            for contact in contacts:
                assert description[contact["start"] : contact["finish"]] == contact["text"]
        else:
            assert pd.isna(row.start) and pd.isna(row.finish)
    # The real row "...доп.тел.8.9.4.1.8.9.7.1.5.5.1)" is found on the raw text.
    assert any("8.9.4.1.8.9.7.1.5.5.1" in c["text"] for value in scored["contacts"] for c in json.loads(value))


def test_predict_rejects_a_bad_csv_with_a_clear_message(project: Path, tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("title,text\nfoo,bar\n", encoding="utf-8")
    assert main(["--config", str(project), "predict", str(bad), "-o", str(tmp_path / "o.csv")]) == 2
    assert "description" in capsys.readouterr().err


def test_predict_on_a_header_only_csv_writes_an_empty_result_with_a_clear_message(
    project: Path, tmp_path: Path, capsys
) -> None:
    header_only = tmp_path / "header_only.csv"
    header_only.write_text("index,title,description,subcategory,category,price,region,city,datetime_submitted\n")
    output = tmp_path / "scored.csv"
    assert main(["--config", str(project), "predict", str(header_only), "-o", str(output), "--quiet"]) == 0
    err = capsys.readouterr().err
    assert "warning: the file has a header but no data rows" in err and f"0 ads -> {output}" in err
    assert "Traceback" not in err and "KeyError" not in err
    assert output.read_text().strip() == "index,prediction,start,finish,contacts,truncated"


def test_a_config_that_is_not_utf8_is_one_clear_line_from_the_cli(tmp_path: Path) -> None:
    import subprocess
    import sys

    config = tmp_path / "config.yaml"
    config.write_bytes("serve:\n  port: 5001  # порт сервера\n".encode("cp1251"))
    ads = tmp_path / "ads.csv"
    ads.write_text("title\n")
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-m", "core", "--config", str(config), "predict", str(ads), "-o", str(tmp_path / "o.csv")],
        cwd=root,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(root), "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip() == (
        f"error in config: {config} is not UTF-8 text (invalid byte 0xef at line 2); save it as UTF-8"
    )


def test_train_without_prepared_splits_is_a_clear_message(project: Path, capsys) -> None:
    assert main(["--config", str(project), "train"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: no prepared 'train' split at ") and "run the prepare stage first" in err
    assert "Traceback" not in err


PHONE_AD = "Продаю диван, звоните 8 912 345-67-89 после шести"
LONG_AD_CHARS = 50_000


def _ads(descriptions: list[str]) -> pd.DataFrame:
    """Marketplace-shaped ads with ids 500, 501, … and the given descriptions."""
    return pd.DataFrame(
        {
            "index": range(500, 500 + len(descriptions)),
            "title": "Диван",
            "description": descriptions,
            "subcategory": "Мебель и интерьер",
            "category": "Для дома и дачи",
            "price": 5000,
            "region": "Москва",
            "city": "Москва",
            "datetime_submitted": "2019-10-01 10:00:00",
        }
    )


@pytest.fixture
def store_config(trained_store: TrainedStore, tmp_path: Path) -> Path:
    """The session's trained store with a private monitoring log."""
    settings = trained_store.settings.model_copy(deep=True)
    settings.monitoring.db_path = str(tmp_path / "monitoring.sqlite")
    return save_settings(settings, tmp_path / "config.yaml")


def _predict_csv(config: Path, frame: pd.DataFrame, folder: Path, name: str) -> tuple[int, str]:
    """Run `python -m core predict` on the frame; returns (exit code, output CSV as text)."""
    source, target = folder / f"{name}.csv", folder / f"{name}_scored.csv"
    frame.to_csv(source, index=False)
    code = main(["--config", str(config), "predict", str(source), "-o", str(target), "--quiet"])
    return code, target.read_text(encoding="utf-8") if target.exists() else ""


def test_predict_writes_integer_spans(store_config: Path, tmp_path: Path) -> None:
    frame = _ads([PHONE_AD, "Диван в хорошем состоянии, самовывоз", "пишите ivan собака mail точка ru"])
    code, text = _predict_csv(store_config, frame, tmp_path, "ads")
    assert code == 0
    rows = list(csv.DictReader(text.splitlines()))
    assert [row["index"] for row in rows] == ["500", "501", "502"]
    for row in rows:
        for column in ("start", "finish"):
            assert re.fullmatch(r"\d*", row[column]), (column, row[column])  # "96", never "96.0"
    assert rows[0]["start"] and int(rows[0]["finish"]) > int(rows[0]["start"])
    assert rows[1]["start"] == "" and rows[1]["finish"] == ""


def test_predict_cuts_an_overlong_ad_warns_and_scores_the_rest(store_config: Path, tmp_path: Path, capsys) -> None:
    max_chars = 20_000
    filler = "Продаю диван, почти новый, доставка по городу. "
    long_ad = (PHONE_AD + " " + filler * (LONG_AD_CHARS // len(filler) + 1))[: LONG_AD_CHARS - 30]
    long_ad += " или 8 999 111-22-33 вечером"  # a second phone beyond the cut: not scored
    assert len(long_ad) >= LONG_AD_CHARS - 5
    others = [PHONE_AD, "Диван в хорошем состоянии, самовывоз", "Кресло, телеграм @ivan_petrov_99"]
    started = time.perf_counter()
    code, text = _predict_csv(store_config, _ads([others[0], long_ad, *others[1:]]), tmp_path, "long")
    seconds = time.perf_counter() - started
    assert code == 0 and seconds < 60
    err = capsys.readouterr().err
    assert "warning: 1 ad with a title or description longer than 20,000 characters" in err
    assert "detect.max_chars" in err and "501" in err

    scored = pd.read_csv(io.StringIO(text))
    assert scored["truncated"].tolist() == [False, True, False, False]
    cut = scored.iloc[1]
    contacts = json.loads(cut["contacts"])
    assert contacts and all(contact["finish"] <= max_chars for contact in contacts)
    assert [contact["value"] for contact in contacts] == ["+79123456789"]
    assert long_ad[int(cut["start"]) : int(cut["finish"])] == contacts[0]["text"]

    code, plain_text = _predict_csv(store_config, _ads(others), tmp_path, "plain")
    assert code == 0
    plain = pd.read_csv(io.StringIO(plain_text))
    rest = scored.drop(index=1).reset_index(drop=True)
    pd.testing.assert_series_equal(rest["prediction"], plain["prediction"])
    for column in ("start", "finish", "contacts"):
        assert rest[column].fillna(-1).tolist() == plain[column].fillna(-1).tolist()


def test_evaluate_scores_a_configured_list_and_reports_a_missing_file(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    from core.config import load_settings

    assert main(["--config", str(project), "prepare"]) == 0
    settings = load_settings(project)
    mine = tmp_path / "mine.jsonl"
    lines = (Path(__file__).resolve().parents[1] / "data" / "golden_holdout.jsonl").read_text(encoding="utf-8")
    mine.write_text("\n".join(lines.splitlines()[:40]) + "\n", encoding="utf-8")
    settings.evaluate.handwritten_sets = [
        {"name": "mine", "path": str(mine), "tuned": True},
        {"name": "gone", "path": str(tmp_path / "gone.jsonl"), "tuned": False},
    ]
    save_settings(settings, project)
    folder = tmp_path / "rules-only"
    from core.engine.predict import Predictor

    Predictor(None, settings.detect, settings.model).save(folder)  # rules only: no training needed
    capsys.readouterr()
    assert main(["--config", str(project), "evaluate", "--model", str(folder)]) == 0
    captured = capsys.readouterr()
    assert "warning: hand-written set 'gone' not found" in captured.err
    assert "not evaluated (file not found): gone" in captured.out
    assert captured.out.splitlines()[0].split() == ["synthetic", "mine"]
    metrics = json.loads((tmp_path / "metrics" / "metrics.json").read_text(encoding="utf-8"))
    assert "mine_mean_auc" in metrics and not any(key.startswith(("gone_", "golden_", "untouched_")) for key in metrics)

    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"id": "x", "category": "Работа", "description": "звоните ⟦8 912⟧{fax/plain}"}\n', "utf-8")
    settings.evaluate.handwritten_sets = [{"name": "broken", "path": str(broken), "tuned": False}]
    save_settings(settings, project)
    assert main(["--config", str(project), "evaluate", "--model", str(folder)]) == 2
    assert (
        "error in a hand-written set: broken.jsonl:1: `description` marks an unknown kind fax"
        in capsys.readouterr().err
    )
