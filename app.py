"""ContactGuard dashboard: page config and navigation over pages/ (the pages draw the sidebar)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parent

st.set_page_config(page_title="ContactGuard", page_icon=":material/shield:", layout="wide")
pages = [
    st.Page(
        ROOT / "pages" / "1_check.py",
        title="Проверка объявления",
        icon=":material/search:",
        url_path="check",
        default=True,
    ),
    st.Page(ROOT / "pages" / "2_batch.py", title="Пакетная проверка", icon=":material/upload_file:", url_path="batch"),
    st.Page(ROOT / "pages" / "3_metrics.py", title="Метрики", icon=":material/monitoring:", url_path="metrics"),
    st.Page(ROOT / "pages" / "4_models.py", title="Модели", icon=":material/deployed_code:", url_path="models"),
    st.Page(ROOT / "pages" / "5_settings.py", title="Настройки", icon=":material/settings:", url_path="settings"),
    st.Page(
        ROOT / "pages" / "6_monitoring.py", title="Мониторинг", icon=":material/query_stats:", url_path="monitoring"
    ),
]
st.sidebar.caption("ContactGuard — поиск скрытых контактов в объявлениях")
st.navigation(pages).run()
