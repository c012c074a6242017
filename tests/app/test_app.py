"""The entry point: page config, navigation over every page, sidebar with the served model."""

from __future__ import annotations

import pytest

from tests.app.pagekit import no_exceptions, run_page, texts

PAGES = {
    "app_pages/1_check.py": "Проверка объявления",
    "app_pages/2_batch.py": "Пакетная проверка",
    "app_pages/3_metrics.py": "Метрики",
    "app_pages/4_models.py": "Модели",
    "app_pages/5_settings.py": "Настройки",
}


def test_app_opens_on_the_check_page_with_the_sidebar(app_env) -> None:
    app = run_page("app.py")
    no_exceptions(app)
    assert app.title[0].value == "Проверка объявления"
    sidebar = [str(element.value) for element in app.sidebar.markdown]
    assert any(f"версия **{app_env.champion}**" in text for text in sidebar)
    assert any("**Порог:** 0,50" in text for text in sidebar)
    assert any("Обучена:" in str(element.value) for element in app.sidebar.caption)


@pytest.mark.parametrize(("page", "title"), list(PAGES.items()))
def test_navigation_reaches_every_page(app_env, page: str, title: str) -> None:
    app = run_page("app.py").switch_page(page).run()
    no_exceptions(app)
    assert app.title[0].value == title
    assert any("**Порог:**" in text for text in texts(app, "markdown"))
