"""The check page: verdict, highlighted contacts, masked copy, escaping of hostile ads, moderator decisions."""

from __future__ import annotations

import re
import sqlite3

from core.config import load_settings
from core.ops import monitoring
from tests.app.pagekit import no_exceptions, run_page, table_with, texts

PAGE = "app_pages/1_check.py"
XSS_TITLE = "<b>title</b><script>alert('t')</script>"
XSS_DESCRIPTION = (
    "<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1))\n"
    "# heading\nЗвоните 8 (912) 345-67-89"
)


def _highlight(app) -> str:
    """The HTML of the highlighted ad (the element that holds the ad text)."""
    bodies = [element.value for element in app.html if "cg-ad" in element.value]
    assert len(bodies) == 1, bodies
    return bodies[0]


def _choose_example(app, name: str):
    return app.selectbox(key="check_example").set_value(name).run()


def test_disguised_phone_is_highlighted_with_its_value(app_env) -> None:
    app = _choose_example(run_page(PAGE), "Телефон словами")
    no_exceptions(app)
    html = _highlight(app)
    assert "+79123456789" in html
    assert re.search(r'<mark class="cg-contact" data-kind="phone" title="[^"]*цифры словами', html)
    assert "восемь девятьсот" in html
    assert any("Найден контакт" in text for text in texts(app, "error"))
    table = table_with(app, "Значение")
    assert table["Значение"].tolist() == ["+79123456789"]
    assert app.session_state["check_description"].startswith("Сдаю уютную однушку")


def test_every_example_renders_and_clean_ad_is_not_flagged(app_env) -> None:
    app = run_page(PAGE)
    options = app.selectbox(key="check_example").options
    assert len(options) >= 6
    for name in options:
        app = _choose_example(app, name)
        no_exceptions(app)
        _highlight(app)
    app = _choose_example(app, "Чистое объявление с числами")
    assert any("Контактов не найдено" in text for text in texts(app, "success"))
    assert "cg-contact" not in _highlight(app)
    assert "Контакты не найдены." in texts(app, "caption")


def test_hostile_markup_in_an_ad_is_shown_as_text(app_env) -> None:
    app = run_page(PAGE)
    app.text_input(key="check_title").input(XSS_TITLE)
    app.text_area(key="check_description").input(XSS_DESCRIPTION)
    app = app.button(key="check_submit").click().run()
    no_exceptions(app)
    html = _highlight(app)
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;b&gt;title&lt;/b&gt;" in html
    assert "[x](javascript:alert(1))" in html and "<a " not in html
    assert "\n# heading\n" in html
    assert "+79123456789" in html
    for element in app.markdown:  # no ad text ever reaches st.markdown
        assert "alert" not in str(element.value) and "heading" not in str(element.value)


def test_mask_toggle_shows_a_copy_without_contacts(app_env) -> None:
    app = _choose_example(run_page(PAGE), "Соцсети и сайт словами")
    app = app.toggle(key="check_mask").set_value(True).run()
    no_exceptions(app)
    assert app.code[0].value == "Шторы на заказ"  # the title, nothing to mask
    masked = app.code[-1].value
    assert "[соцсеть]" in masked and "[ссылка]" in masked
    assert "vk.com" not in masked and "shtory" not in masked
    assert masked.startswith("Шью шторы на заказ")
    assert app.get("download_button")


def test_check_is_logged_and_the_decision_recorded(app_env) -> None:
    settings = load_settings(app_env.config_path)
    before = len(monitoring.read_log(settings.monitoring))
    app = _choose_example(run_page(PAGE), "Ник в Telegram")
    log = monitoring.read_log(settings.monitoring)
    assert len(log) == before + 1
    row = log.iloc[-1]
    assert row["source"] == "check" and row["model_version"] == app_env.champion and row["verdict"] == 1
    assert row["scored_by"] == "alice"  # the signed-in moderator (run_page signs in alice, an admin)
    assert row["kinds"] == "messenger" and row["threshold"] == settings.app.threshold
    app = app.button(key="check_reject").click().run()
    no_exceptions(app)
    assert any("отклонён" in text for text in texts(app, "success"))
    assert monitoring.read_log(settings.monitoring).iloc[-1]["decision"] == "reject"
    assert "check_confirm" not in [button.key for button in app.button]


def test_contact_in_the_title_is_highlighted_too(app_env) -> None:
    app = run_page(PAGE)
    app.text_input(key="check_title").input("Диван, звоните 8 912 345 67 89")
    app.text_area(key="check_description").input("Диван в хорошем состоянии, самовывоз.")
    app = app.button(key="check_submit").click().run()
    no_exceptions(app)
    title = _highlight(app).split('<div class="cg-text"')[0]
    assert '<mark class="cg-contact" data-kind="phone"' in title and "+79123456789" in title
    assert table_with(app, "Где")["Где"].tolist() == ["заголовок"]
    app = app.toggle(key="check_mask").set_value(True).run()
    assert app.code[0].value == "Диван, звоните [телефон]"


