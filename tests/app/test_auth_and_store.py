"""Pure logic behind the admin pages: credential lookup and throttling, config history and stale checks."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from core.config import ConfigError, Settings, load_settings, save_settings
from core.ops import auth, users
from core.ops.auth import configured_password, failure_delay, password_matches
from ui import settings_store as store


def test_password_from_env_wins_over_secrets(tmp_path: Path) -> None:
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('admin_password = "from-file"\n', encoding="utf-8")
    assert configured_password({"CONTACTGUARD_ADMIN_PASSWORD": "from-env"}, [secrets]) == "from-env"
    assert configured_password({}, [secrets]) == "from-file"


def test_no_password_configured_means_none(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("admin_password = [", encoding="utf-8")
    empty = tmp_path / "empty.toml"
    empty.write_text('admin_password = ""\n', encoding="utf-8")
    assert configured_password({}, [tmp_path / "missing.toml", broken, empty]) is None
    assert configured_password({"CONTACTGUARD_ADMIN_PASSWORD": ""}, []) is None


def test_password_comparison() -> None:
    assert password_matches("s3cret-ü", "s3cret-ü")
    assert not password_matches("s3cret", "s3cret-ü")
    assert not password_matches("", "")


def test_failure_delay_doubles_and_is_capped() -> None:
    assert [failure_delay(n) for n in range(5)] == [0.0, 0.5, 1.0, 2.0, 4.0]
    assert failure_delay(100) == 30.0


def _config(tmp_path: Path, threshold: float = 0.5) -> tuple[Path, Settings]:
    settings = Settings()
    settings.app.threshold = threshold
    return save_settings(settings, tmp_path / "config.yaml"), settings


def test_save_keeps_previous_version_and_reports_changes(tmp_path: Path) -> None:
    path, settings = _config(tmp_path)
    digest = store.config_signature(path)[1]
    changed = settings.model_copy(deep=True)
    changed.app.threshold = 0.7
    outcome = store.save_config(changed, path, digest, keep=5)
    assert [(c.key, c.old, c.new) for c in outcome.changes] == [("app.threshold", 0.5, 0.7)]
    assert load_settings(path).app.threshold == 0.7
    history = store.list_history(path)
    assert len(history) == 1 and history[0].path.parent == tmp_path / "config.history"
    assert "threshold: 0.5" in history[0].read_text()
    assert outcome.digest == store.config_signature(path)[1]


def test_stale_file_is_not_overwritten(tmp_path: Path) -> None:
    path, settings = _config(tmp_path)
    digest = store.text_digest(store.read_config_text(path))
    other = settings.model_copy(deep=True)
    other.app.threshold = 0.9
    save_settings(other, path)  # someone else saves meanwhile
    mine = settings.model_copy(deep=True)
    mine.app.threshold = 0.6
    with pytest.raises(store.StaleConfigError) as caught:
        store.save_config(mine, path, digest, keep=5)
    assert "threshold: 0.9" in caught.value.current_text
    assert load_settings(path).app.threshold == 0.9
    assert store.list_history(path) == []


def test_history_is_pruned_and_restore_brings_back_old_text(tmp_path: Path) -> None:
    path, settings = _config(tmp_path, 0.1)
    for value in (0.2, 0.3, 0.4):
        new = settings.model_copy(deep=True)
        new.app.threshold = value
        store.save_config(new, path, store.config_signature(path)[1], keep=2)
    entries = store.list_history(path)
    assert len(entries) == 2
    assert "threshold: 0.3" in entries[0].read_text() and "threshold: 0.2" in entries[1].read_text()
    outcome = store.restore_config(path, entries[1].name, store.config_signature(path)[1], keep=2)
    assert load_settings(path).app.threshold == 0.2
    assert [c.key for c in outcome.changes] == ["app.threshold"]
    assert "threshold: 0.4" in store.list_history(path)[0].read_text()


def test_restore_refuses_invalid_copy_and_unknown_name(tmp_path: Path) -> None:
    path, _ = _config(tmp_path)
    folder = store.history_dir(path)
    folder.mkdir()
    (folder / "config-20250101T000000000000Z.yaml").write_text("app:\n  threshold: 7\n", encoding="utf-8")
    digest = store.config_signature(path)[1]
    with pytest.raises(ConfigError, match=r"app\.threshold"):
        store.restore_config(path, "config-20250101T000000000000Z.yaml", digest, keep=5)
    with pytest.raises(KeyError):
        store.restore_config(path, "../config.yaml", digest, keep=5)


def _imported_modules(path: str) -> set[str]:
    tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_pure_modules_import_neither_yaml_nor_streamlit() -> None:
    for module in (store, auth, users):
        assert not _imported_modules(module.__file__) & {"yaml", "streamlit"}
