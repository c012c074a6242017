"""Очередь: the next ad for review under a lease, decided with single keys (Y, N, S, U)."""

from __future__ import annotations

import sqlite3

import streamlit as st

from core.ops import review_queue
from ui import queue_view, resources
from ui.auth import require_page

user = require_page("queue")
context = resources.page_start("Очередь", needs_registry=False)  # moderation goes on without MLflow
settings = context.settings
model, problem = resources.served_model(settings, context.champion)
queue_view.show_notice()
try:
    item = review_queue.take_next(settings.monitoring, user.name)
    counts = review_queue.counts(settings.monitoring, user.name)
except (sqlite3.Error, OSError) as error:
    st.error(f"Очередь недоступна: {error}", icon=":material/error:")
    st.stop()

queue_view.show_counts(counts)
queue_view.decision_buttons(settings, user.name, holding=item is not None)
if item is None:
    st.session_state.pop(queue_view.VIEW_KEY, None)
    st.info(
        "Очередь пуста. Сюда попадают объявления, в которых модель нашла контакт (со страниц проверки, "
        "из пакетной проверки, командной строки и API-сервера), и небольшая выборка остальных для контроля.",
        icon=":material/inbox:",
    )
    st.stop()
if model is None:
    st.caption(problem)
view = queue_view.current_view(item, model.predictor if model else None, settings)
queue_view.show_item(view, settings.app.threshold)
