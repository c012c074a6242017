"""The metrics explorer and the model registry page, including promoting a champion."""

from __future__ import annotations

import base64
import html
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from mlflow.tracking import MlflowClient
from sklearn.metrics import precision_score, recall_score

from core.config import load_settings, resolve_path, save_settings
from core.lifecycle import tracking
from core.lifecycle.data import load_split
from core.lifecycle.golden import load_golden
from core.ops.users import UserStore, users_path
from tests.app.pagekit import ROLE_USERS, no_exceptions, run_page, table_with, texts
from ui import models_view as views

METRICS = "app_pages/3_metrics.py"
MODELS = "app_pages/4_models.py"


def test_metrics_compare_two_runs(app_env) -> None:
    app = run_page(METRICS)
    no_exceptions(app)
    assert len(app.multiselect(key="metrics_runs").value) == 2
    summary = app.dataframe[0].value
    assert list(summary.columns) == ["rules-only", "catboost-baseline"] and "ROC-AUC (тест)" in summary.index
    charts = app.get("plotly_chart")
    assert len(charts) >= 3  # per-category AUC, ROC curves, found per disguise
    params = app.dataframe[-1].value
    assert {"model.use_text", "detect.context_window"} <= set(params.index)
    assert len(params) == 2  # only the rows that differ
    slices = table_with(app, "Маскировка")
    assert "цифры словами" in set(slices["Маскировка"]) and "words" not in set(slices["Маскировка"])
    found = _chart(app, "Маскировка")
    assert "цифры словами" in {value for trace in found.data for value in trace.x}


def test_every_handwritten_set_is_shown_and_selectable(app_env) -> None:
    app = run_page(METRICS)
    no_exceptions(app)
    summary = app.dataframe[0].value
    assert {"ROC-AUC (золотой набор)", "ROC-AUC (отложенный набор)", "ROC-AUC (нетронутый набор)"} <= set(summary.index)
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
    spans = table_with(app, "Точность по символам")
    assert len(spans) == 2 and spans["IoU"].between(0, 1).all()


def _runs(app_env) -> pd.DataFrame:
    """The dashboard store's two training runs as MLflow lists them, keyed by run name."""
    runs = tracking.list_runs(app_env.settings)
    return runs.set_index("tags.mlflow.runName")


def _chart(app, axis_title: str) -> go.Figure:
    """The plotly figure on the page whose x axis has this title."""
    for element in app.get("plotly_chart"):
        figure = pio.from_json(element.proto.spec)
        if figure.layout.xaxis.title.text == axis_title:
            return figure
    raise AssertionError(f"no chart with the x axis {axis_title!r}")


def _values(array: object) -> list:
    """A plotly JSON array as a list (plotly 6+ packs numbers as base64 'bdata')."""
    if isinstance(array, dict) and "bdata" in array:
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return list(array)


def test_change_table_between_two_real_runs_on_every_set(app_env) -> None:
    runs = _runs(app_env)
    before, after = runs.loc["catboost-baseline"], runs.loc["rules-only"]
    app = run_page(METRICS)
    no_exceptions(app)
    assert app.selectbox(key="metrics_before").value == before["run_id"]
    assert app.selectbox(key="metrics_after").value == after["run_id"]
    changes = table_with(app, "Изменение")
    prefixes = {"синтетический тест": "metrics.", "золотой": "metrics.golden_", "отложенный": "metrics.holdout_"}
    prefixes["нетронутый"] = "metrics.untouched_"
    assert set(changes["Набор"]) == set(prefixes)
    for name, prefix in prefixes.items():
        rows = changes[changes["Набор"] == name].set_index("Категория")
        categories = sorted(column.split("/", 1)[1] for column in runs.columns if column.startswith(prefix + "auc/"))
        assert len(categories) == 10 and set(rows.index) == {*categories, "в среднем по категориям"}
        for category in categories:
            column = f"{prefix}auc/{category}"
            assert rows.loc[category, "ROC-AUC A"] == pytest.approx(before[column])
            assert rows.loc[category, "ROC-AUC B"] == pytest.approx(after[column])
            assert rows.loc[category, "Изменение"] == pytest.approx(after[column] - before[column])
        mean = rows.loc["в среднем по категориям"]
        assert mean["Изменение"] == pytest.approx(after[prefix + "mean_auc"] - before[prefix + "mean_auc"])
    assert changes["Изменение"].is_monotonic_increasing  # worst drops first
    app.selectbox(key="metrics_before").set_value(after["run_id"])
    swapped = app.selectbox(key="metrics_after").set_value(before["run_id"]).run()
    no_exceptions(swapped)
    again = table_with(swapped, "Изменение").set_index(["Набор", "Категория"])
    original = changes.set_index(["Набор", "Категория"])
    assert again.loc[original.index, "Изменение"].to_numpy() == pytest.approx(-original["Изменение"].to_numpy())


