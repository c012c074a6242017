"""The settings form generated from the config schema: one widget per field, grouped by section.

Every label and help text comes from the schema in core/config.py (the Russian help and the mark of when a change
acts are the fields' json_schema_extra); nothing here repeats them.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd
import streamlit as st

from core.config import (
    Settings,
    applies,
    field_meta,
    help_ru,
    section_class,
    server_restart,
    web_editable,
)
from ui.ru_format import exact_decimal, ru_int
from ui.ru_widgets import russian_value
from ui.settings_store import Change, changes_by_applies

APPLIES_SHORT: dict[str, str] = {
    "now": "действует сразу",
    "retrain": "после переобучения",
    "restart": "после перезапуска сервера оценки",
}
APPLIES_LONG: dict[str, str] = {
    "now": "сразу после сохранения: приложение и командная строка читают её при каждом использовании",
    "retrain": "только после переобучения модели: обслуживаемая модель хранит настройки, с которыми её обучили, "
    "а этапы prepare, train, evaluate и автоповышение читают их при следующем запуске",
    "restart": "после перезапуска сервера оценки (python -m core serve): он читает её только при запуске",
}
SERVER_NOTE = "Сервер оценки (python -m core serve) читает её только при запуске: для него — после перезапуска."
LEGEND = (
    "У каждой настройки отмечено, когда изменение вступит в силу: «действует сразу», «после переобучения» "
    "(модель хранит настройки, с которыми обучена: нужна новая модель) или «после перезапуска сервера оценки»."
)


def section_title(section: str) -> str:
    """The Russian title of a settings section (from the schema)."""
    extra = Settings.model_fields[section].json_schema_extra
    return str(extra.get("title_ru", section)) if isinstance(extra, dict) else section


def read_only_note(key: str) -> str:
    """Why a setting cannot be changed here and where it is set instead."""
    env = field_meta(key).get("env", "")
    return (
        f"Только для чтения: {key} задаётся переменной окружения {env} (она главнее файла) или в config.yaml, "
        "с которым работает командная строка (`python -m core --config …`), но не из приложения."
    )


WidgetKind = Literal["bool", "int", "float", "choice", "multi", "text"]


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """How one config field is edited: widget kind, bounds or choices, label and help."""

    section: str
    name: str
    kind: WidgetKind
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    label: str = ""
    help: str = ""

    @property
    def key(self) -> str:
        """Dotted key, also the widget's session-state key suffix."""
        return f"{self.section}.{self.name}"

    @property
    def widget_key(self) -> str:
        """Session-state key of the widget."""
        return f"cfg.{self.key}"


def _bounds(info: Any) -> tuple[float | None, float | None]:
    """Lower and upper bound from a field's metadata (ge/gt, le/lt)."""
    low = high = None
    for meta in info.metadata:
        for name in ("ge", "gt"):
            if getattr(meta, name, None) is not None:
                low = getattr(meta, name)
        for name in ("le", "lt"):
            if getattr(meta, name, None) is not None:
                high = getattr(meta, name)
    return low, high


def _literal_choices(annotation: Any) -> tuple[str, ...] | None:
    """The choices of a Literal annotation, else None."""
    if typing.get_origin(annotation) is Literal:
        return tuple(str(choice) for choice in typing.get_args(annotation))
    return None


def _kind(annotation: Any) -> tuple[WidgetKind, tuple[str, ...]]:
    """Widget kind (and choices) for a field annotation."""
    choices = _literal_choices(annotation)
    if choices is not None:
        return "choice", choices
    origin = typing.get_origin(annotation)
    if origin in (list, tuple, set):
        inner = _literal_choices(typing.get_args(annotation)[0]) if typing.get_args(annotation) else None
        if inner is not None:
            return "multi", inner
    if origin in (typing.Union, types.UnionType):
        return "text", ()
    if annotation is bool:
        return "bool", ()
    if annotation is int:
        return "int", ()
    if annotation is float:
        return "float", ()
    return "text", ()


