"""Admin credential for the dashboard: where it comes from, constant-time check, throttling of failures."""

from __future__ import annotations

import hmac
import os
import time
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from core.config import PROJECT_ROOT

PASSWORD_ENV = "CONTACTGUARD_ADMIN_PASSWORD"
SECRETS_KEY = "admin_password"
SECRETS_PATHS: tuple[Path, ...] = (PROJECT_ROOT / ".streamlit" / "secrets.toml",)
FIRST_DELAY_SECONDS = 0.5
MAX_DELAY_SECONDS = 30.0


def _secrets_password(paths: Sequence[Path]) -> str | None:
    """The admin_password of the first readable secrets.toml that has one."""
    for path in paths:
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue
        value = data.get(SECRETS_KEY)
        if isinstance(value, str) and value:
            return value
    return None


def configured_password(
    environ: Mapping[str, str] | None = None, secrets_paths: Sequence[Path] | None = None
) -> str | None:
    """The admin password from env CONTACTGUARD_ADMIN_PASSWORD or secrets.toml; None when none is set."""
    env = os.environ if environ is None else environ
    value = env.get(PASSWORD_ENV, "")
    if value:
        return value
    return _secrets_password(SECRETS_PATHS if secrets_paths is None else secrets_paths)


def password_matches(candidate: str, expected: str) -> bool:
    """Constant-time comparison of a typed password with the configured one."""
    if not candidate or not expected:
        return False
    return hmac.compare_digest(candidate.encode("utf-8"), expected.encode("utf-8"))


def password_fingerprint(password: str) -> str:
    """A keyed digest of the password, kept in a session to notice when the password changes."""
    return hmac.new(b"contactguard-admin-session", password.encode("utf-8"), "sha256").hexdigest()


def failure_delay(failures: int) -> float:
    """Seconds to wait after the n-th failed attempt: 0.5, 1, 2, 4 ... capped at 30."""
    if failures <= 0:
        return 0.0
    return min(FIRST_DELAY_SECONDS * 2 ** (failures - 1), MAX_DELAY_SECONDS)


@dataclass
class LoginThrottle:
    """Failed-attempt counter of one session; every failure sleeps longer than the last."""

    failures: int = 0

    def attempt(self, candidate: str, expected: str, sleep: Callable[[float], None] = time.sleep) -> bool:
        """Check a password; on failure count it and sleep; on success reset the counter."""
        if password_matches(candidate, expected):
            self.failures = 0
            return True
        self.failures += 1
        sleep(failure_delay(self.failures))
        return False
