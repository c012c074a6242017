"""The user store (argon2 hashes, roles, server-side throttling, audit) and `python -m core users` on a real store."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from core.cli import main
from core.config import Settings, load_settings, save_settings
from core.ops import monitoring, review_queue, users
from core.ops.scoring import MonitoringLog
from core.ops.users import UserError, UserStore
from tests.conftest import SAMPLE_AD


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> UserStore:
    """A user store in tmp_path; the command line reads a config whose monitoring log is in tmp_path too."""
    monkeypatch.setenv("CONTACTGUARD_USERS_DB", str(tmp_path / "users.sqlite"))
    settings = Settings()
    settings.monitoring.db_path = str(tmp_path / "monitoring" / "log.sqlite")
    monkeypatch.setenv("CONTACTGUARD_CONFIG", str(save_settings(settings, tmp_path / "config.yaml")))
    return UserStore(tmp_path / "users.sqlite")


def test_passwords_are_stored_as_salted_argon2_hashes(store: UserStore) -> None:
    store.add("ivan", "moderator", "same password")
    store.add("petr", "moderator", "same password")
    with sqlite3.connect(store.path) as connection:
        hashes = [row[0] for row in connection.execute("SELECT password_hash FROM users ORDER BY name")]
    assert all(value.startswith("$argon2id$") for value in hashes)
    assert hashes[0] != hashes[1]  # salted
    assert "same password" not in store.path.read_bytes().decode("latin-1")
    assert store.login("IVAN ", "same password").user.name == "ivan"


def test_names_roles_and_passwords_are_checked(store: UserStore) -> None:
    for call, code in [
        (lambda: store.add("bad name", "moderator", "long enough"), "bad_name"),
        (lambda: store.add("ivan", "boss", "long enough"), "bad_role"),
        (lambda: store.add("ivan", "moderator", "short"), "short_password"),
    ]:
        with pytest.raises(UserError) as caught:
            call()
        assert caught.value.code == code
    store.add("ivan", "moderator", "long enough")
    with pytest.raises(UserError, match="already exists"):
        store.add("Ivan", "admin", "long enough")


def test_the_last_admin_stays(store: UserStore) -> None:
    store.add("root", "admin", "long enough")
    with pytest.raises(UserError, match="last admin"):
        store.remove("root")
    with pytest.raises(UserError, match="last admin"):
        store.set_role("root", "analyst")
    store.add("second", "admin", "long enough")
    store.remove("root", by="second")
    assert [user.name for user in store.list_users()] == ["second"]


def test_throttling_per_account_and_per_address_is_shared_by_every_session(
    store: UserStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = [5_000.0]
    monkeypatch.setattr(users, "clock", lambda: now[0])
    store.add("ivan", "moderator", "right password")
    assert store.login("ivan", "wrong", "10.0.0.1").user is None
    outcome = UserStore(store.path).login("ivan", "right password", "10.0.0.2")  # another process, other address
    assert outcome.throttled and outcome.wait_seconds == pytest.approx(0.5)
    now[0] += 0.5
    assert store.login("ivan", "right password", "10.0.0.2").user is not None
    # Guessing over many accounts from one address slows that address down after a few free failures.
    for index in range(users.ADDRESS_FREE_FAILURES + 1):
        now[0] += 60
        assert store.login(f"user{index}", "guess", "10.0.0.9").user is None
    assert store.wait_seconds("someone-else", "10.0.0.9") == pytest.approx(0.5)
    assert store.wait_seconds("someone-else", "10.0.0.3") == 0
    now[0] += users.FAILURES_FORGOTTEN_AFTER + 1
    assert store.wait_seconds("someone-else", "10.0.0.9") == 0


def test_env_admin_is_created_and_follows_the_password(store: UserStore) -> None:
    first = store.ensure_admin("first admin password")
    assert first.role == "admin" and store.login("admin", "first admin password").user
    assert store.ensure_admin("first admin password").session_epoch == first.session_epoch  # unchanged: no new hash
    changed = store.ensure_admin("second admin password")
    assert changed.session_epoch != first.session_epoch
    assert store.login("admin", "first admin password").user is None


def test_sso_only_accounts_cannot_use_a_password(store: UserStore) -> None:
    store.add("ivan@example.com", "moderator", None)
    assert not store.get("ivan@example.com").has_password
    assert store.login("ivan@example.com", "").user is None


def test_cli_add_list_remove(store: UserStore, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    monkeypatch.setenv("CONTACTGUARD_PASSWORD", "cli password 1")
    assert main(["users", "add", "Root", "--role", "admin"]) == 0
    assert main(["users", "add", "misha", "--role", "moderator"]) == 0
    assert main(["users", "add", "sso@example.com", "--role", "analyst", "--no-password"]) == 0
    assert main(["users", "add", "misha", "--role", "moderator"]) == 2
    assert "already exists" in capsys.readouterr().err
    assert main(["users", "list"]) == 0
    listed = [line.split("\t")[:3] for line in capsys.readouterr().out.splitlines()]
    assert listed == [
        ["misha", "moderator", "password"],
        ["root", "admin", "password"],
        ["sso@example.com", "analyst", "sso-only"],
    ]
    assert UserStore(store.path).login("misha", "cli password 1").user is not None
    assert main(["users", "remove", "misha"]) == 0
    assert main(["users", "remove", "root"]) == 2
    assert "last admin" in capsys.readouterr().err
    assert [user.name for user in store.list_users()] == ["root", "sso@example.com"]
    monkeypatch.setenv("CONTACTGUARD_PASSWORD", "a new cli password")
    assert main(["users", "passwd", "root"]) == 0
    assert store.login("root", "a new cli password").user is not None
    assert not monitoring.db_path(load_settings().monitoring).exists()  # no log yet: none made to release leases


def test_cli_passwd_and_remove_put_the_moderators_queue_ad_back_for_another_moderator(
    store: UserStore, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    queue = load_settings().monitoring
    result = pd.DataFrame({"prediction": [0.9], "n_contacts": 0, "kinds": ""})
    recorded = MonitoringLog(queue, 0.5).record_frame(
        pd.DataFrame([SAMPLE_AD]), result, source="batch", user="root", model_version="1"
    )
    assert recorded.warning is None
    monkeypatch.setenv("CONTACTGUARD_PASSWORD", "cli password 1")
    for name, role in (("root", "admin"), ("misha", "moderator"), ("vera", "moderator")):
        assert main(["users", "add", name, "--role", role]) == 0
    held = review_queue.take_next(queue, "misha")
    assert held is not None
    assert review_queue.take_next(queue, "vera") is None  # the only queued ad is leased to misha
    capsys.readouterr()

    assert main(["users", "passwd", "Misha"]) == 0
    assert "1 queue ad(s) held by misha back in the review queue" in capsys.readouterr().out
    taken = review_queue.take_next(queue, "vera")
    assert taken is not None and taken.id == held.id
    assert review_queue.take_next(queue, "misha") is None  # now vera holds it

    assert main(["users", "remove", "vera"]) == 0
    assert "held by vera back" in capsys.readouterr().out
    again = review_queue.take_next(queue, "misha")
    assert again is not None and again.id == held.id


def test_cli_without_a_password_and_without_a_terminal_fails(store: UserStore, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CONTACTGUARD_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin", open("/dev/null"))  # noqa: SIM115
    assert main(["users", "add", "ivan", "--role", "moderator"]) == 2
    assert store.get("ivan") is None
