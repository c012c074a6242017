"""Пользователи: accounts and roles (admins only): add, change role, set a password, remove; the audit log."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.ops.users import MIN_PASSWORD_CHARS, ROLES, UserError
from ui.auth import ROLE_LABELS, audit_frame, release_leases, require_page, user_error_text, user_store

FLASH_KEY = "users_flash"

user = require_page("users")
st.title("Пользователи")
store = user_store()
if flash := st.session_state.pop(FLASH_KEY, None):
    kind, message = flash
    (st.success if kind == "success" else st.error)(message)


def _attempt(action, success: str) -> None:
    """Run one store change and leave its outcome for the next run."""
    try:
        action()
    except UserError as error:
        st.session_state[FLASH_KEY] = ("error", user_error_text(error))
    else:
        st.session_state[FLASH_KEY] = ("success", success)


def _add() -> None:
    name = st.session_state.get("users_new_name", "")
    role = st.session_state.get("users_new_role", "moderator")
    password = st.session_state.get("users_new_password", "")
    _attempt(
        lambda: store.add(name, role, password, by=user.name),
        f"Пользователь «{name.strip().lower()}» добавлен с ролью «{ROLE_LABELS.get(role, role)}».",
    )
    st.session_state["users_new_name"] = ""
    st.session_state["users_new_password"] = ""


def _set_role(name: str) -> None:
    role = st.session_state.get("users_target_role", "moderator")
    _attempt(lambda: store.set_role(name, role, by=user.name), f"Роль «{name}»: {ROLE_LABELS.get(role, role)}.")


# A new password or a removal signs the account's sessions out: the queue ads it held go back to the queue now.
def _set_password(name: str) -> None:
    password = st.session_state.get("users_target_password", "")
    _attempt(
        lambda: (store.set_password(name, password, by=user.name), release_leases(name)), f"Пароль «{name}» изменён."
    )
    st.session_state["users_target_password"] = ""


def _remove(name: str) -> None:
    _attempt(lambda: (store.remove(name, by=user.name), release_leases(name)), f"Пользователь «{name}» удалён.")


accounts = store.list_users()
st.dataframe(
    pd.DataFrame(
        {
            "Имя": [account.name for account in accounts],
            "Роль": [ROLE_LABELS.get(account.role, account.role) for account in accounts],
            "Вход по паролю": ["да" if account.has_password else "только SSO" for account in accounts],
            "Создан (UTC)": [account.created_at for account in accounts],
            "Кем": [account.created_by or "—" for account in accounts],
            "Изменён (UTC)": [account.updated_at for account in accounts],
        }
    ),
    hide_index=True,
    key="users_table",
)

st.subheader("Добавить пользователя")
with st.form("users_add_form", border=True):
    left, middle, right = st.columns(3)
    left.text_input("Имя (латиница, цифры, . _ @ + -)", key="users_new_name", max_chars=64)
    middle.selectbox("Роль", ROLES, format_func=lambda role: ROLE_LABELS[role], key="users_new_role")
    right.text_input(f"Пароль (не короче {MIN_PASSWORD_CHARS} символов)", type="password", key="users_new_password")
    st.form_submit_button("Добавить", type="primary", key="users_add", on_click=_add)

st.subheader("Изменить пользователя")
names = [account.name for account in accounts]
if names:
    target = st.selectbox("Пользователь", names, key="users_target")
    current = next(account for account in accounts if account.name == target)
    left, right = st.columns(2)
    with left:
        st.selectbox(
            "Роль",
            ROLES,
            index=ROLES.index(current.role),
            format_func=lambda role: ROLE_LABELS[role],
            key="users_target_role",
        )
        st.button("Сменить роль", key="users_set_role", on_click=_set_role, args=(target,))
    with right:
        st.text_input("Новый пароль", type="password", key="users_target_password")
        st.button("Задать пароль", key="users_set_password", on_click=_set_password, args=(target,))
    if target == user.name:
        st.caption("Себя удалить нельзя.")
    else:
        sure = st.checkbox(f"Да, удалить «{target}»", key="users_remove_sure")
        st.button("Удалить пользователя", key="users_remove", disabled=not sure, on_click=_remove, args=(target,))

st.subheader("Журнал действий")
entries = store.audit(limit=200)
if entries:
    st.dataframe(audit_frame(entries), hide_index=True, key="users_audit")
else:
    st.caption("Действий пока не было.")
