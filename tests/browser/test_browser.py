"""The dashboard in a real headless Chromium: highlighting, hostile ads, CSV round trip, screenshots."""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

import pandas as pd
import pytest

from core.data import REQUIRED_COLUMNS
from core.synth import generate_ads
from tests.browser.browserkit import ADMIN_PASSWORD

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


def open_page(context, server: str, path: str, ready: str, state: str = "visible"):
    """A new tab on an app page, with dialogs recorded, once `ready` is there."""
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{server}/{path}")
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


def _login(page) -> None:
    page.locator(".st-key-settings_password input").fill(ADMIN_PASSWORD)
    page.locator(".st-key-settings_login button").click()


@pytest.mark.parametrize(
    ("name", "path", "ready"),
    [
        ("metrics", "metrics", ".js-plotly-plot"),
        ("models", "models", "[data-testid=stDataFrame]"),
        ("settings", "settings", ".st-key-settings_password input"),
        ("monitoring", "monitoring", "h1"),
    ],
)
def test_screenshot_of_every_page(context, server, name: str, path: str, ready: str) -> None:
    page = open_page(context, server, path, ready)
    if name == "settings":
        _login(page)
        page.get_by_text("Проверить изменения").wait_for()
    settle(page)
    page.wait_for_timeout(700)
    assert page.locator("[data-testid=stException]").count() == 0
    assert page.dialogs == []
    shoot(page, name)
    page.close()
