"""Пакетная проверка: score an uploaded CSV once, keep the job on disk, decide from the table, open rows."""

from __future__ import annotations

import plotly.express as px
import streamlit as st

from core.engine.predict import cap_text
from core.lifecycle.data import DataError
from core.ops.batch_jobs import content_hash
from ui import render, resources
from ui.auth import require_page
from ui.batch import (
    DECISION_LABELS,
    VERDICT_ALL,
    VERDICT_CHOICES,
    BatchResult,
    category_summary,
    decide_rows,
    export_full,
    export_task1,
    export_task2,
    filter_results,
    format_decimal,
    format_int,
    format_percent,
    format_rate,
    job_label,
    job_store,
    jobs_frame,
    open_stored,
    read_upload,
    results_table,
    score_and_store,
    stored_contacts,
    stored_title_contacts,
    uploader_css,
)
from ui.messages import in_russian

STATE_KEY = "batch_result"  # the opened job (BatchResult), kept while the session lives
UPLOAD_KEY = "batch_upload"  # (file id, model version, max_chars) of the upload already handled
CHOICE_KEY = "batch_job_choice"
TABLE_KEY = "batch_table"
SELECTED_KEY = "batch_selected_rows"  # row numbers selected in the previous run (to see which row was just clicked)
SHOWN_KEY = "batch_shown_rows"  # row numbers of the table as shown, in order (selection positions refer to it)
NOTICE_KEY = "batch_notice"
CLICKED_KEY = "batch_clicked_row"  # the row last opened by a click in the table (may lie outside the preview list)
TABLE_LIMIT = 10_000
PREVIEW_LIMIT = 300

user = require_page("batch")
context = resources.page_start("Пакетная проверка")
settings = context.settings
model = resources.model_or_stop(context)
limits = settings.app
store = job_store(settings)
threshold = settings.app.threshold


def _clear_selection() -> None:
    """Forget the table's row selection (its positions change with the filters and the job)."""
    st.session_state[TABLE_KEY] = {"selection": {"rows": [], "columns": []}}
    st.session_state[SELECTED_KEY] = []
    st.session_state.pop(CLICKED_KEY, None)


def _open(batch: BatchResult, choose: bool = True) -> None:
    """Make a job the opened one (and the job chooser's value, unless the chooser is already drawn)."""
    st.session_state[STATE_KEY] = batch
    if choose:
        st.session_state[CHOICE_KEY] = batch.job_id
    st.session_state.pop("batch_preview", None)
    _clear_selection()


def _decide(decision: str) -> None:
    """Record the decision on every selected row under the signed-in user."""
    batch: BatchResult | None = st.session_state.get(STATE_KEY)
    selection = st.session_state.get(TABLE_KEY) or {}
    positions = list((selection.get("selection") or {}).get("rows") or [])
    shown = st.session_state.get(SHOWN_KEY) or []
    rows = [shown[position] for position in positions if position < len(shown)]
    if batch is None or not rows:
        return
    outcome = decide_rows(settings, batch, [row - 1 for row in rows], decision, user.name)
    st.session_state[NOTICE_KEY] = (decision, outcome)
    _clear_selection()


def _delete(job_id: str) -> None:
    """Delete a stored job; the newest remaining one opens."""
    store.delete(job_id)
    if (current := st.session_state.get(STATE_KEY)) is not None and current.job_id == job_id:
        st.session_state.pop(STATE_KEY, None)
    st.session_state.pop(CHOICE_KEY, None)
    st.session_state[NOTICE_KEY] = ("deleted", None)


st.html(uploader_css(limits.max_upload_mb))
st.caption(
    "CSV в формате площадки: title, description, subcategory, category, price, region, city, "
    f"datetime_submitted (и необязательные index, is_bad). Не больше {format_int(limits.max_upload_mb)} МБ "
    f"и {format_int(limits.max_rows)} строк. У заголовков и описаний длиннее "
    f"{format_int(settings.detect.max_chars)} символов проверяется только начало этой длины. "
    "Результаты сохраняются: повторная загрузка того же файла открывает готовый результат."
)
uploaded = st.file_uploader(
    "CSV-файл с объявлениями", type=["csv"], key="batch_file", max_upload_size=limits.max_upload_mb
)

