"""The 2-worker scoring server names its worker in every answer, spreads keep-alive clients and counts per worker."""

from __future__ import annotations

import http.client
import json
import subprocess
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest
from prometheus_client.parser import text_string_to_metric_families

from core.config import Settings, save_settings
from core.ops import monitoring
from core.ops.serving import SCORING_THREADS
from tests.conftest import SAMPLE_AD
from tests.serverkit import serve_process

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
BODY = json.dumps({"dataframe_records": [SAMPLE_AD]}).encode()
JSON_HEADERS = {"Content-Type": "application/json"}
TIMEOUT = 120  # seconds per request: generous, a loaded 2-core CI box may be slow but must not fail the test
ROUNDS = 6  # fresh sets of connections until both workers have answered (the kernel picks a worker per connection)


@dataclass
class Server:
    """A running 2-worker scoring server."""

    port: int
    process: subprocess.Popen
    settings: Settings
    log_path: Path
    scored: int = 0  # ads the tests have had scored so far (each test adds its own)


@dataclass
class Reply:
    """What one answer said about the worker that gave it."""

    status: int
    worker: str
    pid: str


def _request(connection: http.client.HTTPConnection, method: str, path: str, body: bytes | None = None) -> Reply:
    """One request on a keep-alive connection; the answer is read in full so the connection can be reused."""
    connection.request(method, path, body=body, headers=JSON_HEADERS if body is not None else {})
    response = connection.getresponse()
    response.read()
    return Reply(response.status, response.getheader("X-Worker", ""), response.getheader("X-Worker-Pid", ""))


def _clients(port: int, clients: int, requests: int, path: str, body: bytes | None) -> list[list[Reply]]:
    """`clients` concurrent keep-alive connections, each sending `requests` requests; the replies per connection."""
    replies: list[list[Reply]] = [[] for _ in range(clients)]
    errors: list[BaseException] = []
    start = threading.Barrier(clients)

    def client(number: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
        try:
            connection.connect()
            start.wait(TIMEOUT)  # every connection is open before the first request: they are all concurrent
            for _ in range(requests):
                replies[number].append(_request(connection, "POST" if body is not None else "GET", path, body))
        except BaseException as error:  # reported by the test, not lost in the thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=client, args=(number,)) for number in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return replies


def _until_both_workers(port: int, clients: int, requests: int, path: str, body: bytes | None) -> list[list[Reply]]:
    """Rounds of fresh concurrent connections until answers came from both workers (at most ROUNDS rounds)."""
    replies: list[list[Reply]] = []
    for _ in range(ROUNDS):
        replies += _clients(port, clients, requests, path, body)
        if len({reply.worker for connection in replies for reply in connection}) == 2:
            break
    return replies


def _metrics(port: int) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of /metrics as {(name, sorted labels): value}."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=TIMEOUT) as response:
        text = response.read().decode()
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def _series(samples: dict, name: str, label: str) -> dict[str, float]:
    """One series' values by one label."""
    return {dict(found)[label]: value for (key, found), value in samples.items() if key == name}


def _worker_threads(server: Server) -> dict[int, int]:
    """Threads of each worker process (the server's children that serve; not the resource tracker)."""
    workers = [
        child for child in psutil.Process(server.process.pid).children() if "spawn_main" in " ".join(child.cmdline())
    ]
    return {child.pid: child.num_threads() for child in workers}


@pytest.fixture(scope="module")
def server(trained_store, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Serve the trained champion with 2 workers (monitoring log in a temp folder)."""
    root = tmp_path_factory.mktemp("serve-workers")
    settings = trained_store.settings.model_copy(deep=True)
    settings.monitoring.db_path = str(root / "log.sqlite")
    settings.serve.workers = 2
    settings.serve.log_flush_seconds = 0.1
    config = save_settings(settings, root / "config.yaml")
    log_path = root / "server.log"
    with serve_process(config, log_path) as (port, process):
        yield Server(port, process, settings, log_path)


def test_workers_start_every_scoring_thread_warm_and_count_nothing(server: Server) -> None:
    """Both workers answer with their index and pid; their scoring threads exist before load and none is added."""
    pings = _until_both_workers(server.port, 4, 3, "/ping", None)  # both workers have finished starting
    workers = {reply.worker: reply.pid for connection in pings for reply in connection}
    assert sorted(workers) == ["0", "1"], workers
    assert {int(pid) for pid in workers.values()} == set(_worker_threads(server)), workers
    scored = _series(_metrics(server.port), "contactguard_ads_scored_total", "category")
    assert sum(scored.values()) == server.scored, "the warm-up was counted"
    path = monitoring.db_path(server.settings.monitoring)
    deadline = time.monotonic() + 30  # the writer flushes every 0.1 s
    while (len(monitoring.read_log(server.settings.monitoring)) if path.exists() else 0) < server.scored:
        assert time.monotonic() < deadline, "the log was never written"
        time.sleep(0.2)
    assert (len(monitoring.read_log(server.settings.monitoring)) if path.exists() else 0) == server.scored
    before = _worker_threads(server)
    assert all(count >= SCORING_THREADS + 1 for count in before.values()), before
    replies = _until_both_workers(server.port, 16, 8, "/invocations", BODY)  # more requests than scoring threads
    server.scored += sum(reply.status == 200 for connection in replies for reply in connection)
    after = _worker_threads(server)
    assert after.keys() == before.keys() and all(after[pid] <= before[pid] for pid in before), (before, after)


def test_every_answer_names_its_worker_and_keep_alive_clients_reach_both(server: Server) -> None:
    """8 concurrent keep-alive clients: each stays on one worker, both workers serve, /metrics counts per worker."""
    counted_before = _series(_metrics(server.port), "contactguard_worker_requests_total", "worker")
    replies = _until_both_workers(server.port, 8, 10, "/invocations", BODY)
    server.scored += sum(reply.status == 200 for connection in replies for reply in connection)
    assert {reply.status for connection in replies for reply in connection} == {200}
    for connection in replies:
        assert len({(reply.worker, reply.pid) for reply in connection}) == 1, "a keep-alive connection changed worker"
    served = Counter(reply.worker for connection in replies for reply in connection)
    assert sorted(served) == ["0", "1"] and min(served.values()) > 0, served
    pids = {reply.worker: reply.pid for connection in replies for reply in connection}
    assert {int(pid) for pid in pids.values()} == set(_worker_threads(server)), pids

    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=TIMEOUT)
    try:  # refusals, probes and /metrics name their worker too
        answers = [
            _request(connection, "POST", "/invocations", b'{"dataframe_records": ['),
            _request(connection, "GET", "/ping"),
            _request(connection, "GET", "/ready"),
            _request(connection, "GET", "/metrics"),
            _request(connection, "GET", "/no-such-page"),
        ]
    finally:
        connection.close()
    assert [answer.status for answer in answers] == [400, 200, 200, 200, 404]
    assert all((answer.worker, answer.pid) in pids.items() for answer in answers), answers

    samples = _metrics(server.port)
    counted = _series(samples, "contactguard_worker_requests_total", "worker")
    assert sorted(counted) == ["0", "1"], counted
    for worker, answered in served.items():  # its invocations, plus at most its 5 other requests and one /metrics
        assert answered <= counted[worker] - counted_before.get(worker, 0.0) <= answered + len(answers) + 1, counted
    total = sum(value for (name, _), value in samples.items() if name == "contactguard_requests_total")
    assert sum(counted.values()) == total
