"""Модели: registered versions with metrics and aliases, gated-promotion log, promoting a champion."""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from core import tracking
from ui import models_view as views
from ui import resources
from ui.auth import audit_frame, is_admin, require_page, user_name, user_store

PENDING_KEY = "models_pending_version"
FLASH_KEY = "models_flash"
EMPTY_HELP = (
    "В реестре ещё нет версий модели «{name}». Обучите и зарегистрируйте первую:\n\n"
    "```\nmake run\n```\n\nили\n\n```\npython -m core ensure-model\n```"
)


def _promote(version: str) -> None:
    """Move the serving alias to the version and remember the outcome for the next run."""
    if not is_admin():
        return
    settings = resources.load_app_settings()
    previous = tracking.get_alias_version(settings.tracking)
    try:
        tracking.set_alias(settings.tracking, version)
    except tracking.NoModelError as error:
        st.session_state[FLASH_KEY] = ("error", f"Не удалось назначить: {error}")
    else:
        who = user_name()
        tracking.tag_version(
            settings.tracking,
            version,
            {"promoted_by": who, "promoted_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")},
        )
        user_store().record(
            who,
            "model.promote",
            f"{settings.tracking.model_name} v{version} -> {settings.tracking.serve_alias} (was v{previous or '—'})",
        )
        resources.clear_registry_caches()
        st.session_state[FLASH_KEY] = (
            "success",
            f"Версия {version} теперь «{settings.tracking.serve_alias}». "
            "Следующие проверки используют её без перезапуска приложения.",
        )
    st.session_state.pop(PENDING_KEY, None)


def _cancel() -> None:
    """Forget the pending promotion."""
    st.session_state.pop(PENDING_KEY, None)


user = require_page("models")
context = resources.page_start("Модели")
settings = context.settings
alias = settings.tracking.serve_alias
if flash := st.session_state.pop(FLASH_KEY, None):
    kind, message = flash
    (st.success if kind == "success" else st.error)(message)

versions = resources.registry_versions(resources.tracking_key(settings.tracking), settings.tracking)
if versions.empty:
    st.info(EMPTY_HELP.format(name=settings.tracking.model_name), icon=":material/info:")
    st.stop()

if context.champion is None:
    st.warning(f"Ни одна версия не помечена «{alias}»: проверки не работают, пока чемпион не назначен.")
else:
    st.markdown(f"Сейчас обслуживает версия **{context.champion}** (метка «{alias}»).")

st.subheader(f"Версии модели {settings.tracking.model_name}")
st.dataframe(views.versions_table(versions).round(4), hide_index=True, key="models_versions")

st.subheader("Решения о повышении")
decisions = views.promotion_table(versions)
if decisions.empty:
    st.caption("Решений автоматического повышения пока нет (их записывает `python -m core promote`).")
else:
    st.dataframe(decisions.round(4), hide_index=True, key="models_decisions")
    shown = st.selectbox("Подробности по версии", list(decisions["Версия"]), key="models_decision_version")
    reason = views.promotion_reason(versions, shown)
    if reason:
        st.caption(f"Причина: {reason}")
    deltas = views.promotion_deltas(versions, shown)
    if deltas.empty:
        st.caption("Изменения ROC-AUC по категориям не записаны.")
    else:
        st.dataframe(deltas.round(4), hide_index=True, key="models_decision_deltas")
    handwritten = views.promotion_handwritten(versions, shown)
    if not handwritten.empty:
        st.markdown("**Ручные наборы** (средний ROC-AUC по категориям)")
        st.dataframe(handwritten.round(4), hide_index=True, key="models_decision_handwritten")

promotions = user_store().audit(limit=20, action_prefix="model.promote")
if promotions:
    st.subheader("Назначения из приложения")
    st.dataframe(audit_frame(promotions), hide_index=True, key="models_promotions")

st.subheader(f"Назначить «{alias}»")
if not is_admin():
    st.info("Назначать версию может только администратор.", icon=":material/lock:")
else:
    options = [str(v) for v in versions["version"] if str(v) != str(context.champion)]
    if not options:
        st.caption("Других версий нет.")
    else:
        target = st.selectbox("Версия", options, key="models_target")
        pending = st.session_state.get(PENDING_KEY)
        if pending is None:
            if st.button(f"Сделать версию {target} «{alias}»…", key="models_promote"):
                st.session_state[PENDING_KEY] = target
                st.rerun()
        else:
            st.warning(
                f"Назначить версию {pending} меткой «{alias}» вместо версии {context.champion or '—'}? "
                "Все новые проверки пойдут через неё."
            )
            left, right = st.columns(2)
            left.button("Да, назначить", type="primary", key="models_confirm", on_click=_promote, args=(pending,))
            right.button("Отмена", key="models_cancel", on_click=_cancel)
