"""Sign-in for the dashboard: the pages each role sees, the login screen, the signed-in user, page refusals."""

from __future__ import annotations

import hmac
import sqlite3
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from core.config import AuthSettings, ConfigError
from core.ops import monitoring, review_queue
from core.ops.auth import PASSWORD_ENV, configured_password
from core.ops.users import ROLES, User, UserError, UserStore, users_path

USER_KEY = "auth_user"
EPOCH_KEY = "auth_epoch"
QUEUE_VIEW_KEY = "queue_view"  # ui.queue_view.VIEW_KEY: the queue ad shown to this session
ROLE_LABELS = {"moderator": "модератор", "analyst": "аналитик", "admin": "администратор"}
SECTIONS = ("Модерация", "Аналитика", "Администрирование")


@dataclass(frozen=True, slots=True)
class PageSpec:
    """One dashboard page: its script under app_pages/, title, icon, URL, menu section and the roles that open it."""

    script: str
    title: str
    icon: str
    url_path: str
    section: str
    roles: tuple[str, ...]


PAGES: tuple[PageSpec, ...] = (
    PageSpec("1_check.py", "Проверка объявления", ":material/search:", "check", "Модерация", ROLES),
    PageSpec("2_batch.py", "Пакетная проверка", ":material/upload_file:", "batch", "Модерация", ROLES),
    PageSpec("8_queue.py", "Очередь", ":material/inbox:", "queue", "Модерация", ROLES),
    PageSpec("3_metrics.py", "Метрики", ":material/monitoring:", "metrics", "Аналитика", ("analyst", "admin")),
    PageSpec(
        "6_monitoring.py", "Мониторинг", ":material/query_stats:", "monitoring", "Аналитика", ("analyst", "admin")
    ),
    PageSpec("4_models.py", "Модели", ":material/deployed_code:", "models", "Аналитика", ("analyst", "admin")),
    PageSpec("5_settings.py", "Настройки", ":material/settings:", "settings", "Администрирование", ("admin",)),
    PageSpec("7_users.py", "Пользователи", ":material/group:", "users", "Администрирование", ("admin",)),
)
PAGE_BY_URL = {page.url_path: page for page in PAGES}

USER_ERRORS_RU = {
    "bad_name": "Недопустимое имя «{name}»: от 1 до 64 символов — латинские буквы, цифры и . _ @ + -, "
    "начинается с буквы или цифры.",
    "bad_role": "Неизвестная роль «{role}».",
    "short_password": "Пароль слишком короткий: нужно не меньше {min} символов.",
    "exists": "Пользователь «{name}» уже есть.",
    "missing": "Пользователя «{name}» нет.",
    "last_admin": "«{name}» — последний администратор: его нельзя удалить или лишить роли.",
}
NO_USERS_HELP = (
    "Пользователей ещё нет. Создайте первого администратора в терминале:\n\n"
    "```\npython -m core users add ИМЯ --role admin\n```\n\n"
    f"или задайте пароль в переменной окружения `{PASSWORD_ENV}` до запуска приложения — "
    "тогда появится пользователь `admin` с этим паролем."
)


def user_error_text(error: UserError) -> str:
    """The Russian message for a refused user-store change."""
    template = USER_ERRORS_RU.get(error.code)
    return template.format(**error.params) if template else str(error)


def auth_settings() -> AuthSettings:
    """The auth section of the current config (defaults when the file is broken, so admins can still sign in)."""
    from ui.resources import load_app_settings

    try:
        return load_app_settings().auth
    except ConfigError:
        return AuthSettings()


@st.cache_resource(max_entries=16, show_spinner=False)
def _env_admin_synced(path: str, fingerprint: str, _password: str) -> bool:
    """Create or update the account `admin` from CONTACTGUARD_ADMIN_PASSWORD once per process, store and password."""
    UserStore(path).ensure_admin(_password)
    return True


def user_store() -> UserStore:
    """The user store, with the bootstrap admin of CONTACTGUARD_ADMIN_PASSWORD (or secrets.toml) in it."""
    path = users_path(auth_settings())
    password = configured_password()
    if password:
        fingerprint = hmac.new(b"contactguard-env-admin", password.encode("utf-8"), "sha256").hexdigest()
        _env_admin_synced(str(path), fingerprint, password)
    return UserStore(path)


def current_user() -> User | None:
    """The signed-in user of this session (None after a removal or a password change)."""
    name = st.session_state.get(USER_KEY)
    if not name:
        return None
    user = user_store().session_valid(name, st.session_state.get(EPOCH_KEY, ""))
    if user is None:
        _forget_session()
    return user


def is_admin() -> bool:
    """True when the signed-in user is an admin."""
    user = current_user()
    return user is not None and user.role == "admin"


def user_name() -> str:
    """The signed-in user's name ('' when nobody is signed in), recorded with decisions and changes."""
    user = current_user()
    return user.name if user else ""


def visible_pages(role: str) -> list[PageSpec]:
    """The pages a role sees, in menu order."""
    return [page for page in PAGES if role in page.roles]


def _forget_session() -> None:
    st.session_state.pop(USER_KEY, None)
    st.session_state.pop(EPOCH_KEY, None)


def _sign_in(user: User) -> None:
    st.session_state[USER_KEY] = user.name
    st.session_state[EPOCH_KEY] = user.session_epoch


