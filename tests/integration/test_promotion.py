"""Gated promotion: the gate itself, and real promotions on a copy of the trained store's registry."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from core import cli
from core.config import Settings, save_settings
from core.lifecycle import tracking
from core.lifecycle.data import load_split
from core.lifecycle.pipeline import train
from core.lifecycle.promotion import LATEST, HandwrittenCheck, compare_scores, resolve_candidate
from tests.netkit import BlackHole, restore_http_limits

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


# --------------------------------------------------------------------------- the gate (pure)


def test_no_champion_promotes() -> None:
    result = compare_scores({"a": 0.8, "b": 0.9}, None, 0.005)
    assert result.promoted and result.champion_auc is None and "no champion" in result.reason


def test_equal_or_better_promotes_within_tolerance() -> None:
    champion = {"a": 0.90, "b": 0.80}
    assert compare_scores(dict(champion), champion, 0.005).promoted
    result = compare_scores({"a": 0.896, "b": 0.85}, champion, 0.005)
    assert result.promoted
    assert result.deltas == pytest.approx({"a": -0.004, "b": 0.05})


def test_lower_mean_refuses() -> None:
    result = compare_scores({"a": 0.89, "b": 0.80}, {"a": 0.90, "b": 0.80}, 0.05)
    assert not result.promoted and "mean ROC-AUC" in result.reason


def test_mean_tolerance_lets_only_a_drop_within_it_through() -> None:
    champion = {"a": 0.90, "b": 0.80}
    small = {"a": 0.8996, "b": 0.80}  # the mean falls by 0.0002
    assert not compare_scores(small, champion, 0.005).promoted  # the default: the mean must not fall
    result = compare_scores(small, champion, 0.005, mean_tolerance=0.0005)
    assert result.promoted and "- 0.0005" in result.reason
    refused = compare_scores({"a": 0.898, "b": 0.80}, champion, 0.005, mean_tolerance=0.0005)  # falls by 0.001
    assert not refused.promoted and "by more than 0.0005" in refused.reason


def test_one_category_dropping_beyond_tolerance_refuses_despite_a_better_mean() -> None:
    result = compare_scores({"a": 0.99, "b": 0.70}, {"a": 0.80, "b": 0.72}, 0.005)
    assert result.candidate_auc > result.champion_auc
    assert not result.promoted and "'b'" in result.reason and "0.0200" in result.reason


def test_missing_category_or_no_scores_refuses() -> None:
    assert not compare_scores({"a": 0.9}, {"a": 0.8, "b": 0.8}, 0.005).promoted
    assert not compare_scores({}, {"a": 0.8}, 0.005).promoted


def test_a_handwritten_set_dropping_beyond_tolerance_refuses_and_names_the_set() -> None:
    same = {"a": 0.9, "b": 0.8}
    checks = [
        HandwrittenCheck("golden", 0.995, 1.0, 0.01, tuned=True, ads=850),
        HandwrittenCheck("untouched", 0.78, 0.80, 0.01, tuned=False, ads=320),
    ]
    result = compare_scores({"a": 0.95, "b": 0.85}, same, 0.005, checks)
    assert result.candidate_auc > result.champion_auc  # better on the split, still refused
    assert not result.promoted
    assert "hand-written set 'untouched' drops by 0.0200 (0.8000 -> 0.7800)" in result.reason
    assert "'golden'" not in result.reason and "tolerance 0.0100" in result.reason
    assert [check.passed for check in result.handwritten] == [True, False]


def test_handwritten_drops_within_tolerance_promote_and_are_reported() -> None:
    checks = [HandwrittenCheck("untouched", 0.791, 0.80, 0.01), HandwrittenCheck("holdout", 0.99, 0.98, 0.01)]
    result = compare_scores({"a": 0.9}, {"a": 0.9}, 0.005, checks)
    assert result.promoted
    assert "no hand-written set's mean ROC-AUC drops by more than 0.0100 (untouched -0.0090, holdout +0.0100)" in (
        result.reason
    )
    # without a champion, or when a set has no AUC (one class only), there is nothing to compare
    assert compare_scores({"a": 0.9}, None, 0.005, [HandwrittenCheck("untouched", 0.5, None, 0.01)]).promoted
    assert HandwrittenCheck("odd", float("nan"), 0.9, 0.01).passed


def test_config_uri_is_not_leaked_into_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    restore_http_limits(monkeypatch)
    hole = BlackHole()  # accepts TCP (connect's reachability probe passes) and is never asked anything else
    try:
        first, second = Settings(), Settings()
        first.tracking.uri = f"{hole.uri}/first"  # REST stores: no HTTP request until a call
        second.tracking.uri = f"{hole.uri}/second"
        client = tracking.connect(first.tracking)  # mlflow.set_tracking_uri() would export MLFLOW_TRACKING_URI=first
        assert client._tracking_client.tracking_uri == first.tracking.uri
        assert "MLFLOW_TRACKING_URI" not in os.environ and "MLFLOW_REGISTRY_URI" not in os.environ
        assert tracking.tracking_uri(second.tracking) == second.tracking.uri
        monkeypatch.setenv("MLFLOW_TRACKING_URI", f"{hole.uri}/operator")  # an operator's own choice
        assert tracking.tracking_uri(second.tracking) == f"{hole.uri}/operator"
        tracking.connect(second.tracking)
        assert os.environ["MLFLOW_TRACKING_URI"] == f"{hole.uri}/operator"  # kept as the operator set it
        assert hole.requests == []  # connecting sent no HTTP request
    finally:
        hole.close()


def test_latest_candidate_comes_from_run_json(tmp_path: Path) -> None:
    run_file = tmp_path / "run.json"
    run_file.write_text(json.dumps({"run_id": "x", "version": "7", "champion_set": False}), encoding="utf-8")
    assert resolve_candidate(Settings(), LATEST, run_file) == "7"
    assert resolve_candidate(Settings(), "3", run_file) == "3"


# --------------------------------------------------------------------------- real promotions


@dataclass
class StoreCopy:
    """A private copy of the trained store's registry: champion v1 plus a weak v2."""

    settings: Settings
    config: Path
    champion: str
    weak: str


