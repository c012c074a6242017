"""The scoring server as a real `python -m core serve` process on a free local port."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from core import monitoring
from core.config import Settings, save_settings
from core.serving import max_body_bytes
from desktop import free_port

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
MAX_ROWS = 20
MAX_CHARS = 5_000  # detect.max_chars of the served config (the default is 20,000)
AD = {
    "title": "Продаю велосипед",
    "description": "Почти новый, звоните 8 912 345-67-89 после шести",
    "subcategory": "Велосипеды",
    "category": "Хобби и отдых",
    "price": 12000,
    "region": "Москва",
    "city": "Москва",
    "datetime_submitted": "2019-10-01 10:00:00",
}
CLEAN_AD = {**AD, "description": "Отличное состояние, пробег 1200 км, торг уместен"}


@dataclass
class Server:
    """A running scoring server and the settings it was started with."""

    url: str
    process: subprocess.Popen
    settings: Settings
    log_path: Path


def _post(url: str, body: bytes, content_type: str = "application/json") -> tuple[int, dict | str]:
    """POST and return (status, parsed JSON or text), also for 4xx/5xx answers."""
    request = urllib.request.Request(url, data=body, headers={"Content-Type": content_type}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            status, text = response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        status, text = error.code, error.read().decode()
    try:
        return status, json.loads(text)
    except ValueError:
        return status, text


def _invoke(server: Server, records: list) -> tuple[int, dict | str]:
    return _post(f"{server.url}/invocations", json.dumps({"dataframe_records": records}).encode())


def _alive(server: Server) -> bool:
    with urllib.request.urlopen(f"{server.url}/ping", timeout=10) as response:
        return response.status == 200 and server.process.poll() is None


@pytest.fixture(scope="module")
def server(trained_store, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Serve the trained store's champion with a small row limit and a private monitoring log."""
    root = tmp_path_factory.mktemp("serve")
    settings = trained_store.settings.model_copy(deep=True)
    settings.serve.max_rows = MAX_ROWS
    settings.detect.max_chars = MAX_CHARS
    settings.monitoring.db_path = str(root / "log.sqlite")
    config = save_settings(settings, root / "config.yaml")
    port = free_port()
    log_path = root / "server.log"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("MLFLOW_TRACKING_URI", None)
    env.pop("CONTACTGUARD_CONFIG", None)
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "core",
                "--config",
                str(config),
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    running = Server(f"http://127.0.0.1:{port}", process, settings, log_path)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"server exited with {process.returncode}:\n{log_path.read_text()}")
        try:
            if _alive(running):
                break
        except OSError:
            time.sleep(0.5)
    else:
        process.kill()
        pytest.fail(f"server did not answer /ping:\n{log_path.read_text()}")
    yield running
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def test_ping_and_version(server: Server) -> None:
    assert _alive(server)
    with urllib.request.urlopen(f"{server.url}/version", timeout=10) as response:
        assert response.status == 200


def test_good_payload_returns_probability_and_contacts_per_ad(server: Server) -> None:
    status, body = _invoke(server, [AD, CLEAN_AD])
    assert status == 200, body
    predictions = body["predictions"]
    assert len(predictions) == 2
    flagged, clean = predictions
    assert set(flagged) == {"prediction", "start", "finish", "contacts"}
    assert 0.0 <= clean["prediction"] <= 1.0 and clean["prediction"] < flagged["prediction"]
    contact = flagged["contacts"][0]
    assert {"start", "finish", "kind", "text", "value", "score"} <= set(contact)
    assert contact["kind"] == "phone" and AD["description"][contact["start"] : contact["finish"]] == contact["text"]
    assert flagged["start"] == contact["start"]
    assert all(type(flagged[key]) is int for key in ("start", "finish"))  # 10, never 10.0
    assert clean["contacts"] == [] and clean["start"] is None


