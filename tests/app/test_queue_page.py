"""The «Очередь» page in AppTest: a moderator works 20 queued ads, undoes one, and Monitoring counts 20 decisions."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from core.config import load_settings, save_settings
from core.lifecycle.synth import generate_ads
from core.ops import monitoring, review_queue
from core.ops.scoring import MonitoringLog
from tests.app.pagekit import no_exceptions, run_page, signed_in, table_with, texts

PAGE = "app_pages/8_queue.py"
MONITORING = "app_pages/6_monitoring.py"


def _queue_ads(config: Path, count: int) -> pd.DataFrame:
    """Log `count` synthetic ads (titled «Лот N») as flagged by a batch, so they all enter the queue; returns them."""
    settings = load_settings(config)
    ads = generate_ads(count, seed=11)
    ads["title"] = [f"Лот {index}" for index in range(count)]
    result = pd.DataFrame({"prediction": [0.9] * count, "n_contacts": 0, "kinds": ""})
    recorded = MonitoringLog(settings.monitoring, 0.5).record_frame(
        ads, result, source="batch", user=None, model_version="1"
    )
    assert recorded.warning is None
    return ads


def _shown(app: AppTest) -> str:
    """The title of the ad on screen (from the highlighted ad's HTML)."""
    bodies = [element.value for element in app.html if "cg-ad" in element.value]
    assert len(bodies) == 1, bodies
    match = re.search(r'class="cg-title"[^>]*>(.*?)</div>', bodies[0])
    assert match is not None
    return html.unescape(match.group(1))


def _metrics(app: AppTest) -> dict[str, str]:
    return {item.label: item.value for item in app.metric}


def test_moderator_works_twenty_ads_by_the_decision_buttons_undoes_one_and_monitoring_counts_twenty(
    config_copy: Path, monkeypatch
) -> None:
    ads = _queue_ads(config_copy, 25)
    app = run_page(PAGE, role="moderator")
    no_exceptions(app)
    assert app.title[0].value == "Очередь"
    assert any("Y" in text and "N" in text and "S" in text and "U" in text for text in texts(app, "markdown"))
    assert _metrics(app) == {"Осталось в очереди": "25", "Сделано мной сегодня": "0"}
    assert not app.get("download_button")

    seen: list[str] = []
    for index in range(20):
        shown = _shown(app)
        assert shown in set(ads["title"])
        seen.append(shown)
        app = app.button(key="queue_yes" if index % 2 == 0 else "queue_no").click().run()
        no_exceptions(app)
    assert len(set(seen)) == 20  # a new ad after every decision
    assert _metrics(app) == {"Осталось в очереди": "5", "Сделано мной сегодня": "20"}

    app = app.button(key="queue_undo").click().run()
    no_exceptions(app)
    assert any("отменено" in text for text in texts(app, "success"))
    assert _shown(app) == seen[-1]  # the undone ad is back in front of the moderator
    assert _metrics(app) == {"Осталось в очереди": "6", "Сделано мной сегодня": "19"}
    app = app.button(key="queue_yes").click().run()
    assert _metrics(app) == {"Осталось в очереди": "5", "Сделано мной сегодня": "20"}

    settings = load_settings(config_copy)
    decisions = monitoring.read_decisions(settings.monitoring)
    assert decisions["moderator"].tolist() == ["misha"] * 20
    assert decisions["label"].tolist() == [1, 0] * 9 + [1, 1]  # the redone 20th ad was answered Y the second time
    log = monitoring.read_log(settings.monitoring)
    assert log["decision_ad_json"].notna().sum() == 20 and settings.monitoring.store_text is False

    monitoring_page = run_page(MONITORING, role="analyst")
    no_exceptions(monitoring_page)
    moderators = table_with(monitoring_page, "moderator").set_index("moderator")
    assert moderators.loc["misha", "decisions"] == 20
    assert moderators.loc["misha", "agreement"] == 11 / 20  # Y on a flagged ad confirms, N rejects


def test_skip_sends_the_ad_to_the_back_and_an_empty_queue_says_so(config_copy: Path) -> None:
    ads = _queue_ads(config_copy, 2)
    app = run_page(PAGE, role="moderator")
    first = _shown(app)
    assert first == ads["title"][0]
    app = app.button(key="queue_skip").click().run()
    assert _shown(app) == ads["title"][1]
    app = app.button(key="queue_no").click().run()
    assert _shown(app) == ads["title"][0]  # the skipped one came back last
    app = app.button(key="queue_yes").click().run()
    no_exceptions(app)
    assert any("Очередь пуста" in text for text in texts(app, "info"))
    assert app.button(key="queue_yes").disabled


def test_two_moderators_hold_different_ads(config_copy: Path) -> None:
    ads = _queue_ads(config_copy, 3)
    misha = run_page(PAGE, role="moderator")
    vera = run_page(PAGE, role="moderator", user="vera")
    assert _shown(misha) == ads["title"][0]
    assert _shown(vera) == ads["title"][1]
    assert _shown(misha.run()) == ads["title"][0]  # a rerun keeps the held ad


def test_a_moderator_reaches_neither_monitoring_nor_its_export(config_copy: Path) -> None:
    _queue_ads(config_copy, 1)
    app = run_page(MONITORING, role="moderator")
    no_exceptions(app)
    assert any("недоступна для роли «модератор»" in text for text in texts(app, "error"))
    assert "monitoring_export" not in [button.key for button in app.button]
    assert not app.get("download_button")


def test_the_export_downloads_and_writes_the_feedback_file_with_the_default_config(
    config_copy: Path, tmp_path: Path
) -> None:
    settings = load_settings(config_copy)
    settings.data.feedback_path = str(tmp_path / "feedback.csv")
    save_settings(settings, config_copy)
    ads = _queue_ads(config_copy, 3)
    for has_contact in (True, False, True):
        item = review_queue.take_next(settings.monitoring, "misha")
        review_queue.decide(settings.monitoring, "misha", item.id, has_contact)
    app = signed_in(AppTest.from_file(str(Path(__file__).parents[2] / MONITORING), default_timeout=120), "analyst")
    app.run()
    app = app.button(key="monitoring_export").click().run()
    no_exceptions(app)
    assert any("Записано объявлений: 3" in text for text in texts(app, "success"))
    exported = pd.read_csv(settings.data.feedback_path)
    assert exported["description"].tolist() == ads["description"].tolist()
    assert exported["is_bad"].tolist() == [1, 0, 1]
    downloads = app.get("download_button")
    assert len(downloads) == 1 and downloads[0].proto.label == "Скачать выгрузку (CSV)"


def test_a_check_page_decision_keeps_the_text_and_closes_the_queued_copy(config_copy: Path, tmp_path: Path) -> None:
    settings = load_settings(config_copy)
    settings.data.feedback_path = str(tmp_path / "feedback.csv")
    save_settings(settings, config_copy)
    check = run_page("app_pages/1_check.py", role="moderator")
    check = check.selectbox(key="check_example").set_value("Чистое объявление с числами").run()
    check = check.button(key="check_reject").click().run()  # the moderator says there is a contact after all
    no_exceptions(check)
    check = check.selectbox(key="check_example").set_value("Ник в Telegram").run()  # flagged: queued
    assert review_queue.queue_size(settings.monitoring) == 1
    check = check.button(key="check_confirm").click().run()
    no_exceptions(check)
    assert review_queue.queue_size(settings.monitoring) == 0  # decided on the check page: nobody reviews it again
    result = monitoring.export_confirmed(settings)
    assert settings.monitoring.store_text is False
    assert result.rows == 2 and result.skipped_without_text == 0
    exported = pd.read_csv(result.path)
    assert exported["is_bad"].tolist() == [1, 1]
    spans = monitoring.read_log(settings.monitoring)["spans_json"].dropna().tolist()
    assert spans[0] == "[]" and '"kind": "messenger"' in spans[1]
