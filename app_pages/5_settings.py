"""Настройки: the config form (admin), diff before saving, stale-file refusal, history with restore, retrain."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.config import ConfigError, Settings, parse_settings_text, validate_settings
from ui import resources, retrain_view
from ui import settings_form as form
from ui import settings_store as store
from ui.auth import is_admin, require_page, user_name
from ui.messages import in_russian

LOADED_KEY = "settings_loaded"  # (digest, Settings) of the file when the form was loaded
PENDING_KEY = "settings_pending"  # validated Settings waiting for the save confirmation
STALE_KEY = "settings_stale"  # text found on disk when a save was refused
FLASH_KEY = "settings_flash"


def _reload_form() -> None:
    """Load the file on disk into the form (after a save, a restore, or on request)."""
    path = resources.config_path()
    text = store.read_config_text(path)
    settings = parse_settings_text(text) if text else Settings()
    st.session_state[LOADED_KEY] = (store.text_digest(text), settings)
    form.load_form_state(settings)
    st.session_state.pop(PENDING_KEY, None)
    st.session_state.pop(STALE_KEY, None)


def _after_write(outcome: store.SaveOutcome, action: str) -> None:
    """Reload the form from disk; leave messages saying which changes act now and which need retraining."""
    _reload_form()
    st.session_state[FLASH_KEY] = form.saved_messages(action, outcome.changes, outcome.kept)
    retrain_view.offer([change.key for change in store.changes_by_applies(outcome.changes)["retrain"]])


def _save() -> None:
    """Write the pending settings unless the file changed since the form was loaded."""
    pending: Settings | None = st.session_state.get(PENDING_KEY)
    if pending is None or not is_admin():
        return
    digest, _ = st.session_state[LOADED_KEY]
    try:
        outcome = store.save_config(
            pending, resources.config_path(), digest, pending.app.history_size, user_name(), dashboard=True
        )
    except store.StaleConfigError as error:
        st.session_state[STALE_KEY] = error.current_text
        st.session_state.pop(PENDING_KEY, None)
        return
    except ConfigError as error:
        st.session_state[FLASH_KEY] = [("error", f"Настройки не сохранены: {in_russian(error)}")]
        st.session_state.pop(PENDING_KEY, None)
        return
    _after_write(outcome, "Настройки сохранены")


def _restore(name: str, expected_digest: str, keep: int) -> None:
    """Make a saved version current (the replaced one goes into history)."""
    if not is_admin():
        return
    try:
        outcome = store.restore_config(resources.config_path(), name, expected_digest, keep, user_name(), True)
    except store.StaleConfigError as error:
        st.session_state[STALE_KEY] = error.current_text
        return
    except ConfigError as error:
        st.session_state[FLASH_KEY] = [("error", f"Не удалось восстановить {name}: {in_russian(error)}")]
        return
    except KeyError:
        st.session_state[FLASH_KEY] = [("error", f"Не удалось восстановить {name}: такой версии нет")]
        return
    _after_write(outcome, f"Восстановлена версия {name}")


def _cancel() -> None:
    """Drop the pending change."""
    st.session_state.pop(PENDING_KEY, None)


def _history(admin: bool, expected_digest: str, keep: int, current: Settings | None) -> None:
    """Previous versions with their difference from the current file and one-click restore."""
    st.subheader("История версий")
    entries = store.list_history(resources.config_path())
    if not entries:
        st.caption("Прошлых версий пока нет: копия появляется при каждом сохранении.")
        return
    names = {entry.name: entry for entry in entries}
    chosen = st.selectbox(
        "Версия",
        list(names),
        format_func=lambda name: f"{names[name].saved_at:%Y-%m-%d %H:%M:%S} UTC · {name}",
        key="settings_history_version",
    )
    text = names[chosen].read_text()
    try:
        old = parse_settings_text(text)
    except ConfigError as error:
        st.warning(f"Эта копия не проходит проверку и не может быть восстановлена: {error}")
        old = None
    if old is not None and current is not None:
        changes = store.diff_settings(current, old)
        if changes:
            st.caption("Что изменится при восстановлении:")
            st.dataframe(form.changes_frame(changes), hide_index=True, key="settings_history_diff")
        else:
            st.caption("Совпадает с текущими настройками.")
    with st.expander("Текст версии", key="settings_history_text"):
        st.code(text, language="yaml")
    if admin and old is not None:
        st.button(
            "Восстановить эту версию",
            key="settings_restore",
            on_click=_restore,
            args=(chosen, expected_digest, keep),
        )


user = require_page("settings")
path = resources.config_path()
try:
    resources.load_app_settings()
except ConfigError as broken:
    st.title("Настройки")
    st.error(
        f"Файл {path} не проходит проверку: {in_russian(broken)}. Восстановите одну из прошлых версий.",
        icon=":material/error:",
    )
    admin = is_admin()
    text_on_disk = store.read_config_text(path)
    _history(admin, store.text_digest(text_on_disk), Settings().app.history_size, None)
    st.stop()

context = resources.page_start("Настройки", needs_registry=False)  # the form works without MLflow
settings = context.settings
st.caption(f"Файл: `{path}` · вы вошли как **{user.name}**; каждое сохранение записывается с вашим именем.")

for kind, message in st.session_state.pop(FLASH_KEY, None) or []:
    {"success": st.success, "warning": st.warning, "info": st.info}.get(kind, st.error)(message)
if stale := st.session_state.get(STALE_KEY):
    st.error(
        "Файл настроек изменился на диске после того, как форма была загружена, поэтому сохранение отменено, "
        "чтобы не затереть чужие изменения. Текущая версия на диске:",
        icon=":material/warning:",
    )
    st.code(stale, language="yaml")
    st.button("Загрузить новую версию в форму", key="settings_reload_stale", on_click=_reload_form)

if LOADED_KEY not in st.session_state:
    _reload_form()
loaded_digest, loaded_settings = st.session_state[LOADED_KEY]

form.ensure_form_state(loaded_settings)
with st.form("settings_form", border=True):
    form.form_fields()
    submitted = st.form_submit_button("Проверить изменения", type="primary", key="settings_submit")
st.button("Перечитать файл с диска", key="settings_reload", on_click=_reload_form)

if submitted:
    st.session_state.pop(PENDING_KEY, None)
    try:
        candidate = validate_settings(form.form_values(loaded_settings))
    except ConfigError as error:
        st.error(f"Настройки не сохранены — ошибка в значении: {in_russian(error)}", icon=":material/error:")
    else:
        if store.diff_settings(loaded_settings, candidate):
            st.session_state[PENDING_KEY] = candidate
        else:
            st.info("Изменений нет.")

pending: Settings | None = st.session_state.get(PENDING_KEY)
if pending is not None:
    st.subheader("Изменения")
    st.dataframe(
        form.changes_frame(store.diff_settings(loaded_settings, pending)), hide_index=True, key="settings_diff"
    )
    left, right = st.columns(2)
    left.button("Сохранить", type="primary", key="settings_save", on_click=_save)
    right.button("Отменить", key="settings_cancel", on_click=_cancel)

retrain_view.panel(path, settings)

_history(True, loaded_digest, settings.app.history_size, settings)

changes_log = store.list_changes(resources.config_path())
st.subheader("Журнал изменений")
if changes_log:
    st.dataframe(
        pd.DataFrame(
            {
                "Когда (UTC)": [entry.get("at", "") for entry in changes_log],
                "Кто": [entry.get("user") or "—" for entry in changes_log],
                "Действие": [
                    "сохранение" if entry.get("action") == "save" else f"восстановление {entry.get('action', '')[8:]}"
                    for entry in changes_log
                ],
                "Изменённые ключи": [", ".join(entry.get("keys") or []) or "—" for entry in changes_log],
            }
        ),
        hide_index=True,
        key="settings_change_log",
    )
else:
    st.caption("Изменений из приложения пока не было.")
