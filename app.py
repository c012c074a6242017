"""ContactGuard dashboard: the shared frame (page config, sign-in, sidebar) and navigation by role over app_pages/.

The page scripts live in app_pages/, not pages/: Streamlit treats a pages/ folder next to the entry script as
the old file-name navigation and shows it on a deep link opened before app.py has run once.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from ui import auth

PAGES_DIR = Path(__file__).resolve().parent / "app_pages"


def _page(spec: auth.PageSpec) -> st.Page:
    return st.Page(PAGES_DIR / spec.script, title=spec.title, icon=spec.icon, url_path=spec.url_path)


def _home() -> None:
    """`/` opens the check page under its own URL, so that `/check` is a deep link like every other page."""
    st.switch_page(pages["check"])


st.set_page_config(page_title="ContactGuard", page_icon=":material/shield:", layout="wide")
# Every page is registered on every run, so any URL (/batch, /settings, ...) resolves to its own page: before the
# sign-in it opens right after it, and a page that the role may not open refuses by itself (ui.auth.require_page).
# The menu is drawn by hand from the pages the role may open, grouped into sections.
pages = {spec.url_path: _page(spec) for spec in auth.PAGES}
home = st.Page(_home, title="ContactGuard", url_path="home", default=True)
navigation = st.navigation([home, *pages.values()], position="hidden")
user = auth.current_user()
if user is None:
    auth.login_screen()
    st.stop()

with st.sidebar:
    for section in auth.SECTIONS:
        allowed = [spec for spec in auth.visible_pages(user.role) if spec.section == section]
        if allowed:
            st.caption(section)
            for spec in allowed:
                st.page_link(pages[spec.url_path], width="stretch")
    st.divider()
    st.caption("ContactGuard — поиск скрытых контактов в объявлениях")
auth.sidebar_user(user)
navigation.run()