def _range_ru(low: float | None, high: float | None, kind: WidgetKind) -> str:
    """A valid range the Russian way: '10 … 5 000', '0 … 1'."""

    def shown(value: float | None, infinity: str) -> str:
        if value is None:
            return infinity
        return ru_int(value) if kind == "int" else exact_decimal(float(value), min_digits=0)

    return f"{shown(low, '−∞')} … {shown(high, '∞')}"


def field_specs() -> list[FieldSpec]:
    """One spec per field of every section, in schema order; label and help from the schema."""
    specs = []
    for section in Settings.model_fields:
        cls = section_class(section)
        for name, info in cls.model_fields.items():
            key = f"{section}.{name}"
            kind, choices = _kind(info.annotation)
            low, high = _bounds(info)
            text = help_ru(key)
            when = applies(key)
            mark = APPLIES_SHORT[when] if web_editable(key) else "только для чтения"
            label = f"`{name}` — {text} · **{mark}**"
            hint = f"{text}. Ключ в config.yaml: {key}"
            if kind in ("int", "float") and (low is not None or high is not None):
                hint += f". Допустимо: {_range_ru(low, high, kind)}"
            elif kind in ("choice", "multi"):
                hint += ". Варианты: " + ", ".join(choices)
            hint += f". Когда действует: {APPLIES_LONG[when]}."
            if server_restart(key) and when != "restart":
                hint += " " + SERVER_NOTE
            if not web_editable(key):
                hint += " " + read_only_note(key)
            specs.append(FieldSpec(section, name, kind, low, high, choices or (), label, hint))
    return specs


def widget_value(spec: FieldSpec, value: Any) -> Any:
    """A settings value in the type its widget holds."""
    if spec.kind == "int":
        return int(value)
    if spec.kind == "float":
        return float(value)
    if spec.kind == "multi":
        return list(value)
    if spec.kind == "text":
        return "" if value is None else str(value)
    return value


def load_form_state(settings: Settings) -> None:
    """Put every settings value into its widget's session-state key."""
    for spec in field_specs():
        st.session_state[spec.widget_key] = widget_value(spec, getattr(getattr(settings, spec.section), spec.name))


def ensure_form_state(settings: Settings) -> None:
    """Fill widget keys that are missing (first visit, or after another page was shown)."""
    for spec in field_specs():
        if spec.widget_key not in st.session_state:
            value = getattr(getattr(settings, spec.section), spec.name)
            st.session_state[spec.widget_key] = widget_value(spec, value)


def value_note(spec: FieldSpec, value: Any) -> str:
    """The caption under a number box with its value written the Russian way ('' when the box already reads so):
    the box can only show a dot decimal and no spaced thousands (Streamlit's printf formats)."""
    shown = russian_value(value, integer=spec.kind == "int")
    return f"Значение: {shown}" if shown else ""


def _number_widget(spec: FieldSpec, disabled: bool) -> None:
    """A number_input with the field's bounds, and its value the Russian way under it."""
    _number_box(spec, disabled)
    if note := value_note(spec, st.session_state.get(spec.widget_key)):
        st.caption(note)


def _number_box(spec: FieldSpec, disabled: bool) -> None:
    """The number_input itself."""
    if spec.kind == "int":
        st.number_input(
            spec.label,
            min_value=None if spec.minimum is None else int(spec.minimum),
            max_value=None if spec.maximum is None else int(spec.maximum),
            step=1,
            help=spec.help,
            key=spec.widget_key,
            disabled=disabled,
        )
        return
    small = spec.maximum is not None and spec.maximum <= 1.0
    st.number_input(
        spec.label,
        min_value=None if spec.minimum is None else float(spec.minimum),
        max_value=None if spec.maximum is None else float(spec.maximum),
        step=0.01 if small else 0.5,
        format="%.4f" if small else "%.2f",
        help=spec.help,
        key=spec.widget_key,
        disabled=disabled,
    )


