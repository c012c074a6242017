"""Helpers for driving dashboard pages with Streamlit's AppTest."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery staple"


def run_page(name: str) -> AppTest:
    """Run one page script (or app.py) standalone and return the finished AppTest."""
    app = AppTest.from_file(str(ROOT / name), default_timeout=60)
    return app.run()


def login(app: AppTest, prefix: str, password: str) -> AppTest:
    """Type the admin password into a page's login form and submit it."""
    app.text_input(key=f"{prefix}_password").input(password)
    return app.button(key=f"{prefix}_login").click().run()


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
