"""Dashboard accounts: roles, argon2 password hashes, server-side login throttling and an audit log (SQLite)."""

from __future__ import annotations

import hmac
import os
import re
import secrets
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from core.config import AuthSettings, resolve_path
from core.ops.auth import failure_delay

USERS_DB_ENV = "CONTACTGUARD_USERS_DB"
ROLES: tuple[str, ...] = ("moderator", "analyst", "admin")
ENV_ADMIN_NAME = "admin"
MIN_PASSWORD_CHARS = 8
ADDRESS_FREE_FAILURES = 5  # an office behind one NAT may mistype a few times before its address is slowed
FAILURES_FORGOTTEN_AFTER = 15 * 60.0  # seconds without a failure after which a counter starts again at 0
_NAME = re.compile(r"^[a-z0-9][a-z0-9._@+-]{0,63}$")

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL CHECK (role IN ('moderator', 'analyst', 'admin')),
    password_hash TEXT NOT NULL DEFAULT '',
    session_epoch TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS login_failures (
    scope TEXT NOT NULL CHECK (scope IN ('account', 'address')),
    key TEXT NOT NULL,
    failures INTEGER NOT NULL,
    last_failure REAL NOT NULL,
    PRIMARY KEY (scope, key)
);
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    user TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
"""


class UserError(ValueError):
    """A refused change of the user store; `code` and `params` let the dashboard say it in Russian."""

    def __init__(self, code: str, message: str, **params: object) -> None:
        """code: bad_name | bad_role | short_password | exists | missing | last_admin."""
        super().__init__(message)
        self.code = code
        self.params = params


def clock() -> float:
    """Wall-clock seconds (a module function so tests can freeze it)."""
    return time.time()


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")


def users_path(settings: AuthSettings | None = None) -> Path:
    """The user store: env CONTACTGUARD_USERS_DB, else auth.users_path of the config."""
    override = os.environ.get(USERS_DB_ENV, "")
    if override:
        return Path(override)
    return resolve_path((settings or AuthSettings()).users_path)


def normalize_name(name: str) -> str:
    """Account names are case-insensitive: stored and compared in lower case, without surrounding spaces."""
    return (name or "").strip().lower()


def check_name(name: str) -> str:
    """The normalized name, or UserError when it is empty or has characters other than a-z 0-9 . _ @ + -."""
    value = normalize_name(name)
    if not _NAME.match(value):
        raise UserError(
            "bad_name",
            f"invalid user name {name!r}: 1-64 characters, latin letters, digits and . _ @ + -, "
            "starting with a letter or digit",
            name=name,
        )
    return value


def check_role(role: str) -> str:
    """The role, or UserError when it is not one of moderator, analyst, admin."""
    if role not in ROLES:
        raise UserError("bad_role", f"unknown role {role!r}: one of {', '.join(ROLES)}", role=role)
    return role


def check_password(password: str) -> str:
    """The password, or UserError when it is shorter than MIN_PASSWORD_CHARS characters."""
    if len(password or "") < MIN_PASSWORD_CHARS:
        raise UserError(
            "short_password", f"the password needs at least {MIN_PASSWORD_CHARS} characters", min=MIN_PASSWORD_CHARS
        )
    return password


@dataclass(frozen=True, slots=True)
class User:
    """One account as the dashboard sees it (never the hash)."""

    name: str
    role: str
    has_password: bool
    session_epoch: str
    created_at: str
    created_by: str
    updated_at: str


@dataclass(frozen=True, slots=True)
class LoginOutcome:
    """Result of a login attempt: the user on success, else how long to wait before the next try (0 = wrong password)."""

    user: User | None
    wait_seconds: float = 0.0

    @property
    def throttled(self) -> bool:
        """True when the attempt was refused without checking the password."""
        return self.user is None and self.wait_seconds > 0


_HASHER = PasswordHasher()
_DUMMY_HASH = _HASHER.hash(secrets.token_hex(16))  # verified for unknown names so their answer takes as long


class UserStore:
    """Accounts, login failures and the audit log in one SQLite file."""

    def __init__(self, path: str | Path, hasher: PasswordHasher | None = None) -> None:
        """Open (and create when missing) the store at path."""
        self.path = Path(path)
        self.hasher = hasher or _HASHER

    # ---------------------------------------------------------------- plumbing

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(self.path, timeout=30)) as connection, connection:
            connection.row_factory = sqlite3.Row
            connection.executescript(SCHEMA)
            yield connection

    @staticmethod
    def _user(row: sqlite3.Row) -> User:
        return User(
            row["name"],
            row["role"],
            bool(row["password_hash"]),
            row["session_epoch"],
            row["created_at"],
            row["created_by"],
            row["updated_at"],
        )

    def _audit(self, connection: sqlite3.Connection, user: str, action: str, detail: str) -> None:
        connection.execute(
            "INSERT INTO audit (at, user, action, detail) VALUES (?,?,?,?)", (_stamp(), user, action, detail)
        )

    def _admins(self, connection: sqlite3.Connection) -> int:
        return int(connection.execute("SELECT COUNT(*) FROM users WHERE role = 'admin'").fetchone()[0])

    # ---------------------------------------------------------------- accounts

    def get(self, name: str) -> User | None:
        """The account with this name, or None."""
        with self._connect() as connection:
            row = connection.execute("SELECT * FROM users WHERE name = ?", (normalize_name(name),)).fetchone()
        return self._user(row) if row else None

    def list_users(self) -> list[User]:
        """Every account, by name."""
        with self._connect() as connection:
            rows = connection.execute("SELECT * FROM users ORDER BY name").fetchall()
        return [self._user(row) for row in rows]

    def count(self) -> int:
        """How many accounts there are."""
        with self._connect() as connection:
            return int(connection.execute("SELECT COUNT(*) FROM users").fetchone()[0])

    def add(self, name: str, role: str, password: str | None, *, by: str = "") -> User:
        """Create an account; password None makes one that only signs in through OIDC."""
        name, role = check_name(name), check_role(role)
        hashed = self.hasher.hash(check_password(password)) if password is not None else ""
        now = _stamp()
        with self._connect() as connection:
            try:
                connection.execute(
                    "INSERT INTO users (name, role, password_hash, session_epoch, created_at, created_by, updated_at)"
                    " VALUES (?,?,?,?,?,?,?)",
                    (name, role, hashed, secrets.token_hex(8), now, by, now),
                )
            except sqlite3.IntegrityError:
                raise UserError("exists", f"user {name!r} already exists", name=name) from None
            self._audit(connection, by, "user.add", f"{name} ({role})")
        user = self.get(name)
        assert user is not None
        return user

    def set_role(self, name: str, role: str, *, by: str = "") -> User:
        """Change an account's role (the last admin keeps it)."""
        name, role = normalize_name(name), check_role(role)
        with self._connect() as connection:
            row = connection.execute("SELECT role FROM users WHERE name = ?", (name,)).fetchone()
            if row is None:
                raise UserError("missing", f"no user {name!r}", name=name)
            if row["role"] == "admin" and role != "admin" and self._admins(connection) <= 1:
                raise UserError("last_admin", f"{name!r} is the last admin and must stay one", name=name)
            connection.execute("UPDATE users SET role = ?, updated_at = ? WHERE name = ?", (role, _stamp(), name))
            self._audit(connection, by, "user.role", f"{name}: {row['role']} -> {role}")
        user = self.get(name)
        assert user is not None
        return user

    def set_password(self, name: str, password: str, *, by: str = "") -> None:
        """Replace an account's password; its open sessions are signed out."""
        name = normalize_name(name)
        hashed = self.hasher.hash(check_password(password))
        with self._connect() as connection:
            changed = connection.execute(
                "UPDATE users SET password_hash = ?, session_epoch = ?, updated_at = ? WHERE name = ?",
                (hashed, secrets.token_hex(8), _stamp(), name),
            ).rowcount
            if not changed:
                raise UserError("missing", f"no user {name!r}", name=name)
            self._audit(connection, by, "user.password", name)

    def remove(self, name: str, *, by: str = "") -> None:
        """Delete an account (never the last admin)."""
        name = normalize_name(name)
        with self._connect() as connection:
            row = connection.execute("SELECT role FROM users WHERE name = ?", (name,)).fetchone()
            if row is None:
                raise UserError("missing", f"no user {name!r}", name=name)
            if row["role"] == "admin" and self._admins(connection) <= 1:
                raise UserError("last_admin", f"{name!r} is the last admin and must stay one", name=name)
            connection.execute("DELETE FROM users WHERE name = ?", (name,))
            connection.execute("DELETE FROM login_failures WHERE scope = 'account' AND key = ?", (name,))
            self._audit(connection, by, "user.remove", name)

    def ensure_admin(self, password: str, name: str = ENV_ADMIN_NAME) -> User:
        """Create the account `admin` with this password, or give it this password and the admin role."""
        current = self.get(name)
        if current is None:
            now = _stamp()
            with self._connect() as connection:
                connection.execute(
                    "INSERT OR IGNORE INTO users (name, role, password_hash, session_epoch, created_at, created_by,"
                    " updated_at) VALUES (?,?,?,?,?,?,?)",
                    (name, "admin", self.hasher.hash(password), secrets.token_hex(8), now, "environment", now),
                )
                self._audit(connection, "environment", "user.add", f"{name} (admin)")
        else:
            if not self._password_ok(name, password):
                with self._connect() as connection:
                    connection.execute(
                        "UPDATE users SET password_hash = ?, session_epoch = ?, updated_at = ? WHERE name = ?",
                        (self.hasher.hash(password), secrets.token_hex(8), _stamp(), name),
                    )
                    self._audit(connection, "environment", "user.password", name)
            if current.role != "admin":
                self.set_role(name, "admin", by="environment")
        user = self.get(name)
        assert user is not None
        return user

    def _password_ok(self, name: str, password: str) -> bool:
        """argon2 check of a password (an unknown name or an OIDC-only account is checked against a dummy hash)."""
        with self._connect() as connection:
            row = connection.execute("SELECT password_hash FROM users WHERE name = ?", (name,)).fetchone()
        stored = row["password_hash"] if row and row["password_hash"] else ""
        try:
            self.hasher.verify(stored or _DUMMY_HASH, password or "")
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False
        return bool(stored)

    # ---------------------------------------------------------------- login

    def _failures(self, connection: sqlite3.Connection, scope: str, key: str, now: float) -> tuple[int, float]:
        row = connection.execute(
            "SELECT failures, last_failure FROM login_failures WHERE scope = ? AND key = ?", (scope, key)
        ).fetchone()
        if row is None or now - row["last_failure"] > FAILURES_FORGOTTEN_AFTER:
            return 0, 0.0
        return int(row["failures"]), float(row["last_failure"])

    def wait_seconds(self, name: str, address: str | None) -> float:
        """Seconds before this account (or this client address) may try again; 0 when it may now."""
        now = clock()
        with self._connect() as connection:
            account, account_last = self._failures(connection, "account", normalize_name(name), now)
            waits = [account_last + failure_delay(account) - now] if account else []
            if address:
                failures, last = self._failures(connection, "address", address, now)
                if failures > ADDRESS_FREE_FAILURES:
                    waits.append(last + failure_delay(failures - ADDRESS_FREE_FAILURES) - now)
        return max([0.0, *waits])

    def _count_failure(self, name: str, address: str | None, now: float) -> None:
        with self._connect() as connection:
            for scope, key in (("account", normalize_name(name)), ("address", address)):
                if not key:
                    continue
                failures, _ = self._failures(connection, scope, key, now)
                connection.execute(
                    "INSERT INTO login_failures (scope, key, failures, last_failure) VALUES (?,?,?,?)"
                    " ON CONFLICT (scope, key) DO UPDATE SET failures = excluded.failures,"
                    " last_failure = excluded.last_failure",
                    (scope, key, failures + 1, now),
                )

    def login(self, name: str, password: str, address: str | None = None) -> LoginOutcome:
        """Check a password unless the account or the address must still wait; count failures server-side."""
        name = normalize_name(name)
        wait = self.wait_seconds(name, address)
        if wait > 0:
            return LoginOutcome(None, wait)
        if self._password_ok(name, password):
            with self._connect() as connection:
                connection.execute("DELETE FROM login_failures WHERE scope = 'account' AND key = ?", (name,))
            return LoginOutcome(self.get(name))
        self._count_failure(name, address, clock())
        return LoginOutcome(None)

    def session_valid(self, name: str, epoch: str) -> User | None:
        """The account of a signed-in session, or None when it was removed or its password changed since."""
        user = self.get(name)
        if user is None or not hmac.compare_digest(user.session_epoch, epoch or ""):
            return None
        return user

    # ---------------------------------------------------------------- audit

    def record(self, user: str, action: str, detail: str = "") -> None:
        """Append one action (settings saved, model promoted, ...) with the user who did it."""
        with self._connect() as connection:
            self._audit(connection, user, action, detail)

    def audit(self, limit: int = 200, action_prefix: str = "") -> list[dict[str, str]]:
        """The newest audit entries first: at, user, action, detail."""
        with self._connect() as connection:
            rows = connection.execute(
                "SELECT at, user, action, detail FROM audit WHERE action LIKE ? ORDER BY id DESC LIMIT ?",
                (f"{action_prefix}%", limit),
            ).fetchall()
        return [dict(row) for row in rows]


def open_store(settings: AuthSettings | None = None) -> UserStore:
    """The user store of these settings (or of the environment override)."""
    return UserStore(users_path(settings))
