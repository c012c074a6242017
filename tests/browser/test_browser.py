"""The dashboard in a real headless Chromium: highlighting, hostile ads, CSV round trip, screenshots."""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

import pandas as pd
import pytest

from core.config import load_settings
from core.lifecycle.data import REQUIRED_COLUMNS
from core.lifecycle.synth import generate_ads
from core.ops import monitoring
from tests.browser.browserkit import ADMIN_PASSWORD, MODERATOR, MODERATOR_PASSWORD
from tests.browser.conftest import running_server

pytestmark = pytest.mark.browser

# `make screenshots` points this at docs/screenshots; a plain test run keeps the committed pictures untouched.
SCREENSHOTS = Path(os.environ.get("CONTACTGUARD_SCREENSHOTS") or tempfile.mkdtemp(prefix="cg-screenshots-"))
N_ADS = 150
XSS_TITLE = "<b>Срочно</b><script>alert('title')</script>"
XSS_DESCRIPTION = (
    "<script>alert(1)</script> <img src=x onerror=alert(1)> "
    '<img src="y" onerror="window.__pwned = 1"> [x](javascript:alert(1))\n'
    "# heading\nЗвоните 8 (912) 345-67-89"
)


def sign_in(page, name: str, password: str) -> None:
    """Fill the sign-in form that every new tab starts with."""
    page.locator(".st-key-login_name input").fill(name)
    page.locator(".st-key-login_password input").fill(password)
    page.locator(".st-key-login_submit button").click()
    page.locator(".st-key-login_name").wait_for(state="detached")


def open_page(
    context, server: str, path: str, ready: str, state: str = "visible", user: str = "admin", password: str = ""
):
    """A new tab on an app page (signed in; admin by default), with dialogs recorded, once `ready` is there."""
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{server}/{path}")
    sign_in(page, user, password or ADMIN_PASSWORD)
    page.wait_for_selector("h1")
    page.wait_for_selector(ready, state=state)
    return page


def choose(page, key: str, option: str) -> None:
    """Pick an option of the selectbox with this widget key."""
    page.locator(f".st-key-{key} [role=combobox]").click()
    page.locator("[role=option]").get_by_text(option, exact=True).click()


def settle(page) -> None:
    """Wait until Streamlit has finished the current run."""
    page.wait_for_function(
        "!document.querySelector('[data-testid=stStatusWidget]')"
        " || !document.querySelector('[data-testid=stStatusWidget]').innerText.includes('Running')"
    )
    page.wait_for_timeout(300)


