"""Accounts in the dashboard: sign-in and server-side throttling, menus and refusals by role, the users page,
decisions recorded with the moderator's name, deep links kept through the sign-in."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from core.config import load_settings
from core.ops import monitoring, users
from core.ops.users import UserStore, users_path
from tests.app.pagekit import PASSWORD, ROLE_USERS, ROOT, account, login, menu, no_exceptions, run_page, texts

ALL_PAGES = [
    "Проверка объявления",
    "Пакетная проверка",
    "Очередь",
    "Метрики",
    "Мониторинг",
    "Модели",
    "Настройки",
    "Пользователи",
]


def _fresh_app() -> AppTest:
    """app.py in a new browser session (nobody signed in)."""
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)


@pytest.fixture
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The user store's clock, stopped at a value the test moves by hand."""
    now = [1_000_000.0]
    monkeypatch.setattr(users, "clock", lambda: now[0])
    return now


def test_sign_in_screen_first_then_the_check_page(app_env) -> None:
    name = account("moderator")
    app = _fresh_app().run()
    no_exceptions(app)
    assert app.title[0].value == "Вход в ContactGuard"
    assert menu(app) == []
    app = login(app, name, PASSWORD)
    no_exceptions(app)
    assert app.title[0].value == "Проверка объявления"
    assert app.session_state["auth_user"] == name


def test_wrong_password_fails_and_is_throttled_across_sessions(app_env, frozen_clock: list[float]) -> None:
    name = account("moderator")
    first = _fresh_app().run()
    for attempt in range(3):
        first = login(first, name, f"wrong password {attempt}")
        no_exceptions(first)
        assert any("Неверное имя пользователя или пароль" in text for text in texts(first, "error"))
        assert "auth_user" not in first.session_state
        frozen_clock[0] += 0.1  # the next try comes before the delay of the last failure has passed
        if attempt < 2:
            frozen_clock[0] += 5.0  # ...except for these two, so three failures are counted
    # A new tab (a new session) gets no fresh start: the account still has to wait, even with the right password.
    second = login(_fresh_app().run(), name, PASSWORD)
    no_exceptions(second)
    errors = texts(second, "error")
    assert any("Слишком много неудачных попыток" in text for text in errors), errors
    assert "auth_user" not in second.session_state
    assert UserStore(users_path()).wait_seconds(name, None) == pytest.approx(2.0 - 0.1)
    frozen_clock[0] += 2.0
    second = login(second, name, PASSWORD)
    no_exceptions(second)
    assert second.session_state["auth_user"] == name
    assert second.title[0].value == "Проверка объявления"


def test_unknown_name_is_refused_like_a_wrong_password(app_env) -> None:
    app = login(_fresh_app().run(), "nobody", PASSWORD)
    assert any("Неверное имя пользователя или пароль" in text for text in texts(app, "error"))


def test_empty_store_says_how_to_create_the_first_admin(app_env) -> None:
    app = _fresh_app().run()
    assert any("python -m core users add" in text for text in texts(app, "info"))


def test_env_admin_password_creates_the_admin_account(app_env, admin_password: str) -> None:
    app = login(_fresh_app().run(), "admin", admin_password)
    no_exceptions(app)
    assert app.session_state["auth_user"] == "admin"
    assert menu(app) == ALL_PAGES
    assert UserStore(users_path()).get("admin").role == "admin"


@pytest.mark.parametrize(
    ("role", "pages"),
    [
        ("moderator", ["Проверка объявления", "Пакетная проверка", "Очередь"]),
        ("analyst", ["Проверка объявления", "Пакетная проверка", "Очередь", "Метрики", "Мониторинг", "Модели"]),
        ("admin", ALL_PAGES),
    ],
)
def test_menu_by_role(app_env, role: str, pages: list[str]) -> None:
    app = run_page("app.py", role=role)
    no_exceptions(app)
    assert menu(app) == pages
    sections = [str(element.value) for element in app.sidebar.caption]
    assert ("Администрирование" in sections) == (role == "admin")
    assert any(ROLE_USERS[role] in str(element.value) for element in app.sidebar.markdown)


