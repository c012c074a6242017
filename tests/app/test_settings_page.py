"""The settings page: read-only without a credential, validated save with diff, stale refusal, history restore."""

from __future__ import annotations

from pathlib import Path

import pytest

from core import settings_store as store
from core.config import load_settings, save_settings
from tests.app.pagekit import ROLE_USERS, no_exceptions, run_page, table_with, texts
from ui.settings_form import field_specs

PAGE = "app_pages/5_settings.py"


def _admin_page():
    app = run_page(PAGE, role="admin")
    no_exceptions(app)
    return app


def _submit(app, **values):
    """Set form fields (dotted keys with '__' for '.') and press the check button."""
    for name, value in values.items():
        key = "cfg." + name.replace("__", ".")
        app.get_by_key(key).set_value(value)
    return app.button(key="settings_submit").click().run()


@pytest.mark.parametrize("role", ["moderator", "analyst"])
def test_other_roles_are_refused(config_copy: Path, role: str) -> None:
    app = run_page(PAGE, role=role)
    no_exceptions(app)
    assert any("недоступна для роли" in text for text in texts(app, "error"))
    assert "settings_submit" not in [button.key for button in app.button]
    assert not app.code  # not even a read-only view of the file


def test_nobody_signed_in_is_asked_to_sign_in(config_copy: Path) -> None:
    app = run_page(PAGE, role=None)
    assert any("Войдите" in text for text in texts(app, "warning"))
    assert "settings_submit" not in [button.key for button in app.button]


def test_form_has_a_widget_for_every_field(config_copy: Path, admin_password: str) -> None:
    app = _admin_page()
    for spec in field_specs():
        widget = app.get_by_key(spec.widget_key)
        assert widget is not None, spec.key
        assert widget.help, spec.key
    assert app.get_by_key("cfg.detect.enabled").type == "multiselect"
    assert app.get_by_key("cfg.data.source").type == "selectbox"
    assert app.get_by_key("cfg.model.use_text").type == "checkbox"
    assert app.get_by_key("cfg.app.threshold").max == 1.0


def test_save_shows_diff_writes_file_keeps_history_and_takes_effect(config_copy: Path, admin_password: str) -> None:
    app = _submit(_admin_page(), app__threshold=0.7, detect__enabled=["phone", "email"])
    no_exceptions(app)
    diff = table_with(app, "Настройка")
    assert diff.set_index("Настройка").to_dict("index") == {
        "detect.enabled": {"Было": "phone, email, messenger, url, social", "Стало": "phone, email"},
        "app.threshold": {"Было": "0.5", "Стало": "0.7"},
    }
    assert load_settings(config_copy).app.threshold == 0.5  # nothing written before the confirmation
    app = app.button(key="settings_save").click().run()
    no_exceptions(app)
    assert any("Настройки сохранены" in text for text in texts(app, "success"))
    saved = load_settings(config_copy)
    assert saved.app.threshold == 0.7 and saved.detect.enabled == ["phone", "email"]
    history = store.list_history(config_copy)
    assert len(history) == 1 and "threshold: 0.5" in history[0].read_text()
    assert any("0.70" in text for text in texts(app, "markdown"))  # the sidebar reads the new file
    changes = store.list_changes(config_copy)
    assert changes[0]["user"] == ROLE_USERS["admin"] and changes[0]["action"] == "save"
    assert changes[0]["keys"] == ["detect.enabled", "app.threshold"]
    log = table_with(app, "Изменённые ключи")
    assert log["Кто"].tolist() == [ROLE_USERS["admin"]]
    check = run_page("app_pages/1_check.py")
    assert any("**Порог:** 0.70" in text for text in texts(check, "markdown"))


