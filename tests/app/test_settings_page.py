"""The settings page: read-only without a credential, validated save with diff, stale refusal, history restore."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from core import retrain
from core.config import ConfigError, applies, help_ru, load_settings, save_settings
from core.lifecycle import tracking
from tests.app.pagekit import ROLE_USERS, no_exceptions, run_page, table_with, texts
from ui import settings_form
from ui import settings_store as store
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


def test_save_shows_diff_writes_file_keeps_history_and_says_what_acts_now(
    config_copy: Path, admin_password: str
) -> None:
    app = _submit(_admin_page(), app__threshold=0.7, detect__enabled=["phone", "email"])
    no_exceptions(app)
    diff = table_with(app, "Настройка")
    assert diff.set_index("Настройка").to_dict("index") == {
        "detect.enabled": {
            "Было": "phone, email, messenger, url, social",
            "Стало": "phone, email",
            "Когда действует": "после переобучения",
        },
        "app.threshold": {"Было": "0,5", "Стало": "0,7", "Когда действует": "действует сразу"},
    }
    assert load_settings(config_copy).app.threshold == 0.5  # nothing written before the confirmation
    app = app.button(key="settings_save").click().run()
    no_exceptions(app)
    successes, warnings = texts(app, "success"), texts(app, "warning")
    assert successes[0] == "Настройки сохранены. Уже действуют в приложении и командной строке: app.threshold."
    assert any(text.startswith("Вступят в силу только после переобучения модели: detect.enabled.") for text in warnings)
    assert not any("detect.enabled" in text for text in successes)  # a retrain setting is never "already in effect"
    assert not any("уже действуют" in text.lower() and "detect" in text for text in texts(app, "info") + successes)
    assert any("app.threshold" in text and "после перезапуска" in text for text in texts(app, "info"))
    assert app.button(key="settings_retrain").label == "Переобучить в фоне"  # offered for the retrain change
    saved = load_settings(config_copy)
    assert saved.app.threshold == 0.7 and saved.detect.enabled == ["phone", "email"]
    history = store.list_history(config_copy)
    assert len(history) == 1 and "threshold: 0.5" in history[0].read_text()
    assert any("0,70" in text for text in texts(app, "markdown"))  # the sidebar reads the new file
    changes = store.list_changes(config_copy)
    assert changes[0]["user"] == ROLE_USERS["admin"] and changes[0]["action"] == "save"
    assert changes[0]["keys"] == ["detect.enabled", "app.threshold"]
    log = table_with(app, "Изменённые ключи")
    assert log["Кто"].tolist() == [ROLE_USERS["admin"]]
    check = run_page("app_pages/1_check.py")
    assert any("**Порог:** 0,70" in text for text in texts(check, "markdown"))


def test_an_app_only_change_is_not_offered_a_retrain(config_copy: Path, admin_password: str) -> None:
    app = _submit(_admin_page(), app__batch_size=500)
    app = app.button(key="settings_save").click().run()
    no_exceptions(app)
    assert texts(app, "success") == [
        "Настройки сохранены. Уже действуют в приложении и командной строке: app.batch_size."
    ]
    assert not any("переобучения" in text for text in texts(app, "warning"))
    assert "settings_retrain" not in [button.key for button in app.button]


def test_every_setting_shows_its_schema_help_and_when_it_acts(config_copy: Path, admin_password: str) -> None:
    app = _admin_page()
    assert not hasattr(settings_form, "FIELD_HELP")  # the help is written once, in the schema
    assert any(
        text.startswith("У каждой настройки отмечено, когда изменение вступит в силу") for text in texts(app, "caption")
    )
    marks = {"now": "действует сразу", "retrain": "после переобучения", "restart": "после перезапуска сервера оценки"}
    for spec in field_specs():
        widget = app.get_by_key(spec.widget_key)
        assert widget.help.startswith(help_ru(spec.key) + ". Ключ в config.yaml: " + spec.key), spec.key
        mark = marks[applies(spec.key)] if spec.key != "tracking.uri" else "только для чтения"
        assert widget.label.endswith(f"· **{mark}**"), spec.key
    assert "Допустимо: 10 … 5\u202f000" in app.get_by_key("cfg.model.iterations").help
    assert "после переобучения" in app.get_by_key("cfg.detect.workers").label
    assert "Сколько процессов" in app.get_by_key("cfg.detect.workers").label  # Russian, not the English description
    assert "после перезапуска" in app.get_by_key("cfg.app.threshold").help  # the server reads it at its start


def test_tracking_uri_is_read_only_on_the_page(config_copy: Path, admin_password: str) -> None:
    before = load_settings(config_copy).tracking.uri
    app = _admin_page()
    widget = app.get_by_key("cfg.tracking.uri")
    assert widget.disabled and widget.value == before
    assert any("MLFLOW_TRACKING_URI" in text and "не из приложения" in text for text in texts(app, "caption"))
    # a value forced into the disabled widget's state (a browser cannot type it) never reaches the file
    app.session_state["cfg.tracking.uri"] = "http://attacker.example:5000"
    app = _submit(app, app__history_size=7)
    no_exceptions(app)
    assert table_with(app, "Настройка")["Настройка"].tolist() == ["app.history_size"]
    app = app.button(key="settings_save").click().run()
    no_exceptions(app)
    saved = load_settings(config_copy)
    assert saved.tracking.uri == before and saved.app.history_size == 7


def test_the_store_refuses_a_tracking_uri_change_from_the_dashboard_and_restore_keeps_it(
    config_copy: Path, admin_password: str
) -> None:
    current = load_settings(config_copy)
    changed = current.model_copy(deep=True)
    changed.tracking.uri = "http://attacker.example:5000"
    digest = store.text_digest(store.read_config_text(config_copy))
    with pytest.raises(ConfigError) as caught:
        store.save_config(changed, config_copy, digest, 5, "alice", dashboard=True)
    assert "tracking.uri нельзя изменить из приложения" in caught.value.text("ru")
    assert load_settings(config_copy).tracking.uri == current.tracking.uri
    # the CLI side (no dashboard flag) may change it; a restore of that version from the page keeps the current URI
    store.save_config(changed, config_copy, digest, 5, "cli")
    back = current.model_copy(deep=True)
    back.app.history_size = 9
    store.save_config(back, config_copy, store.text_digest(store.read_config_text(config_copy)), 5, "cli")
    attacker_version = store.list_history(config_copy)[0].name  # the text holding the attacker's URI
    assert "attacker" in store.history_entry(config_copy, attacker_version).read_text()
    app = _admin_page()
    app.selectbox(key="settings_history_version").set_value(attacker_version).run()
    app = app.button(key="settings_restore").click().run()
    no_exceptions(app)
    restored = load_settings(config_copy)
    assert restored.tracking.uri == current.tracking.uri and restored.app.history_size == 20
    assert any(text.startswith("tracking.uri: оставлено текущее значение") for text in texts(app, "info"))


def test_a_path_outside_the_project_is_refused_with_a_russian_message(config_copy: Path, admin_password: str) -> None:
    before = config_copy.read_text(encoding="utf-8")
    app = _submit(_admin_page(), monitoring__db_path="/etc/contactguard/predictions.sqlite")
    no_exceptions(app)
    errors = texts(app, "error")
    assert errors and errors[0].startswith(
        "Настройки не сохранены — ошибка в значении: monitoring.db_path: путь /etc/contactguard/predictions.sqlite "
        "лежит вне разрешённых папок ("
    ), errors
    assert "settings_save" not in [button.key for button in app.button]
    app = _submit(app, monitoring__db_path="../../outside.sqlite")
    assert "monitoring.db_path: путь ../../outside.sqlite лежит вне разрешённых папок" in texts(app, "error")[0]
    assert config_copy.read_text(encoding="utf-8") == before


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


def _wait_for_retrain(config: Path, seconds: float = 900.0) -> retrain.RetrainStatus:
    """The finished retrain job (stops its process group and fails when it takes longer than seconds)."""
    deadline = time.monotonic() + seconds
    status = retrain.latest(config)
    while status is not None and status.running and time.monotonic() < deadline:
        time.sleep(2)
        status = retrain.latest(config)
    assert status is not None
    if status.running and status.pid:
        os.killpg(status.pid, signal.SIGTERM)  # the job's own process group (start_new_session)
        raise AssertionError(f"retrain still running after {seconds} s:\n{status.log_tail()}")
    return status


def test_background_retrain_registers_a_gated_candidate_and_the_page_shows_it(
    store_copy: Path, tmp_path: Path, admin_password: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = load_settings(store_copy)  # a copy of the store: champion v1 and v2 registered
    settings.data.prepared_dir = str(tmp_path / "prepared")
    settings.data.feedback_path = str(tmp_path / "feedback" / "confirmed.csv")
    settings.evaluate.metrics_path = str(tmp_path / "metrics" / "metrics.json")
    settings.evaluate.plots_dir = str(tmp_path / "metrics" / "plots")
    settings.evaluate.handwritten_sets = [
        {"name": "holdout", "path": "tests/data/golden_holdout.jsonl", "tuned": False}
    ]
    save_settings(settings, store_copy)
    monkeypatch.setenv(retrain.MODELS_DIR_ENV, str(tmp_path / "models"))  # not the project's models/
    before = set(tracking.list_versions(settings.tracking)["version"].astype(str))

    app = _submit(_admin_page(), model__iterations=40)
    app = app.button(key="settings_save").click().run()
    no_exceptions(app)
    assert not texts(app, "success")[0].endswith("model.iterations.")  # not "already in effect"
    assert any("после переобучения модели: model.iterations" in text for text in texts(app, "warning"))
    app = app.button(key="settings_retrain").click().run()
    no_exceptions(app)
    started = retrain.latest(store_copy)
    assert started is not None and started.user == ROLE_USERS["admin"]
    if started.running:
        assert any(text.startswith("Запустил alice") for text in texts(app, "caption"))  # progress while it runs
        with pytest.raises(retrain.RetrainBusyError):
            retrain.start(store_copy, "bob")  # one retrain at a time

    status = _wait_for_retrain(store_copy)
    assert status.state == "done", status.log_tail(80)
    assert status.stages_done == list(retrain.STAGES)
    versions = tracking.list_versions(settings.tracking)
    new = set(versions["version"].astype(str)) - before
    assert new == {status.version}, (new, status.version)  # the candidate was registered
    row = versions[versions["version"].astype(str) == status.version].iloc[0]
    assert row["tag.promotion.decision"] == status.decision and status.decision in ("promoted", "refused")
    assert status.reason == row["tag.promotion.reason"] and status.reason
    assert (tmp_path / "models" / "run.json").exists() and (tmp_path / "prepared" / "train.csv").exists()
    assert "=== promote: python -m core --config" in status.log_tail(400)
    champion = tracking.get_alias_version(settings.tracking)
    assert (champion == status.version) == (status.decision == "promoted")

    page = run_page(PAGE)
    no_exceptions(page)
    assert any(
        f"кандидат — версия {status.version} зарегистрирована в реестре" in text for text in texts(page, "success")
    )
    if status.decision == "promoted":
        assert any(
            f"версия {status.version} прошла проверку и теперь @champion" in text for text in texts(page, "success")
        )
    else:
        assert any(
            f"Автоповышение отказало: @champion осталась у версии {champion}" in text for text in texts(page, "warning")
        )
    assert status.reason in [str(element.value) for element in page.text]  # the reason as plain text
    assert "settings_retrain" not in [button.key for button in page.button]  # no offer without a new change
