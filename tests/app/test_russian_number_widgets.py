"""Number widgets read the Russian way: the metrics threshold slider's labels carry a decimal comma, and the settings
form writes every number box's value with a comma or spaced thousands next to it (the box itself can't)."""

from __future__ import annotations

from pathlib import Path

from core.config import load_settings, save_settings
from tests.app.pagekit import no_exceptions, run_page, table_with, texts
from ui.ru_widgets import russian_value, slider_steps

SETTINGS_PAGE = "app_pages/5_settings.py"
METRICS_PAGE = "app_pages/3_metrics.py"
NARROW_SPACE = "\u202f"


def _value_captions(app) -> list[str]:
    return [text for text in texts(app, "caption") if text.startswith("Значение: ")]


def test_settings_numbers_are_shown_with_a_decimal_comma_and_spaced_thousands(config_copy: Path) -> None:
    settings = load_settings(config_copy)
    settings.app.threshold = 0.985
    settings.evaluate.handwritten_tolerance = 0.01
    settings.synth.n_train = 60_000
    save_settings(settings, config_copy)
    app = run_page(SETTINGS_PAGE, role="admin")
    no_exceptions(app)
    captions = _value_captions(app)
    assert "Значение: 0,985" in captions
    assert "Значение: 0,01" in captions
    assert f"Значение: 60{NARROW_SPACE}000" in captions
    assert captions and not [text for text in captions if "." in text]  # never a dot decimal
    assert app.get_by_key("cfg.app.threshold").value == 0.985  # the box still holds the number itself

    app.get_by_key("cfg.app.threshold").set_value(0.75)
    app = app.button(key="settings_submit").click().run()
    no_exceptions(app)
    assert "Значение: 0,75" in _value_captions(app)
    diff = table_with(app, "Стало").set_index("Настройка")
    assert (diff.loc["app.threshold", "Было"], diff.loc["app.threshold", "Стало"]) == ("0,985", "0,75")


def test_metrics_threshold_slider_labels_use_a_decimal_comma(app_env) -> None:
    app = run_page(METRICS_PAGE, role="analyst")
    no_exceptions(app)
    slider = app.select_slider(key="metrics_threshold")
    assert slider.label == "Порог"
    assert len(slider.options) == 1001 and slider.options[500] == "0,500" and slider.options[985] == "0,985"
    assert not [option for option in slider.options if "." in option]
    assert slider.value == app_env.settings.app.threshold
    app = slider.set_value(0.985).run()
    no_exceptions(app)
    assert app.select_slider(key="metrics_threshold").value == 0.985


def test_slider_steps_keep_an_off_grid_value_and_russian_values_of_number_boxes() -> None:
    steps = slider_steps(0.0, 1.0, 0.001, 0.9855)
    assert len(steps) == 1002 and steps[986] == 0.9855 and steps[985] == 0.985 and steps[-1] == 1.0
    assert slider_steps(0.0, 1.0, 0.001, 0.3)[300] == 0.3 and len(slider_steps(0.0, 1.0, 0.001, 0.3)) == 1001
    assert russian_value(0.5, integer=False) == "0,5"
    assert russian_value(12.0, integer=False) == "12"
    assert russian_value(60_000, integer=True) == f"60{NARROW_SPACE}000"
    assert russian_value(300, integer=True) == ""  # reads the same in the box
    assert russian_value(None, integer=False) == ""
