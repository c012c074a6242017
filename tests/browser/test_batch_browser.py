"""The batch page in a real headless Chromium: a scored file stays listed after leaving the page and coming back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from core.config import load_settings, save_settings
from core.lifecycle.data import REQUIRED_COLUMNS
from core.lifecycle.synth import generate_ads
from tests.browser.browserkit import ADMIN_PASSWORD
from tests.browser.conftest import running_server

pytestmark = pytest.mark.browser

N_ADS = 90
FILE_NAME = "objavleniya.csv"
DROPZONE_INPUT = "[data-testid=stFileUploaderDropzoneInput]"


@pytest.fixture(scope="module")
def batch_server(browser_store, users_db, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A server whose batch jobs live in a folder of this module; yields its URL and that folder."""
    root = tmp_path_factory.mktemp("batch-server")
    settings = load_settings(browser_store.config_path)
    settings.batch.jobs_dir = str(root / "jobs")
    settings.monitoring.db_path = str(root / "monitoring.sqlite")
    config = save_settings(settings, root / "config.yaml")
    with running_server(config, users_db, root) as url:
        yield url, root / "jobs"


def settle(page) -> None:
    """Wait until Streamlit has finished the current run."""
    page.wait_for_function(
        "!document.querySelector('[data-testid=stStatusWidget]')"
        " || !document.querySelector('[data-testid=stStatusWidget]').innerText.includes('Running')"
    )
    page.wait_for_timeout(300)


def menu_link(page, title: str):
    """The sidebar link to a page."""
    return page.locator("[data-testid=stSidebar] [data-testid=stPageLink]").filter(has_text=title)


def test_a_scored_file_is_still_listed_after_leaving_the_page(context, batch_server, tmp_path: Path) -> None:
    url, jobs_dir = batch_server
    path = tmp_path / FILE_NAME
    frame = generate_ads(N_ADS, seed=21)[list(REQUIRED_COLUMNS)]
    frame.to_csv(path, index=False)

    page = context.new_page()
    page.goto(f"{url}/batch")
    page.locator(".st-key-login_name input").fill("admin")
    page.locator(".st-key-login_password input").fill(ADMIN_PASSWORD)
    page.locator(".st-key-login_submit button").click()
    page.locator(DROPZONE_INPUT).wait_for(state="attached")
    settle(page)

    # The uploader speaks Russian: Streamlit's English hint is hidden and a Russian one is drawn instead.
    dropzone = page.locator(".st-key-batch_file [data-testid=stFileUploaderDropzone]")
    assert not page.locator("[data-testid=stFileUploaderDropzoneInstructions]").is_visible()
    after = dropzone.locator("button [data-testid=stMarkdownContainer]").first.evaluate(
        "element => [getComputedStyle(element, '::after').content, getComputedStyle(element).fontSize]"
    )
    assert after == ['"Выбрать файл"', "0px"]
    hint = dropzone.evaluate("element => getComputedStyle(element, '::after').content")
    assert hint == '"CSV, до 200 МБ"'

    page.locator(DROPZONE_INPUT).set_input_files(str(path))
    page.locator("[data-testid=stDownloadButton]").first.wait_for(timeout=120_000)
    settle(page)
    assert page.locator("[data-testid=stMetricValue]").first.inner_text() == str(N_ADS)
    assert not page.locator(".st-key-batch_file [data-testid=stFileChipName] + div").is_visible()  # no "51.0KB"
    assert len([child for child in jobs_dir.iterdir() if child.is_dir()]) == 1

    menu_link(page, "Проверка объявления").click()
    page.locator("h1").filter(has_text="Проверка объявления").wait_for()
    settle(page)
    assert page.locator("[data-testid=stDataFrame]").count() == 0
    menu_link(page, "Пакетная проверка").click()
    page.locator("h1").filter(has_text="Пакетная проверка").wait_for()
    page.locator("[data-testid=stDownloadButton]").first.wait_for(timeout=60_000)
    settle(page)

    chosen = page.locator(".st-key-batch_job_choice [role=combobox]").input_value()
    assert chosen.startswith(f"{FILE_NAME} · {N_ADS} строк · ") and chosen.endswith(" · admin · модель 1"), chosen
    assert page.get_by_text(f"Задание: {FILE_NAME}").count() == 1
    assert page.locator("[data-testid=stDataFrame]").count() == 2  # the job list and the job's results
    assert page.locator("[data-testid=stMetricValue]").first.inner_text() == str(N_ADS)
    results = page.locator(".st-key-batch_table [data-testid=stDataFrame]")
    box = results.bounding_box()
    assert box is not None and box["x"] + box["width"] <= page.viewport_size["width"]
    widths = results.locator(".dvn-scroller").first.evaluate("element => [element.scrollWidth, element.clientWidth]")
    assert widths[0] <= widths[1] + 1, widths  # every column fits: nothing cut off on the right
    assert page.get_by_text("Upload", exact=True).is_visible() is False
    assert page.locator("[data-testid=stException]").count() == 0

    fresh = context.browser.new_context(viewport=page.viewport_size, locale="ru-RU")
    try:
        other = fresh.new_page()
        other.set_default_timeout(60_000)
        other.goto(f"{url}/batch")
        other.locator(".st-key-login_name input").fill("admin")
        other.locator(".st-key-login_password input").fill(ADMIN_PASSWORD)
        other.locator(".st-key-login_submit button").click()
        other.locator("[data-testid=stDownloadButton]").first.wait_for(timeout=60_000)
        assert other.locator(".st-key-batch_job_choice [role=combobox]").input_value() == chosen
    finally:
        fresh.close()
    page.close()
