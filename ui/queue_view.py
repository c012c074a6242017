"""The review queue page: the held ad highlighted as on the check page, single-key decisions, counters."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field, replace

import streamlit as st

from core.config import Settings
from core.engine.predict import Predictor, cap_text
from core.engine.scorer import explanation_json
from core.engine.spans import Span
from core.ops import monitoring, review_queue
from core.ops.review_queue import QueueItem
from ui import render
from ui.auth import QUEUE_VIEW_KEY
from ui.ru_format import ru_int, ru_number

VIEW_KEY = QUEUE_VIEW_KEY  # the held item as shown (dropped at sign-out)
NOTICE_KEY = "queue_notice"
KEYS_HELP = "**Y** — контакт есть · **N** — контакта нет · **S** — пропустить · **U** — отменить последнее решение"
REASON_LABELS = {"flagged": "модель нашла контакт", "sample": "выборочная проверка (модель контакта не нашла)"}
SOURCE_LABELS = {"check": "проверка", "batch": "пакет", "cli": "командная строка", "serve": "API-сервер"}


@dataclass(slots=True)
class ReviewView:
    """The held item as shown: spans and explanation from the served model (None when no model is served)."""

    item: QueueItem
    model_version: str = ""
    probability: float | None = None
    contacts: list[Span] = field(default_factory=list)
    title_contacts: list[Span] = field(default_factory=list)
    drivers: list[tuple[str, float]] = field(default_factory=list)
    cut_to: int | None = None


def review_view(item: QueueItem, predictor: Predictor | None, settings: Settings) -> ReviewView:
    """Score the held ad with the served model for its highlighted contacts and explanation (not logged again)."""
    if predictor is None:
        return ReviewView(item)
    max_chars = settings.detect.max_chars
    title, title_cut = cap_text(item.title, max_chars)
    description, description_cut = cap_text(item.description, max_chars)
    prediction = predictor.predict_one(description, title=title, category=item.category, price=item.price)
    explanations, drivers = predictor.explain(prediction, description, title, item.category)
    explained = [
        replace(span, explanation=explanation_json(explanation))
        for span, explanation in zip([*prediction.contacts, *prediction.title_contacts], explanations, strict=True)
    ]
    return ReviewView(
        item,
        predictor.version,
        prediction.probability,
        explained[: len(prediction.contacts)],
        explained[len(prediction.contacts) :],
        drivers,
        max_chars if title_cut or description_cut else None,
    )


def current_view(item: QueueItem, predictor: Predictor | None, settings: Settings) -> ReviewView:
    """The view of the held item, scored once per item and model version in this session."""
    view: ReviewView | None = st.session_state.get(VIEW_KEY)
    version = predictor.version if predictor is not None else ""
    if view is None or view.item.id != item.id or view.model_version != version:
        view = review_view(item, predictor, settings)
    else:
        view.item = item  # the renewed lease
    st.session_state[VIEW_KEY] = view
    return view


def _notice(kind: str, text: str) -> None:
    st.session_state[NOTICE_KEY] = (kind, text)


def on_decide(settings: Settings, user: str, has_contact: bool) -> None:
    """Button callback: record the answer on the held item; the rerun then shows the next one."""
    view: ReviewView | None = st.session_state.pop(VIEW_KEY, None)
    if view is None:
        return
    spans = monitoring.span_records(view.contacts, view.title_contacts)
    try:
        review_queue.decide(settings.monitoring, user, view.item.id, has_contact, spans)
    except review_queue.LeaseLostError:
        _notice("warning", "Время на объявление истекло, и его уже взял другой модератор: решение не записано.")
    except (sqlite3.Error, OSError) as error:
        _notice("error", f"Решение не записано: {error}")


def on_skip(settings: Settings, user: str) -> None:
    """Button callback: give the held item back to the end of the queue."""
    view: ReviewView | None = st.session_state.pop(VIEW_KEY, None)
    if view is not None:
        review_queue.skip(settings.monitoring, user, view.item.id)


def on_undo(settings: Settings, user: str) -> None:
    """Button callback: revert the user's last decision; its ad comes back in front of them."""
    undone = review_queue.undo(settings.monitoring, user)
    if undone is None:
        _notice("info", "Отменять нечего: в очереди вы ещё ничего не решили.")
        return
    st.session_state.pop(VIEW_KEY, None)
    _notice("success", "Последнее решение отменено — объявление снова перед вами.")


def show_notice() -> None:
    """The message left by the last action, once."""
    notice = st.session_state.pop(NOTICE_KEY, None)
    if notice is not None:
        kind, text = notice
        getattr(st, kind)(text)


def show_counts(counts: review_queue.QueueCounts) -> None:
    """Left in the queue and done by this user today."""
    left, done = st.columns(2)
    left.metric("Осталось в очереди", ru_int(counts.left))
    done.metric("Сделано мной сегодня", ru_int(counts.done_by_me_today))


def show_item(view: ReviewView, threshold: float) -> None:
    """The held ad: verdict, where it came from, highlighted text, the explanation of every contact."""
    item = view.item
    probability = view.probability if view.probability is not None else item.probability
    render.show_verdict(probability, threshold)
    logged = (
        f"В очереди: {REASON_LABELS.get(item.reason, item.reason)} · источник "
        f"{SOURCE_LABELS.get(item.source, item.source)} · вероятность в журнале {ru_number(item.probability, 3)}"
        f" (модель версии {item.model_version or '—'}) · категория «{item.category or '—'}»"
    )
    st.caption(render.markdown_escape(logged))
    if view.cut_to is not None:
        st.warning(f"Текст длиннее {ru_int(view.cut_to)} символов: подсвечены только первые {ru_int(view.cut_to)}.")
    if view.model_version:
        render.show_highlighted(item.description, view.contacts, item.title, view.title_contacts)
    else:
        st.warning("Модель не загружена: объявление показано без подсветки контактов.")
        render.show_highlighted(item.description, [], item.title, [])
    spans = [*view.title_contacts, *view.contacts]
    if spans:
        st.markdown("**Почему модель так решила**")
        for span in spans:
            st.caption(render.markdown_escape(render.span_hover(span)))
    elif view.drivers and probability >= threshold:
        reasons = ", ".join(render.feature_label(name) for name, _ in view.drivers)
        st.caption(render.markdown_escape(f"Контакт не выделен; больше всего повлияло: {reasons}."))
    else:
        st.caption("Контакты не найдены.")


def decision_buttons(settings: Settings, user: str, holding: bool) -> None:
    """The four actions, each on its own key (shown on the buttons and above them)."""
    st.markdown(KEYS_HELP)
    columns = st.columns(4)
    columns[0].button(
        "Контакт есть",
        key="queue_yes",
        shortcut="Y",
        type="primary",
        disabled=not holding,
        on_click=on_decide,
        args=(settings, user, True),
        width="stretch",
    )
    columns[1].button(
        "Контакта нет",
        key="queue_no",
        shortcut="N",
        disabled=not holding,
        on_click=on_decide,
        args=(settings, user, False),
        width="stretch",
    )
    columns[2].button(
        "Пропустить",
        key="queue_skip",
        shortcut="S",
        disabled=not holding,
        on_click=on_skip,
        args=(settings, user),
        width="stretch",
    )
    columns[3].button(
        "Отменить", key="queue_undo", shortcut="U", on_click=on_undo, args=(settings, user), width="stretch"
    )
