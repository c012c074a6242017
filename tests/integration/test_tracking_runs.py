"""A training killed while it logs leaves its MLflow run RUNNING; the next training marks it FAILED."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from core.lifecycle import tracking
from tests.conftest import small_settings

KILLED_LOGGER = """
import sys, time, mlflow
mlflow.set_tracking_uri(sys.argv[1])
experiment = mlflow.set_experiment("contactguard")
with mlflow.start_run(run_name="killed-while-logging"):
    mlflow.log_param("stage", "logging")
    print("started", flush=True)
    time.sleep(60)
"""


def test_a_run_killed_with_sigkill_is_marked_failed_at_the_next_start(tmp_path: Path) -> None:
    settings = small_settings(tmp_path)
    settings.train.experiment = "contactguard"
    uri = tracking.tracking_uri(settings.tracking)
    client = tracking.connect(settings.tracking)
    experiment_id = tracking._experiment_id(client, settings.train.experiment, settings.tracking)
    finished = client.create_run(experiment_id, run_name="finished")
    client.set_terminated(finished.info.run_id, status="FINISHED")

    process = subprocess.Popen(
        [sys.executable, "-c", KILLED_LOGGER, uri], stdout=subprocess.PIPE, text=True, env={**os.environ}
    )
    assert process.stdout is not None and process.stdout.readline().strip() == "started"
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    killed = [run for run in client.search_runs([experiment_id]) if run.info.run_name == "killed-while-logging"]
    assert [run.info.status for run in killed] == ["RUNNING"]  # what kill -9 leaves behind

    assert tracking.fail_abandoned_runs(client, experiment_id) == [killed[0].info.run_id]
    after = client.get_run(killed[0].info.run_id)
    assert after.info.status == "FAILED" and "contactguard.abandoned" in after.data.tags
    assert client.get_run(finished.info.run_id).info.status == "FINISHED"
    assert tracking.fail_abandoned_runs(client, experiment_id) == []  # nothing left to mark
