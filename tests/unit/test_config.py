"""Config: typed validation with dotted key paths, atomic commented round-trip."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from core.config import (
    APPLIES,
    STATE_DIR_ENV,
    ConfigError,
    Settings,
    allowed_folders,
    applies,
    field_meta,
    key_comment,
    load_settings,
    parse_settings_text,
    save_settings,
    section_class,
    server_restart,
    setting_keys,
    settings_to_yaml,
    validate_settings,
    web_editable,
)


def test_defaults_round_trip_through_yaml(tmp_path: Path) -> None:
    settings = Settings()
    settings.detect.enabled = ["phone", "email"]
    settings.app.threshold = 0.37
    path = save_settings(settings, tmp_path / "config.yaml")
    assert load_settings(path) == settings


def test_saved_file_has_help_comments_above_keys() -> None:
    text = settings_to_yaml(Settings())
    lines = text.splitlines()
    index = lines.index("  threshold: 0.5", lines.index("app:"))
    assert lines[index - 1].startswith("  # Probability above which an ad is flagged")
    assert "(0.0 to 1.0)" in lines[index - 1]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("app:\n  threshold: 1.5\n", "app.threshold"),
        ("model:\n  depth: deep\n", "model.depth"),
        ("model:\n  colour: red\n", "model.colour: unknown key"),
        ("nonsense: {}\n", "nonsense: unknown key"),
        ("detect:\n  enabled: [phone, fax]\n", "detect.enabled.1"),
        ("data:\n  source: ftp\n", "data.source"),
        ("detect:\n  max_chars: 10\n", "detect.max_chars"),
        ("detect:\n  max_chars: 10000000\n", "detect.max_chars"),
    ],
)
def test_invalid_values_name_the_dotted_key(text: str, expected: str) -> None:
    with pytest.raises(ConfigError, match=expected.replace(".", r"\.")):
        parse_settings_text(text)


def test_broken_yaml_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match="not valid YAML"):
        parse_settings_text("app: [unclosed")


def test_failed_save_leaves_old_file_intact(tmp_path: Path) -> None:
    path = save_settings(Settings(), tmp_path / "config.yaml")
    before = path.read_text(encoding="utf-8")
    broken = Settings()
    object.__setattr__(broken.app, "threshold", 7.0)  # bypass validation to simulate a bad value
    with pytest.raises(ConfigError):
        save_settings(broken, path)
    assert path.read_text(encoding="utf-8") == before
    assert [p.name for p in tmp_path.iterdir()] == ["config.yaml"]


def test_project_config_file_is_valid() -> None:
    assert isinstance(load_settings(Path(__file__).parents[2] / "config.yaml"), Settings)


def test_max_chars_default_and_comment() -> None:
    assert Settings().detect.max_chars == 20_000
    text = settings_to_yaml(Settings())
    assert "(500 to 500000) [applies now; the scoring server reads it at its start]\n  max_chars: 20000" in text


# --------------------------------------------------------------------------- hand-written sets


def test_handwritten_sets_default_to_golden_holdout_and_untouched() -> None:
    evaluate = Settings().evaluate
    assert [(entry["name"], entry["path"], entry["tuned"]) for entry in evaluate.handwritten_sets] == [
        ("golden", "tests/data/golden.jsonl", True),
        ("holdout", "tests/data/golden_holdout.jsonl", False),
        ("untouched", "tests/data/handwritten_untouched.jsonl", False),
    ]
    assert (
        evaluate.handwritten_tolerance == 0.01
        and evaluate.promote_tolerance == 0.005
        and evaluate.mean_tolerance == 0.0
    )
    assert evaluate.handwritten("untouched") == {
        "name": "untouched",
        "path": "tests/data/handwritten_untouched.jsonl",
        "tuned": False,
    }
    assert evaluate.handwritten("nope") is None
    project = load_settings(Path(__file__).parents[2] / "config.yaml").evaluate
    assert project.handwritten_sets == evaluate.handwritten_sets
    assert project.handwritten_tolerance == evaluate.handwritten_tolerance


def test_handwritten_sets_round_trip_as_yaml_and_as_the_form_text(tmp_path: Path) -> None:
    settings = Settings()
    settings.evaluate.handwritten_sets = [{"name": "mine", "path": "data/my set: v2.jsonl", "tuned": True}]
    settings.evaluate.handwritten_tolerance = 0.02
    text = settings_to_yaml(settings)
    assert "  handwritten_sets: [{name: mine, path: 'data/my set: v2.jsonl', tuned: true}]" in text
    assert "(0.0 to 0.5) [needs retraining]\n  handwritten_tolerance: 0.02" in text
    assert load_settings(save_settings(settings, tmp_path / "config.yaml")) == settings
    # the settings form edits the list as one line of text: its text form validates back to the same list
    form_text = str(settings.evaluate.handwritten_sets)
    assert form_text == "[{name: mine, path: 'data/my set: v2.jsonl', tuned: true}]"
    raw = settings.model_dump()
    raw["evaluate"]["handwritten_sets"] = form_text
    assert validate_settings(raw) == settings
    raw["evaluate"]["handwritten_sets"] = ""
    assert validate_settings(raw).evaluate.handwritten_sets == []


def test_an_older_config_with_golden_and_holdout_paths_still_loads() -> None:
    old = parse_settings_text(
        "evaluate:\n  golden_path: tests/data/golden.jsonl\n  holdout_path: other/holdout.jsonl\n"
    ).evaluate
    assert [(entry["name"], entry["path"]) for entry in old.handwritten_sets] == [
        ("golden", "tests/data/golden.jsonl"),
        ("holdout", "other/holdout.jsonl"),
        ("untouched", "tests/data/handwritten_untouched.jsonl"),
    ]
    switched_off = parse_settings_text("evaluate:\n  holdout_path: ''\n").evaluate
    assert [entry["name"] for entry in switched_off.handwritten_sets] == ["golden", "untouched"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("evaluate:\n  handwritten_sets: [{name: a, path: b}]\n", "evaluate.handwritten_sets.0.tuned: Field required"),
        (
            "evaluate:\n  handwritten_sets: [{name: a, path: b, tuned: true, x: 1}]\n",
            "evaluate.handwritten_sets.0.x: unknown key",
        ),
        ("evaluate:\n  handwritten_sets: [{name: Золото, path: b, tuned: true}]\n", "evaluate.handwritten_sets.0.name"),
        ("evaluate:\n  handwritten_sets: [{name: a, path: '', tuned: true}]\n", "evaluate.handwritten_sets.0.path"),
        (
            "evaluate:\n  handwritten_sets: [{name: a, path: b, tuned: true}, {name: a, path: c, tuned: false}]\n",
            "evaluate.handwritten_sets: Value error, set name used twice: a",
        ),
        ("evaluate:\n  handwritten_sets: [{name: val, path: b, tuned: true}]\n", "reserved set name: val"),
        ("evaluate:\n  handwritten_sets: '[{name: a'\n", "evaluate.handwritten_sets: Value error, not valid YAML"),
        ("evaluate:\n  golden_path: x\n  handwritten_sets: []\n", "evaluate.golden_path: unknown key"),
        ("evaluate:\n  handwritten_tolerance: 0.9\n", "evaluate.handwritten_tolerance"),
    ],
)
def test_bad_handwritten_sets_name_the_key(text: str, expected: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_settings_text(text)
    assert expected in str(caught.value)


def test_dvc_stages_depend_on_every_configured_handwritten_set() -> None:
    import yaml

    root = Path(__file__).parents[2]
    stages = yaml.safe_load((root / "dvc.yaml").read_text(encoding="utf-8"))["stages"]
    paths = {entry["path"] for entry in load_settings(root / "config.yaml").evaluate.handwritten_sets}
    for stage in ("train", "evaluate"):
        assert paths <= set(stages[stage]["deps"]), stage
    train_params = stages["train"]["params"][0]["config.yaml"]
    assert "evaluate.handwritten_sets" in train_params and "evaluate.split" in train_params
    assert "app.threshold" in train_params and "evaluate.threshold" not in train_params  # the one threshold
    assert stages["evaluate"]["params"][0]["config.yaml"] == ["evaluate", "app.threshold"]


# --------------------------------------------------------------------------- schema metadata: when a change acts, help


def test_every_setting_says_when_a_change_acts_and_has_its_help_in_the_schema() -> None:
    keys = setting_keys()
    assert len(keys) > 60 and "monitoring.queue_lease_seconds" in keys and "batch.max_jobs" in keys
    for key in keys:
        meta = field_meta(key)
        assert meta.get("applies") in APPLIES, key
        assert re.search("[а-яё]", meta.get("help_ru", ""), re.IGNORECASE), key  # Russian help for the form
        section, name = key.split(".")
        assert section_class(section).model_fields[name].description, key  # English description for config.yaml
    for section in Settings.model_fields:
        assert Settings.model_fields[section].json_schema_extra["title_ru"], section


def test_marks_follow_what_reads_each_setting() -> None:
    by_section = {
        section: {applies(key) for key in setting_keys() if key.startswith(f"{section}.")}
        for section in Settings.model_fields
    }
    # frozen in the trained model or read only by prepare/train/evaluate/promote
    for section in ("synth", "model", "train", "evaluate"):
        assert by_section[section] == {"retrain"}, section
    assert {key for key in setting_keys() if key.startswith("detect.") and applies(key) != "retrain"} == {
        "detect.max_chars"  # cut by the CLI and the dashboard from the config, not from the model
    }
    assert applies("detect.workers") == "retrain" and applies("detect.parallel_from") == "retrain"
    assert by_section["app"] == {"now"} and by_section["batch"] == {"now"} and by_section["auth"] == {"now"}
    assert by_section["serve"] == {"restart"}  # only the scoring server reads them, at its start
    assert server_restart("app.threshold") and server_restart("monitoring.db_path")
    assert not server_restart("monitoring.psi_bins")
    assert [key for key in setting_keys() if not web_editable(key)] == ["tracking.uri"]


def test_project_config_comments_are_the_schema_descriptions() -> None:
    """The comment above every key of config.yaml is written from the schema, so help cannot drift."""
    lines = (Path(__file__).parents[2] / "config.yaml").read_text(encoding="utf-8").splitlines()
    section = ""
    seen = []
    for number, line in enumerate(lines):
        if re.match(r"^[a-z_]+:$", line):
            section = line[:-1]
            assert lines[number - 1] == f"# {Settings.model_fields[section].description}", section
        elif match := re.match(r"^  ([a-z_0-9]+):", line):
            key = f"{section}.{match.group(1)}"
            assert lines[number - 1] == f"  # {key_comment(key)}", key
            seen.append(key)
    assert seen == setting_keys()
    assert "[needs retraining]" in key_comment("model.iterations")
    assert "[applies now]" in key_comment("app.max_rows")


# --------------------------------------------------------------------------- path settings confined


def _path_keys() -> list[str]:
    """Every setting validated as a confined path (found by the validator, not by a list kept by hand)."""
    keys = []
    for key in setting_keys():
        section, name = key.split(".")
        if section_class(section).model_fields[name].annotation is not str:
            continue
        try:
            validate_settings({section: {name: "/outside-contactguard/x"}})
        except ConfigError as error:
            if "outside the allowed folders" in str(error):
                keys.append(key)
    return keys


def test_every_file_path_setting_is_confined() -> None:
    assert _path_keys() == [
        "data.raw_dir",
        "data.prepared_dir",
        "data.feedback_path",
        "evaluate.metrics_path",
        "evaluate.plots_dir",
        "tracking.artifact_root",
        "monitoring.db_path",
        "auth.users_path",
        "batch.jobs_dir",
    ]
    assert all(key in _path_keys() for key in setting_keys() if key.endswith(("_path", "_dir", "_root")))


@pytest.mark.parametrize(
    "path",
    ["/etc/contactguard.sqlite", "../outside.sqlite", "monitoring/../../outside.sqlite", "~/x/../../../../etc/x"],
)
def test_a_path_outside_the_project_is_refused_in_english_and_russian(
    path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(STATE_DIR_ENV, raising=False)
    with pytest.raises(ConfigError) as caught:
        parse_settings_text(f"monitoring:\n  db_path: {path}\n")
    assert str(caught.value).startswith(f"monitoring.db_path: {path} lies outside the allowed folders (")
    assert caught.value.text("ru").startswith(f"monitoring.db_path: путь {path} лежит вне разрешённых папок (")
    assert "CONTACTGUARD_STATE_DIR" in caught.value.text("ru")


def test_paths_under_the_project_or_a_state_folder_are_accepted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = Path(__file__).parents[2]
    monkeypatch.delenv(STATE_DIR_ENV, raising=False)
    inside = parse_settings_text(f"data:\n  prepared_dir: {root / 'data' / 'x'}\n  feedback_path: data/f.csv\n")
    assert inside.data.prepared_dir == str(root / "data" / "x")
    state = tmp_path / "state"
    text = f"monitoring:\n  db_path: {state / 'log.sqlite'}\nevaluate:\n  handwritten_sets: [{{name: a, path: {state / 'a.jsonl'}, tuned: false}}]\n"
    with pytest.raises(ConfigError, match=re.escape("evaluate.handwritten_sets.0.path")):
        parse_settings_text(text)
    monkeypatch.setenv(STATE_DIR_ENV, os.pathsep.join(["/nonexistent-first", str(state)]))
    settings = parse_settings_text(text)
    assert settings.monitoring.db_path == str(state / "log.sqlite")
    assert allowed_folders()[-1] == state
    # settings built in code are checked when saved or loaded, not on every assignment
    monkeypatch.delenv(STATE_DIR_ENV)
    settings.data.prepared_dir = str(tmp_path / "prepared")
    with pytest.raises(ConfigError, match=re.escape("data.prepared_dir: ")):
        save_settings(settings, tmp_path / "config.yaml")
    assert not (tmp_path / "config.yaml").exists()
    assert validate_settings(settings.model_dump(), confine_paths=False).data.prepared_dir == str(tmp_path / "prepared")


def test_the_cli_refuses_a_config_with_a_path_outside(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    from core import cli

    monkeypatch.delenv(STATE_DIR_ENV, raising=False)
    config = tmp_path / "config.yaml"
    config.write_text("data:\n  prepared_dir: /etc/contactguard-prepared\n", encoding="utf-8")
    assert cli.main(["--config", str(config), "prepare"]) == 2
    err = capsys.readouterr().err
    assert "data.prepared_dir: /etc/contactguard-prepared lies outside the allowed folders" in err
    assert "Traceback" not in err
    assert not Path("/etc/contactguard-prepared").exists()


def test_saving_keeps_the_file_readable_by_others(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    save_settings(Settings(), path)
    assert path.stat().st_mode & 0o777 == 0o644  # not mkstemp's 0600: the app user must read it
    path.chmod(0o640)
    save_settings(Settings(), path)
    assert path.stat().st_mode & 0o777 == 0o640


# --------------------------------------------------------------------------- one threshold (evaluate.threshold is gone)


def _threshold_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records if "evaluate.threshold" in record.getMessage()]


def test_an_old_evaluate_threshold_loads_as_the_one_threshold_and_warns_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("evaluate:\n  threshold: 0.37\n  split: val\n", encoding="utf-8")
    with caplog.at_level("WARNING", logger="core.config"):
        first, second = load_settings(path), load_settings(path)
    assert first.app.threshold == second.app.threshold == 0.37 and first.evaluate.split == "val"
    assert _threshold_warnings(caplog) == [
        "settings: evaluate.threshold (0.37) is no longer a setting; read as app.threshold, the one threshold of the "
        "deployment (dashboard, scoring server, CLI, evaluation); rename the key (a save from the settings page does)"
    ]
    assert "threshold" not in Settings.model_fields["evaluate"].annotation.model_fields
    saved = save_settings(first, tmp_path / "saved.yaml").read_text(encoding="utf-8")
    assert saved.count("  threshold: 0.37") == 1 and "app:\n" in saved.split("  threshold: 0.37")[0]
    assert load_settings(tmp_path / "saved.yaml") == first


def test_an_old_evaluate_threshold_beside_app_threshold_is_ignored_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level("WARNING", logger="core.config"):
        settings = parse_settings_text("app:\n  threshold: 0.61\nevaluate:\n  threshold: 0.42\n")
    assert settings.app.threshold == 0.61
    (warning,) = _threshold_warnings(caplog)
    assert warning.startswith("settings: evaluate.threshold (0.42) is no longer a setting and is ignored; ")
    assert "app.threshold (0.61) is the one threshold" in warning


def test_the_cli_reads_an_old_threshold_key_with_one_warning_line(tmp_path: Path) -> None:
    import subprocess
    import sys

    config = tmp_path / "config.yaml"
    config.write_text("evaluate:\n  threshold: 0.45\n", encoding="utf-8")
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-m", "core", "--config", str(config), "predict", str(tmp_path / "none.csv"), "-o", "o.csv"],
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(root), "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2 and len(lines) == 2, done.stderr  # the warning, then the missing file
    assert lines[0].startswith("settings: evaluate.threshold (0.45) is no longer a setting; read as app.threshold")
    assert lines[1].startswith("error: ") and "none.csv" in lines[1]