def release_leases(name: str) -> int:
    """Put the queue ads this user holds back in the queue at once (their account was signed out); how many.

    0 when nothing was held or the monitoring log cannot be reached: then the leases simply run out.
    """
    from ui.resources import load_app_settings

    try:
        monitoring_settings = load_app_settings().monitoring
        if not name or not monitoring.db_path(monitoring_settings).exists():
            return 0
        return review_queue.release(monitoring_settings, name)
    except (ConfigError, sqlite3.Error, OSError):
        return 0


def logout() -> None:
    """Sign this session out (and out of the identity provider when OIDC is used); the ads the user held in the
    queue go back to it at once."""
    name = st.session_state.get(USER_KEY)
    _forget_session()
    st.session_state.pop(QUEUE_VIEW_KEY, None)
    if name:
        release_leases(name)
    if auth_settings().provider == "oidc" and st.user.is_logged_in:
        st.logout()


def client_address() -> str:
    """The client's IP address as Streamlit sees it ('local' for localhost); failures are also counted per address."""
    try:
        address = st.context.ip_address
    except Exception:  # no client context (tests, bare mode)
        address = None
    return address if isinstance(address, str) and address else "local"


def _password_login(store: UserStore) -> None:
    """Name + password form; the store refuses while the account or address must wait."""
    if store.count() == 0:
        st.info(NO_USERS_HELP, icon=":material/person_add:")
    with st.form("login_form", clear_on_submit=False):
        name = st.text_input("Имя пользователя", key="login_name", autocomplete="username")
        password = st.text_input("Пароль", type="password", key="login_password", autocomplete="current-password")
        submitted = st.form_submit_button("Войти", type="primary", key="login_submit")
    if not submitted:
        return
    outcome = store.login(name or "", password or "", client_address())
    if outcome.user is not None:
        _sign_in(outcome.user)
        st.rerun()
    if outcome.throttled:
        st.error(
            f"Слишком много неудачных попыток входа. Повторите через {outcome.wait_seconds:.0f} с.",
            icon=":material/timer:",
        )
    else:
        st.error("Неверное имя пользователя или пароль.", icon=":material/lock:")


def _oidc_login(store: UserStore, settings: AuthSettings) -> None:
    """st.login with the identity provider; the account named by the e-mail (or name) gives the role."""
    if not st.user.is_logged_in:
        st.caption("Вход через корпоративную учётную запись (OIDC).")
        if st.button("Войти через SSO", type="primary", key="login_oidc"):
            st.login(settings.oidc_provider or None)
        return
    identity = str(st.user.get("email") or st.user.get("preferred_username") or st.user.get("name") or "")
    user = store.get(identity)
    if user is None:
        st.error(
            f"Учётная запись «{identity}» не заведена в ContactGuard. Попросите администратора выполнить "
            f"`python -m core users add {identity} --role moderator --no-password`.",
            icon=":material/lock:",
        )
        st.button("Выйти", key="login_oidc_logout", on_click=st.logout)
        return
    _sign_in(user)
    st.rerun()


def login_screen() -> None:
    """The sign-in screen (the page asked for by the URL opens right after)."""
    settings = auth_settings()
    st.title("Вход в ContactGuard")
    store = user_store()
    if settings.provider == "oidc":
        _oidc_login(store, settings)
    else:
        _password_login(store)


def sidebar_user(user: User) -> None:
    """Who is signed in, with a sign-out button."""
    with st.sidebar:
        left, right = st.columns([3, 2], vertical_alignment="center")
        left.markdown(f"**{user.name}** · {ROLE_LABELS.get(user.role, user.role)}")
        right.button("Выйти", key="auth_logout", on_click=logout, icon=":material/logout:")


def require_page(url_path: str) -> User:
    """The signed-in user when their role may open this page; otherwise a refusal and a stop."""
    spec = PAGE_BY_URL[url_path]
    user = current_user()
    if user is None:
        st.title(spec.title)
        st.warning("Войдите, чтобы открыть эту страницу.", icon=":material/lock:")
        st.stop()
    if user.role not in spec.roles:
        st.title(spec.title)
        allowed = ", ".join(ROLE_LABELS[role] for role in spec.roles)
        st.error(
            f"Страница «{spec.title}» недоступна для роли «{ROLE_LABELS.get(user.role, user.role)}». "
            f"Её открывают: {allowed}.",
            icon=":material/block:",
        )
        st.stop()
    return user


ACTION_LABELS = {
    "user.add": "добавлен пользователь",
    "user.remove": "удалён пользователь",
    "user.role": "сменена роль",
    "user.password": "сменён пароль",
    "settings.save": "сохранены настройки",
    "settings.restore": "восстановлены настройки",
    "model.promote": "назначена модель",
}


def audit_frame(entries: list[dict[str, str]]) -> pd.DataFrame:
    """Audit entries as a table with Russian column names and action labels."""
    return pd.DataFrame(
        {
            "Когда (UTC)": [entry["at"] for entry in entries],
            "Кто": [entry["user"] or "—" for entry in entries],
            "Действие": [ACTION_LABELS.get(entry["action"], entry["action"]) for entry in entries],
            "Подробности": [entry["detail"] for entry in entries],
        }
    )