def test_roc_curves_of_two_runs_overlaid(app_env) -> None:
    runs = _runs(app_env)
    app = run_page(METRICS)
    app = app.radio(key="metrics_part").set_value("golden").run()
    category = app.selectbox(key="metrics_roc_category").options[3]
    app = app.selectbox(key="metrics_roc_category").set_value(category).run()
    no_exceptions(app)
    figure = _chart(app, "Доля ложных срабатываний (FPR)")
    curves = [trace for trace in figure.data if trace.name and trace.name[:2] in ("A:", "B:")]
    assert [trace.name[:2] for trace in curves] == ["A:", "B:"]
    for trace, name in zip(curves, ["catboost-baseline", "rules-only"], strict=True):
        assert name in trace.name
        report = tracking.load_run_json(app_env.settings.tracking, runs.loc[name, "run_id"], "evaluation.json")
        points = report["golden"]["roc"][category]
        assert _values(trace.x) == pytest.approx(points["fpr"]) and _values(trace.y) == pytest.approx(points["tpr"])


def _scores(app_env, run_id: str, frame: pd.DataFrame) -> np.ndarray:
    """The run's own model scoring the frame outside the app."""
    predictor = tracking.load_predictor(app_env.settings.tracking, uri=f"runs:/{run_id}/model")
    return predictor.predict_frame(frame)["prediction"].to_numpy(dtype=float)


@pytest.mark.parametrize(("part", "threshold", "shown"), [("untouched", 0.3, "0,30"), ("synthetic", 0.985, "0,985")])
def test_threshold_numbers_are_exact_on_the_selected_set(app_env, part: str, threshold: float, shown: str) -> None:
    runs = _runs(app_env)
    app = run_page(METRICS)
    app = app.radio(key="metrics_part").set_value(part).run()
    app = app.select_slider(key="metrics_threshold").set_value(threshold).run()
    app = app.selectbox(key="metrics_threshold_run").set_value(runs.loc["catboost-baseline", "run_id"]).run()
    app = app.button(key="metrics_rescore").click().run()
    no_exceptions(app)
    exact = table_with(app, "Доля отмеченных").set_index("Категория")
    if part == "synthetic":
        frame = load_split(app_env.settings.data, app_env.settings.evaluate.split, require_label=True)
    else:
        frame = load_golden(resolve_path(app_env.settings.evaluate.handwritten(part)["path"]))
    scores = _scores(app_env, runs.loc["catboost-baseline", "run_id"], frame)
    labels = frame["is_bad"].astype(int).to_numpy()
    flagged = (scores >= threshold).astype(int)
    groups = {"Все категории": np.ones(len(frame), dtype=bool)}
    groups.update({name: (frame["category"] == name).to_numpy() for name in sorted(frame["category"].unique())})
    assert list(exact.index) == list(groups)
    for name, rows in groups.items():
        assert exact.loc[name, "Объявлений"] == rows.sum()
        assert exact.loc[name, "Полнота"] == pytest.approx(recall_score(labels[rows], flagged[rows]))
        assert exact.loc[name, "Точность"] == pytest.approx(
            precision_score(labels[rows], flagged[rows], zero_division=np.nan), nan_ok=True
        )
        assert exact.loc[name, "Доля отмеченных"] == pytest.approx(flagged[rows].mean())
    assert any(f"при пороге {shown} " in text for text in texts(app, "caption"))


def test_ads_whose_score_changed_most_are_shown_highlighted(app_env) -> None:
    runs = _runs(app_env)
    app = run_page(METRICS)
    app = app.radio(key="metrics_part").set_value("golden").run()
    app = app.button(key="metrics_score_changes").click().run()
    no_exceptions(app)
    table = table_with(app, "Разметка")
    assert len(table) == 20
    assert table["Изменение"].abs().is_monotonic_decreasing
    frame = load_golden(resolve_path(app_env.settings.evaluate.handwritten("golden")["path"]))
    before = _scores(app_env, runs.loc["catboost-baseline", "run_id"], frame)
    after = _scores(app_env, runs.loc["rules-only", "run_id"], frame)
    assert table["Изменение"].abs().iloc[0] == pytest.approx(np.abs(after - before).max())
    top = int(np.argmax(np.abs(after - before)))
    assert table["Оценка A"].iloc[0] == pytest.approx(before[top]) and table["Оценка B"].iloc[0] == pytest.approx(
        after[top]
    )
    assert table["Заголовок"].iloc[0] == frame["title"].iloc[top]
    pages = [str(element.proto.body) for element in app.get("html")]
    highlighted = [body for body in pages if 'class="cg-ad"' in body]
    assert len(highlighted) == 2  # the top ad as model A and model B see it
    assert all(html.escape(frame["title"].iloc[top], quote=False)[:20] in body for body in highlighted)


