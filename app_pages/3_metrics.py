"""Метрики: compare training runs per category, ROC curves, thresholds, span quality and params."""

from __future__ import annotations

import plotly.express as px
import streamlit as st

from core.config import resolve_path
from core.data import DataError
from core.metrics import threshold_table
from core.tracking import NoModelError
from ui import metrics_view as mv
from ui import resources
from ui.auth import require_page

EMPTY_HELP = (
    "В хранилище MLflow ещё нет ни одного запуска обучения. Обучите первую модель:\n\n"
    "```\nmake run\n```\n\nили по шагам\n\n```\npython -m core prepare\npython -m core train\n```\n\n"
    "После этого здесь появятся метрики по категориям, ROC-кривые и параметры запусков."
)

user = require_page("metrics")
context = resources.page_start("Метрики")
settings = context.settings
store_key = resources.tracking_key(settings.tracking)
runs = resources.training_runs(store_key, settings.train.experiment, settings)
if runs.empty:
    st.info(EMPTY_HELP, icon=":material/info:")
    st.stop()

labels = mv.run_labels(runs)
chosen_ids = st.multiselect(
    "Запуски для сравнения",
    list(labels),
    default=list(labels)[:2],
    format_func=labels.__getitem__,
    key="metrics_runs",
)
if not chosen_ids:
    st.info("Выберите хотя бы один запуск.")
    st.stop()
chosen = runs[runs["run_id"].isin(chosen_ids)].set_index("run_id").loc[chosen_ids].reset_index()
chosen_labels = {run_id: labels[run_id] for run_id in chosen_ids}

st.dataframe(mv.summary_table(chosen, chosen_labels).round(4), key="metrics_summary")

tuned = {entry["name"]: bool(entry["tuned"]) for entry in settings.evaluate.handwritten_sets}
handwritten = mv.handwritten_table(chosen, chosen_labels, tuned)
if not handwritten.empty:
    st.markdown("**Ручные наборы**")
    st.caption(
        "Объявления, написанные людьми. На наборах с подстройкой правила настраивались, их оценка завышена; "
        "честная оценка для новых объявлений — наборы без подстройки."
    )
    st.dataframe(handwritten.round(4), hide_index=True, key="metrics_handwritten")

parts = mv.parts_present(chosen) or ["synthetic"]
part = st.radio(
    "Набор для оценки",
    parts,
    format_func=lambda name: mv.part_label(name, tuned.get(name)),
    horizontal=True,
    key="metrics_part",
)

tabs = st.tabs(["ROC-AUC по категориям", "ROC-кривые", "Порог", "Контакты в тексте", "Параметры"], key="metrics_tabs")

with tabs[0]:
    long = mv.category_auc_long(chosen, chosen_labels, part)
    if long.empty:
        st.caption("У выбранных запусков нет ROC-AUC по категориям.")
    else:
        chart = px.bar(
            long,
            x="category",
            y="auc",
            color="run",
            barmode="group",
            labels={"category": "Категория", "auc": "ROC-AUC", "run": "Запуск"},
        )
        low = max(0.0, float(long["auc"].min()) - 0.05)
        chart.update_layout(
            yaxis_range=[low, 1.0],
            height=420,
            margin={"t": 40},
            legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "title": None},
        )
        st.plotly_chart(chart, key="metrics_auc_chart")

with tabs[1]:
    roc_run = st.selectbox("Запуск", chosen_ids, format_func=chosen_labels.__getitem__, key="metrics_roc_run")
    report = resources.run_json(store_key, roc_run, "evaluation.json", settings.tracking)
    if not report or part not in report:
        st.info(
            "У этого запуска нет отчёта evaluation.json с ROC-точками для выбранного набора "
            "(его записывает `python -m core train`)."
        )
    else:
        categories = sorted(report[part].get("roc", {}))
        shown = st.multiselect(
            "Категории", categories, default=categories, key="metrics_roc_categories", placeholder="Все категории"
        )
        curves = mv.roc_long(report, part, shown)
        chart = px.line(
            curves,
            x="fpr",
            y="tpr",
            color="category",
            hover_data={"threshold": ":.3f"},
            labels={"fpr": "Доля ложных срабатываний (FPR)", "tpr": "Полнота (TPR)", "category": "Категория"},
        )
        chart.add_shape(type="line", x0=0, y0=0, x1=1, y1=1, line={"dash": "dot", "color": "#999"})
        chart.update_layout(height=480, xaxis_range=[0, 1], yaxis_range=[0, 1.01])
        st.plotly_chart(chart, key="metrics_roc_chart")