def shoot(page, name: str) -> None:
    """Save a 1280x900 screenshot as <SCREENSHOTS>/<name>.png and check that it is a real picture."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("document.activeElement && document.activeElement.blur()")
    target = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(target))
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and target.stat().st_size > 10_000


def test_disguised_phone_is_highlighted(context, server) -> None:
    page = open_page(context, server, "", ".st-key-check_example [role=combobox]")
    choose(page, "check_example", "Похожие буквы вместо цифр")
    mark = page.locator("mark.cg-contact").first
    mark.wait_for()
    settle(page)
    assert mark.get_attribute("data-kind") == "phone"
    assert "8 9I2 З45 67 89" in mark.inner_text() and "+79123456789" in mark.inner_text()
    assert "похожие буквы" in mark.get_attribute("title")
    assert page.get_by_text("Найден контакт").count() == 1
    assert page.dialogs == []
    shoot(page, "check")
    page.close()


def test_hostile_ad_runs_nothing(context, server) -> None:
    page = open_page(context, server, "", ".st-key-check_description textarea")
    page.locator(".st-key-check_title input").fill(XSS_TITLE)
    page.locator(".st-key-check_description textarea").fill(XSS_DESCRIPTION)
    page.locator(".st-key-check_submit button").click()
    ad = page.locator(".cg-ad")
    ad.wait_for()
    settle(page)
    page.wait_for_timeout(500)
    text = ad.inner_text()
    assert "<script>alert(1)</script>" in text and "<img src=x onerror=alert(1)>" in text
    assert "# heading" in text and "[x](javascript:alert(1))" in text and "<b>Срочно</b>" in text
    assert page.dialogs == []
    assert page.evaluate("window.__pwned") is None
    assert page.evaluate('document.querySelectorAll(\'img[src="x"], img[src="y"], img[onerror]\').length') == 0
    scripts = "[...document.querySelectorAll('script')].filter(s => s.textContent.includes('alert')).length"
    assert page.evaluate(scripts) == 0
    assert page.locator(".cg-ad b, .cg-ad script, .cg-ad img, .cg-ad a, .cg-ad h1").count() == 0
    assert page.locator("h1, h2, h3").filter(has_text="heading").count() == 0
    assert page.locator("a[href^='javascript']").count() == 0
    assert page.locator("mark.cg-contact").count() == 1
    page.close()


def _csv(path: Path) -> Path:
    frame = generate_ads(N_ADS, seed=11)[list(REQUIRED_COLUMNS)].copy()
    frame.loc[0, "title"] = "=1+2"
    frame.insert(0, "index", range(5000, 5000 + N_ADS))
    frame.to_csv(path, index=False)
    return path


def _download(page, label: str) -> str:
    with page.expect_download() as info:
        page.locator("[data-testid=stDownloadButton] button").filter(has_text=label).click()
    return Path(info.value.path()).read_bytes().decode("utf-8-sig")


def test_csv_in_downloads_out(context, server, tmp_path: Path) -> None:
    page = open_page(context, server, "batch", "[data-testid=stFileUploaderDropzoneInput]", "attached")
    page.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(str(_csv(tmp_path / "ads.csv")))
    page.locator("[data-testid=stDownloadButton]").first.wait_for(timeout=120_000)
    page.locator(".js-plotly-plot").first.wait_for()
    settle(page)
    assert page.get_by_text("Объявлений", exact=True).count() == 1
    shoot(page, "batch")
    task1 = pd.read_csv(io.StringIO(_download(page, "Задача 1")))
    assert list(task1.columns) == ["index", "prediction"]
    assert task1["index"].tolist() == list(range(5000, 5000 + N_ADS))
    assert task1["prediction"].between(0, 1).all()
    task2 = pd.read_csv(io.StringIO(_download(page, "Задача 2")))
    assert list(task2.columns) == ["index", "start", "finish"] and len(task2) == N_ADS
    assert (task2["start"].isna() == task2["finish"].isna()).all()
    full = pd.read_csv(io.StringIO(_download(page, "Все результаты")))
    assert len(full) == N_ADS and full.loc[0, "title"] == "'=1+2"
    assert {"prediction", "verdict", "contacts"} <= set(full.columns)
    page.close()


@pytest.mark.parametrize(
    ("name", "path", "ready"),
    [
        ("metrics", "metrics", ".js-plotly-plot"),
        ("models", "models", "[data-testid=stDataFrame]"),
        ("settings", "settings", ".st-key-settings_submit button"),
        ("users", "users", ".st-key-users_add button"),
        ("monitoring", "monitoring", "h1"),
    ],
)
def test_screenshot_of_every_page(context, server, name: str, path: str, ready: str) -> None:
    page = open_page(context, server, path, ready)
    settle(page)
    page.wait_for_timeout(700)
    assert page.locator("[data-testid=stException]").count() == 0
    assert page.dialogs == []
    shoot(page, name)
    page.close()


def test_moderator_checks_an_ad_and_the_decision_is_recorded_under_their_name(context, server, browser_store) -> None:
    page = open_page(
        context, server, "", ".st-key-check_example [role=combobox]", user=MODERATOR, password=MODERATOR_PASSWORD
    )
    sidebar = page.locator("[data-testid=stSidebar]")
    assert sidebar.get_by_text(MODERATOR).count() >= 1
    links = sidebar.locator("[data-testid=stPageLink]").all_inner_texts()
    assert [text.strip().splitlines()[-1] for text in links] == ["Проверка объявления", "Пакетная проверка", "Очередь"]
    choose(page, "check_example", "Ник в Telegram")
    page.locator(".st-key-check_confirm button").click()
    page.get_by_text(f"решение записано от имени {MODERATOR}").wait_for()
    log = monitoring.read_log(load_settings(browser_store.config_path).monitoring)
    decided = log[log["decision"].notna()]
    assert decided.iloc[-1]["decision"] == "confirm" and decided.iloc[-1]["moderator"] == MODERATOR
    page.close()


def test_moderator_deep_link_to_settings_is_refused(context, server) -> None:
    page = open_page(context, server, "settings", "h1", user=MODERATOR, password=MODERATOR_PASSWORD)
    page.get_by_text("недоступна для роли «модератор»").wait_for()
    assert page.locator(".st-key-settings_submit").count() == 0
    page.close()


DEEP_LINKS = [
    ("monitoring", "Мониторинг"),
    ("batch", "Пакетная проверка"),
    ("settings", "Настройки"),
    ("users", "Пользователи"),
    ("models", "Модели"),
    ("metrics", "Метрики"),
    ("check", "Проверка объявления"),
    ("queue", "Очередь"),
]


def test_deep_links_opened_first_after_a_fresh_start_open_their_pages(
    browser, browser_store, users_db, tmp_path: Path
) -> None:
    with running_server(browser_store.config_path, users_db, tmp_path) as url:
        fresh = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ru-RU")
        fresh.set_default_timeout(60_000)
        try:
            for index, (path, title) in enumerate(DEEP_LINKS):
                page = fresh.new_page()
                page.goto(f"{url}/{path}")
                page.locator(".st-key-login_name input").wait_for()
                if index == 0:  # the very first request of this server: no menu of file names, only the sign-in
                    assert page.locator("[data-testid=stSidebarNav]").count() == 0
                    assert page.locator("[data-testid=stSidebarNavLink]").count() == 0
                    assert page.get_by_text("6 monitoring").count() == 0
                assert page.get_by_text("Page not found").count() == 0
                sign_in(page, "admin", ADMIN_PASSWORD)
                page.locator("h1").filter(has_text=title).first.wait_for()
                assert page.url.rstrip("/").endswith(f"/{path}"), page.url
                assert page.locator("[data-testid=stSidebarNav]").count() == 0
                page.close()
        finally:
            fresh.close()