@pytest.mark.parametrize(
    ("values", "key"),
    [
        ({"model__learning_rate": 0.0}, "model.learning_rate"),
        ({"detect__default_region": "R"}, "detect.default_region"),
        ({"detect__enabled": []}, None),
    ],
)
def test_invalid_value_is_refused_naming_the_key(
    config_copy: Path, admin_password: str, values: dict, key: str | None
) -> None:
    before = config_copy.read_text(encoding="utf-8")
    app = _submit(_admin_page(), **values)
    no_exceptions(app)
    if key is None:  # an empty detector list is valid: it shows up as a change to confirm
        assert table_with(app, "Настройка")["Настройка"].tolist() == ["detect.enabled"]
        return
    errors = texts(app, "error")
    assert errors and key in errors[0], errors
    assert "settings_save" not in [button.key for button in app.button]
    assert config_copy.read_text(encoding="utf-8") == before


def test_file_changed_on_disk_is_not_overwritten(config_copy: Path, admin_password: str) -> None:
    app = _submit(_admin_page(), app__threshold=0.65)
    other = load_settings(config_copy)
    other.app.batch_size = 777  # another admin saves meanwhile
    save_settings(other, config_copy)
    app = app.button(key="settings_save").click().run()
    no_exceptions(app)
    assert any("изменился на диске" in text for text in texts(app, "error"))
    assert "batch_size: 777" in app.code[0].value
    on_disk = load_settings(config_copy)
    assert on_disk.app.batch_size == 777 and on_disk.app.threshold == 0.5
    app = app.button(key="settings_reload_stale").click().run()
    assert app.get_by_key("cfg.app.batch_size").value == 777
    app = _submit(app, app__threshold=0.65)
    app = app.button(key="settings_save").click().run()
    on_disk = load_settings(config_copy)
    assert on_disk.app.batch_size == 777 and on_disk.app.threshold == 0.65


def test_history_restore_brings_back_the_previous_version(config_copy: Path, admin_password: str) -> None:
    app = _submit(_admin_page(), app__history_size=5)
    app = app.button(key="settings_save").click().run()
    assert load_settings(config_copy).app.history_size == 5
    diff = table_with(app, "Настройка")
    assert diff["Настройка"].tolist() == ["app.history_size"]  # what a restore would change
    app = app.button(key="settings_restore").click().run()
    no_exceptions(app)
    assert any("Восстановлена версия" in text for text in texts(app, "success"))
    assert load_settings(config_copy).app.history_size == 20
    assert len(store.list_history(config_copy)) == 2
    assert app.get_by_key("cfg.app.history_size").value == 20


def test_broken_file_offers_restore(config_copy: Path, admin_password: str) -> None:
    app = _submit(_admin_page(), app__threshold=0.8)
    app.button(key="settings_save").click().run()
    config_copy.write_text("app:\n  threshold: 3\n", encoding="utf-8")
    app = run_page(PAGE)
    no_exceptions(app)
    assert any("app.threshold" in text for text in texts(app, "error"))
    app = app.button(key="settings_restore").click().run()
    no_exceptions(app)
    assert load_settings(config_copy).app.threshold == 0.5  # the newest copy: the text before the 0.8 save


def test_handwritten_sets_are_edited_as_one_line_of_yaml(config_copy: Path, admin_password: str) -> None:
    app = _admin_page()
    widget = app.get_by_key("cfg.evaluate.handwritten_sets")
    assert widget.type == "text_input" and "tuned" in widget.help
    assert widget.value.startswith("[{name: golden, path: tests/data/golden.jsonl, tuned: true}, {name: holdout")
    assert app.get_by_key("cfg.evaluate.handwritten_tolerance").value == 0.01
    app = _submit(
        app,
        evaluate__handwritten_sets="[{name: untouched, path: tests/data/handwritten_untouched.jsonl, tuned: false}]",
    )
    no_exceptions(app)
    assert table_with(app, "Настройка")["Настройка"].tolist() == ["evaluate.handwritten_sets"]
    app = app.button(key="settings_save").click().run()
    no_exceptions(app)
    assert [entry["name"] for entry in load_settings(config_copy).evaluate.handwritten_sets] == ["untouched"]
    app = _submit(app, evaluate__handwritten_sets="[{name: untouched, path: x.jsonl}]")
    errors = texts(app, "error")
    assert errors and "evaluate.handwritten_sets.0.tuned" in errors[0], errors
