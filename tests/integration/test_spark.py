"""Integration: `python -m core spark-score` on a real local Spark (local[2]) against `python -m core predict`.

Java is required, not optional: `make test` installs it (Debian openjdk-17-jre-headless), so a machine
without it fails here instead of skipping.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from core.cli import main
from core.config import load_settings, save_settings
from core.lifecycle.data import REQUIRED_COLUMNS
from core.lifecycle.golden import load_golden
from core.ops import spark_job
from tests.conftest import TrainedStore

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "data" / "golden.jsonl"
COLUMNS = ["index", "prediction", "start", "finish", "contacts", "truncated"]
MAX_CHARS = 2_000

pytestmark = pytest.mark.slow


def test_java_is_installed() -> None:
    assert spark_job.java_executable() is not None, "no Java: run `make java` (Debian openjdk-17-jre-headless)"


@pytest.fixture(scope="module")
def spark() -> Iterator[object]:
    """One local[2] session for the module (the CLI calls below reuse it and leave it running)."""
    session = spark_job.spark_session("local[2]")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def config(trained_store: TrainedStore, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session's trained store with a private monitoring log and a small detect.max_chars."""
    folder = tmp_path_factory.mktemp("spark-config")
    settings = trained_store.settings.model_copy(deep=True)
    settings.monitoring.db_path = str(folder / "monitoring.sqlite")
    settings.detect.max_chars = MAX_CHARS
    return save_settings(settings, folder / "config.yaml")


@pytest.fixture(scope="module")
def golden_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The golden set as a marketplace CSV (ids g001, …), plus an overlong ad and an ad without a price."""
    frame = load_golden(GOLDEN)
    frame.insert(0, "index", frame["golden_id"])
    frame = frame[["index", *REQUIRED_COLUMNS]]
    extra = frame.iloc[:2].copy()
    extra["index"] = ["long-1", "no-price"]
    extra.iloc[0, extra.columns.get_loc("description")] = "Диван, звоните 8 912 345-67-89. " + "Почти новый. " * 400
    extra.iloc[1, extra.columns.get_loc("price")] = None
    path = tmp_path_factory.mktemp("golden") / "golden.csv"
    pd.concat([frame, extra], ignore_index=True).to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def predicted(config: Path, golden_csv: Path, tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    """`python -m core predict` on the golden CSV."""
    output = tmp_path_factory.mktemp("predict") / "scored.csv"
    assert main(["--config", str(config), "predict", str(golden_csv), "-o", str(output), "--quiet"]) == 0
    return pd.read_csv(output, keep_default_na=False, dtype=str)


def _assert_same(spark_rows: pd.DataFrame, predict_rows: pd.DataFrame) -> None:
    """Same columns and rows; probabilities within 1e-6, identical ids, spans, contacts and truncation."""
    assert list(spark_rows.columns) == COLUMNS
    assert len(spark_rows) == len(predict_rows)
    for column in ("index", "start", "finish", "contacts", "truncated"):
        assert spark_rows[column].tolist() == predict_rows[column].tolist(), column
    difference = (spark_rows["prediction"].astype(float) - predict_rows["prediction"].astype(float)).abs()
    assert difference.max() <= 1e-6


def test_spark_csv_equals_predict(
    spark: object, config: Path, golden_csv: Path, predicted: pd.DataFrame, tmp_path: Path, capsys
) -> None:
    output = tmp_path / "out" / "spark.csv"
    assert main(["--config", str(config), "spark-score", str(golden_csv), str(output)]) == 0
    err = capsys.readouterr().err
    assert f"{len(predicted)} ads -> {output}" in err
    assert "warning: 1 ad with a title or description longer than 2,000 characters" in err and "long-1" in err
    scored = pd.read_csv(output, keep_default_na=False, dtype=str)
    _assert_same(scored, predicted)
    assert scored["truncated"].tolist().count("True") == 1
    with_contacts = scored[scored["contacts"] != "[]"]
    assert len(with_contacts) > 100 and all(json.loads(value)[0]["value"] for value in with_contacts["contacts"])
    assert scored.loc[scored["contacts"] == "[]", "start"].eq("").all()
    assert output.read_text(encoding="utf-8").splitlines()[0] == ",".join(COLUMNS)


def _cell(value: object) -> str:
    """A nullable integer as the CSV shows it ('' for null)."""
    return "" if pd.isna(value) else str(int(value))


def test_spark_parquet_in_and_out(
    spark, config: Path, golden_csv: Path, predicted: pd.DataFrame, tmp_path: Path
) -> None:
    source = tmp_path / "ads.parquet"
    frame = pd.read_csv(golden_csv, dtype={"index": str})
    frame.to_parquet(source, index=False)
    target = tmp_path / "scored"  # a folder: partitioned Parquet
    result = spark_job.run(load_settings(config), str(source), str(target), spark=spark)
    assert result.rows == len(predicted) and result.output_format == "parquet" and result.truncated == 1
    assert len(list(target.glob("part-*.parquet"))) >= 2  # one file per scoring partition (local[2])
    written = pd.read_parquet(target)
    assert list(written.columns) == COLUMNS
    assert written["index"].tolist() == predicted["index"].tolist()  # input order kept across partitions
    as_csv = pd.DataFrame(
        {
            "index": written["index"],
            "prediction": written["prediction"],
            "start": [_cell(value) for value in written["start"]],
            "finish": [_cell(value) for value in written["finish"]],
            "contacts": [spark_job._contacts_json(list(value)) for value in written["contacts"]],
            "truncated": written["truncated"].astype(str),
        }
    )
    _assert_same(as_csv, predicted)


def test_spark_numbers_ads_without_an_index(spark, config: Path, golden_csv: Path, tmp_path: Path) -> None:
    source = tmp_path / "no_index.csv"
    pd.read_csv(golden_csv).drop(columns="index").iloc[:40].to_csv(source, index=False)
    output = tmp_path / "no_index_scored.csv"
    assert main(["--config", str(config), "spark-score", str(source), str(output)]) == 0
    assert pd.read_csv(output)["index"].tolist() == list(range(40))


def test_spark_score_user_errors_are_one_line(spark, config: Path, golden_csv: Path, tmp_path: Path, capsys) -> None:
    def error(*args: str) -> str:
        assert main(["--config", str(config), "spark-score", *args]) == 2
        captured = capsys.readouterr().err
        assert "Traceback" not in captured and captured.startswith("error: ")
        return captured

    out = str(tmp_path / "o.csv")
    assert f"file not found: {tmp_path / 'missing.csv'}" in error(str(tmp_path / "missing.csv"), out)
    (tmp_path / "ads.xlsx").write_bytes(b"PK\x03\x04")
    assert "unsupported input ('.xlsx'); give a .csv or a .parquet" in error(str(tmp_path / "ads.xlsx"), out)
    assert "unsupported output ('.json')" in error(str(golden_csv), str(tmp_path / "o.json"))
    bad = tmp_path / "bad.csv"
    bad.write_text("title,text\nfoo,bar\n", encoding="utf-8")
    message = error(str(bad), out)
    assert "bad.csv: missing required columns 'description'" in message and "(columns found: title, text)" in message
    assert "no model at models:/nope@champion" in error(str(golden_csv), out, "--model", "models:/nope@champion")


def test_spark_score_cli_process_reports_a_missing_input(tmp_path: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "core", "spark-score", str(tmp_path / "nope.parquet"), str(tmp_path / "o.csv")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 2
    assert completed.stderr.strip() == f"error: file not found: {tmp_path / 'nope.parquet'}"
