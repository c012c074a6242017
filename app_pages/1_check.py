"""Проверка объявления: verdict, highlighted contacts, masked copy and the moderator's decision."""

from __future__ import annotations

import sqlite3

import streamlit as st

from core.config import CATEGORIES
from core.ops import monitoring
from ui import render, resources
from ui.auth import require_page, user_name
from ui.batch import format_int
from ui.checking import CheckResult, check_ad
from ui.examples import EXAMPLE_ADS
from ui.messages import in_russian

RESULT_KEY = "check_result"
PENDING_KEY = "check_pending"
FIELD_DEFAULTS = {"check_title": "", "check_description": "", "check_category": CATEGORIES[0]}


def _apply_example() -> None:
    """Copy the chosen example ad into the form and ask for a check."""
    name = st.session_state.get("check_example")
    example = next((ad for ad in EXAMPLE_ADS if ad.name == name), None)
    if example is None:
        return
    st.session_state["check_title"] = example.title
    st.session_state["check_description"] = example.description
    st.session_state["check_category"] = example.category
    st.session_state["check_price"] = example.price
    st.session_state[PENDING_KEY] = True


def _record(decision: str) -> None:
    """Store the moderator's decision on the last check."""
    result: CheckResult | None = st.session_state.get(RESULT_KEY)
    if result is None or result.prediction_id is None:
        return
    try:
        monitoring.record_decision(
            resources.load_app_settings().monitoring,
            result.prediction_id,
            decision,
            moderator=user_name(),
            ad={
                "title": result.title,
                "description": result.description,
                "category": result.category,
                "price": result.price,
            },
            spans=monitoring.span_records(result.contacts, result.title_contacts),
        )
        result.decision = decision
    except (KeyError, sqlite3.Error, OSError) as error:
        st.session_state["check_decision_error"] = str(error)


user = require_page("check")
context = resources.page_start("Проверка объявления")
settings = context.settings
model = resources.model_or_stop(context)
for field_key, default in FIELD_DEFAULTS.items():
    st.session_state.setdefault(field_key, default)

form_column, result_column = st.columns([5, 6], gap="large")
with form_column:
    st.selectbox(
        "Пример объявления",
        [ad.name for ad in EXAMPLE_ADS],
        index=None,
        placeholder="Выберите готовый пример — он подставится в форму и сразу проверится",
        key="check_example",
        on_change=_apply_example,
    )
    with st.form("check_form"):
        st.text_input("Заголовок", key="check_title", max_chars=300)
        # No max_chars here: the browser would cut a long paste silently; check_ad cuts it and says so.
        st.text_area("Описание", key="check_description", height=180)
        left, right = st.columns(2)
        left.selectbox("Категория", CATEGORIES, key="check_category")
        right.number_input("Цена, ₽", min_value=0.0, value=None, step=100.0, format="%.0f", key="check_price")
        submitted = st.form_submit_button("Проверить", type="primary", key="check_submit")

problem = ""
if submitted or st.session_state.pop(PENDING_KEY, False):
    description = st.session_state["check_description"] or ""
    if not description.strip() and not (st.session_state["check_title"] or "").strip():
        problem = "Введите заголовок или описание объявления."
        st.session_state.pop(RESULT_KEY, None)
    else:
        st.session_state[RESULT_KEY] = check_ad(
            model.predictor,
            settings,
            st.session_state["check_title"] or "",
            description,
            st.session_state["check_category"],
            st.session_state["check_price"],
            user.name,
        )

result: CheckResult | None = st.session_state.get(RESULT_KEY)
with result_column:
    if problem:
        st.warning(problem)
    elif result is None:
        st.info("Вставьте объявление слева или выберите пример — здесь появится вердикт с подсветкой контактов.")
    else:
        render.show_verdict(result.probability, result.threshold)
        if result.truncated:
            st.warning(
                f"Текст длиннее {format_int(result.cut_to)} символов (в нём {format_int(result.original_chars)}): "
                f"проверены и показаны только первые {format_int(result.cut_to)} символов. "
                "Предел задаётся настройкой detect.max_chars.",
                icon=":material/warning:",
            )
        st.caption(
            f"Время проверки: {result.elapsed_ms:.0f} мс · модель версии {result.model_version or '—'} · "
            f"контактов: {len(result.contacts) + len(result.title_contacts)}"
        )
        render.show_highlighted(result.description, result.contacts, result.title, result.title_contacts)
        if result.flagged and not (result.contacts or result.title_contacts):
            reasons = ", ".join(render.feature_label(name) for name, _ in result.drivers) or "общая картина объявления"
            st.info(
                f"Контакт не выделен, но модель считает объявление подозрительным. Больше всего повлияло: {reasons}.",
                icon=":material/help:",
            )

        if result.log_warning is not None:
            warning = in_russian(result.log_warning)
            st.warning(warning[:1].upper() + warning[1:], icon=":material/warning:")
        elif result.prediction_id is None:
            st.caption("Журнал мониторинга выключен в настройках — решение записать некуда.")
        elif result.decision:
            label = "подтверждён" if result.decision == "confirm" else "отклонён"
            st.success(f"Вердикт {label}; решение записано от имени {user.name} (запись № {result.prediction_id}).")
        else:
            left, right = st.columns(2)
            left.button(
                "Подтвердить вердикт", key="check_confirm", on_click=_record, args=("confirm",), width="stretch"
            )
            right.button("Отклонить вердикт", key="check_reject", on_click=_record, args=("reject",), width="stretch")
        if error := st.session_state.pop("check_decision_error", None):
            st.error(f"Решение не записано: {error}")

        st.markdown("**Найденные контакты**")
        if result.contacts or result.title_contacts:
            st.dataframe(
                render.contacts_frame(result.contacts, result.title_contacts), hide_index=True, key="check_contacts"
            )
        else:
            st.caption("Контакты не найдены.")

        if st.toggle("Показать копию без контактов", key="check_mask"):
            masked_title = render.masked_text(result.title, result.title_contacts)
            masked = render.masked_text(result.description, result.contacts)
            if masked_title:
                st.caption("Заголовок")
                st.code(masked_title, language=None, wrap_lines=True)
                st.caption("Описание")
            st.code(masked, language=None, wrap_lines=True)
            st.download_button(
                "Скачать копию без контактов",
                (f"{masked_title}\n\n{masked}" if masked_title else masked).encode("utf-8"),
                file_name="объявление_без_контактов.txt",
                mime="text/plain",
                key="check_mask_download",
                on_click="ignore",
            )
