"""The bootstrap admin password (env or secrets.toml) and the delay that grows with failed logins.

Accounts, hashes and the server-side failure counters live in core.ops.users."""

from __future__ import annotations

import hmac
import os
import tomllib
from collections.abc import Mapping, Sequence
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


def failure_delay(failures: int) -> float:
    """Seconds an account must wait after its n-th failed attempt in a row: 0.5, 1, 2, 4 ... capped at 30."""
    if failures <= 0:
        return 0.0
    return min(FIRST_DELAY_SECONDS * 2 ** (failures - 1), MAX_DELAY_SECONDS)