@pytest.fixture(scope="module")
def store_copy(trained_store, tmp_path_factory: pytest.TempPathFactory) -> StoreCopy:
    """Copy the registry database and register a weak candidate (e-mails only, 10 iterations) in it."""
    root = tmp_path_factory.mktemp("promotion")
    shutil.copy2(trained_store.root / "mlflow.db", root / "mlflow.db")
    settings = trained_store.settings.model_copy(deep=True)
    settings.tracking.uri = f"sqlite:///{root / 'mlflow.db'}"
    settings.tracking.artifact_root = str(root / "mlartifacts")
    settings.train.experiment = "promotion-tests"  # new experiment: new artifacts go under root
    settings.monitoring.db_path = str(root / "monitoring.sqlite")
    weak_settings = settings.model_copy(deep=True)
    # weak in every category (with e-mails and links too, it could tie the champion in a 60-ad category by chance)
    weak_settings.detect.enabled = ["email"]
    weak_settings.model.iterations = 10
    weak_settings.model.use_text = False
    result = train(weak_settings, load_split(settings.data, "train"), load_split(settings.data, "val"))
    record = tracking.log_training_run(weak_settings, result.predictor, result.metrics, run_name="weak")
    assert tracking.get_alias_version(settings.tracking) == trained_store.version
    return StoreCopy(
        settings, save_settings(settings, root / "config.yaml"), trained_store.version, record.model_version
    )


def _tags(settings: Settings, version: str) -> dict[str, str]:
    versions = tracking.list_versions(settings.tracking)
    row = versions[versions["version"] == int(version)].iloc[0]
    return {key.removeprefix("tag."): value for key, value in row.items() if str(key).startswith("tag.promotion.")}


def test_weaker_candidate_is_refused_and_recorded(store_copy: StoreCopy, capsys: pytest.CaptureFixture) -> None:
    code = cli.main(["--config", str(store_copy.config), "promote", "--candidate", store_copy.weak, "--if-better"])
    captured = capsys.readouterr()
    out = captured.out
    print(out)
    assert code == cli.PROMOTION_REFUSED, captured.err
    assert "decision: REFUSED" in out and f"stays on version {store_copy.champion}" in out
    assert tracking.get_alias_version(store_copy.settings.tracking) == store_copy.champion
    tags = _tags(store_copy.settings, store_copy.weak)
    assert tags["promotion.decision"] == "refused"
    assert float(tags["promotion.candidate_auc"]) < float(tags["promotion.champion_auc"])
    deltas = json.loads(tags["promotion.deltas"])
    assert len(deltas) >= 5 and min(deltas.values()) < -store_copy.settings.evaluate.promote_tolerance
    assert tags["promotion.reason"] and tags["promotion.at"].startswith("20")
    # every hand-written set was scored for both versions and recorded
    handwritten = json.loads(tags["promotion.handwritten"])
    assert list(handwritten) == ["golden", "holdout", "untouched"]
    assert handwritten["untouched"]["ads"] == 1120 and handwritten["untouched"]["tuned"] is False
    assert handwritten["golden"]["tuned"] is True
    assert all(record["champion"] is not None and record["candidate"] is not None for record in handwritten.values())
    assert float(tags["promotion.handwritten_tolerance"]) == store_copy.settings.evaluate.handwritten_tolerance
    assert "hand-written sets (mean per-category ROC-AUC, tolerance 0.0100):" in out and "untouched" in out


