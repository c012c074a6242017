"""Метрики: compare training runs per category, two runs side by side, ROC curves, thresholds, changed ads."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import streamlit as st

from core.engine.spans import spans_from_json
from core.lifecycle.data import DataError
from core.lifecycle.golden import GoldenFormatError
from core.lifecycle.tracking import NoModelError, StoreUnreachableError
from ui import metrics_view as mv
from ui import resources
from ui.auth import require_page
from ui.messages import in_russian
from ui.render import disguise_label, show_highlighted
from ui.ru_format import compared_to, exact_decimal, ru_int, ru_percent, ru_table
from ui.ru_widgets import ru_decimal_slider

EMPTY_HELP = (
    "В хранилище MLflow ещё нет ни одного запуска обучения. Обучите первую модель:\n\n"
    "```\nmake run\n```\n\nили по шагам\n\n```\npython -m core prepare\npython -m core train\n```\n\n"
    "После этого здесь появятся метрики по категориям, ROC-кривые и параметры запусков."
)
SCORED_KEY = "metrics_scored"  # (run_id, set) pairs whose ads the user asked to score
SCORING_ERRORS = (DataError, NoModelError, GoldenFormatError, FileNotFoundError, ValueError, StoreUnreachableError)
LEGEND = {"orientation": "h", "y": 1.02, "yanchor": "bottom", "title": None}

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
short = mv.short_run_labels(runs)  # run names for table headers and chart legends
chosen_short = {run_id: short[run_id] for run_id in chosen_ids}

st.dataframe(ru_table(mv.summary_table(chosen, chosen_short)), width="stretch", key="metrics_summary")

tuned = {entry["name"]: bool(entry["tuned"]) for entry in settings.evaluate.handwritten_sets}
handwritten = mv.handwritten_table(chosen, chosen_short, tuned)
if not handwritten.empty:
    st.markdown("**Ручные наборы**")
    st.caption(
        "Объявления, написанные людьми. На наборах с подстройкой правила настраивались, их оценка завышена; "
        "честная оценка для новых объявлений — наборы без подстройки."
    )
    st.dataframe(ru_table(handwritten), hide_index=True, width="stretch", key="metrics_handwritten")

parts = mv.parts_present(chosen) or [mv.SYNTHETIC]
part = st.radio(
    "Набор для оценки",
    parts,
    format_func=lambda name: mv.part_label(name, tuned.get(name)),
    horizontal=True,
    key="metrics_part",
)
part_name = mv.set_name(part)

st.markdown("**Два запуска для сравнения** (изменение = B − A)")
all_ids = list(labels)
left, right = st.columns(2)
before = left.selectbox(
    "Запуск A (было)",
    all_ids,
    index=all_ids.index(chosen_ids[1] if len(chosen_ids) > 1 else chosen_ids[0]),
    format_func=labels.__getitem__,
    key="metrics_before",
)
after = right.selectbox(
    "Запуск B (стало)",
    all_ids,
    index=all_ids.index(chosen_ids[0]),
    format_func=labels.__getitem__,
    key="metrics_after",
)
scored_pairs: set[tuple[str, str]] = st.session_state.setdefault(SCORED_KEY, set())


def scores_of(run_id: str) -> pd.DataFrame | None:
    """The run's scores on the selected set, or None after showing why they could not be computed."""
    try:
        return mv.run_scores(store_key, run_id, part, settings)
    except SCORING_ERRORS as error:
        reason = in_russian(error) if isinstance(error, StoreUnreachableError) else error
        st.error(f"Не удалось оценить набор «{part_name}» моделью запуска {labels[run_id]}: {reason}")
        return None


tabs = st.tabs(
    [
        "ROC-AUC по категориям",
        "Изменения A → B",
        "ROC-кривые A и B",
        "Порог",
        "Изменившиеся оценки",
        "Контакты в тексте",
        "Параметры",
    ],
    key="metrics_tabs",
)

