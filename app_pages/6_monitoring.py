"""Мониторинг: volume and flag rate per category over time, who scored the ads (scored_by) and the latest ones,
score drift (PSI) per model version, moderators' throughput and agreement, export of their decisions."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from core.config import Settings
from core.engine.predict import Predictor
from core.lifecycle.data import DataError
from core.ops import monitoring, review_queue
from ui import resources
from ui.auth import require_page
from ui.monitoring_view import recent_rows, scorer_counts, source_label
from ui.ru_format import exact_decimal, ru_int, ru_percent, ru_table

PERIODS = {
    "24 часа": timedelta(hours=24),
    "7 дней": timedelta(days=7),
    "30 дней": timedelta(days=30),
    "Всё время": None,
}
FREQUENCIES = {"По часам": "h", "По дням": "D", "По неделям": "W"}
PERIOD_FORMATS = {"h": "%d.%m %H:00", "D": "%d.%m.%Y", "W": "нед. с %d.%m.%Y"}
STATUS_LIGHTS = {
    "ok": "🟢 стабильно",
    "warn": "🟡 умеренный сдвиг",
    "alert": "🔴 сильный сдвиг",
    "few": "⚪ мало данных",
}
NO_CATEGORY = "(без категории)"
EMPTY_HELP = (
    "Журнал пока пуст: ни одно объявление ещё не оценено. Сюда попадает каждое объявление, "
    "которое оценила модель: на странице проверки, при пакетной проверке CSV, командой "
    "`python -m core predict` и через API-сервер `python -m core serve`. "
    "Оцените несколько объявлений — и здесь появятся объёмы, доля флагов по категориям, "
    "распределение оценок, дрейф относительно обучающих данных и согласие модераторов с моделью."
)


def _category_label(value: object) -> str:
    """Category name for charts; empty becomes a readable placeholder."""
    text = str(value or "")
    return text if text else NO_CATEGORY


def _since(period: str) -> str | None:
    """Log timestamp (same text format as the log) for the start of the chosen period."""
    span = PERIODS[period]
    if span is None:
        return None
    return (datetime.now(UTC) - span).strftime("%Y-%m-%d %H:%M:%S.%f")


def _volume_charts(log: pd.DataFrame, freq: str) -> None:
    """Stacked volume and flag-rate lines per category over time (periods as labels, oldest first)."""
    volume = monitoring.volume_by_category(log, freq)
    volume["category"] = volume["category"].map(_category_label)
    volume["label"] = volume["period"].dt.strftime(PERIOD_FORMATS[freq])
    order = {"label": list(dict.fromkeys(volume.sort_values("period")["label"]))}
    labels = {"label": "Период (UTC)", "ads": "Объявлений", "flag_rate": "Доля с контактом", "category": "Категория"}
    left, right = st.columns(2)
    figure = px.bar(
        volume, x="label", y="ads", color="category", category_orders=order, labels=labels, title="Объём по категориям"
    )
    left.plotly_chart(figure, key="monitoring_volume_chart")
    figure = px.line(
        volume,
        x="label",
        y="flag_rate",
        color="category",
        markers=True,
        category_orders=order,
        labels=labels,
        title="Доля объявлений с контактом",
    )
    figure.update_yaxes(tickformat=".0%", range=[0, 1])
    figure.update_layout(separators=", ")
    right.plotly_chart(figure, key="monitoring_flag_rate_chart")


def _summary_table(log: pd.DataFrame) -> None:
    """Per-category totals."""
    summary = monitoring.category_summary(log)
    summary["last"] = summary["last"].str.slice(0, 19)
    summary["category"] = summary["category"].map(
        lambda value: "Все категории" if value == monitoring.ALL_CATEGORIES else _category_label(value)
    )
    st.dataframe(
        ru_table(
            summary[["category", "ads", "flagged", "flag_rate", "mean_score", "last"]],
            digits=3,
            percent=["flag_rate"],
            integers=["ads", "flagged"],
        ),
        key="monitoring_summary_table",
        hide_index=True,
        column_config={
            "category": "Категория",
            "ads": "Объявлений",
            "flagged": "С контактом",
            "flag_rate": "Доля с контактом",
            "mean_score": "Средняя оценка",
            "last": "Последняя оценка (UTC)",
        },
    )


def _scorers(log: pd.DataFrame) -> None:
    """Ads per scorer (moderator login, cli:<user>, the API server) and the latest scored ads with who scored them."""
    st.dataframe(
        ru_table(scorer_counts(log), percent=["flag_rate"], integers=["ads", "flagged"]),
        key="monitoring_scorers_table",
        hide_index=True,
        column_config={
            "scorer": "Кем проверено",
            "ads": "Объявлений",
            "flagged": "С контактом",
            "flag_rate": "Доля с контактом",
            "last": "Последняя оценка (UTC)",
        },
    )
    st.caption("Последние оценённые объявления, новые сверху:")
    st.dataframe(
        ru_table(recent_rows(log), digits=3),
        key="monitoring_recent_table",
        hide_index=True,
        column_config={
            "scored_at": "Когда (UTC)",
            "source": "Источник",
            "scored_by": "Кем проверено",
            "category": "Категория",
            "probability": "Оценка",
            "verdict": "Вердикт",
            "model_version": "Версия модели",
        },
    )


def _score_histogram(log: pd.DataFrame, threshold: float) -> None:
    """Histogram of the logged probabilities with the threshold marked."""
    histogram = monitoring.score_distribution(log, bins=20)
    figure = go.Figure(
        go.Bar(
            x=(histogram["left"] + histogram["right"]) / 2,
            y=histogram["ads"],
            width=histogram["right"] - histogram["left"],
            marker_color="#5c6bc0",
            hovertemplate="оценка %{x:.2f}: %{y} объявлений<extra></extra>",
        )
    )
    figure.add_vline(
        x=threshold, line_dash="dash", line_color="#c62828", annotation_text=f"порог {exact_decimal(threshold)}"
    )
    figure.update_layout(
        title="Распределение оценок модели",
        xaxis_title="Вероятность контакта",
        yaxis_title="Объявлений",
        separators=", ",
    )
    figure.update_xaxes(range=[0, 1])
    st.plotly_chart(figure, key="monitoring_score_histogram")


def _logged_versions(log: pd.DataFrame) -> list[str]:
    """Model versions in the log, the most recently used first."""
    versions = log["model_version"].dropna().astype(str)
    versions = versions[versions != ""]
    return list(dict.fromkeys(reversed(versions.tolist())))


def _drift(log: pd.DataFrame, settings: Settings) -> None:
    """PSI per category of the chosen model version's scores against its scores on the validation split."""
    versions = _logged_versions(log)
    if not versions:
        st.info("В журнале нет номера версии модели — дрейф считать не с чем.", icon="ℹ️")
        return
    version = st.selectbox(
        "Версия модели",
        versions,
        index=0,
        key="monitoring_drift_version",
        format_func=lambda value: f"версия {value}" + (" (последняя в журнале)" if value == versions[0] else ""),
        help="Дрейф считается по оценкам выбранной версии и её же оценкам на валидационной выборке.",
    )
    try:
        reference = monitoring.reference_distribution(settings, version, predictor=_predictor(settings, version))
    except (DataError, FileNotFoundError, OSError, LookupError) as error:
        st.info(
            f"Нет эталонного распределения для версии {version}: {error}. "
            "Эталон — оценки модели на валидационной выборке; подготовьте данные командой `python -m core prepare`.",
            icon="ℹ️",
        )
        return
    rows = log[log["model_version"].astype(str) == version]
    drift = monitoring.drift_by_category(rows, reference)
    drift["category"] = drift["category"].map(
        lambda value: "Все категории" if value == monitoring.ALL_CATEGORIES else _category_label(value)
    )
    drift["light"] = drift["status"].map(STATUS_LIGHTS)
    st.caption(
        f"Версия модели {version}; эталон — её оценки на выборке «{reference.get('split', '')}» "
        f"({ru_int(reference.get('ads', 0))} объявлений), {len(reference['edges']) - 1} интервалов. "
        f"PSI < {exact_decimal(monitoring.PSI_WARN, 1)} — стабильно, до {exact_decimal(monitoring.PSI_ALERT, 1)}"
        " — умеренный сдвиг, выше — сильный; "
        f"меньше {monitoring.MIN_DRIFT_ADS} объявлений — мало данных."
    )
    left, right = st.columns(2)
    colors = {"ok": "#2e7d32", "warn": "#f9a825", "alert": "#c62828", "few": "#9e9e9e"}
    figure = go.Figure(
        go.Bar(
            x=drift["psi"].fillna(0.0),
            y=drift["category"],
            orientation="h",
            marker_color=[colors[status] for status in drift["status"]],
            hovertemplate="%{y}: PSI %{x:.3f}<extra></extra>",
        )
    )
    figure.add_vline(x=monitoring.PSI_WARN, line_dash="dot", line_color="#f9a825")
    figure.add_vline(x=monitoring.PSI_ALERT, line_dash="dot", line_color="#c62828")
    figure.update_layout(title="Дрейф оценок (PSI) по категориям", xaxis_title="PSI", yaxis_title="", separators=", ")
    left.plotly_chart(figure, key="monitoring_psi_chart")
    right.dataframe(
        ru_table(drift[["category", "light", "psi", "ads"]], digits=3, integers=["ads"]),
        key="monitoring_psi_table",
        hide_index=True,
        column_config={"category": "Категория", "ads": "Объявлений", "psi": "PSI", "light": "Состояние"},
    )


