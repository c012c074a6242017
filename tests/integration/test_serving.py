"""The scoring server as a real `python -m core serve` process on a free local port."""

from __future__ import annotations

import asyncio
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

import pandas as pd
import pytest
from mlflow.exceptions import MlflowException

from core.config import Settings, save_settings
from core.ops import monitoring
from core.ops.serving import (
    TIMEOUT_ENV,
    RequestError,
    ScoringService,
    max_body_bytes,
    records_from_payload,
    scoring_app,
)
from tests.conftest import SAMPLE_AD
from tests.serverkit import serve_process

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
MAX_ROWS = 20
MAX_CHARS = 5_000  # detect.max_chars of the served config (the default is 20,000)
AD = SAMPLE_AD  # the shared sample ad of tests/conftest.py
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
    log_path = root / "server.log"
    with serve_process(config, log_path, workers=None) as (port, process):
        yield Server(f"http://127.0.0.1:{port}", process, settings, log_path)


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


def _wait_for_log(server: Server, rows: int, seconds: float = 20.0) -> pd.DataFrame:
    """The monitoring log once it holds at least `rows` rows (the server writes it in the background)."""
    deadline = time.monotonic() + seconds
    while True:
        log = monitoring.read_log(server.settings.monitoring)
        if len(log) >= rows or time.monotonic() > deadline:
            return log
        time.sleep(0.1)


def _settled_log_rows(server: Server, quiet: float = 1.0, seconds: float = 30.0) -> int:
    """Rows in the monitoring log once no row has arrived for `quiet` seconds (earlier tests' writes drained)."""
    deadline = time.monotonic() + seconds
    rows, since = len(monitoring.read_log(server.settings.monitoring)), time.monotonic()
    while time.monotonic() - since < quiet and time.monotonic() < deadline:
        time.sleep(0.1)
        now = len(monitoring.read_log(server.settings.monitoring))
        if now != rows:
            rows, since = now, time.monotonic()
    return rows


def test_served_ads_are_logged_with_source_serve(server: Server) -> None:
    status, _ = _invoke(server, [AD])
    assert status == 200
    log = _wait_for_log(server, 1)
    assert len(log) >= 1 and set(log["source"]) == {"serve"}
    assert log["model_version"].iloc[-1] != ""


def test_served_ads_are_recorded_exactly_with_the_version_and_no_user(server: Server, trained_store) -> None:
    before = _settled_log_rows(server)  # the module's server may still be writing an earlier test's ads
    marked = [{**AD, "description": f"{AD['description']} (запрос {i})"} for i in range(3)]
    assert _invoke(server, marked[:2])[0] == 200  # plain JSON: the path without DataFrames
    frame = pd.DataFrame(marked[2:])
    assert _post(f"{server.url}/invocations", frame.to_csv(index=False).encode(), "text/csv")[0] == 200
    _wait_for_log(server, before + 3)
    assert _settled_log_rows(server) == before + 3  # exactly these three, nothing more
    log = monitoring.read_log(server.settings.monitoring).iloc[before:]
    assert len(log) == 3 and set(log["kinds"]) == {"phone"}  # written off the request path (no text: store_text)
    assert log["category"].tolist() == [AD["category"]] * 3
    assert set(log["source"]) == {"serve"} and log["scored_by"].isna().all()  # HTTP clients are anonymous
    assert set(log["model_version"]) == {trained_store.version}


def test_missing_column_is_a_400_naming_it(server: Server) -> None:
    status, body = _invoke(server, [{key: value for key, value in AD.items() if key != "description"}])
    assert status == 400 and "description" in body["message"]
    assert body["error_code"] == "records.invalid"


def _raw_post(server: Server, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    """POST with exactly the given headers (urllib would add a Content-Type); returns (status, raw answer)."""
    import http.client

    host, port = server.url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=60)
    try:
        connection.putrequest("POST", "/invocations", skip_accept_encoding=True)
        for name, value in {**headers, "Content-Length": str(len(body))}.items():
            connection.putheader(name, value)
        connection.endheaders(body)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_an_empty_request_is_a_400_with_a_code(server: Server) -> None:
    for payload in (
        {"dataframe_records": []},
        {"instances": []},
        {"dataframe_split": {"columns": list(AD), "data": []}},
        {"inputs": {name: [] for name in AD}},
    ):
        status, body = _post(f"{server.url}/invocations", json.dumps(payload).encode())
        assert status == 400, payload
        assert body == {"error_code": "request.empty", "message": "the request holds no ads: send at least one"}
    header_only = ",".join(AD).encode() + b"\n"
    status, body = _post(f"{server.url}/invocations", header_only, content_type="text/csv")
    assert status == 400 and body["error_code"] == "request.empty"