if uploaded is not None:
    marker = (uploaded.file_id, model.predictor.version, settings.detect.max_chars)  # a new limit scores again
    if st.session_state.get(UPLOAD_KEY) != marker:
        data = uploaded.getvalue()
        file_hash = content_hash(data)
        stored = store.find(file_hash, model.predictor.version, settings.detect.max_chars)
        batch = open_stored(store, stored.job_id, reused=True) if stored else None
        if batch is None:
            try:
                frame, read_warnings = read_upload(data, settings)
            except DataError as error:
                lines = "\n".join(f"- {render.markdown_escape(in_russian(problem))}" for problem in error.problems)
                st.error(
                    f"Файл «{render.markdown_escape(uploaded.name)}» не принят:\n\n{lines}", icon=":material/error:"
                )
                st.stop()
            if frame.empty:
                st.warning("В файле нет объявлений.")
                st.stop()
            bar = st.progress(0.0, text="Проверяю объявления…")

            def show_progress(done: int, total: int, rate: float) -> None:
                """Move the progress bar and show the speed."""
                bar.progress(
                    done / total, text=f"Проверено {format_int(done)} из {format_int(total)} · {format_rate(rate)}"
                )

            with st.spinner("Проверяю и сохраняю результат…"):
                batch = score_and_store(
                    settings,
                    model.predictor,
                    frame,
                    read_warnings,
                    file_hash=file_hash,
                    file_name=uploaded.name,
                    user=user.name,
                    progress=show_progress,
                )
            bar.empty()
        st.session_state[UPLOAD_KEY] = marker
        _open(batch)

jobs = store.list()
job_ids = [info.job_id for info in jobs]
batch: BatchResult | None = st.session_state.get(STATE_KEY)
if batch is not None and batch.job_id not in job_ids and not batch.store_error:
    batch = None  # deleted (here or in another session)
if batch is None and jobs:
    wanted = st.session_state.get(CHOICE_KEY)
    batch = open_stored(store, wanted if wanted in job_ids else job_ids[0])
    if batch is not None:
        _open(batch)

notice = st.session_state.pop(NOTICE_KEY, None)
if notice and notice[0] == "deleted":
    st.success("Задание удалено.", icon=":material/delete:")

if jobs:
    st.subheader("Сохранённые задания")
    st.dataframe(jobs_frame(store, jobs, threshold), hide_index=True, key="batch_jobs")
    labels = {info.job_id: job_label(info) for info in jobs}
    if st.session_state.get(CHOICE_KEY) not in labels:
        st.session_state[CHOICE_KEY] = batch.job_id if batch is not None and batch.job_id in labels else job_ids[0]
    choice_column, delete_column = st.columns([5, 1], vertical_alignment="bottom")
    chosen_job = choice_column.selectbox("Открыть задание", job_ids, format_func=labels.__getitem__, key=CHOICE_KEY)
    if batch is None or batch.job_id != chosen_job:
        batch = open_stored(store, chosen_job)
        if batch is not None:
            _open(batch, choose=False)
    chosen_info = next(info for info in jobs if info.job_id == chosen_job)
    if user.role == "admin" or chosen_info.created_by == user.name:
        with delete_column.popover("Удалить", icon=":material/delete:", width="stretch"):
            st.caption(f"Удалить задание «{chosen_info.file_name}» и его результаты? Решения в журнале останутся.")
            st.button("Удалить безвозвратно", key="batch_delete", type="primary", on_click=_delete, args=(chosen_job,))

if batch is None:
    st.info("Загрузите CSV-файл, чтобы проверить объявления.")
    st.stop()

st.subheader(f"Задание: {batch.file_name}", anchor=False)
if batch.reused:
    st.info(
        "Этот файл уже проверялся этой моделью — открыт сохранённый результат, повторной проверки не было.",
        icon=":material/history:",
    )
if batch.store_error:
    st.warning(f"Результат не сохранён на диск и пропадёт с этой сессией: {batch.store_error}")