def _predictor(settings: Settings, version: str) -> Predictor:
    """The predictor of a logged version (cached by ui.resources), for the reference scores."""
    model, problem = resources.served_model(settings, version)
    if model is None:
        raise LookupError(problem)
    return model.predictor


def _agreement(log: pd.DataFrame) -> None:
    """Share of the model's verdicts that moderators confirmed, per category."""
    agreement = monitoring.agreement_by_category(log)
    if agreement.empty:
        st.info(
            "Модераторы ещё не подтвердили и не отклонили ни одного решения модели "
            "(кнопки «Подтвердить» и «Отклонить» на странице проверки).",
            icon="ℹ️",
        )
        return
    agreement["category"] = agreement["category"].map(
        lambda value: "Все категории" if value == monitoring.ALL_CATEGORIES else _category_label(value)
    )
    st.dataframe(
        ru_table(agreement, percent=["agreement"], integers=["decided", "confirmed", "rejected"]),
        key="monitoring_agreement_table",
        hide_index=True,
        column_config={
            "category": "Категория",
            "decided": "Решений модераторов",
            "confirmed": "Подтверждено",
            "rejected": "Отклонено",
            "agreement": "Согласие",
        },
    )


def _moderators(settings: Settings, since: str | None, sources: list[str]) -> None:
    """Per moderator: decisions, ads per hour, median time per ad and agreement with the model."""
    decisions = monitoring.read_decisions(settings.monitoring, since=since)
    decisions = decisions[decisions["source"].isin(sources)]
    stats = review_queue.moderator_stats(decisions)
    if stats.empty:
        st.info("За выбранный период модераторы не приняли ни одного решения.", icon="ℹ️")
        return
    stats["moderator"] = stats["moderator"].map(lambda name: name or "(без имени)")
    st.dataframe(
        ru_table(
            stats[["moderator", "decisions", "ads_per_hour", "median_seconds", "agreement", "last"]],
            digits=1,
            percent=["agreement"],
            integers=["decisions"],
        ),
        key="monitoring_moderators_table",
        hide_index=True,
        column_config={
            "moderator": "Модератор",
            "decisions": "Решений",
            "ads_per_hour": st.column_config.NumberColumn(
                "Объявлений в час", help="Решения, делённые на время от первого взятого до последнего решённого"
            ),
            "median_seconds": st.column_config.NumberColumn(
                "Медиана на объявление, с", help="От взятия объявления из очереди (или проверки) до решения"
            ),
            "agreement": st.column_config.NumberColumn("Согласие с моделью", help="Доля подтверждённых вердиктов"),
            "last": "Последнее решение (UTC)",
        },
    )


