"""Пакетная проверка: score an uploaded CSV, filter and preview the results, download them."""

from __future__ import annotations

import sqlite3

import plotly.express as px
import streamlit as st

from core import monitoring
from core.data import DataError, read_ads_csv
from core.predict import cap_text
from ui import render, resources
from ui.auth import require_page
from ui.batch import (
    VERDICT_ALL,
    VERDICT_CHOICES,
    BatchResult,
    category_summary,
    export_full,
    export_task1,
    export_task2,
    filter_results,
    format_int,
    results_table,
    score_frame,
)
from ui.messages import in_russian

STATE_KEY = "batch_result"
TABLE_LIMIT = 10_000
PREVIEW_LIMIT = 300

user = require_page("batch")
context = resources.page_start("Пакетная проверка")
settings = context.settings
model = resources.model_or_stop(context)
limits = settings.app
st.caption(
    "CSV в формате площадки: title, description, subcategory, category, price, region, city, "
    f"datetime_submitted (и необязательные index, is_bad). Не больше {limits.max_upload_mb} МБ "
    f"и {format_int(limits.max_rows)} строк. У заголовков и описаний длиннее "
    f"{format_int(settings.detect.max_chars)} символов проверяется только начало этой длины."
)
uploaded = st.file_uploader(
    "CSV-файл с объявлениями", type=["csv"], key="batch_file", max_upload_size=limits.max_upload_mb
)

if uploaded is None:
    st.session_state.pop(STATE_KEY, None)
    st.info("Загрузите CSV-файл, чтобы проверить объявления.")
    st.stop()

key = (uploaded.file_id, model.predictor.version, settings.detect.max_chars)  # a new limit scores the file again
batch: BatchResult | None = st.session_state.get(STATE_KEY)
if batch is None or batch.key != key:
    st.session_state.pop(STATE_KEY, None)
    try:
        frame, report = read_ads_csv(
            uploaded.getvalue(), max_rows=limits.max_rows, max_bytes=limits.max_upload_mb * 1024 * 1024
        )
    except DataError as error:
        lines = "\n".join(f"- {render.markdown_escape(in_russian(problem))}" for problem in error.problems)
        st.error(f"Файл «{render.markdown_escape(uploaded.name)}» не принят:\n\n{lines}", icon=":material/error:")
        st.stop()
    if frame.empty:
        st.warning("В файле нет объявлений.")
        st.stop()
    bar = st.progress(0.0, text="Проверяю объявления…")

    def show_progress(done: int, total: int, rate: float) -> None:
        """Move the progress bar and show the speed."""
        bar.progress(done / total, text=f"Проверено {format_int(done)} из {format_int(total)} · {rate:,.0f} объявл./с")

    max_chars = settings.detect.max_chars
    result, seconds = score_frame(model.predictor, frame, limits.batch_size, show_progress, max_chars=max_chars)
    batch = BatchResult(
        key, uploaded.name, frame, result, seconds, model.predictor.version, report.warnings, max_chars=max_chars
    )
    with st.spinner("Записываю в журнал мониторинга…"):
        try:
            batch.logged = len(
                monitoring.log_predictions(
                    settings.monitoring,
                    frame,
                    result,
                    source="batch",
                    model_version=model.predictor.version,
                    threshold=settings.app.threshold,
                )
            )
        except (sqlite3.Error, OSError) as error:
            batch.log_error = str(error)
    st.session_state[STATE_KEY] = batch
    bar.empty()

for warning in batch.warnings:
    st.warning(f"При чтении файла: {render.markdown_escape(in_russian(warning))}", icon=":material/warning:")
if batch.truncated:
    st.warning(
        f"{format_int(batch.truncated)} объявл. с заголовком или описанием длиннее "
        f"{format_int(batch.max_chars)} символов: проверены только первые {format_int(batch.max_chars)} символов. "
        "В полном файле результатов у них столбец truncated = True. Предел задаётся настройкой detect.max_chars.",
        icon=":material/warning:",
    )
if batch.log_error:
    st.warning(f"Проверка не записана в журнал мониторинга: {batch.log_error}")