def test_a_megabyte_of_malformed_json_is_a_small_400_that_does_not_echo_it(server: Server) -> None:
    secret = "секрет-8-999-000-11-22 "
    body = b'{"dataframe_records": [{"description": "' + (secret * 35_000).encode() + b'"}'  # no closing ]}
    assert 1_000_000 < len(body) < max_body_bytes(server.settings.serve)
    status, answer = _raw_post(server, body, {"Content-Type": "application/json"})
    assert status == 400 and len(answer) < 300, len(answer)
    payload = json.loads(answer)
    assert set(payload) == {"error_code", "message"} and payload["error_code"] == "request.not_json"
    assert payload["message"].startswith("the body is not valid JSON:") and "секрет" not in answer.decode()


def test_no_content_type_is_a_415_with_a_code(server: Server) -> None:
    status, answer = _raw_post(server, json.dumps({"dataframe_records": [AD]}).encode(), {})
    assert status == 415, answer
    assert json.loads(answer) == {
        "error_code": "request.content_type_none",
        "message": "the request has no Content-Type: send application/json or text/csv",
    }


def test_a_field_missing_only_in_the_second_record_is_a_400_naming_it(server: Server) -> None:
    second = {key: value for key, value in CLEAN_AD.items() if key != "region"}
    status, body = _invoke(server, [AD, second])
    assert status == 400, body
    assert body["error_code"] == "records.invalid"
    assert body["message"] == "invalid ads: field 'region' is missing from record 2 (use null for an empty value)"


def test_wrong_types_are_a_400(server: Server) -> None:
    status, body = _invoke(server, [{**AD, "price": "дёшево"}])
    assert status == 400 and "price" in body["message"]
    assert AD["description"] not in body["message"]  # the ads are not echoed back
    status, body = _invoke(server, [{**AD, "title": {"nested": "object"}}])
    assert status == 400 and "title" in body["message"]
    status, body = _invoke(server, ["not an ad"])
    assert 400 <= status < 500


def test_malformed_json_and_wrong_content_type_are_4xx(server: Server) -> None:
    status, body = _post(f"{server.url}/invocations", b'{"dataframe_records": [')
    assert status == 400 and body["error_code"] == "request.not_json"
    status, body = _post(f"{server.url}/invocations", b"<xml/>", content_type="application/xml")
    assert status == 415 and body["error_code"] == "request.content_type"
    status, body = _post(f"{server.url}/invocations", json.dumps({"rows": [AD]}).encode())
    assert status == 400 and body["error_code"] == "request.keys"


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
    assert status == 413 and "limit" in body["message"] and body["error_code"] == "request.body_too_large"


def test_server_survives_all_bad_requests(server: Server) -> None:
    for _ in range(3):
        _invoke(server, [{"title": 1}])
    assert _alive(server)
    status, _ = _invoke(server, [AD])
    assert status == 200
    assert "Traceback" not in server.log_path.read_text(errors="replace")


def test_other_mlflow_request_formats_and_csv_score_the_same(server: Server) -> None:
    status, records = _invoke(server, [AD, CLEAN_AD])
    assert status == 200
    columns = list(AD)
    split = {"dataframe_split": {"columns": columns, "data": [[ad[c] for c in columns] for ad in (AD, CLEAN_AD)]}}
    as_columns = {"inputs": {c: [AD[c], CLEAN_AD[c]] for c in columns}}
    for payload in (split, {"instances": [AD, CLEAN_AD]}, as_columns):
        status, body = _post(f"{server.url}/invocations", json.dumps(payload).encode())
        assert status == 200 and body == records, payload
    csv = pd.DataFrame([AD, CLEAN_AD]).to_csv(index=False).encode()
    status, body = _post(f"{server.url}/invocations", csv, content_type="text/csv")
    assert status == 200 and body == records


def test_refusals_never_echo_the_ads(server: Server) -> None:
    secret = "секретный текст объявления 8 999 000-11-22"
    cases = [
        [{**AD, "description": secret, "price": "дёшево"}],
        [{**AD, "description": secret, "title": ["a", "list"]}],
        [{key: value for key, value in {**AD, "description": secret}.items() if key != "category"}],
        [{**AD, "description": secret}] * (MAX_ROWS + 1),
        [{**AD, "description": secret + " " * MAX_CHARS}],
    ]
    for records in cases:
        status, body = _invoke(server, records)
        assert status == 400 and set(body) == {"error_code", "message"}, body
        assert "секретный" not in body["message"] and "Traceback" not in body["message"]
    status, body = _post(f"{server.url}/invocations", b'{"dataframe_records": [{"description": "' + secret.encode())
    assert status == 400 and "секретный" not in body["message"] and "not valid JSON" in body["message"]


# --------------------------------------------------------------------------- the service without HTTP


