"""Saving config.yaml from the dashboard: stale-file check, history of previous versions, restore."""

from __future__ import annotations

import fcntl
import hashlib
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from core.config import (
    APPLIES,
    ConfigError,
    Settings,
    applies,
    field_meta,
    parse_settings_text,
    save_settings,
    setting_keys,
    settings_as_flat_dict,
    validate_settings,
    web_editable,
)

HISTORY_SUFFIX = ".history"
CHANGE_LOG = "changes.jsonl"  # one JSON line per save or restore: when, who, what changed
_ENTRY_NAME = re.compile(r"^config-(\d{8}T\d{12})Z(?:-\d+)?\.yaml$")
_STAMP_FORMAT = "%Y%m%dT%H%M%S%f"


class StaleConfigError(RuntimeError):
    """The config file changed on disk after the form was loaded; carries the newer text."""

    def __init__(self, current_text: str) -> None:
        """Keep the text now on disk and its digest."""
        super().__init__("the config file changed on disk since it was loaded")
        self.current_text = current_text
        self.current_digest = text_digest(current_text)


@dataclass(frozen=True, slots=True)
class Change:
    """One setting that differs between two versions."""

    key: str
    old: Any
    new: Any


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """A previous version of the config kept as a text file."""

    path: Path
    saved_at: datetime

    @property
    def name(self) -> str:
        """File name of the copy."""
        return self.path.name

    def read_text(self) -> str:
        """The saved config text."""
        return self.path.read_text(encoding="utf-8")


@dataclass(frozen=True, slots=True)
class SaveOutcome:
    """What a save or restore did."""

    path: Path
    changes: list[Change]
    snapshot: Path | None
    digest: str
    kept: tuple[str, ...] = ()  # read-only keys a dashboard restore left as they were


def text_digest(text: str) -> str:
    """SHA-256 of a config text (what the form remembers when it loads)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_config_text(path: str | Path) -> str:
    """The config file's text ('' when it does not exist; bytes that are not UTF-8 shown as U+FFFD)."""
    try:
        return Path(path).read_bytes().decode("utf-8", errors="replace")
    except FileNotFoundError:
        return ""


def config_signature(path: str | Path) -> tuple[int, str]:
    """(mtime in ns, digest of the text) of the config file; (0, digest of '') when absent."""
    config = Path(path)
    try:
        mtime = config.stat().st_mtime_ns
    except FileNotFoundError:
        return 0, text_digest("")
    return mtime, text_digest(read_config_text(config))


def history_dir(config_path: str | Path) -> Path:
    """Folder of previous versions: config.yaml -> config.history/ beside it."""
    config = Path(config_path)
    return config.with_name(config.stem + HISTORY_SUFFIX)


def list_history(config_path: str | Path) -> list[HistoryEntry]:
    """Saved previous versions, newest first."""
    folder = history_dir(config_path)
    if not folder.is_dir():
        return []
    entries = []
    for path in folder.iterdir():
        match = _ENTRY_NAME.match(path.name)
        if match and path.is_file():
            saved_at = datetime.strptime(match.group(1), _STAMP_FORMAT).replace(tzinfo=UTC)
            entries.append(HistoryEntry(path, saved_at))
    return sorted(entries, key=lambda entry: (entry.saved_at, entry.name), reverse=True)


def history_entry(config_path: str | Path, name: str) -> HistoryEntry:
    """The history entry with this file name (KeyError when there is none)."""
    for entry in list_history(config_path):
        if entry.name == name:
            return entry
    raise KeyError(f"no saved config version named {name!r}")


def prune_history(config_path: str | Path, keep: int) -> list[Path]:
    """Delete all but the newest keep copies; returns the deleted paths."""
    removed = []
    for entry in list_history(config_path)[max(keep, 0) :]:
        entry.path.unlink(missing_ok=True)
        removed.append(entry.path)
    return removed


def snapshot(config_path: str | Path, keep: int) -> Path | None:
    """Copy the current config text into the history folder (None when there is no file yet)."""
    text = read_config_text(config_path)
    if not text:
        return None
    folder = history_dir(config_path)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime(_STAMP_FORMAT)
    target = folder / f"config-{stamp}Z.yaml"
    counter = 1
    while target.exists():
        target = folder / f"config-{stamp}Z-{counter}.yaml"
        counter += 1
    temp = target.with_name("." + target.name + ".tmp")
    temp.write_text(text, encoding="utf-8")
    temp.replace(target)
    prune_history(config_path, keep)
    return target


def diff_settings(old: Settings, new: Settings) -> list[Change]:
    """Settings whose value differs, as dotted keys in schema order."""
    before, after = settings_as_flat_dict(old), settings_as_flat_dict(new)
    return [Change(key, before.get(key), value) for key, value in after.items() if before.get(key) != value]


