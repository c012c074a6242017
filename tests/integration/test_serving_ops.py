"""The scoring server in operation: 2 workers, /metrics (read by a real Prometheus), a locked log, hot reload."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from prometheus_client.parser import text_string_to_metric_families

from core.config import Settings, save_settings
from core.lifecycle import tracking
from core.lifecycle.pyfunc_model import INPUT_COLUMNS
from core.ops import monitoring
from core.ops.serving import LoadedModel, ScoringService
from desktop import free_port
from tests.conftest import SAMPLE_AD
from tests.serverkit import serve_process

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
AD = SAMPLE_AD  # the shared sample ad of tests/conftest.py
BODY = json.dumps({"dataframe_records": [AD]}).encode()


@dataclass
class Server:
    """A running 2-worker scoring server over its own MLflow store (versions 1 and 2, the alias on 1)."""

    url: str
    port: int
    process: subprocess.Popen
    settings: Settings
    log_path: Path


def _post(url: str, body: bytes = BODY) -> tuple[int, str, float]:
    """POST a JSON body: (status, X-Model-Version, seconds)."""
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"}, method="POST")
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
            return response.status, response.headers.get("X-Model-Version", ""), time.perf_counter() - started
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("X-Model-Version", ""), time.perf_counter() - started


def _metrics(server: Server) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of /metrics as {(name, sorted labels): value}."""
    with urllib.request.urlopen(f"{server.url}/metrics", timeout=10) as response:
        text = response.read().decode()
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def _value(samples: dict, name: str, **labels: str) -> float:
    """The sum of a series' samples whose labels include the given ones."""
    wanted = set(labels.items())
    return sum(value for (key, found), value in samples.items() if key == name and wanted <= set(found))