class _FailingModel:
    """A model whose predict raises the given error."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    def predict(self, frame: pd.DataFrame) -> pd.DataFrame:
        raise self.error


def _service(model: object) -> ScoringService:
    settings = Settings()
    settings.monitoring.enabled = False
    return ScoringService.from_settings(model, settings)


def test_model_failures_are_short_answers_without_the_input_or_a_trace() -> None:
    body = json.dumps({"dataframe_records": [AD]}).encode()
    echo = MlflowException.invalid_parameter_value(
        f"Failed to enforce schema of data '{AD['description']}' with schema '…'. Error: column 'price' is wrong"
    )
    answer = _service(_FailingModel(echo)).invoke(body, "application/json")
    assert answer.status == 400
    assert answer.payload["message"] == "the ads do not fit the model's signature: column 'price' is wrong"
    answer = _service(_FailingModel(RuntimeError(f"boom {AD['description']}"))).invoke(body, "application/json")
    assert answer.status == 500 and answer.payload == {
        "error_code": "request.internal",
        "message": "internal error while scoring (see the server log)",
    }


def test_records_from_payload_reads_every_mlflow_format() -> None:
    ads = [{"title": "a", "description": "b"}, {"title": "c", "description": "d"}]
    assert records_from_payload({"dataframe_records": ads}) == ads
    assert (
        records_from_payload(
            {"dataframe_split": {"columns": ["title", "description"], "data": [["a", "b"], ["c", "d"]]}}
        )
        == ads
    )
    assert records_from_payload({"instances": ads}) == ads
    assert records_from_payload({"inputs": {"title": ["a", "c"], "description": ["b", "d"]}}) == ads
    for bad, fragment in (
        ([ads], "JSON object"),
        ({"rows": ads}, "exactly one of"),
        ({"dataframe_records": ads, "instances": ads}, "exactly one of"),
        ({"dataframe_records": "text"}, "must be a list"),
        ({"dataframe_split": {"columns": ["title"], "data": [["a", "b"]]}}, "row 1"),
        ({"inputs": {"title": ["a"], "description": ["b", "d"]}}, "same length"),
    ):
        with pytest.raises(RequestError, match=fragment):
            records_from_payload(bad)


def test_content_types_and_charsets() -> None:
    service = _service(_FailingModel(RuntimeError()))
    assert service.invoke(b"<xml/>", "application/xml").status == 415
    assert service.invoke(b"{}", "application/json; charset=latin-1").status == 415
    answer = service.invoke(b"\xff\xfe", "application/json")  # a UTF-16 byte-order mark, then nothing
    assert answer.status == 400 and answer.payload["error_code"] == "request.not_json"
    answer = service.invoke(b'{"dataframe_records": "\xff"}', "application/json")
    assert answer.status == 400 and answer.payload == {
        "error_code": "request.not_utf8",
        "message": "the body is not UTF-8 text",
    }
    empty = service.invoke(json.dumps({"dataframe_records": []}).encode(), "application/json; charset=utf-8")
    assert empty.status == 400 and empty.payload["error_code"] == "request.empty"
    none = service.invoke(b"{}", "")
    assert none.status == 415 and none.payload["error_code"] == "request.content_type_none"


class _SlowModel:
    """A model that takes a second per call."""

    def predict(self, frame: pd.DataFrame) -> pd.DataFrame:
        time.sleep(1.0)
        return pd.DataFrame()


async def _asgi_post(app: object, path: str, body: bytes) -> tuple[int, bytes]:
    """POST to an ASGI app in-process; returns (status, body)."""
    sent: list[dict] = []
    request = {"type": "http.request", "body": body, "more_body": False}

    async def receive() -> dict:
        return request

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": "POST",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        "http_version": "1.1",
        "scheme": "http",
        "server": ("127.0.0.1", 80),
        "client": ("127.0.0.1", 1234),
        "root_path": "",
    }
    await app(scope, receive, send)  # type: ignore[operator]
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    return status, b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


def test_a_slow_request_is_a_504(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TIMEOUT_ENV, "0.2")
    app = scoring_app(_service(_SlowModel()))
    status, body = asyncio.run(_asgi_post(app, "/invocations", json.dumps({"dataframe_records": [AD]}).encode()))
    assert status == 504 and "longer than 0.2 seconds" in json.loads(body)["message"]


TRIM_CHECK = """
import time
import psutil
from core.ops.serving import MemoryTrimmer

process = psutil.Process()
trimmer = MemoryTrimmer(seconds=0.05)
print(trimmer.available)
trimmer.trim()
start = process.memory_info().rss
blocks = [bytearray(b"x" * 100_000) for _ in range(300)]  # 30 MB under the mmap threshold: on the heap
keep = blocks[-1]  # the last block stays, so the heap cannot shrink from its top
del blocks
print((process.memory_info().rss - start) / 2**20)
trimmer.start()
time.sleep(0.5)
trimmer.stop()
print((process.memory_info().rss - start) / 2**20, len(keep))
"""


def test_the_memory_trimmer_hands_freed_heap_pages_back() -> None:
    done = subprocess.run(
        [sys.executable, "-c", TRIM_CHECK],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    available, freed, trimmed = done.stdout.split("\n")[:3]
    assert available == "True"  # glibc here; on other C libraries the trimmer does nothing
    assert float(freed) > 20  # freed by Python, still held by malloc
    assert float(trimmed.split()[0]) < 5  # the trimmer's thread handed it back