with tabs[0]:
    long = mv.category_auc_long(chosen, chosen_short, part)
    if long.empty:
        st.caption("У выбранных запусков нет ROC-AUC по категориям.")
    else:
        long["run"] = long["run"].map(mv.plot_label)
        chart = px.bar(
            long,
            x="category",
            y="auc",
            color="run",
            barmode="group",
            labels={"category": "Категория", "auc": "ROC-AUC", "run": "Запуск"},
        )
        low = max(0.0, float(long["auc"].min()) - 0.05)
        chart.update_layout(yaxis_range=[low, 1.0], height=420, margin={"t": 40}, legend=LEGEND, separators=", ")
        st.plotly_chart(chart, key="metrics_auc_chart")

with tabs[1]:
    if before == after:
        st.info("Выберите два разных запуска A и B.")
    else:
        changes = mv.change_table(runs, before, after)
        if changes.empty:
            st.caption("У этих запусков нет ROC-AUC по категориям.")
        else:
            st.caption(
                f"A — {labels[before]}; B — {labels[after]}. Все наборы, которые записали запуски; "
                "сначала самые сильные падения. Щёлкните по заголовку столбца, чтобы отсортировать по нему."
            )
            st.dataframe(
                ru_table(changes, signed=["Изменение"]), hide_index=True, width="stretch", key="metrics_changes"
            )

with tabs[2]:
    reports = {
        f"{name}: {label}": resources.run_json(store_key, run_id, "evaluation.json", settings.tracking)
        for name, label, run_id in ((mv.BEFORE, short[before], before), (mv.AFTER, short[after], after))
    }
    categories = mv.roc_categories(list(reports.values()), part)
    if not categories:
        st.info(
            f"У запусков A и B нет отчёта evaluation.json с ROC-точками для набора «{part_name}» "
            "(его записывает `python -m core train`)."
        )
    else:
        category = st.selectbox("Категория", categories, key="metrics_roc_category")
        curves = mv.roc_overlay_long(reports, part, category)
        chart = px.line(
            curves,
            x="fpr",
            y="tpr",
            color="run",
            color_discrete_sequence=["#1f5fbf", "#d9480f"],
            hover_data={"threshold": ":.3f"},
            labels={
                "fpr": "Доля ложных срабатываний (FPR)",
                "tpr": "Полнота (TPR)",
                "run": "Запуск",
                "threshold": "Порог",
            },
        )
        chart.add_shape(type="line", x0=0, y0=0, x1=1, y1=1, line={"dash": "dot", "color": "#999"})
        chart.update_layout(height=480, xaxis_range=[0, 1], yaxis_range=[0, 1.01], legend=LEGEND, separators=", ")
        st.plotly_chart(chart, key="metrics_roc_chart")
        st.caption(f"Набор «{part_name}», категория «{category}»: кривые запусков A и B на одном графике.")

with tabs[3]:
    threshold = ru_decimal_slider("Порог", 0.0, 1.0, float(settings.app.threshold), 0.001, 3, "metrics_threshold")
    threshold_run = st.selectbox(
        "Запуск", chosen_ids, format_func=chosen_labels.__getitem__, key="metrics_threshold_run"
    )
    st.caption(
        f"Точность, полнота и доля отмеченных считаются по оценкам каждого объявления набора «{part_name}», "
        "которые даёт модель запуска."
    )
    if st.button(f"Посчитать на наборе «{part_name}»", key="metrics_rescore"):
        scored_pairs.add((threshold_run, part))
    if (threshold_run, part) in scored_pairs and (scored := scores_of(threshold_run)) is not None:
        table = mv.exact_threshold_table(scored, threshold)
        st.dataframe(
            ru_table(table, digits=3, percent=["Доля отмеченных"], integers=["Объявлений"]),
            hide_index=True,
            width="stretch",
            key="metrics_threshold_exact",
        )
        flagged = float((scored["prediction"] >= threshold).mean())
        st.caption(
            f"Всего {ru_int(len(scored))} объявл.; при пороге {exact_decimal(threshold)} "
            f"отмечено {ru_percent(flagged)}."
        )