@pytest.fixture(scope="module")
def server(trained_store, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Register the trained predictor twice in a private store and serve @champion with 2 workers."""
    root = tmp_path_factory.mktemp("serve-ops")
    predictor = tracking.load_predictor(trained_store.settings.tracking)
    settings = trained_store.settings.model_copy(deep=True)
    settings.tracking.uri = f"sqlite:///{root / 'mlflow.db'}"
    settings.tracking.artifact_root = str(root / "mlartifacts")
    settings.monitoring.db_path = str(root / "log.sqlite")
    settings.serve.workers = 2
    settings.serve.reload_seconds = 1.0
    settings.serve.log_flush_seconds = 0.1
    first = tracking.log_training_run(settings, predictor, {}).model_version
    second = tracking.log_training_run(settings, predictor, {}).model_version
    assert (first, second) == ("1", "2") and tracking.get_alias_version(settings.tracking) == "1"
    config = save_settings(settings, root / "config.yaml")
    log_path = root / "server.log"
    with serve_process(config, log_path) as (port, process):
        yield Server(f"http://127.0.0.1:{port}", port, process, settings, log_path)


def test_direct_path_scores_like_the_pyfunc_model(trained_store) -> None:
    """score_ads (lists) and ContactModel.predict (DataFrames) give the same answer on varied ads."""
    from core.lifecycle.data import ads_from_records
    from core.lifecycle.synth import generate_ads

    model = tracking.load_model(trained_store.settings.tracking, tracking.model_uri(trained_store.settings.tracking))
    loaded = LoadedModel.of(model, trained_store.version)
    assert loaded.python_model is not None and loaded.can_score_directly(200)
    frame = generate_ads(200, seed=5)
    records = json.loads(frame[[*INPUT_COLUMNS, "region", "city", "datetime_submitted"]].to_json(orient="records"))
    ads = [{**ad, "price": float("nan") if ad["price"] is None else float(ad["price"])} for ad in records]
    direct, _, _ = loaded.score_ads(ads)
    expected = loaded.predict(ads_from_records(records)[list(INPUT_COLUMNS)])
    np.testing.assert_allclose([d["prediction"] for d in direct], expected["prediction"].to_numpy(), atol=1e-9)
    assert [d["contacts"] for d in direct] == expected["contacts"].tolist()
    assert [d["start"] for d in direct] == expected["start"].tolist()
    settings = trained_store.settings.model_copy(deep=True)
    settings.monitoring.enabled = False
    service = ScoringService.from_settings(loaded, settings)
    body = json.dumps({"dataframe_records": records}).encode()
    assert service._plain_ads(body, "application/json", loaded) is not None  # the fast path is taken
    answer = service.invoke(body, "application/json")
    assert answer.status == 200 and answer.version == trained_store.version
    assert [p["contacts"] for p in answer.payload["predictions"]] == expected["contacts"].tolist()


def test_ping_ready_version_header_and_metrics(server: Server) -> None:
    with urllib.request.urlopen(f"{server.url}/ping", timeout=10) as response:
        assert response.status == 200
    with urllib.request.urlopen(f"{server.url}/ready", timeout=10) as response:
        assert json.loads(response.read()) == {"ready": True, "version": "1"}
    for _ in range(10):
        status, version, _ = _post(f"{server.url}/invocations")
        assert (status, version) == (200, "1")
    status, version, _ = _post(f"{server.url}/invocations", b'{"dataframe_records": [')
    assert status == 400 and version == "1"
    # A request is counted once its answer is sent (the middleware records in `finally`), so a scrape right after
    # the answer may come a moment early: read /metrics until the last request is in (at most 5 s).
    deadline = time.monotonic() + 5
    samples = _metrics(server)
    while _value(samples, "contactguard_request_duration_seconds_count", path="/invocations") < 11:
        assert time.monotonic() < deadline, "the last request never reached /metrics"
        time.sleep(0.05)
        samples = _metrics(server)
    assert _value(samples, "contactguard_requests_total", path="/invocations", code="200") >= 10
    assert _value(samples, "contactguard_request_errors_total", path="/invocations", code="400") >= 1
    assert _value(samples, "contactguard_request_duration_seconds_count", path="/invocations") >= 11
    assert _value(samples, "contactguard_ads_scored_total", category=AD["category"]) >= 10
    assert _value(samples, "contactguard_ads_flagged_total", category=AD["category"]) >= 10
    assert _value(samples, "contactguard_model_version_info", version="1") == 1
    assert _value(samples, "contactguard_model_loaded") == 1
    assert ("contactguard_monitoring_log_lag_ads", ()) in samples


def test_prometheus_scrapes_the_server(server: Server, tmp_path: Path) -> None:
    """The real prometheus binary scrapes /metrics on loopback and its query API returns the request count."""
    binary = shutil.which("prometheus")
    if binary is None:
        pytest.skip("the prometheus binary is not installed (Debian package prometheus; `make test` installs it)")
    sent = 25
    for _ in range(sent):
        assert _post(f"{server.url}/invocations")[0] == 200
    before = _value(_metrics(server), "contactguard_requests_total", path="/invocations")
    config = tmp_path / "prometheus.yml"
    config.write_text(
        "global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: contactguard-serve\n"
        f"    static_configs:\n      - targets: ['127.0.0.1:{server.port}']\n",
        encoding="utf-8",
    )
    port = free_port()
    command = [binary, f"--config.file={config}", f"--storage.tsdb.path={tmp_path / 'data'}"]
    command += [f"--web.listen-address=127.0.0.1:{port}"]
    with (tmp_path / "prometheus.log").open("wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    query = urllib.parse.urlencode({"query": 'sum(contactguard_requests_total{path="/invocations"})'})
    value = None
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/query?{query}", timeout=5) as response:
                    result = json.loads(response.read())["data"]["result"]
                if result:
                    value = float(result[0]["value"][1])
                    break
            except (OSError, ValueError, KeyError):
                pass
            time.sleep(0.5)
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert value is not None, (tmp_path / "prometheus.log").read_text()[-3000:]
    assert value >= before >= sent


def test_a_locked_log_does_not_slow_scoring_and_the_lag_shows_then_drains(server: Server) -> None:
    """An open write transaction on the log: answers stay fast, the lag metric grows, then drains."""
    assert _post(f"{server.url}/invocations")[0] == 200
    path = monitoring.db_path(server.settings.monitoring)
    deadline = time.monotonic() + 20
    while not (path.exists() and len(monitoring.read_log(server.settings.monitoring))):
        assert time.monotonic() < deadline, "the log was never written"
        time.sleep(0.1)
    before = len(monitoring.read_log(server.settings.monitoring))
    locker = sqlite3.connect(path, isolation_level=None)
    try:
        locker.execute("BEGIN IMMEDIATE")  # a real write transaction holds the lock from here on
        locker.execute("INSERT INTO decisions (prediction_id, decided_at, decision) VALUES (1, 'now', 'confirm')")
        seconds = [_post(f"{server.url}/invocations")[2] for _ in range(40)]
        assert max(seconds) < 1.0 and sorted(seconds)[len(seconds) // 2] < 0.2, seconds
        time.sleep(6)  # longer than the writer's lag log interval
        samples = _metrics(server)
        assert _value(samples, "contactguard_monitoring_log_lag_ads") >= 40
        assert _value(samples, "contactguard_monitoring_log_lag_seconds") >= 5
        assert _value(samples, "contactguard_monitoring_log_failed_writes_total") >= 1
        assert "monitoring log lags" in server.log_path.read_text(errors="replace")
        assert _post(f"{server.url}/invocations")[2] < 1.0
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    deadline = time.monotonic() + 20
    while _value(_metrics(server), "contactguard_monitoring_log_lag_ads") > 0:
        assert time.monotonic() < deadline, "the lag never drained"
        time.sleep(0.2)
    assert _value(_metrics(server), "contactguard_monitoring_log_lag_seconds") == 0
    assert len(monitoring.read_log(server.settings.monitoring)) >= before + 41


def test_a_promotion_is_served_without_a_restart_or_a_failed_request(server: Server) -> None:
    """Under load from 4 clients the alias moves to version 2: both workers swap, no request fails."""
    answers: list[tuple[int, str]] = []
    stop = threading.Event()

    def client() -> None:
        while not stop.is_set():
            status, version, _ = _post(f"{server.url}/invocations")
            answers.append((status, version))

    threads = [threading.Thread(target=client) for _ in range(4)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(1.0)
        tracking.set_alias(server.settings.tracking, "2")
        moved = len(answers)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            recent = answers[-40:]
            if len(answers) > moved + 40 and all(version == "2" for _, version in recent):
                break
            time.sleep(0.2)
        time.sleep(0.5)
    finally:
        stop.set()
        for thread in threads:
            thread.join(30)
    statuses = {status for status, _ in answers}
    versions = [version for _, version in answers]
    assert statuses == {200}, f"failed answers during the swap: {sorted(statuses)}"
    assert versions[0] == "1" and all(version == "2" for version in versions[-40:]), versions[-60:]
    samples = _metrics(server)
    assert _value(samples, "contactguard_model_reloads_total", outcome="swapped") >= 2  # one per worker
    assert _value(samples, "contactguard_model_version_info", version="2") == 1
    with urllib.request.urlopen(f"{server.url}/ready", timeout=10) as response:
        assert json.loads(response.read())["version"] == "2"