def test_run_names_with_tags_are_plain_text_in_charts(store_copy: Path) -> None:
    settings = load_settings(store_copy)
    runs = tracking.list_runs(settings).set_index("tags.mlflow.runName")
    client = MlflowClient(tracking_uri=tracking.tracking_uri(settings.tracking))
    client.set_tag(runs.loc["rules-only", "run_id"], "mlflow.runName", "<b>жирный</b> [a](http://evil.example)")
    app = run_page(METRICS)
    no_exceptions(app)
    names = [str(trace.name) for element in app.get("plotly_chart") for trace in pio.from_json(element.proto.spec).data]
    tagged = [name for name in names if "жирный" in name]
    assert tagged and all("<b>" not in name and "&lt;b&gt;жирный&lt;/b&gt;" in name for name in tagged)
    assert any("<b>жирный</b>" in label for label in app.multiselect(key="metrics_runs").options)


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
    per_set = table_with(app, "AUC золотой")
    assert {"AUC отложенный", "AUC нетронутый"} <= set(per_set.columns)
    assert per_set["Версия"].tolist() == [app_env.challenger, app_env.champion]
    assert versions["Запуск"].str.len().eq(8).all()
    decisions = table_with(app, "Решение")
    assert decisions["Версия"].tolist() == [app_env.challenger]
    assert decisions["Ручные наборы"].iloc[0] != "—"
    assert len(table_with(app, "Изменение AUC")) == 10
    handwritten = table_with(app, "Допуск")
    assert handwritten["Набор"].tolist() == ["золотой", "отложенный", "нетронутый"]
    untouched = load_golden(resolve_path(app_env.settings.evaluate.handwritten("untouched")["path"]))
    assert handwritten.set_index("Набор").loc["нетронутый", "Объявлений"] == len(untouched)
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
    if views.promotion_decision(tracking.list_versions(settings.tracking), "2") == "refused":
        app = app.checkbox(key="models_override").check().run()  # the store's rules-only v2 may be refused
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


REFUSAL = (
    "mean ROC-AUC 0.9000 is lower than the champion's 0.9500; "
    "ROC-AUC in '**x**' drops by 0.0500, more than the tolerance 0.0050; see [a](http://evil.example)"
)


def _refuse_version_2(config: Path) -> None:
    """Record a gate refusal for version 2 whose reason quotes markdown."""
    tracking.tag_version(
        load_settings(config).tracking, "2", {"promotion.decision": "refused", "promotion.reason": REFUSAL}
    )


def test_refusal_reason_is_plain_russian_text(store_copy, admin_password) -> None:
    _refuse_version_2(store_copy)
    app = run_page(MODELS)
    no_exceptions(app)
    app = app.selectbox(key="models_decision_version").set_value("2").run()
    reasons = [text for text in texts(app, "text") if text.startswith("Причина:")]
    assert reasons == [
        "Причина: Средний ROC-AUC 0,9000 ниже, чем у чемпиона (0,9500); ROC-AUC в категории «**x**» падает на "
        "0,0500 — больше допуска 0,0050; see [a](http://evil.example)"
    ]
    rendered = texts(app, "markdown") + texts(app, "caption") + texts(app, "warning") + texts(app, "error")
    assert not any("**x**" in text or "evil.example" in text for text in rendered)


def test_promoting_a_refused_version_warns_and_needs_confirmation(store_copy, admin_password) -> None:
    _refuse_version_2(store_copy)
    settings = load_settings(store_copy)
    app = run_page(MODELS)
    assert app.selectbox(key="models_target").options == ["2 (проверка отказала)"]
    app = app.button(key="models_promote").click().run()
    no_exceptions(app)
    assert any("проверка отказала версии 2" in text for text in texts(app, "error"))
    assert any(text.startswith("Причина отказа: Средний ROC-AUC 0,9000") for text in texts(app, "text"))
    assert app.button(key="models_confirm").disabled  # AppTest, like a browser, cannot click it now
    assert tracking.get_alias_version(settings.tracking) == "1"
    app = app.checkbox(key="models_override").check().run()
    assert not app.button(key="models_confirm").disabled
    app = app.button(key="models_confirm").click().run()
    no_exceptions(app)
    assert tracking.get_alias_version(settings.tracking) == "2"
    audit = UserStore(users_path()).audit(action_prefix="model.promote")
    assert "despite the gate's refusal" in audit[0]["detail"]