for warning in batch.warnings:
    st.warning(f"При чтении файла: {render.markdown_escape(warning)}", icon=":material/warning:")
if batch.truncated:
    st.warning(
        f"{format_int(batch.truncated)} объявл. с заголовком или описанием длиннее "
        f"{format_int(batch.max_chars)} символов: проверены только первые {format_int(batch.max_chars)} символов. "
        "В полном файле результатов у них столбец truncated = True. Предел задаётся настройкой detect.max_chars.",
        icon=":material/warning:",
    )
if batch.log_error:  # stored in Russian as shown; jobs stored before kept only the database's own words
    text = batch.log_error
    if not text.startswith("проверка не записана"):
        text = f"проверка не записана в журнал мониторинга: {text}"
    st.warning(text[:1].upper() + text[1:], icon=":material/warning:")

table = results_table(batch.frame, batch.result, threshold, store.decisions(batch.job_id))
flagged = int(table["flagged"].sum())
cells = st.columns(5)
cells[0].metric("Объявлений", format_int(len(table)))
cells[1].metric("С контактом", format_int(flagged))
cells[2].metric("Доля с контактом", format_percent(flagged / len(table)))
cells[3].metric("Время проверки", f"{format_decimal(batch.seconds)} с")
cells[4].metric("Объявлений в секунду", format_int(round(batch.rate)) if batch.seconds > 0 else "—")
st.caption(
    f"Файл: {render.markdown_escape(batch.file_name)} · модель версии {render.markdown_escape(batch.model_version)}"
    f" · порог {format_decimal(threshold, 2)} · проверил {render.markdown_escape(batch.info.created_by or '—')}"
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
st.caption(
    "Ячейки, начинающиеся с = + - @, выгружаются с апострофом, чтобы таблица не выполнила их как формулу; "
    "start и finish в полном файле учитывают этот апостроф."
)

st.subheader("Результаты")
left, right = st.columns([3, 1])
categories = left.multiselect(
    "Категории",
    sorted(table["category"].unique()),
    key="batch_categories",
    placeholder="Все категории",
    on_change=_clear_selection,
)
verdict = right.selectbox("Вердикт", VERDICT_CHOICES, key="batch_verdict", on_change=_clear_selection)
view = filter_results(table, categories, verdict)
shown = view.head(TABLE_LIMIT)
st.session_state[SHOWN_KEY] = shown["row"].astype(int).tolist()
# Sized to fit the page at 1280 px with the sidebar open (no horizontal scrolling); spans are in the files.
columns = ["row", "id"] if "index" in batch.frame.columns else ["row"]
columns += ["category", "title", "percent", "flagged", "n_contacts", "kinds"]
if batch.truncated:
    columns.append("truncated")
columns.append("decision")
event = st.dataframe(
    shown,
    hide_index=True,
    key=TABLE_KEY,
    on_select="rerun",
    selection_mode="multi-row",
    column_order=columns,
    column_config={
        "row": st.column_config.NumberColumn("Строка", width=55),
        "id": st.column_config.TextColumn("Номер", width=70),
        "category": st.column_config.TextColumn("Категория", width=115),
        "title": st.column_config.TextColumn("Заголовок", width=180),
        "percent": st.column_config.ProgressColumn(
            "Вероятность", min_value=0.0, max_value=100.0, format="%.0f %%", width=85
        ),
        "flagged": st.column_config.CheckboxColumn("Контакт", width=60),
        "n_contacts": st.column_config.NumberColumn("Контактов", width=75),
        "kinds": st.column_config.TextColumn("Виды", width=95),
        "truncated": st.column_config.CheckboxColumn("Обрезано", width=70),
        "decision": st.column_config.TextColumn("Решение", width=120),
    },
)
note = f"Показано {format_int(len(shown))} из {format_int(len(view))}"
if verdict != VERDICT_ALL or categories:
    note += f" (после фильтров; всего {format_int(len(table))})"
st.caption(note + ". Полный список — в файлах выше. Щёлкните строку слева, чтобы открыть объявление и выбрать его.")

positions = [position for position in event.selection.rows if position < len(shown)]
selected_rows = [int(shown["row"].iloc[position]) for position in positions]
clicked = [row for row in selected_rows if row not in (st.session_state.get(SELECTED_KEY) or [])]
st.session_state[SELECTED_KEY] = selected_rows
if clicked:
    st.session_state["batch_preview"] = st.session_state[CLICKED_KEY] = clicked[-1]

if notice and notice[0] in DECISION_LABELS:
    outcome = notice[1]
    word = "подтверждено" if notice[0] == "confirm" else "отклонено"
    if outcome.recorded:
        st.success(
            f"Вердиктов {word}: {format_int(outcome.recorded)}; решения записаны от имени {user.name}.",
            icon=":material/check_circle:",
        )
    if outcome.not_logged:
        st.warning(
            f"{format_int(outcome.not_logged)} объявл. нет в журнале мониторинга (он был выключен при проверке): "
            "решение по ним записать некуда."
        )
    for problem in outcome.errors[:5]:
        st.error(f"Решение не записано: {problem}")
logged_rows = int(batch.prediction_ids.notna().sum())
decide_columns = st.columns([2, 2, 3], vertical_alignment="center")
count = len(selected_rows)
decide_columns[0].button(
    f"Подтвердить вердикт ({format_int(count)})",
    key="batch_confirm",
    on_click=_decide,
    args=("confirm",),
    disabled=not count or not logged_rows,
    width="stretch",
)
decide_columns[1].button(
    f"Отклонить вердикт ({format_int(count)})",
    key="batch_reject",
    on_click=_decide,
    args=("reject",),
    disabled=not count or not logged_rows,
    width="stretch",
)
if not logged_rows:
    decide_columns[2].caption("Журнал мониторинга был выключен при проверке — решения записать некуда.")
else:
    decide_columns[2].caption(
        f"Выбрано строк: {format_int(count)}. Решение записывается в журнал мониторинга от имени {user.name}."
    )

st.subheader("Просмотр объявления")
candidates = view.head(PREVIEW_LIMIT)
options = [int(row) for row in candidates["row"]]
opened = st.session_state.get(CLICKED_KEY)
if isinstance(opened, int) and opened not in options and 1 <= opened <= len(table):
    options.insert(0, opened)
if not options:
    st.caption("Под фильтры не попало ни одного объявления.")
else:
    by_row = table.set_index("row")
    labels = {
        row: f"строка {row} · {format_decimal(float(by_row.at[row, 'prediction']), 2)} · {str(by_row.at[row, 'title'])[:70]}"
        for row in options
    }
    chosen = st.selectbox(
        "Объявление (первые по вероятности; или щёлкните строку в таблице)",
        options,
        format_func=labels.__getitem__,
        key="batch_preview",
    )
    position = int(chosen) - 1
    ad = batch.frame.iloc[position]
    limit = batch.max_chars or settings.detect.max_chars
    description, description_cut = cap_text(str(ad["description"]), limit)
    title, title_cut = cap_text(str(ad["title"]), limit)
    # The job holds the spans it found: shown as stored, never scored again.
    probability = float(batch.result["prediction"].iloc[position])
    contacts = stored_contacts(batch.result, position)
    title_contacts = stored_title_contacts(batch.result, position)
    if title_contacts is None:
        title_contacts = []
        st.caption("Задание сохранено до того, как стали храниться контакты в заголовке: подсвечено только описание.")
    render.show_verdict(probability, threshold)
    if description_cut or title_cut:
        st.caption(f"Текст обрезан до первых {format_int(limit)} символов — проверены и показаны только они.")
    render.show_highlighted(description, contacts, title, title_contacts)

st.subheader("Доля объявлений с контактом по категориям")
summary = category_summary(table)
summary["percent"] = summary["flag_rate"] * 100
chart = px.bar(
    summary,
    x="category",
    y="percent",
    text=summary["flag_rate"].map(lambda share: format_percent(share, 0)),
    labels={"category": "Категория", "percent": "Доля с контактом, %"},
)
chart.update_layout(separators=", ", height=360, margin={"t": 10, "b": 10})
chart.update_yaxes(ticksuffix=" %", tickformat=".0f")
st.plotly_chart(chart, key="batch_summary_chart")
