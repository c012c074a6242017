"""Config: typed validation with dotted key paths, atomic commented round-trip."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.config import (
    ConfigError,
    Settings,
    load_settings,
    parse_settings_text,
    save_settings,
    settings_to_yaml,
    validate_settings,
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
    assert "(500 to 500000)\n  max_chars: 20000" in text


# --------------------------------------------------------------------------- hand-written sets


def test_handwritten_sets_default_to_golden_holdout_and_untouched() -> None:
    evaluate = Settings().evaluate
    assert [(entry["name"], entry["path"], entry["tuned"]) for entry in evaluate.handwritten_sets] == [
        ("golden", "tests/data/golden.jsonl", True),
        ("holdout", "tests/data/golden_holdout.jsonl", False),
        ("untouched", "tests/data/handwritten_untouched.jsonl", False),
    ]
    assert evaluate.handwritten_tolerance == 0.01 and evaluate.promote_tolerance == 0.005
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
    settings.evaluate.handwritten_sets = [{"name": "mine", "path": "/data/my set: v2.jsonl", "tuned": True}]
    settings.evaluate.handwritten_tolerance = 0.02
    text = settings_to_yaml(settings)
    assert "  handwritten_sets: [{name: mine, path: '/data/my set: v2.jsonl', tuned: true}]" in text
    assert "(0.0 to 0.5)\n  handwritten_tolerance: 0.02" in text
    assert load_settings(save_settings(settings, tmp_path / "config.yaml")) == settings
    # the settings form edits the list as one line of text: its text form validates back to the same list
    form_text = str(settings.evaluate.handwritten_sets)
    assert form_text == "[{name: mine, path: '/data/my set: v2.jsonl', tuned: true}]"
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
    assert stages["evaluate"]["params"][0]["config.yaml"] == ["evaluate"]
