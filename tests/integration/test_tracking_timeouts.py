"""A tracking URI that does not answer: the CLI and the registry functions give up fast with a coded message."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from core.cli import main
from core.config import Settings
from core.lifecycle import tracking
from tests.conftest import SAMPLE_AD, small_settings
from tests.netkit import BlackHole, closed_port, restore_http_limits, unreachable_store_config

ROOT = Path(__file__).resolve().parents[2]
SLACK_SECONDS = 2.0  # scheduling and MLflow's own work around the waits
EXIT_SLACK_SECONDS = 5.0  # and a process's shutdown on a busy machine


@pytest.fixture(autouse=True)
def _http_limits_restored(monkeypatch: pytest.MonkeyPatch) -> None:
    restore_http_limits(monkeypatch)


def _cli(config: Path, *command: str) -> tuple[subprocess.CompletedProcess[str], float]:
    """Run `python -m core --config CONFIG COMMAND...` in a fresh process; returns it and when it ended."""
    env = {key: value for key, value in os.environ.items() if key != tracking.TRACKING_URI_ENV}
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(
        [sys.executable, "-m", "core", "--config", str(config), *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done, time.monotonic()


def _one_error_line(done: subprocess.CompletedProcess[str], uri: str, reason: str) -> None:
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr  # one line, never a traceback
    assert lines[0].startswith(f"error: the MLflow tracking store {uri} does not answer: {reason} ("), lines[0]
    assert "tracking.request_timeout_seconds" in lines[0]


def _ads_csv(tmp_path: Path) -> Path:
    path = tmp_path / "ads.csv"
    pd.DataFrame([SAMPLE_AD]).to_csv(path, index=False)
    return path


def test_a_closed_port_is_one_clear_line_from_make_runs_first_model_check(tmp_path: Path) -> None:
    uri = f"http://127.0.0.1:{closed_port()}"
    config = unreachable_store_config(tmp_path, uri, retries=3)  # refused at once: no retries, no backoff
    started = time.monotonic()
    done, ended = _cli(config, "ensure-model")
    _one_error_line(done, uri, "connection refused")
    # refused at once: the process's own account of the wait, which a slow start-up on a loaded machine (13 s for
    # the imports once, beside a benchmark) does not blur; three retries with backoff would wait seconds
    reported = float(re.search(r"gave up after ([\d.]+) s", done.stderr).group(1))
    assert reported < SLACK_SECONDS, done.stderr
    assert ended - started < 30, f"took {ended - started:.1f} s"  # and no hang anywhere else


@pytest.mark.parametrize(
    "command",
    [["promote", "--version", "1"], ["serve"], ["train"], ["predict", "ADS", "-o", "OUT"]],
    ids=["promote", "serve", "train", "predict"],
)
def test_every_registry_command_fails_fast_on_a_closed_port(tmp_path: Path, command: list[str], capsys) -> None:
    uri = f"http://127.0.0.1:{closed_port()}"
    config = unreachable_store_config(tmp_path, uri, retries=3)
    command = [{"ADS": str(_ads_csv(tmp_path)), "OUT": str(tmp_path / "out.csv")}.get(part, part) for part in command]
    started = time.monotonic()
    code = main(["--config", str(config), *command])
    elapsed = time.monotonic() - started
    _one_error_line(subprocess.CompletedProcess(command, code, "", capsys.readouterr().err), uri, "connection refused")
    assert elapsed < 10, f"took {elapsed:.1f} s"
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.parametrize("retries", [0, 1])
def test_a_server_that_never_answers_is_given_up_after_timeout_times_tries(
    tmp_path: Path, black_hole: BlackHole, retries: int
) -> None:
    config = unreachable_store_config(tmp_path, black_hole.uri, retries=retries)
    done, ended = _cli(config, "ensure-model")
    _one_error_line(done, black_hole.uri, "no answer within 1 s")
    assert len(black_hole.requests) == retries + 1  # MLflow retried exactly as configured
    waited = ended - black_hole.requests[0]
    assert waited < 1 * (retries + 1) + EXIT_SLACK_SECONDS, f"exited {waited:.1f} s after the first request"
    reported = float(re.search(r"gave up after ([\d.]+) s", done.stderr).group(1))
    assert retries + 1 - 0.2 <= reported < retries + 1 + SLACK_SECONDS, done.stderr


def test_the_registry_functions_give_up_and_then_fail_at_once(black_hole: BlackHole) -> None:
    settings = Settings().tracking.model_copy(
        update={"uri": black_hole.uri, "request_timeout_seconds": 1, "max_retries": 0}
    )
    started = time.monotonic()
    with pytest.raises(tracking.StoreUnreachableError) as caught:
        tracking.list_versions(settings)
    assert time.monotonic() - started < 1 + SLACK_SECONDS
    assert caught.value.code == "tracking.unreachable"
    assert "хранилище MLflow" in caught.value.text("ru") and "нет ответа за 1 с" in caught.value.text("ru")
    # while the failure is fresh, the next calls (a page asks several times) fail without a new wait
    for call in (tracking.get_alias_version, tracking.list_versions, tracking.check_store):
        started = time.monotonic()
        with pytest.raises(tracking.StoreUnreachableError):
            call(settings)
        assert time.monotonic() - started < 0.5
    with pytest.raises(tracking.StoreUnreachableError):
        tracking.load_predictor(settings, version="1")
    assert len(black_hole.requests) == 1


def test_a_password_in_the_uri_is_not_shown(tmp_path: Path) -> None:
    settings = Settings().tracking.model_copy(
        update={"uri": f"http://ops:s3cret@127.0.0.1:{closed_port()}", "request_timeout_seconds": 1}
    )
    with pytest.raises(tracking.StoreUnreachableError) as caught:
        tracking.get_alias_version(settings)
    assert "s3cret" not in str(caught.value) and "ops:***@127.0.0.1" in str(caught.value)


def test_a_local_store_keeps_working_with_the_limits_set(tmp_path: Path) -> None:
    settings = small_settings(tmp_path).tracking.model_copy(update={"request_timeout_seconds": 1, "max_retries": 0})
    tracking.check_store(settings)  # a sqlite store: no probe, no network
    assert tracking.get_alias_version(settings) is None
    assert tracking.list_versions(settings).empty


def test_the_scoring_servers_model_follower_keeps_serving_and_says_why(
    black_hole: BlackHole, caplog: pytest.LogCaptureFixture
) -> None:
    from types import SimpleNamespace

    from core.ops.serving import ModelFollower

    settings = Settings()
    settings.tracking.uri = black_hole.uri
    settings.tracking.request_timeout_seconds = 1
    settings.tracking.max_retries = 0
    serving_now = SimpleNamespace(version="1", metrics=None)  # the service's state the follower reads
    follower = ModelFollower(serving_now, settings, None, 60)  # type: ignore[arg-type]
    started = time.monotonic()
    with caplog.at_level("WARNING"):
        assert follower.check() is False
    assert time.monotonic() - started < 1 + SLACK_SECONDS
    assert any(
        "still serving version 1" in record.getMessage() and "no answer within 1 s" in record.getMessage()
        for record in caplog.records
    ), caplog.text
