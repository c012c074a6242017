"""Russian text of the engine's errors and warnings, rendered by code from the catalogue in core/errors.py."""

from __future__ import annotations

from core.errors import ContactGuardError, Text

UNKNOWN_PREFIX = "ошибка: "


def in_russian(message: str | BaseException) -> str:
    """The moderator-facing Russian text of a coded message or error; unknown ones keep their original text."""
    if isinstance(message, ContactGuardError | Text):
        return message.text("ru")
    if isinstance(message, BaseException):
        return UNKNOWN_PREFIX + (str(message).strip() or type(message).__name__)
    return UNKNOWN_PREFIX + str(message).strip()
