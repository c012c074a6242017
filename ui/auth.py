"""Admin login widget: password form, per-session throttling, logout."""

from __future__ import annotations

import streamlit as st

from core.auth import PASSWORD_ENV, SECRETS_KEY, LoginThrottle, configured_password, failure_delay, password_fingerprint

SESSION_KEY = "admin_fingerprint"
FAILURES_KEY = "admin_failures"
NO_PASSWORD_HELP = (
    "Пароль администратора не задан, поэтому страница открыта только для чтения. "
    f"Задайте его в переменной окружения `{PASSWORD_ENV}` (до запуска приложения) "
    f'или ключом `{SECRETS_KEY} = "…"` в файле `.streamlit/secrets.toml`.'
)


def _logout() -> None:
    """Forget the admin login of this session."""
    st.session_state.pop(SESSION_KEY, None)


def is_admin() -> bool:
    """True when this session logged in with the password that is configured now."""
    expected = configured_password()
    return expected is not None and st.session_state.get(SESSION_KEY) == password_fingerprint(expected)


def admin_gate(key: str) -> bool:
    """Show the admin login (or the logged-in state); True when admin actions are allowed."""
    expected = configured_password()
    if expected is None:
        st.info(NO_PASSWORD_HELP, icon=":material/lock:")
        return False
    if st.session_state.get(SESSION_KEY) == password_fingerprint(expected):
        left, right = st.columns([4, 1])
        left.caption("Вы вошли как администратор.")
        right.button("Выйти", key=f"{key}_logout", on_click=_logout)
        return True
    with st.form(key=f"{key}_login_form", clear_on_submit=True):
        st.markdown("**Вход администратора** — изменения доступны только после входа.")
        password = st.text_input("Пароль администратора", type="password", key=f"{key}_password")
        submitted = st.form_submit_button("Войти", key=f"{key}_login")
    if submitted:
        throttle = LoginThrottle(int(st.session_state.get(FAILURES_KEY, 0)))
        if throttle.attempt(password or "", expected):
            st.session_state[FAILURES_KEY] = 0
            st.session_state[SESSION_KEY] = password_fingerprint(expected)
            st.rerun()
        st.session_state[FAILURES_KEY] = throttle.failures
        st.error(
            f"Неверный пароль (попыток подряд: {throttle.failures}). "
            f"Следующая ошибка задержит ответ на {failure_delay(throttle.failures + 1):.1f} с.",
            icon=":material/lock:",
        )
    return False