def changes_by_applies(changes: list[Change]) -> dict[str, list[Change]]:
    """Changes grouped by when they act (now, retrain, restart), each group in schema order."""
    groups: dict[str, list[Change]] = {name: [] for name in APPLIES}
    for change in changes:
        groups[applies(change.key)].append(change)
    return groups


def read_only_keys() -> list[str]:
    """Settings the dashboard shows but never changes (tracking.uri)."""
    return [key for key in setting_keys() if not web_editable(key)]


def _check_read_only(current: Settings, settings: Settings) -> None:
    """Refuse a dashboard save that changes a setting only the environment or the CLI may set."""
    for change in diff_settings(current, settings):
        if not web_editable(change.key):
            raise ConfigError("config.read_only_key", key=change.key, env=field_meta(change.key).get("env", ""))


def keep_read_only(current: Settings, settings: Settings) -> tuple[Settings, list[str]]:
    """settings with the read-only keys of current (a restore from the dashboard keeps them); the kept keys."""
    raw = settings.model_dump()
    now = current.model_dump()
    kept = []
    for key in read_only_keys():
        section, name = key.split(".", 1)
        if raw[section][name] != now[section][name]:
            raw[section][name] = now[section][name]
            kept.append(key)
    return (validate_settings(raw) if kept else settings), kept


def _readable(text: str) -> bool:
    """True when the config text is absent (defaults) or valid; False for a broken file."""
    try:
        parse_settings_text(text)
    except ConfigError:
        return False
    return True


def _settings_on_disk(text: str) -> Settings:
    """Settings of the current file text (defaults when empty; defaults too when it is broken)."""
    if not text:
        return Settings()
    try:
        return parse_settings_text(text)
    except ConfigError:
        return Settings()


@contextmanager
def _locked(config_path: Path) -> Iterator[None]:
    """Hold an exclusive lock (a file in the history folder) while checking and writing the config."""
    folder = history_dir(config_path)
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / ".lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _log_change(config: Path, user: str, action: str, outcome: SaveOutcome) -> None:
    """Append who saved or restored the config, and which keys changed, to the change log beside the history."""
    entry = {
        "at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S"),
        "user": user,
        "action": action,
        "keys": [change.key for change in outcome.changes],
        "replaced": outcome.snapshot.name if outcome.snapshot else None,
    }
    with (history_dir(config) / CHANGE_LOG).open("a", encoding="utf-8") as stream:
        stream.write(json.dumps(entry, ensure_ascii=False) + "\n")


def list_changes(config_path: str | Path) -> list[dict[str, Any]]:
    """Saves and restores of the config with the user who made them, newest first."""
    path = history_dir(config_path) / CHANGE_LOG
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    entries = []
    for line in lines:
        try:
            entries.append(json.loads(line))
        except ValueError:
            continue
    return entries[::-1]


def save_config(
    settings: Settings,
    config_path: str | Path,
    expected_digest: str,
    keep: int,
    user: str = "",
    action: str = "save",
    dashboard: bool = False,
) -> SaveOutcome:
    """Write settings unless the file changed since it was read; keep the previous text in history; log who did it.

    dashboard=True (the settings page): a change of a read-only key (tracking.uri) is refused with ConfigError.
    """
    config = Path(config_path)
    with _locked(config):
        current = read_config_text(config)
        if text_digest(current) != expected_digest:
            raise StaleConfigError(current)
        on_disk = _settings_on_disk(current)
        if dashboard and _readable(current):  # a broken file has no read-only values to keep
            _check_read_only(on_disk, settings)
        changes = diff_settings(on_disk, settings)
        copy = snapshot(config, keep)
        save_settings(settings, config)
        outcome = SaveOutcome(config, changes, copy, text_digest(read_config_text(config)))
        _log_change(config, user, action, outcome)
        return outcome


def restore_config(
    config_path: str | Path, name: str, expected_digest: str, keep: int, user: str = "", dashboard: bool = False
) -> SaveOutcome:
    """Make a saved version current again (validated); the replaced text goes into history.

    dashboard=True: read-only keys (tracking.uri) keep their current value instead of the saved one.
    """
    entry = history_entry(config_path, name)
    settings = parse_settings_text(entry.read_text())
    kept: list[str] = []
    current = read_config_text(config_path)
    if dashboard and _readable(current):
        settings, kept = keep_read_only(_settings_on_disk(current), settings)
    outcome = save_config(settings, config_path, expected_digest, keep, user, f"restore {name}", dashboard)
    return replace(outcome, kept=tuple(kept))