def test_better_candidate_is_promoted_and_recorded(store_copy: StoreCopy, capsys: pytest.CaptureFixture) -> None:
    tracking.set_alias(store_copy.settings.tracking, store_copy.weak)  # the copy's champion is now the weak model
    try:
        code = cli.main(
            ["--config", str(store_copy.config), "promote", "--candidate", store_copy.champion, "--if-better"]
        )
        out = capsys.readouterr().out
        print(out)
        assert code == 0
        assert "decision: PROMOTED" in out and f"version {store_copy.champion} is now @champion" in out
        assert tracking.get_alias_version(store_copy.settings.tracking) == store_copy.champion
        tags = _tags(store_copy.settings, store_copy.champion)
        assert tags["promotion.decision"] == "promoted"
        assert float(tags["promotion.candidate_auc"]) > float(tags["promotion.champion_auc"])
        assert min(json.loads(tags["promotion.deltas"]).values()) >= -store_copy.settings.evaluate.promote_tolerance
        handwritten = json.loads(tags["promotion.handwritten"])
        assert set(handwritten) == {"golden", "holdout", "untouched"}
        assert all(record["passed"] for record in handwritten.values()) and tags["promotion.handwritten_refused"] == ""
    finally:
        tracking.set_alias(store_copy.settings.tracking, store_copy.champion)


def _inverted_set(path: Path) -> Path:
    """A hand-written set whose labels are the opposite of the golden set's: a better model scores worse on it."""
    lines = []
    for line in (ROOT / "tests" / "data" / "golden.jsonl").read_text(encoding="utf-8").splitlines()[:210]:
        item = json.loads(line)
        item["is_bad"] = 0 if "⟦" in item["description"] + item.get("title", "") else 1
        lines.append(json.dumps(item, ensure_ascii=False))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_drop_on_one_handwritten_set_refuses_a_candidate_better_on_the_split(
    store_copy: StoreCopy, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    settings = store_copy.settings.model_copy(deep=True)
    settings.evaluate.promote_tolerance = 0.5  # the split gate passes: only the hand-written gate can refuse
    settings.evaluate.handwritten_sets = [
        *settings.evaluate.handwritten_sets,
        {"name": "inverted", "path": str(_inverted_set(tmp_path / "inverted.jsonl")), "tuned": False},
        {"name": "gone", "path": str(tmp_path / "missing.jsonl"), "tuned": False},
    ]
    config = save_settings(settings, tmp_path / "config.yaml")
    tracking.set_alias(settings.tracking, store_copy.weak)  # the weak model is champion; the strong one is better
    try:
        code = cli.main(["--config", str(config), "promote", "--candidate", store_copy.champion, "--if-better"])
        out = capsys.readouterr().out
        print(out)
        assert code == cli.PROMOTION_REFUSED
        assert tracking.get_alias_version(settings.tracking) == store_copy.weak
        tags = _tags(settings, store_copy.champion)
        assert tags["promotion.decision"] == "refused"
        assert float(tags["promotion.candidate_auc"]) > float(tags["promotion.champion_auc"])  # better on the split
        assert "hand-written set 'inverted' drops by" in tags["promotion.reason"]
        assert "more than the tolerance 0.0100" in tags["promotion.reason"]
        assert tags["promotion.handwritten_refused"] == "inverted"
        assert tags["promotion.handwritten_missing"] == "gone"
        inverted = json.loads(tags["promotion.handwritten"])["inverted"]
        assert inverted["passed"] is False and inverted["delta"] < -0.01 and inverted["ads"] == 210
        assert "decision: REFUSED" in out and "hand-written sets not found, not compared: gone" in out
        # a tolerance wide enough lets the same candidate through
        settings.evaluate.handwritten_tolerance = 0.5
        save_settings(settings, config)
        assert cli.main(["--config", str(config), "promote", "--candidate", store_copy.champion, "--if-better"]) == 0
        assert tracking.get_alias_version(settings.tracking) == store_copy.champion
        assert _tags(settings, store_copy.champion)["promotion.handwritten_refused"] == ""
    finally:
        tracking.set_alias(store_copy.settings.tracking, store_copy.champion)


def test_promoting_the_champion_again_changes_nothing(store_copy: StoreCopy, capsys: pytest.CaptureFixture) -> None:
    code = cli.main(["--config", str(store_copy.config), "promote", "--candidate", store_copy.champion, "--if-better"])
    assert code == 0 and "already holds @champion" in capsys.readouterr().out


def test_explicit_promotion_and_unknown_version(store_copy: StoreCopy, capsys: pytest.CaptureFixture) -> None:
    assert cli.main(["--config", str(store_copy.config), "promote", "--version", "999"]) == 2
    assert cli.main(["--config", str(store_copy.config), "promote", "--candidate", "999", "--if-better"]) == 2
    assert tracking.get_alias_version(store_copy.settings.tracking) == store_copy.champion


def test_a_promotion_from_the_command_line_records_who_and_when(store_copy: StoreCopy) -> None:
    import getpass

    version = store_copy.champion
    assert cli.main(["--config", str(store_copy.config), "promote", "--version", version]) == 0
    client = tracking.connect(store_copy.settings.tracking)
    tags = client.get_model_version(store_copy.settings.tracking.model_name, version).tags
    assert tags["promoted_by"] == f"cli:{getpass.getuser()}" and tags["promoted_at"][:2] == "20"


def test_session_store_keeps_its_champion(trained_store, store_copy: StoreCopy) -> None:
    assert tracking.get_alias_version(trained_store.settings.tracking) == trained_store.version
    assert store_copy.settings.tracking.uri != trained_store.settings.tracking.uri