def _export(settings: Settings, decided: int) -> None:
    """Button that writes the moderators' decisions as labelled training data and offers the file as a download."""
    clicked = st.button(
        "Выгрузить решения модераторов для дообучения",
        key="monitoring_export",
        disabled=decided == 0,
        help=f"Запишет CSV в {settings.data.feedback_path} и предложит скачать его; "
        "следующий `make retrain` добавит его к обучающей выборке.",
    )
    if clicked:
        try:
            result = monitoring.export_confirmed(settings)
            st.session_state["monitoring_export_file"] = (
                str(result.path),
                monitoring.feedback_csv_bytes(result.path) if result.rows else b"",
            )
        except (sqlite3.Error, OSError, DataError) as error:
            st.error(f"Не удалось выгрузить: {error}", icon="🛑")
            return
        if result.rows:
            st.success(f"Записано объявлений: {ru_int(result.rows)} → {result.path}", icon="✅")
        if result.skipped_without_text:
            st.warning(
                "Пропущено решений без сохранённого текста объявления (приняты до того, как решения стали "
                f"хранить текст): {ru_int(result.skipped_without_text)}.",
                icon="⚠️",
            )
        if not result.rows and not result.skipped_without_text:
            st.info("Нет решений для выгрузки.", icon="ℹ️")
    exported = st.session_state.get("monitoring_export_file")
    if exported and exported[1]:
        st.download_button(
            "Скачать выгрузку (CSV)",
            exported[1],
            file_name=Path(exported[0]).name,
            mime="text/csv",
            key="monitoring_export_download",
            on_click="ignore",
        )


