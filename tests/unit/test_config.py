"""Config: typed validation with dotted key paths, atomic commented round-trip."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.config import ConfigError, Settings, load_settings, parse_settings_text, save_settings, settings_to_yaml


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
