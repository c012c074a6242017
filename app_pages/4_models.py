"""Модели: registered versions with metrics and aliases, gated-promotion log, promoting a champion."""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from core.lifecycle import tracking
from ui import models_view as views
from ui import resources
from ui.auth import audit_frame, is_admin, require_page, user_name, user_store
from ui.messages import in_russian
from ui.ru_format import ru_table

PENDING_KEY = "models_pending_version"
OVERRIDE_KEY = "models_override"
FLASH_KEY = "models_flash"
EMPTY_HELP = (
    "В реестре ещё нет версий модели «{name}». Обучите и зарегистрируйте первую:\n\n"
    "```\nmake run\n```\n\nили\n\n```\npython -m core ensure-model\n```"
)


def _promote(version: str, refused: bool = False) -> None:
    """Move the serving alias to the version and remember the outcome; a refused version needs the override box."""
    if not is_admin():
        return
    if refused and not st.session_state.get(OVERRIDE_KEY):
        st.session_state[FLASH_KEY] = ("error", f"Версии {version} проверка отказала: сначала подтвердите назначение.")
        return
    settings = resources.load_app_settings()
    who = user_name()
    try:
        previous = tracking.get_alias_version(settings.tracking)
        tracking.set_alias(settings.tracking, version)
        tracking.tag_version(
            settings.tracking,
            version,
            {"promoted_by": who, "promoted_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")},
        )
    except tracking.NoModelError as error:
        st.session_state[FLASH_KEY] = ("error", f"Не удалось назначить: {error}")
    except tracking.StoreUnreachableError as error:
        st.session_state[FLASH_KEY] = ("error", f"Не удалось назначить: {in_russian(error)}")
    else:
        user_store().record(
            who,
            "model.promote",
            f"{settings.tracking.model_name} v{version} -> {settings.tracking.serve_alias} (was v{previous or '—'})"
            + (" despite the gate's refusal" if refused else ""),
        )
        resources.clear_registry_caches()
        st.session_state[FLASH_KEY] = (
            "success",
            f"Версия {version} теперь «{settings.tracking.serve_alias}». "
            "Следующие проверки используют её без перезапуска приложения.",
        )
    st.session_state.pop(PENDING_KEY, None)
    st.session_state.pop(OVERRIDE_KEY, None)


def _cancel() -> None:
    """Forget the pending promotion."""
    st.session_state.pop(PENDING_KEY, None)
    st.session_state.pop(OVERRIDE_KEY, None)


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
st.caption(
    "AUC — средний ROC-AUC по категориям на наборе; IoU и F1 (по символам) — на синтетическом тесте; "
    "«Запуск» — начало идентификатора запуска MLflow."
)
version_rows, set_rows = views.split_versions_table(views.versions_table(versions))
st.dataframe(ru_table(version_rows), hide_index=True, width="stretch", key="models_versions")
if not set_rows.empty:
    st.markdown("**Ручные наборы** (средний ROC-AUC по категориям)")
    st.dataframe(ru_table(set_rows), hide_index=True, width="stretch", key="models_versions_sets")

st.subheader("Решения о повышении")
decisions = views.promotion_table(versions)
if decisions.empty:
    st.caption("Решений автоматического повышения пока нет (их записывает `python -m core promote`).")
else:
    st.dataframe(ru_table(decisions), hide_index=True, width="stretch", key="models_decisions")
    shown = st.selectbox("Подробности по версии", list(decisions["Версия"]), key="models_decision_version")
    reason = views.reason_in_russian(views.promotion_reason(versions, shown))
    if reason:
        st.text(f"Причина: {reason}")  # plain text: the reason quotes category and set names
    deltas = views.promotion_deltas(versions, shown)
    if deltas.empty:
        st.caption("Изменения ROC-AUC по категориям не записаны.")
    else:
        st.dataframe(
            ru_table(deltas, signed=["Изменение AUC"]), hide_index=True, width="stretch", key="models_decision_deltas"
        )
    handwritten = views.promotion_handwritten(versions, shown)
    if not handwritten.empty:
        st.markdown("**Ручные наборы** (средний ROC-AUC по категориям)")
        st.dataframe(
            ru_table(handwritten, integers=["Объявлений"], signed=["Изменение"]),
            hide_index=True,
            width="stretch",
            key="models_decision_handwritten",
        )

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
        refused = {option for option in options if views.promotion_decision(versions, option) == "refused"}
        target = st.selectbox(
            "Версия",
            options,
            format_func=lambda option: f"{option} (проверка отказала)" if option in refused else option,
            key="models_target",
        )
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
            allowed = True
            if pending in refused:
                st.error(
                    f"Автоматическая проверка отказала версии {pending} в повышении: по её метрикам она хуже "
                    "чемпиона. Назначайте её, только если понимаете, почему проверка ошиблась.",
                    icon=":material/gpp_bad:",
                )
                refusal = views.reason_in_russian(views.promotion_reason(versions, pending))
                if refusal:
                    st.text(f"Причина отказа: {refusal}")
                allowed = st.checkbox(
                    f"Я понимаю, что проверка отказала версии {pending}, и всё равно назначаю её", key=OVERRIDE_KEY
                )
            left, right = st.columns(2)
            left.button(
                "Да, назначить",
                type="primary",
                disabled=not allowed,
                key="models_confirm",
                on_click=_promote,
                args=(pending, pending in refused),
            )
            right.button("Отмена", key="models_cancel", on_click=_cancel)