def test_check_time_is_shown_and_under_budget(app_env) -> None:
    app = _choose_example(run_page(PAGE), "Телефон открытым текстом")
    app = app.button(key="check_submit").click().run()  # second check: the model is warm
    caption = next(text for text in texts(app, "caption") if text.startswith("Время проверки"))
    milliseconds = int(re.search(r"(\d+) мс", caption).group(1))
    assert milliseconds < 300


def test_empty_ad_asks_for_text(app_env) -> None:
    app = run_page(PAGE).button(key="check_submit").click().run()
    no_exceptions(app)
    assert "Введите заголовок или описание объявления." in texts(app, "warning")


def test_overlong_description_is_cut_and_the_page_says_so(app_env) -> None:
    max_chars = load_settings(app_env.config_path).detect.max_chars
    text = "Звоните 8 912 345-67-89. " + "Диван почти новый, доставка по городу. " * 1000 + "ХВОСТ"
    assert len(text) > max_chars
    app = run_page(PAGE)
    app.text_area(key="check_description").input(text)
    app = app.button(key="check_submit").click().run()
    no_exceptions(app)
    limit, total = (f"{value:,}".replace(",", "\u202f") for value in (max_chars, len(text)))
    assert (
        f"Текст длиннее {limit} символов (в нём {total}): проверены и показаны только первые {limit} символов. "
        "Предел задаётся настройкой detect.max_chars." in texts(app, "warning")
    )
    assert table_with(app, "Значение")["Значение"].tolist() == ["+79123456789"]
    assert app.session_state["check_description"] == text  # the form keeps what was typed
    assert len(app.session_state["check_result"].description) == max_chars
    assert "доставка по городу" in _highlight(app) and "ХВОСТ" not in _highlight(app)


def test_short_description_has_no_cut_warning(app_env) -> None:
    app = _choose_example(run_page(PAGE), "Телефон открытым текстом")
    no_exceptions(app)
    assert not [text for text in texts(app, "warning") if "detect.max_chars" in text]


def test_the_hover_explains_each_contact(app_env) -> None:
    app = _choose_example(run_page(PAGE), "Телефон словами")
    hover = re.search(r'<mark class="cg-contact" data-kind="phone" title="([^"]*)"', _highlight(app))
    assert hover is not None
    text = hover.group(1)
    assert "правило: телефон" in text and "оценка правила" in text and "оценка модели" in text
    assert "вклад:" in text


def test_a_contact_in_the_title_flags_the_ad_and_is_highlighted(app_env) -> None:
    app = run_page(PAGE)
    app.text_input(key="check_title").input("Продам гараж, звоните 8 916 523 45 67")
    app.text_area(key="check_description").input("Гараж кирпичный, свет есть, документы готовы.")
    app = app.button(key="check_submit").click().run()
    no_exceptions(app)
    assert any("Найден контакт" in text for text in texts(app, "error"))
    assert "+79165234567" in _highlight(app)


def test_the_colour_legend_names_only_the_kinds_found(app_env) -> None:
    app = run_page(PAGE)
    app.text_area(key="check_description").input("Диван в хорошем состоянии, самовывоз.")
    app = app.button(key="check_submit").click().run()
    assert not [element for element in app.html if "cg-legend" in element.value]  # nothing found, no chips
    app = _choose_example(app, "Телефон словами")
    legends = [element.value for element in app.html if "cg-legend" in element.value]
    assert len(legends) == 1 and "телефон" in legends[0] and "соцсеть" not in legends[0]


def test_a_locked_monitoring_log_still_shows_the_verdict_and_says_it_was_not_logged(config_copy) -> None:
    settings = load_settings(config_copy)
    path = monitoring.db_path(settings.monitoring)
    holder = sqlite3.connect(path, isolation_level=None)
    monitoring.ensure_schema(holder)
    holder.execute("BEGIN EXCLUSIVE")  # another process holds the log's write lock
    try:
        app = _choose_example(run_page(PAGE, "moderator"), "Ник в Telegram")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    no_exceptions(app)
    assert any("Найден контакт" in text for text in texts(app, "error"))
    assert table_with(app, "Значение")["Значение"].tolist()
    assert (
        "Проверка не записана в журнал мониторинга (1 объявление): база журнала занята другим процессом дольше 1 с"
        in texts(app, "warning")
    )
    assert "check_confirm" not in [button.key for button in app.button]  # no log id: no decision to record
    assert monitoring.read_log(settings.monitoring).empty
    app = app.button(key="check_submit").click().run()  # the lock is gone: the next check is logged as misha
    log = monitoring.read_log(settings.monitoring)
    assert log["scored_by"].tolist() == ["misha"] and log["source"].tolist() == ["check"]
    assert "check_confirm" in [button.key for button in app.button]