user = require_page("monitoring")
context = resources.page_start("Мониторинг", needs_registry=False)  # the log is read without MLflow
settings = context.settings
if not settings.monitoring.enabled:
    st.warning("Журнал оценок выключен (monitoring.enabled = false): новые объявления не записываются.", icon="⚠️")

controls = st.columns(3)
period = controls[0].selectbox("Период", list(PERIODS), index=1, key="monitoring_period")
frequency = controls[1].selectbox("Шаг графиков", list(FREQUENCIES), index=1, key="monitoring_frequency")
try:
    log = monitoring.read_log(settings.monitoring, since=_since(period))
except (sqlite3.Error, OSError) as error:
    st.error(f"Не удалось прочитать журнал {monitoring.db_path(settings.monitoring)}: {error}", icon="🛑")
    st.stop()
sources = sorted(log["source"].dropna().unique()) if not log.empty else []
chosen = controls[2].multiselect(
    "Источники",
    sources,
    default=sources,
    format_func=source_label,
    key="monitoring_sources",
)
log = log[log["source"].isin(chosen)] if not log.empty else log

if log.empty:
    st.info(EMPTY_HELP, icon="📭")
    st.stop()

decided = int(log["decision"].isin(["confirm", "reject"]).sum())
agreement_all = monitoring.agreement_by_category(log)
metrics = st.columns(4)
metrics[0].metric("Оценено объявлений", ru_int(len(log)))
metrics[1].metric("Доля с контактом", ru_percent(log["verdict"].mean()))
metrics[2].metric("Решений модераторов", ru_int(decided))
metrics[3].metric(
    "Согласие модераторов", ru_percent(agreement_all["agreement"].iloc[-1], 0) if not agreement_all.empty else "—"
)

st.subheader("Объём и доля флагов")
_volume_charts(log, FREQUENCIES[frequency])
_summary_table(log)
st.subheader("Кем проверено")
_scorers(log)
st.subheader("Оценки модели")
_score_histogram(log, settings.app.threshold)
st.subheader("Дрейф относительно обучающих данных")
_drift(log, settings)
st.subheader("Согласие модераторов с моделью")
_agreement(log)
st.subheader("Работа модераторов")
_moderators(settings, _since(period), chosen)
st.subheader("Обратная связь для дообучения")
_export(settings, decided)