def test_served_ads_are_logged_with_source_serve(server: Server) -> None:
    status, _ = _invoke(server, [AD])
    assert status == 200
    log = monitoring.read_log(server.settings.monitoring)
    assert len(log) >= 1 and set(log["source"]) == {"serve"}
    assert log["model_version"].iloc[-1] != ""


def test_missing_column_is_a_400_naming_it(server: Server) -> None:
    status, body = _invoke(server, [{key: value for key, value in AD.items() if key != "description"}])
    assert status == 400 and "description" in body["message"]
    assert body["error_code"] == "INVALID_PARAMETER_VALUE"


def test_wrong_types_are_a_400(server: Server) -> None:
    status, body = _invoke(server, [{**AD, "price": "дёшево"}])
    assert status == 400 and "price" in body["message"]
    assert AD["description"] not in body["message"]  # the ads are not echoed back
    status, body = _invoke(server, [{**AD, "title": {"nested": "object"}}])
    assert status == 400 and "title" in body["message"]
    status, body = _invoke(server, ["not an ad"])
    assert 400 <= status < 500


def test_malformed_json_and_wrong_content_type_are_4xx(server: Server) -> None:
    status, _ = _post(f"{server.url}/invocations", b'{"dataframe_records": [')
    assert 400 <= status < 500
    status, _ = _post(f"{server.url}/invocations", b"<xml/>", content_type="application/xml")
    assert status == 415
    status, _ = _post(f"{server.url}/invocations", json.dumps({"rows": [AD]}).encode())
    assert 400 <= status < 500


def test_too_many_ads_is_a_400(server: Server) -> None:
    status, body = _invoke(server, [AD] * (MAX_ROWS + 1))
    assert status == 400 and f"limit is {MAX_ROWS}" in body["message"]
    status, body = _invoke(server, [AD] * MAX_ROWS)
    assert status == 200 and len(body["predictions"]) == MAX_ROWS


def test_overlong_ad_is_a_400_naming_the_limit(server: Server) -> None:
    longest = AD["description"] + " " * (MAX_CHARS - len(AD["description"]))
    status, body = _invoke(server, [CLEAN_AD, {**AD, "description": longest + "!"}])
    assert status == 400, body
    message = body["message"]
    assert "limit of 5,000 characters" in message and "detect.max_chars" in message
    assert "record 2 description (5,001 characters)" in message
    assert len(message) < 300 and "звоните" not in message  # short, and the ad is not echoed back
    status, body = _invoke(server, [{**AD, "title": "диван " * 1_000}])
    assert status == 400 and "record 1 title (6,000 characters)" in body["message"]
    status, body = _invoke(server, [{**AD, "description": longest}])
    assert status == 200 and body["predictions"][0]["contacts"]


def test_huge_body_is_a_413_without_reading_it_all(server: Server) -> None:
    limit = max_body_bytes(server.settings.serve)
    huge = json.dumps({"dataframe_records": [{**AD, "description": "x" * (limit + 10)}]}).encode()
    status, body = _post(f"{server.url}/invocations", huge)
    assert status == 413 and "limit" in body["message"]


def test_server_survives_all_bad_requests(server: Server) -> None:
    for _ in range(3):
        _invoke(server, [{"title": 1}])
    assert _alive(server)
    status, _ = _invoke(server, [AD])
    assert status == 200
    assert "Traceback" not in server.log_path.read_text(errors="replace")


def test_redaction_keeps_only_the_error() -> None:
    from core.serving import redact_error_body

    echoed = {
        "error_code": "INVALID_PARAMETER_VALUE",
        "message": "Failed to predict data '  description\n0  звоните 8912'. \nError: field 'price' must be a number",
    }
    redacted = json.loads(redact_error_body(json.dumps(echoed).encode()))
    assert redacted == {"error_code": "INVALID_PARAMETER_VALUE", "message": "field 'price' must be a number"}
    untouched = json.dumps({"message": "limit is 5"}).encode()
    assert redact_error_body(untouched) == untouched
