"""The settings page's background retrain: the offer after a save, the start button, progress, log and result."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from core import retrain
from core.config import Settings
from ui.auth import is_admin, user_name

START_KEY = "settings_retrain"
OFFER_KEY = "settings_retrain_offer"  # keys of saved changes that need retraining
NOTICE_KEY = "settings_retrain_notice"
REFRESH_SECONDS = 2.0
STAGE_TITLES: dict[str, str] = {
    "prepare": "подготовка данных (prepare)",
    "train": "обучение и регистрация модели (train)",
    "evaluate": "оценка модели (evaluate)",
    "promote": "автоповышение (promote --candidate latest --if-better)",
}


def offer(keys: list[str]) -> None:
    """Offer a background retrain for these saved changes (shown until one is started)."""
    if keys:
        st.session_state[OFFER_KEY] = list(keys)


def _start(config_path: Path) -> None:
    """Start the retrain (admins only); a running one is not started twice."""
    if not is_admin():
        return
    try:
        retrain.start(config_path, user_name())
    except retrain.RetrainBusyError:
        st.session_state[NOTICE_KEY] = "Переобучение уже идёт: дождитесь его результата."
        return
    st.session_state.pop(OFFER_KEY, None)


def _progress(status: retrain.RetrainStatus) -> None:
    """Stage k of 4, who started it and the log so far."""
    stage = status.stage or retrain.STAGES[0]
    number = retrain.STAGES.index(stage) + 1 if stage in retrain.STAGES else 1
    st.progress(
        len(status.stages_done) / len(retrain.STAGES),
        text=f"Переобучение идёт: этап {number} из {len(retrain.STAGES)} — {STAGE_TITLES.get(stage, stage)}",
    )
    st.caption(
        f"Запустил {status.user or '—'} в {status.started_at} UTC. Переобучение идёт в отдельном процессе: "
        "страницу можно закрыть, результат появится здесь."
    )
    st.code(status.log_tail() or "…", language="text")


def _result(status: retrain.RetrainStatus, alias: str) -> None:
    """The finished job: candidate version, the gate's decision with its reason as plain text, or the failure."""
    if status.state == "done":
        st.success(
            f"Переобучение завершено {status.finished_at} UTC (запустил {status.user or '—'}): "
            f"кандидат — версия {status.version or '?'} зарегистрирована в реестре."
        )
        if status.decision == "promoted" and status.champion == status.version:
            st.success(f"Автоповышение: версия {status.version} прошла проверку и теперь @{alias}.")
        elif status.decision == "promoted":
            st.info(f"Автоповышение пропустило версию {status.version}, но @{alias} сейчас у версии {status.champion}.")
        else:
            kept = f"версии {status.champion}" if status.champion else "прежней версии"
            st.warning(f"Автоповышение отказало: @{alias} осталась у {kept}.")
        if status.reason:
            st.caption("Вывод проверки (как его записал promote):")
            st.text(status.reason)  # plain text: never markdown or HTML
    elif status.state == "failed":
        title = STAGE_TITLES.get(status.failed_stage, status.failed_stage or "?")
        st.error(
            f"Переобучение остановилось на этапе «{title}» (код выхода {status.exit_code}). "
            "Новая модель не зарегистрирована или не проверена; последние строки журнала ниже."
        )
    elif status.state == "interrupted":
        st.error("Переобучение прервано: процесс завершился, не записав результат. Последние строки журнала ниже.")
    elif status.state == "busy":
        st.warning("Переобучение не запущено: в это время уже шло другое.")
    with st.expander("Журнал переобучения", expanded=status.state in ("failed", "interrupted")):
        st.code(status.log_tail(80) or "(пусто)", language="text")


def _status_body(config_path: Path, alias: str) -> None:
    """The newest job's progress or result; when a watched job finishes, the whole page reloads once."""
    status = retrain.latest(config_path)
    if status is None:
        return
    if status.running:
        _progress(status)
    elif st.session_state.get("settings_retrain_watching"):
        st.session_state.pop("settings_retrain_watching", None)
        st.rerun()
    else:
        _result(status, alias)


_live_status = st.fragment(run_every=REFRESH_SECONDS)(_status_body)


def panel(config_path: Path, settings: Settings) -> None:
    """The retrain section: the offer with its button after retrain-needing changes, and the newest job."""
    status = retrain.latest(config_path)
    offered: list[str] = st.session_state.get(OFFER_KEY) or []
    if status is None and not offered:
        return
    st.subheader("Переобучение модели")
    if notice := st.session_state.pop(NOTICE_KEY, None):
        st.warning(notice)
    running = status is not None and status.running
    if offered and not running:
        st.warning(
            f"Сохранённые изменения {', '.join(offered)} вступят в силу только после переобучения: обслуживаемая "
            "модель хранит настройки, с которыми её обучили. «Переобучить в фоне» выполнит то же, что "
            "`make retrain`: prepare → train → evaluate, затем автоповышение кандидата, если он не хуже текущей "
            "модели."
        )
        st.button("Переобучить в фоне", key=START_KEY, type="primary", on_click=_start, args=(config_path,))
    if running:
        st.session_state["settings_retrain_watching"] = True
        _live_status(config_path, settings.tracking.serve_alias)
    elif status is not None:
        _result(status, settings.tracking.serve_alias)