with tabs[4]:
    if before == after:
        st.info("Выберите два разных запуска A и B.")
    else:
        st.caption(
            f"Объявления набора «{part_name}», оценённые моделями запусков A и B; сначала те, чья оценка "
            "изменилась сильнее всего. Выберите строку, чтобы увидеть объявление с найденными контактами."
        )
        if st.button(f"Оценить набор «{part_name}» моделями A и B", key="metrics_score_changes"):
            scored_pairs.update({(before, part), (after, part)})
        if {(before, part), (after, part)} <= scored_pairs:
            first, second = scores_of(before), scores_of(after)
            if first is not None and second is not None:
                top = st.number_input("Сколько объявлений показать", 1, 500, 20, key="metrics_changed_top")
                changed = mv.score_changes(first, second)
                table = mv.changed_ads_table(changed, int(top))
                picked = st.dataframe(
                    ru_table(table, digits=3, signed=["Изменение"]),
                    hide_index=True,
                    width="stretch",
                    on_select="rerun",
                    selection_mode="single-row",
                    column_config={
                        name: st.column_config.Column(width=width) for name, width in mv.CHANGED_ADS_WIDTHS.items()
                    },
                    key="metrics_changed_ads",
                )
                rows = picked.selection.rows if picked is not None else []
                shown = changed.iloc[rows[0] if rows else 0]
                st.markdown(
                    f"**Оценка {mv.BEFORE}: {compared_to(shown['before'], threshold)} → "
                    f"{mv.AFTER}: {compared_to(shown['after'], threshold)}** "
                    f"(порог {exact_decimal(threshold)})"
                )
                columns = st.columns(2)
                for column, name, contacts in (
                    (columns[0], mv.BEFORE, shown["contacts_before"]),
                    (columns[1], mv.AFTER, shown["contacts_after"]),
                ):
                    with column:
                        st.caption(f"Контакты, найденные моделью {name}")
                        show_highlighted(shown["description"], spans_from_json(contacts), shown["title"])

with tabs[5]:
    st.markdown("**Совпадение найденных контактов с разметкой**")
    st.dataframe(ru_table(mv.span_table(chosen, chosen_short, part)), width="stretch", key="metrics_spans")
    found = mv.found_by_disguise_long(chosen, chosen_short, part)
    if not found.empty:
        found["disguise"] = found["disguise"].map(disguise_label)
        found["run"] = found["run"].map(mv.plot_label)
        chart = px.bar(
            found,
            x="disguise",
            y="found",
            color="run",
            barmode="group",
            labels={"disguise": "Маскировка", "found": "Доля найденных", "run": "Запуск"},
        )
        chart.update_layout(yaxis_tickformat=".0%", height=460, margin={"t": 40}, legend=LEGEND, separators=", ")
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
        slices["disguise"] = slices["disguise"].map(disguise_label)
        st.dataframe(
            ru_table(
                slices.rename(
                    columns={
                        "disguise": "Маскировка",
                        "spans": "Контактов",
                        "found": "Найдено",
                        "char_recall": "Полнота по символам",
                        "auc_vs_clean": "AUC против чистых",
                    }
                ),
                digits=3,
                integers=["Контактов"],
            ),
            hide_index=True,
            width="stretch",
            key="metrics_slices",
        )

with tabs[6]:
    show_all = st.toggle("Показать все параметры", key="metrics_params_all")
    diff = mv.params_diff(chosen, chosen_short, only_different=not show_all)
    if len(chosen_ids) < 2 and not show_all:
        st.caption("Выберите два запуска или больше, чтобы увидеть различия параметров.")
    elif diff.empty:
        st.caption("Параметры выбранных запусков совпадают.")
    else:
        st.dataframe(diff.astype(str), width="stretch", key="metrics_params")
