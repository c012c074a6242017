"""The review queue in real Chromium: a moderator works 20 ads by keyboard alone; two moderators never share an ad."""

from __future__ import annotations

import pandas as pd
import pytest

from core.config import load_settings
from core.lifecycle.synth import generate_ads
from core.ops import monitoring
from core.ops.scoring import MonitoringLog
from core.ops.users import UserStore
from tests.browser.browserkit import MODERATOR, MODERATOR_PASSWORD, VIEWPORT

pytestmark = pytest.mark.browser

SECOND_MODERATOR = "vera"
SECOND_PASSWORD = "second-moderator-password"


def _queue_ads(config, prefix: str, count: int) -> list[str]:
    """Log `count` synthetic ads titled «<prefix> N» as flagged by a batch; returns their titles."""
    settings = load_settings(config)
    ads = generate_ads(count, seed=5)
    ads["title"] = [f"{prefix} {index}" for index in range(count)]
    result = pd.DataFrame({"prediction": [0.9] * count, "n_contacts": 0, "kinds": ""})
    recorded = MonitoringLog(settings.monitoring, 0.5).record_frame(
        ads, result, source="batch", user=None, model_version="1"
    )
    assert recorded.warning is None
    return ads["title"].tolist()


def _open_queue(context, server: str, name: str, password: str):
    """A new tab on /queue signed in as this moderator (the only clicks: the sign-in form)."""
    page = context.new_page()
    page.goto(f"{server}/queue")
    page.locator(".st-key-login_name input").fill(name)
    page.locator(".st-key-login_password input").fill(password)
    page.locator(".st-key-login_submit button").click()
    page.locator(".st-key-login_name").wait_for(state="detached")
    page.locator(".cg-title").wait_for()
    return page


def _title(page) -> str:
    return page.locator(".cg-title").inner_text().strip()


def _press(page, key: str, before: str) -> str:
    """Press a key and wait until another ad is shown; returns its title."""
    page.keyboard.press(key)
    page.wait_for_function(
        # one title, and another one: during a rerun Streamlit may briefly show the old element beside the new
        "before => { const t = document.querySelectorAll('.cg-title');"
        " return t.length === 1 && t[0].innerText.trim() !== before; }",
        arg=before,
    )
    return _title(page)


def test_a_moderator_works_twenty_ads_by_keyboard_alone_and_undoes_one(context, server, browser_store) -> None:
    titles = _queue_ads(browser_store.config_path, "Клавиатура", 22)
    page = _open_queue(context, server, MODERATOR, MODERATOR_PASSWORD)
    body = page.locator("body").inner_text()
    assert "Y" in body and "контакт есть" in body.lower() and "пропустить" in body.lower()
    seen = [_title(page)]
    for index in range(20):
        seen.append(_press(page, "y" if index % 2 == 0 else "n", seen[-1]))
    worked = seen[:20]
    assert worked == titles[:20] and seen[20] == titles[20]  # one new ad after every key, in queue order
    assert _press(page, "u", seen[20]) == worked[-1]  # undo: the last decided ad is back in front
    assert _press(page, "y", worked[-1]) == titles[20]
    settings = load_settings(browser_store.config_path)
    decisions = monitoring.read_decisions(settings.monitoring)
    mine = decisions[decisions["moderator"] == MODERATOR]
    assert len(mine) == 20
    assert mine["label"].tolist() == [1, 0] * 9 + [1, 1]
    assert page.locator("[data-testid=stException]").count() == 0
    page.close()


def test_two_moderators_in_two_browser_contexts_never_receive_the_same_ad(
    browser, server, browser_store, users_db
) -> None:
    UserStore(users_db).add(SECOND_MODERATOR, "moderator", SECOND_PASSWORD, by="tests")
    _queue_ads(browser_store.config_path, "Двое", 12)
    contexts = [browser.new_context(viewport=VIEWPORT, locale="ru-RU") for _ in range(2)]
    try:
        for ctx in contexts:
            ctx.set_default_timeout(60_000)
        misha = _open_queue(contexts[0], server, MODERATOR, MODERATOR_PASSWORD)
        vera = _open_queue(contexts[1], server, SECOND_MODERATOR, SECOND_PASSWORD)
        got = {MODERATOR: [_title(misha)], SECOND_MODERATOR: [_title(vera)]}
        for _ in range(4):
            got[MODERATOR].append(_press(misha, "y", got[MODERATOR][-1]))
            got[SECOND_MODERATOR].append(_press(vera, "n", got[SECOND_MODERATOR][-1]))
        assert not set(got[MODERATOR]) & set(got[SECOND_MODERATOR])
        assert len(set(got[MODERATOR])) == len(set(got[SECOND_MODERATOR])) == 5
    finally:
        for ctx in contexts:
            ctx.close()