def field_widget(spec: FieldSpec, disabled: bool = False) -> None:
    """Draw the widget of one field (its value lives in session state); read-only settings are disabled."""
    disabled = disabled or not web_editable(spec.key)
    if spec.kind == "bool":
        st.checkbox(spec.label, help=spec.help, key=spec.widget_key, disabled=disabled)
    elif spec.kind in ("int", "float"):
        _number_widget(spec, disabled)
    elif spec.kind == "choice":
        st.selectbox(spec.label, spec.choices, help=spec.help, key=spec.widget_key, disabled=disabled)
    elif spec.kind == "multi":
        st.multiselect(spec.label, spec.choices, help=spec.help, key=spec.widget_key, disabled=disabled)
    else:
        st.text_input(spec.label, help=spec.help, key=spec.widget_key, disabled=disabled)
    if not web_editable(spec.key):
        st.caption(read_only_note(spec.key))


def form_fields(disabled: bool = False) -> None:
    """All fields, one tab per section, each with its help text and the mark of when a change acts."""
    specs = field_specs()
    sections = list(Settings.model_fields)
    st.caption(LEGEND)
    tabs = st.tabs([section_title(name) for name in sections], key="settings_tabs")
    for tab, section in zip(tabs, sections, strict=True):
        with tab:
            st.caption(f"Раздел `{section}` — {section_title(section)}")
            for spec in specs:
                if spec.section == section:
                    field_widget(spec, disabled)


def form_values(loaded: Settings | None = None) -> dict[str, dict[str, Any]]:
    """The form's values as {section: {key: value}} (input for validate_settings); read-only keys as loaded."""
    raw: dict[str, dict[str, Any]] = {}
    for spec in field_specs():
        if loaded is not None and not web_editable(spec.key):
            value = getattr(getattr(loaded, spec.section), spec.name)
        else:
            value = st.session_state.get(spec.widget_key)
        raw.setdefault(spec.section, {})[spec.name] = value
    return raw


def shown_value(value: Any) -> str:
    """A settings value as text the Russian way: 20 000, 0,5, да/нет, lists joined by commas."""
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, int):
        return ru_int(value)
    if isinstance(value, float):
        return exact_decimal(value, min_digits=0)
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or "(пусто)"
    return str(value)


def changes_frame(changes: list[Change]) -> pd.DataFrame:
    """Diff table: key, old value, new value, when the change acts."""
    return pd.DataFrame(
        [
            {
                "Настройка": change.key,
                "Было": shown_value(change.old),
                "Стало": shown_value(change.new),
                "Когда действует": APPLIES_SHORT[applies(change.key)],
            }
            for change in changes
        ],
        columns=["Настройка", "Было", "Стало", "Когда действует"],
    )


def saved_messages(action: str, changes: list[Change], kept: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """What a save or restore did, as (kind, text): which changes act now, after retraining, after a restart."""
    if not changes:
        return [("success", f"{action}: значения не изменились.")]
    groups = changes_by_applies(changes)
    keys = {name: ", ".join(change.key for change in group) for name, group in groups.items()}
    now = f" Уже действуют в приложении и командной строке: {keys['now']}." if groups["now"] else ""
    messages = [("success", f"{action}.{now}")]
    if groups["retrain"]:
        messages.append(
            (
                "warning",
                f"Вступят в силу только после переобучения модели: {keys['retrain']}. Обслуживаемая модель хранит "
                "настройки, с которыми её обучили: переобучите её кнопкой «Переобучить в фоне» ниже "
                "(или командой make retrain).",
            )
        )
    server = [change.key for change in changes if applies(change.key) == "restart" or server_restart(change.key)]
    if server:
        messages.append(
            ("info", f"Сервер оценки (python -m core serve) применит после перезапуска: {', '.join(server)}.")
        )
    if kept:
        messages.append(("info", f"{', '.join(kept)}: оставлено текущее значение — из приложения его не меняют."))
    return messages
