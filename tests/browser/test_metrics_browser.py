"""Metrics and models pages in a real headless Chromium: run names stay text, refusals are plain text, tables fit."""

from __future__ import annotations

import pytest
from mlflow.tracking import MlflowClient
from playwright.sync_api import expect

from core.lifecycle import tracking
from tests.app.storekit import DashboardStore, build_dashboard_store
from tests.browser.test_browser import open_page, settle

pytestmark = pytest.mark.browser

TAGGED_NAME = "<b>жирный</b> запуск"


@pytest.fixture(scope="module")
def browser_store(trained_store, tmp_path_factory: pytest.TempPathFactory) -> DashboardStore:
    """The dashboard store with a run named with HTML tags and a gate refusal whose reason quotes markdown."""
    store = build_dashboard_store(trained_store.settings, trained_store.version, tmp_path_factory.mktemp("metrics"))
    runs = tracking.list_runs(store.settings).set_index("tags.mlflow.runName")
    client = MlflowClient(tracking_uri=tracking.tracking_uri(store.settings.tracking))
    client.set_tag(runs.loc["rules-only", "run_id"], "mlflow.runName", TAGGED_NAME)
    tracking.tag_version(
        store.settings.tracking,
        store.challenger,
        {
            "promotion.decision": "refused",
            "promotion.reason": "ROC-AUC in '**x**' drops by 0.0500, more than the tolerance 0.0050; "
            "see [a](http://evil.example)",
        },
    )
    return store


def _scroll_overflow(page) -> list[int]:
    """For every table drawn on the page: how many pixels of it are hidden to the right (0 when it fits)."""
    page.wait_for_function(
        "Array.from(document.querySelectorAll('[data-testid=stDataFrame] .dvn-scroller'))"
        ".some(node => node.offsetParent !== null)"
    )
    page.wait_for_timeout(500)
    return page.evaluate(
        "Array.from(document.querySelectorAll('[data-testid=stDataFrame] .dvn-scroller'))"
        ".filter(node => node.offsetParent !== null)"
        ".map(node => Math.max(0, node.scrollWidth - node.clientWidth))"
    )


METRICS_TABS = ["Изменения A → B", "ROC-кривые A и B", "Порог", "Изменившиеся оценки", "Контакты в тексте", "Параметры"]


def _open_tab(page, title: str) -> None:
    """Click a tab of the metrics page and wait for the run it starts."""
    page.get_by_role("tab", name=title).click()
    settle(page)


def test_run_name_with_tags_is_plain_text_in_chart_legends(context, server) -> None:
    page = open_page(context, server, "metrics", ".js-plotly-plot")
    settle(page)
    legends = page.locator(".js-plotly-plot .legendtext")
    assert any(TAGGED_NAME in text for text in legends.all_text_contents())
    _open_tab(page, "ROC-кривые A и B")
    page.get_by_text(f"B: {TAGGED_NAME}", exact=True).wait_for()
    texts = legends.all_text_contents()
    assert "A: catboost-baseline" in texts and f"B: {TAGGED_NAME}" in texts
    assert page.locator(".js-plotly-plot .legendtext tspan[style*=bold]").count() == 0  # <b> was not applied
    page.close()


def test_metrics_and_models_tables_fit_the_page(context, server) -> None:
    page = open_page(context, server, "metrics", ".js-plotly-plot")
    settle(page)
    overflow = {"start": _scroll_overflow(page)}
    for title in METRICS_TABS:
        _open_tab(page, title)
        if title == "Порог":
            page.locator(".st-key-metrics_rescore button").click()
            page.get_by_text("отмечено").wait_for()
        if title == "Изменившиеся оценки":
            page.locator(".st-key-metrics_score_changes button").click()
            page.get_by_text("Контакты, найденные моделью B").wait_for()
        settle(page)
        overflow[title] = _scroll_overflow(page)
    page.close()
    page = open_page(context, server, "models", "[data-testid=stDataFrame]")
    settle(page)
    overflow["models"] = _scroll_overflow(page)
    page.close()
    assert all(overflow.values()), overflow  # every step drew at least one table
    hidden = {step: values for step, values in overflow.items() if any(values)}
    assert not hidden, f"tables wider than the page (pixels hidden on the right): {hidden}"


def test_refused_version_reason_is_plain_text_and_promotion_asks_twice(context, server) -> None:
    page = open_page(context, server, "models", "[data-testid=stDataFrame]")
    settle(page)
    page.get_by_text("Причина: ROC-AUC в категории «**x**» падает на 0,0500").wait_for()
    assert page.get_by_text("[a](http://evil.example)").count() == 1  # shown as typed, not a link
    assert page.locator("a[href*='evil.example']").count() == 0
    assert page.locator("strong", has_text="x").count() == 0
    page.locator(".st-key-models_promote button").click()
    page.get_by_text("Автоматическая проверка отказала версии 2").wait_for()
    assert page.locator(".st-key-models_confirm button").is_disabled()
    page.locator(".st-key-models_override label").click()
    expect(page.locator(".st-key-models_confirm button")).to_be_enabled()
    page.close()
