"""Numbers the Russian way (`60 000`, `0,9812`, `39,5 %`) for text and for st.dataframe tables."""

from __future__ import annotations

import math
from collections.abc import Iterable

import pandas as pd
from pandas.io.formats.style import Styler

THOUSANDS = "\u202f"  # narrow no-break space, as in `60 000`
MISSING = "—"


def _missing(value: object) -> bool:
    """True for None, NaN and values that are not numbers."""
    try:
        return value is None or math.isnan(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True


def ru_number(value: float | None, digits: int = 2, signed: bool = False) -> str:
    """A number with a decimal comma and spaced thousands: 1 815,25; '—' when missing."""
    if _missing(value):
        return MISSING
    text = f"{float(value):{'+' if signed else ''},.{digits}f}"  # type: ignore[arg-type]
    return text.replace(",", THOUSANDS).replace(".", ",")


def ru_int(value: float | None) -> str:
    """An integer with spaced thousands: 60 000."""
    return MISSING if _missing(value) else ru_number(round(float(value)), 0)  # type: ignore[arg-type]


def ru_percent(share: float | None, digits: int = 1) -> str:
    """A share as a percentage with a decimal comma and a space before the sign: 39,5 %."""
    return MISSING if _missing(share) else f"{ru_number(float(share) * 100, digits)} %"  # type: ignore[arg-type]


def exact_decimal(value: float, min_digits: int = 2, max_digits: int = 6) -> str:
    """A setting such as a threshold shown without rounding it: 0,5 -> 0,50; 0,985 -> 0,985."""
    for digits in range(min_digits, max_digits + 1):
        if math.isclose(round(value, digits), value, rel_tol=0.0, abs_tol=1e-12):
            return ru_number(value, digits)
    return ru_number(value, max_digits)


def compared_to(value: float, threshold: float, min_digits: int = 2, max_digits: int = 6) -> str:
    """The value with the threshold's digits at least, and more until it never reads equal to or across it."""
    digits = max(min_digits, len(exact_decimal(threshold, min_digits, max_digits).partition(",")[2]))
    while digits < max_digits:
        shown = round(value, digits)
        if (shown < threshold) == (value < threshold) and (shown != threshold or value == threshold):
            break
        digits += 1
    return ru_number(value, digits)


def ru_table(
    frame: pd.DataFrame,
    digits: int = 4,
    percent: Iterable[str] = (),
    integers: Iterable[str] = (),
    signed: Iterable[str] = (),
) -> Styler:
    """The frame for st.dataframe shown the Russian way; the values stay numbers, so columns sort as numbers."""
    percent, integers, signed = set(percent), set(integers), set(signed)
    formatters = {}
    for column in frame.columns:
        if not pd.api.types.is_numeric_dtype(frame[column]) or pd.api.types.is_bool_dtype(frame[column]):
            continue
        if column in percent:
            formatters[column] = ru_percent
        elif column in integers:
            formatters[column] = ru_int
        else:
            formatters[column] = lambda value, sign=column in signed: ru_number(value, digits, signed=sign)
    return frame.style.format(formatters, na_rep=MISSING)
