"""Number widgets that read the Russian way (`0,985`, `60 000`).

Streamlit's st.slider and st.number_input format numbers with printf strings (a dot decimal) or with the browser's
locale; neither is sure to show a decimal comma. A slider is therefore a select_slider over the same steps whose
labels are formatted here; a number input keeps its box and gets the value written the Russian way next to it.
"""

from __future__ import annotations

import math

import streamlit as st

from ui.ru_format import exact_decimal, ru_int


def slider_steps(low: float, high: float, step: float, value: float) -> list[float]:
    """The values low, low + step, …, high (rounded to the step's digits), plus value when it falls between steps."""
    digits = max(0, -math.floor(math.log10(step))) + 1
    count = round((high - low) / step)
    options = [round(low + index * step, digits) for index in range(count + 1)]
    if value not in options:
        options = sorted({*options, float(value)})
    return options


def ru_decimal_slider(
    label: str, low: float, high: float, value: float, step: float, digits: int, key: str, help: str | None = None
) -> float:
    """A slider from low to high in steps whose labels carry a decimal comma (at least `digits` digits, more when
    the value has them, so 0,9855 never reads 0,986); returns the chosen float."""
    options = slider_steps(low, high, step, value)
    if key in st.session_state and st.session_state[key] not in options:  # a value set before the options changed
        st.session_state[key] = min(options, key=lambda option: abs(option - float(st.session_state[key])))
    return float(
        st.select_slider(
            label,
            options=options,
            value=None if key in st.session_state else float(value),
            format_func=lambda option: exact_decimal(float(option), min_digits=digits),
            key=key,
            help=help,
        )
    )


def russian_value(value: float | int | None, integer: bool) -> str:
    """A number input's value as text the Russian way: 60 000, 0,5; '' when it needs no rewriting (small integers)."""
    if value is None:
        return ""
    if integer:
        return ru_int(value) if abs(value) >= 1000 else ""
    return exact_decimal(float(value), min_digits=0)
