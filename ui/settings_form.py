"""The settings form generated from the config schema: one widget per field, grouped by section."""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd
import streamlit as st
from pydantic import BaseModel

from core.config import Settings, field_range
from core.settings_store import Change

SECTION_TITLES: dict[str, str] = {
    "data": "Данные",
    "synth": "Синтетические данные",
    "detect": "Детекторы",
    "model": "Классификатор",
    "train": "Обучение",
    "evaluate": "Оценка",
    "tracking": "MLflow",
    "app": "Приложение",
    "monitoring": "Мониторинг",
    "serve": "Сервер",
}
FIELD_HELP: dict[str, str] = {
    "data.source": "synthetic — встроенный генератор; csv — настоящие файлы train/val/test",
    "data.raw_dir": "Папка с train.csv, val.csv, test.csv (для source=csv)",
    "data.prepared_dir": "Папка, куда этап prepare пишет выборки",
    "data.feedback_path": "Объявления, подтверждённые модераторами; prepare добавляет их в train, если файл есть",
    "data.merge_feedback": "Добавлять подтверждённые модераторами объявления в train",
    "data.max_rows": "Файлы с большим числом строк не принимаются",
    "synth.seed": "Зерно генератора; одно и то же зерно даёт те же объявления",
    "synth.n_train": "Объявлений в обучающей выборке",
    "synth.n_val": "Объявлений в валидационной выборке",
    "synth.n_test": "Объявлений в тестовой выборке",
    "synth.positive_share": "Доля объявлений с контактом",
    "synth.label_noise": "Доля перевёрнутых меток в train (val и test чистые)",
    "synth.hard_negative_share": "Доля чистых объявлений с похожими на телефон числами",
    "detect.enabled": "Какие детекторы работают",
    "detect.default_region": "Регион для проверки телефонов (код ISO)",
    "detect.min_score": "Контакты с оценкой ниже отбрасываются",
    "detect.context_window": "Сколько символов вокруг кандидата просматривать в поисках слов-подсказок",
    "detect.city_numbers": "Принимать городские номера из 5–7 цифр, если рядом есть слово-подсказка",
    "detect.workers": "Сколько процессов запускают детекторы на больших пакетах",
    "detect.parallel_from": "Пакеты с таким числом объявлений и больше делятся между процессами",
    "detect.max_chars": "Сколько символов заголовка и описания проверяется; у более длинных командная строка "
    "и приложение проверяют только начало этой длины и сообщают об этом, сервер оценки отвечает ошибкой 400",
    "model.iterations": "Итераций бустинга",
    "model.learning_rate": "Шаг обучения бустинга",
    "model.depth": "Глубина деревьев",
    "model.l2_leaf_reg": "L2-регуляризация",
    "model.use_text": "Передавать текст объявления в CatBoost как текстовый признак",
    "model.seed": "Зерно классификатора",
    "model.thread_count": "Потоков процессора для обучения и предсказания",
    "train.experiment": "Эксперимент MLflow",
    "train.register_model": "Регистрировать обученную модель в реестре",
    "train.early_stopping_rounds": "0 — без ранней остановки",
    "evaluate.split": "На какой выборке считать оценку",
    "evaluate.threshold": "Вероятность, с которой объявление считается нарушением (для оценки)",
    "evaluate.metrics_path": "JSON с метриками, который пишет evaluate",
    "evaluate.plots_dir": "Папка с ROC-данными по категориям",
    "evaluate.handwritten_sets": "Наборы объявлений, написанных вручную, которые оцениваются рядом с выборкой. "
    "Список в YAML: name — имя (префикс метрик, латиницей), path — файл JSONL, tuned — true, если на наборе "
    "подстраивались правила или модель (его оценка завышена)",
    "evaluate.promote_tolerance": "Автоповышение: наибольшее допустимое падение ROC-AUC в одной категории",
    "evaluate.handwritten_tolerance": "Автоповышение: наибольшее допустимое падение среднего ROC-AUC по категориям "
    "на любом ручном наборе",
    "tracking.uri": "Адрес хранилища MLflow; относительный путь sqlite — от папки проекта; "
    "переменная MLFLOW_TRACKING_URI главнее",
    "tracking.artifact_root": "Папка артефактов для локального хранилища",
    "tracking.model_name": "Имя модели в реестре",
    "tracking.serve_alias": "Метка версии, которую загружают приложение и сервер",
    "app.threshold": "Вероятность, с которой объявление отмечается как нарушение",
    "app.max_upload_mb": "Самый большой CSV для пакетной проверки, МБ",
    "app.max_rows": "Наибольшее число строк для пакетной проверки",
    "app.batch_size": "Объявлений за один шаг индикатора прогресса",
    "app.history_size": "Сколько прошлых версий настроек хранить",
    "monitoring.enabled": "Записывать каждое проверенное объявление в журнал",
    "monitoring.db_path": "Файл SQLite с журналом",
    "monitoring.store_text": "Хранить в журнале также заголовок и описание",
    "monitoring.psi_bins": "Число корзин для индекса дрейфа оценок (PSI)",
    "serve.host": "Интерфейс, на котором слушает сервер",
    "serve.port": "Порт сервера оценки",
    "serve.max_rows": "Наибольшее число объявлений в одном запросе",
}
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


