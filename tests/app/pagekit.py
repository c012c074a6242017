"""Helpers for driving dashboard pages with Streamlit's AppTest."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from core.ops.users import UserStore, users_path

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery staple"
ROLE_USERS = {"admin": "alice", "analyst": "anna", "moderator": "misha"}


def account(role: str, name: str | None = None) -> str:
    """Make sure an account with this role exists in the test's user store; returns its name."""
    store = UserStore(users_path())
    name = name or ROLE_USERS[role]
    if store.get(name) is None:
        store.add(name, role, PASSWORD, by="tests")
    return name


def signed_in(app: AppTest, role: str | None = "admin", name: str | None = None) -> AppTest:
    """Put a signed-in session of a user with this role into the AppTest (None: nobody signed in)."""
    if role is None:
        return app
    user = UserStore(users_path()).get(account(role, name))
    assert user is not None
    app.session_state["auth_user"] = user.name
    app.session_state["auth_epoch"] = user.session_epoch
    return app


def run_page(name: str, role: str | None = "admin", user: str | None = None) -> AppTest:
    """Run one page script (or app.py) signed in with this role (admin by default) and return the finished AppTest."""
    app = AppTest.from_file(str(ROOT / name), default_timeout=60)
    return signed_in(app, role, user).run()


def login(app: AppTest, name: str, password: str) -> AppTest:
    """Type a name and password into the sign-in form and submit it."""
    app.text_input(key="login_name").input(name)
    app.text_input(key="login_password").input(password)
    return app.button(key="login_submit").click().run()


def texts(app: AppTest, kind: str) -> list[str]:
    """Values of every element of a kind (error, warning, info, success, caption, markdown)."""
    return [str(element.value) for element in getattr(app, kind)]


def table_with(app: AppTest, column: str) -> pd.DataFrame:
    """The first st.dataframe whose value has this column (AppTest does not keep dataframe keys)."""
    for element in app.dataframe:
        if column in element.value.columns:
            return element.value
    raise AssertionError(f"no table with column {column!r}")


def no_exceptions(app: AppTest) -> None:
    """Fail with the page's traceback when the script raised."""
    assert not app.exception, "\n".join(str(item.value) for item in app.exception)


def menu(app: AppTest) -> list[str]:
    """Titles of the page links in the sidebar menu, in order."""
    return [element.proto.label for element in app.sidebar if type(element).__name__ == "PageLink"]