threshold = settings.app.threshold
table = results_table(batch.frame, batch.result, threshold)
flagged = int(table["flagged"].sum())
cells = st.columns(5)
cells[0].metric("Объявлений", format_int(len(table)))
cells[1].metric("С контактом", format_int(flagged))
cells[2].metric("Доля с контактом", f"{flagged / len(table):.1%}")
cells[3].metric("Время проверки", f"{batch.seconds:.1f} с")
cells[4].metric("Объявлений в секунду", format_int(round(batch.rate)))
st.caption(
    f"Файл: {render.markdown_escape(batch.file_name)} · модель версии {batch.model_version} · порог {threshold:.2f}"
)

stem = batch.file_name.rsplit(".", 1)[0] or "ads"
downloads = (
    ("Все результаты (CSV)", lambda: export_full(batch.frame, batch.result, threshold), "results", "full"),
    ("Задача 1: index,prediction", lambda: export_task1(batch.frame, batch.result), "task1", "task1"),
    ("Задача 2: index,start,finish", lambda: export_task2(batch.frame, batch.result), "task2", "task2"),
)
for column, (label, export, suffix, key) in zip(st.columns(len(downloads)), downloads, strict=True):
    column.download_button(
        label, export, file_name=f"{stem}_{suffix}.csv", mime="text/csv", key=f"batch_download_{key}", on_click="ignore"
    )
st.caption("Ячейки, начинающиеся с = + - @, выгружаются с апострофом, чтобы таблица не выполнила их как формулу.")

st.subheader("Результаты")
left, right = st.columns([3, 1])
categories = left.multiselect(
    "Категории", sorted(table["category"].unique()), key="batch_categories", placeholder="Все категории"
)
verdict = right.selectbox("Вердикт", VERDICT_CHOICES, key="batch_verdict")
view = filter_results(table, categories, verdict)
shown = view.head(TABLE_LIMIT)
st.dataframe(
    shown,
    hide_index=True,
    key="batch_table",
    column_config={
        "row": st.column_config.NumberColumn("Строка"),
        "id": "index",
        "category": "Категория",
        "title": "Заголовок",
        "prediction": st.column_config.ProgressColumn("Вероятность", min_value=0.0, max_value=1.0, format="%.3f"),
        "flagged": st.column_config.CheckboxColumn("Контакт"),
        "n_contacts": "Контактов",
        "kinds": "Виды",
        "start": "start",
        "finish": "finish",
        "truncated": st.column_config.CheckboxColumn("Обрезано"),
    },
)
note = f"Показано {format_int(len(shown))} из {format_int(len(view))}"
if verdict != VERDICT_ALL or categories:
    note += f" (после фильтров; всего {format_int(len(table))})"
st.caption(note + ". Полный список — в файлах выше.")

st.subheader("Просмотр объявления")
candidates = view.head(PREVIEW_LIMIT)
if candidates.empty:
    st.caption("Под фильтры не попало ни одного объявления.")
else:
    labels = {
        int(row.row): f"строка {row.row} · {row.prediction:.2f} · {str(row.title)[:70]}"
        for row in candidates.itertuples()
    }
    chosen = st.selectbox(
        "Объявление (первые по вероятности)", list(labels), format_func=labels.__getitem__, key="batch_preview"
    )
    ad = batch.frame.iloc[int(chosen) - 1]
    limit = batch.max_chars or settings.detect.max_chars
    description, description_cut = cap_text(str(ad["description"]), limit)
    title, title_cut = cap_text(str(ad["title"]), limit)
    prediction = model.predictor.predict_one(
        description, title=title, category=str(ad["category"]), price=ad.get("price")
    )
    title_contacts = prediction.title_contacts
    render.show_verdict(prediction.probability, threshold)
    if description_cut or title_cut:
        st.caption(f"Текст обрезан до первых {format_int(limit)} символов — проверены и показаны только они.")
    render.show_highlighted(description, prediction.contacts, title, title_contacts)

st.subheader("Доля объявлений с контактом по категориям")
summary = category_summary(table)
chart = px.bar(
    summary,
    x="category",
    y="flag_rate",
    text=summary["flag_rate"].map(lambda v: f"{v:.0%}"),
    labels={"category": "Категория", "flag_rate": "Доля с контактом"},
)
chart.update_layout(yaxis_tickformat=".0%", height=360, margin={"t": 10, "b": 10})
st.plotly_chart(chart, key="batch_summary_chart")