with tabs[2]:
    threshold = st.slider("Порог", 0.0, 1.0, float(settings.app.threshold), step=0.01, key="metrics_threshold")
    threshold_run = st.selectbox(
        "Запуск", chosen_ids, format_func=chosen_labels.__getitem__, key="metrics_threshold_run"
    )
    report = resources.run_json(store_key, threshold_run, "evaluation.json", settings.tracking)
    st.markdown("**По точкам ROC** (полнота и доля ложных срабатываний, приблизительно):")
    by_roc = mv.roc_threshold_table(report, part, threshold)
    if by_roc.empty:
        st.caption("У запуска нет ROC-точек для выбранного набора.")
    else:
        st.dataframe(
            by_roc.rename(columns={"category": "Категория", "recall": "Полнота", "fpr": "FPR"}).round(3),
            hide_index=True,
            key="metrics_threshold_roc",
        )
    st.markdown("**Точно, пересчётом тестовой выборки моделью запуска** (точность, полнота, доля отмеченных):")
    requested = st.session_state.setdefault("metrics_rescored_runs", set())
    if st.button("Пересчитать на тестовой выборке", key="metrics_rescore"):
        requested.add(threshold_run)
    if threshold_run in requested:
        split_path = resolve_path(settings.data.prepared_dir) / "test.csv"
        try:
            scored = resources.rescored_test_split(
                store_key,
                threshold_run,
                str(split_path),
                split_path.stat().st_mtime_ns if split_path.exists() else 0,
                settings,
            )
        except (DataError, NoModelError) as error:
            st.error(f"Не удалось пересчитать: {error}")
        else:
            table = threshold_table(scored, threshold)
            st.dataframe(
                table.rename(
                    columns={
                        "category": "Категория",
                        "ads": "Объявлений",
                        "flag_rate": "Доля отмеченных",
                        "precision": "Точность",
                        "recall": "Полнота",
                    }
                ).round(3),
                hide_index=True,
                key="metrics_threshold_exact",
            )
            flagged = float((scored["prediction"] >= threshold).mean())
            st.caption(f"Всего {len(scored)} объявлений; при пороге {threshold:.2f} отмечено {flagged:.1%}.")

with tabs[3]:
    st.markdown("**Совпадение найденных контактов с разметкой**")
    st.dataframe(mv.span_table(chosen, chosen_labels, part).round(4), key="metrics_spans")
    found = mv.found_by_disguise_long(chosen, chosen_labels, part)
    if not found.empty:
        chart = px.bar(
            found,
            x="disguise",
            y="found",
            color="run",
            barmode="group",
            labels={"disguise": "Маскировка", "found": "Доля найденных", "run": "Запуск"},
        )
        chart.update_layout(
            yaxis_tickformat=".0%",
            height=420,
            margin={"t": 40},
            legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "title": None},
        )
        st.plotly_chart(chart, key="metrics_found_chart")
    slice_run = st.selectbox(
        "Запуск для таблицы по видам маскировки",
        chosen_ids,
        format_func=chosen_labels.__getitem__,
        key="metrics_slice_run",
    )
    slices = mv.slices_table(resources.run_json(store_key, slice_run, "evaluation.json", settings.tracking), part)
    if slices.empty:
        st.caption("У запуска нет таблицы по видам маскировки.")
    else:
        st.dataframe(
            slices.rename(
                columns={
                    "disguise": "Маскировка",
                    "spans": "Контактов",
                    "found": "Найдено",
                    "char_recall": "Полнота по символам",
                    "auc_vs_clean": "AUC против чистых",
                }
            ).round(3),
            hide_index=True,
            key="metrics_slices",
        )

with tabs[4]:
    show_all = st.toggle("Показать все параметры", key="metrics_params_all")
    diff = mv.params_diff(chosen, chosen_labels, only_different=not show_all)
    if len(chosen_ids) < 2 and not show_all:
        st.caption("Выберите два запуска или больше, чтобы увидеть различия параметров.")
    elif diff.empty:
        st.caption("Параметры выбранных запусков совпадают.")
    else:
        st.dataframe(diff.astype(str), key="metrics_params")