@pytest.mark.parametrize(
    ("role", "label", "page"),
    [
        ("moderator", "модератор", "app_pages/5_settings.py"),
        ("moderator", "модератор", "app_pages/7_users.py"),
        ("moderator", "модератор", "app_pages/3_metrics.py"),
        ("analyst", "аналитик", "app_pages/5_settings.py"),
        ("analyst", "аналитик", "app_pages/7_users.py"),
    ],
)
def test_opening_a_page_of_another_role_by_url_is_refused(app_env, role: str, label: str, page: str) -> None:
    app = run_page("app.py", role=role).switch_page(page).run()
    no_exceptions(app)
    assert any(f"недоступна для роли «{label}»" in text for text in texts(app, "error"))
    assert not app.dataframe and not app.text_input and "settings_submit" not in [b.key for b in app.button]


@pytest.mark.parametrize(
    ("page", "title"),
    [("app_pages/2_batch.py", "Пакетная проверка"), ("app_pages/5_settings.py", "Настройки")],
)
def test_deep_link_opens_its_page_after_the_sign_in(app_env, page: str, title: str) -> None:
    name = account("admin")
    app = _fresh_app().switch_page(page).run()
    assert app.title[0].value == "Вход в ContactGuard"
    app = login(app, name, PASSWORD)
    no_exceptions(app)
    assert app.title[0].value == title


def test_removed_user_is_signed_out(app_env) -> None:
    app = run_page("app.py", role="moderator")
    account("admin")
    UserStore(users_path()).remove(ROLE_USERS["moderator"], by="alice")
    app = app.run()
    assert app.title[0].value == "Вход в ContactGuard"


def test_password_change_signs_open_sessions_out(app_env) -> None:
    app = run_page("app.py", role="moderator")
    UserStore(users_path()).set_password(ROLE_USERS["moderator"], "a brand new password")
    assert app.run().title[0].value == "Вход в ContactGuard"


def test_sign_out(app_env) -> None:
    app = run_page("app.py", role="analyst")
    app = app.button(key="auth_logout").click().run()
    assert app.title[0].value == "Вход в ContactGuard"
    assert "auth_user" not in app.session_state


def test_admin_adds_changes_and_removes_a_user_on_the_page(app_env) -> None:
    page = "app_pages/7_users.py"
    app = run_page(page, role="admin")
    no_exceptions(app)
    app.text_input(key="users_new_name").input("Olga")
    app.selectbox(key="users_new_role").set_value("analyst")
    app.text_input(key="users_new_password").input("olga's long password")
    app = app.button(key="users_add").click().run()
    no_exceptions(app)
    assert any("«olga» добавлен" in text for text in texts(app, "success")), texts(app, "error")
    store = UserStore(users_path())
    olga = store.get("olga")
    assert olga is not None and olga.role == "analyst" and olga.created_by == ROLE_USERS["admin"]
    assert store.login("olga", "olga's long password").user == olga
    assert "olga" in app.dataframe[0].value["Имя"].tolist()

    app.text_input(key="users_new_name").input("petr")
    app.text_input(key="users_new_password").input("short")
    app = app.button(key="users_add").click().run()
    assert any("Пароль слишком короткий" in text for text in texts(app, "error"))
    assert store.get("petr") is None

    app = app.selectbox(key="users_target").set_value("olga").run()
    app = app.selectbox(key="users_target_role").set_value("moderator").run()
    app = app.button(key="users_set_role").click().run()
    assert store.get("olga").role == "moderator"
    app = app.checkbox(key="users_remove_sure").check().run()
    app = app.button(key="users_remove").click().run()
    no_exceptions(app)
    assert store.get("olga") is None
    audit = [(entry["user"], entry["action"]) for entry in store.audit()]
    assert audit[:3] == [("alice", "user.remove"), ("alice", "user.role"), ("alice", "user.add")]


def test_the_last_admin_cannot_be_demoted(app_env) -> None:
    app = run_page("app_pages/7_users.py", role="admin")
    app = app.selectbox(key="users_target_role").set_value("moderator").run()
    app = app.button(key="users_set_role").click().run()
    assert any("последний администратор" in text for text in texts(app, "error"))
    assert UserStore(users_path()).get(ROLE_USERS["admin"]).role == "admin"


def test_decision_is_stored_with_the_moderators_name(app_env) -> None:
    settings = load_settings(app_env.config_path)
    app = run_page("app_pages/1_check.py", role="moderator")
    app = app.selectbox(key="check_example").set_value("Ник в Telegram").run()
    app = app.button(key="check_confirm").click().run()
    no_exceptions(app)
    assert any(f"от имени {ROLE_USERS['moderator']}" in text for text in texts(app, "success"))
    row = monitoring.read_log(settings.monitoring).iloc[-1]
    assert row["decision"] == "confirm" and row["moderator"] == ROLE_USERS["moderator"]