def section_class(section: str) -> type[BaseModel]:
    """The pydantic model of a settings section."""
    return Settings.model_fields[section].annotation  # type: ignore[return-value]


def field_specs() -> list[FieldSpec]:
    """One spec per field of every section, in schema order."""
    specs = []
    for section in Settings.model_fields:
        cls = section_class(section)
        for name, info in cls.model_fields.items():
            kind, choices = _kind(info.annotation)
            low, high = _bounds(info)
            allowed = field_range(cls, name)
            text = FIELD_HELP.get(f"{section}.{name}") or info.description or ""
            label = f"`{name}` — {text}" if text else f"`{name}`"
            hint = f"{text}. Ключ в config.yaml: {section}.{name}"
            if allowed and kind in ("int", "float"):
                hint += f". Допустимо: {allowed.replace(' to ', ' … ').replace('inf', '∞')}"
            elif kind in ("choice", "multi"):
                hint += ". Варианты: " + ", ".join(choices)
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


def _number_widget(spec: FieldSpec, disabled: bool) -> None:
    """A number_input with the field's bounds."""
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
    """Draw the widget of one field (its value lives in session state)."""
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


def form_fields(disabled: bool = False) -> None:
    """All fields, one tab per section, each field with its help text."""
    specs = field_specs()
    sections = list(Settings.model_fields)
    tabs = st.tabs([SECTION_TITLES.get(name, name) for name in sections], key="settings_tabs")
    for tab, section in zip(tabs, sections, strict=True):
        with tab:
            description = Settings.model_fields[section].description or ""
            st.caption(f"Раздел `{section}` — {SECTION_TITLES.get(section, description)}")
            for spec in specs:
                if spec.section == section:
                    field_widget(spec, disabled)


def form_values() -> dict[str, dict[str, Any]]:
    """The form's current values as {section: {key: value}} (input for validate_settings)."""
    raw: dict[str, dict[str, Any]] = {}
    for spec in field_specs():
        raw.setdefault(spec.section, {})[spec.name] = st.session_state.get(spec.widget_key)
    return raw


def _shown(value: Any) -> str:
    """A value as text for the diff table."""
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or "(пусто)"
    return str(value)


def changes_frame(changes: list[Change]) -> pd.DataFrame:
    """Diff table: key, old value, new value."""
    return pd.DataFrame(
        [{"Настройка": change.key, "Было": _shown(change.old), "Стало": _shown(change.new)} for change in changes],
        columns=["Настройка", "Было", "Стало"],
    )
