"""The metrics explorer and the model registry page, including promoting a champion."""

from __future__ import annotations

from pathlib import Path

from core import tracking
from core.config import load_settings, save_settings
from core.users import UserStore, users_path
from tests.app.pagekit import ROLE_USERS, no_exceptions, run_page, table_with, texts

METRICS = "app_pages/3_metrics.py"
MODELS = "app_pages/4_models.py"


def test_metrics_compare_two_runs(app_env) -> None:
    app = run_page(METRICS)
    no_exceptions(app)
    assert len(app.multiselect(key="metrics_runs").value) == 2
    summary = app.dataframe[0].value
    assert len(summary) == 2 and "ROC-AUC (тест)" in summary.columns
    charts = app.get("plotly_chart")
    assert len(charts) >= 3  # per-category AUC, ROC curves, found per disguise
    params = table_with(app, app.dataframe[-1].value.columns[0])
    assert {"model.use_text", "detect.context_window"} <= set(params.index)
    assert len(params) == 2  # only the rows that differ
    slices = table_with(app, "Маскировка")
    assert "words" in set(slices["Маскировка"])
    roc = table_with(app, "FPR")
    assert len(roc) == 10 and roc["Полнота"].between(0, 1).all()


def test_threshold_explorer_rescored_on_the_test_split(app_env) -> None:
    app = run_page(METRICS)
    app = app.slider(key="metrics_threshold").set_value(0.3).run()
    app = app.button(key="metrics_rescore").click().run()
    no_exceptions(app)
    exact = table_with(app, "Доля отмеченных")
    assert len(exact) == 10 and exact["Полнота"].between(0, 1).all()
    assert any("при пороге 0.30" in text for text in texts(app, "caption"))


def test_every_handwritten_set_is_shown_and_selectable(app_env) -> None:
    app = run_page(METRICS)
    no_exceptions(app)
    summary = app.dataframe[0].value
    assert {"ROC-AUC (золотой набор)", "ROC-AUC (отложенный набор)", "ROC-AUC (нетронутый набор)"} <= set(
        summary.columns
    )
    handwritten = table_with(app, "Подстройка")
    assert len(handwritten) == 6  # two runs x three sets
    assert handwritten.drop_duplicates("Набор").set_index("Набор")["Подстройка"].to_dict() == {
        "золотой": "да",
        "отложенный": "нет",
        "нетронутый": "нет",
    }
    assert handwritten["ROC-AUC"].between(0, 1).all()
    radio = app.radio(key="metrics_part")
    assert list(radio.options) == [
        "Синтетический тест",
        "Золотой набор (правила подстраивались)",
        "Отложенный набор (без подстройки)",
        "Нетронутый набор (только оценка)",
    ]
    app = radio.set_value("untouched").run()
    no_exceptions(app)
    assert app.radio(key="metrics_part").value == "untouched"
    assert len(app.get("plotly_chart")) >= 3  # per-category AUC, ROC curves and found per disguise on this set
    roc = table_with(app, "FPR")
    assert len(roc) == 10 and roc["Полнота"].between(0, 1).all()
    spans = table_with(app, "IoU")
    assert len(spans) == 2 and spans["IoU"].between(0, 1).all()


def test_golden_set_and_single_run(app_env) -> None:
    app = run_page(METRICS)
    app = app.radio(key="metrics_part").set_value("golden").run()
    no_exceptions(app)
    first = app.multiselect(key="metrics_runs").value[:1]
    app = app.multiselect(key="metrics_runs").set_value(first).run()
    no_exceptions(app)
    assert any("два запуска" in text for text in texts(app, "caption"))


def test_empty_store_explains_how_to_train(config_copy: Path, tmp_path: Path) -> None:
    settings = load_settings(config_copy)
    settings.tracking.uri = f"sqlite:///{tmp_path / 'empty.db'}"
    save_settings(settings, config_copy)
    for page in (METRICS, MODELS, "app_pages/1_check.py", "app_pages/2_batch.py"):
        app = run_page(page)
        no_exceptions(app)
        hints = texts(app, "info") + texts(app, "warning")
        assert any("make run" in text for text in hints), (page, hints)


def test_models_page_is_read_only_for_analysts(app_env) -> None:
    app = run_page(MODELS, role="analyst")
    no_exceptions(app)
    versions = table_with(app, "Версия")
    assert versions["Версия"].tolist() == [app_env.challenger, app_env.champion]
    assert "champion" in versions.loc[versions["Версия"] == app_env.champion, "Метки"].iloc[0]
    assert {"ROC-AUC (золотой)", "ROC-AUC (отложенный)", "ROC-AUC (нетронутый)"} <= set(versions.columns)
    decisions = table_with(app, "Решение")
    assert decisions["Версия"].tolist() == [app_env.challenger]
    assert decisions["Ручные наборы"].iloc[0] != "—"
    assert len(table_with(app, "Изменение AUC")) == 10
    handwritten = table_with(app, "Допуск")
    assert handwritten["Набор"].tolist() == ["золотой", "отложенный", "нетронутый"]
    assert handwritten.set_index("Набор").loc["нетронутый", "Объявлений"] == 640
    assert any("только администратор" in text for text in texts(app, "info"))
    assert "models_promote" not in [button.key for button in app.button]


def test_moderators_are_refused(app_env) -> None:
    app = run_page(MODELS, role="moderator")
    no_exceptions(app)
    assert any("недоступна для роли «модератор»" in text for text in texts(app, "error"))
    assert not app.dataframe


def test_promote_needs_confirmation_and_is_served_next_check(store_copy, admin_password) -> None:
    settings = load_settings(store_copy)
    assert tracking.get_alias_version(settings.tracking) == "1"
    app = run_page(MODELS)
    no_exceptions(app)
    app = app.selectbox(key="models_target").set_value("2").run()
    app = app.button(key="models_promote").click().run()
    assert any("Назначить версию 2" in text for text in texts(app, "warning"))
    assert tracking.get_alias_version(settings.tracking) == "1"  # not before the confirmation
    app = app.button(key="models_confirm").click().run()
    no_exceptions(app)
    assert any("Версия 2 теперь" in text for text in texts(app, "success"))
    assert tracking.get_alias_version(settings.tracking) == "2"
    versions = tracking.list_versions(settings.tracking)
    tags = versions.loc[versions["version"].astype(str) == "2"].iloc[0]
    assert tags.get("tag.promoted_by", tags.get("promoted_by")) == ROLE_USERS["admin"], tags.to_dict()
    audit = UserStore(users_path()).audit(action_prefix="model.promote")
    assert audit[0]["user"] == ROLE_USERS["admin"] and "v2" in audit[0]["detail"]
    assert table_with(app, "Кто")["Кто"].tolist() == [ROLE_USERS["admin"]]
    assert any("версия **2**" in text for text in texts(app, "markdown"))
    check = run_page("app_pages/1_check.py")
    check = check.selectbox(key="check_example").set_value("Телефон открытым текстом").run()
    no_exceptions(check)
    assert any("модель версии 2" in text for text in texts(check, "caption"))


def test_promotion_can_be_cancelled(store_copy, admin_password) -> None:
    app = run_page(MODELS)
    app = app.button(key="models_promote").click().run()
    app = app.button(key="models_cancel").click().run()
    no_exceptions(app)
    assert tracking.get_alias_version(load_settings(store_copy).tracking) == "1"
    assert "models_confirm" not in [button.key for button in app.button]
