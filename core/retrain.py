"""Retraining in the background, started from the settings page: the stages of `make retrain` in a child process.

prepare → train → evaluate (the `python -m core` stages that dvc.yaml runs) → `promote --candidate latest
--if-better`. The child process (`python -m core.retrain JOB_FOLDER`) writes status.json after every stage and
its output to log.txt in a job folder beside the config (`config.retrain/<UTC stamp>/`); the page reads both.
One retrain at a time: the child holds a lock on the jobs folder while it runs.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from core.config import PROJECT_ROOT

STAGES: tuple[str, ...] = ("prepare", "train", "evaluate", "promote")
STAGE_ARGS: dict[str, list[str]] = {
    "prepare": ["prepare"],
    "train": ["train"],
    "evaluate": ["evaluate"],
    "promote": ["promote", "--candidate", "latest", "--if-better"],
}
# Folder for the local predictor and run.json the stages write (default: the project's models/, as `make retrain`).
MODELS_DIR_ENV = "CONTACTGUARD_RETRAIN_MODELS_DIR"
STATUS_FILE = "status.json"
LOG_FILE = "log.txt"
LOCK_FILE = ".lock"
STARTING_GRACE_SECONDS = 120  # a job the child has not yet picked up counts as running this long
PROMOTION_REFUSED = 3  # core.cli's exit code for a refused gate
RUNNING_STATES = ("starting", "running")


class RetrainBusyError(RuntimeError):
    """A retrain is already running for this config."""


@dataclass(slots=True)
class RetrainStatus:
    """What a background retrain did so far (status.json of its job folder)."""

    folder: Path
    state: str = "starting"  # starting | running | done | failed | interrupted | busy
    stage: str = ""
    stages_done: list[str] = field(default_factory=list)
    user: str = ""
    config: str = ""
    models_dir: str = ""
    started_at: str = ""
    finished_at: str = ""
    pid: int | None = None
    version: str = ""  # the candidate version train registered
    decision: str = ""  # promoted | refused (the gate's verdict)
    reason: str = ""  # the gate's reason, plain text
    champion: str = ""  # the version holding the serving alias afterwards
    exit_code: int | None = None
    failed_stage: str = ""

    @property
    def running(self) -> bool:
        """True while the child works (or has not started yet)."""
        return self.state in RUNNING_STATES

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready fields (without the folder)."""
        return {name: getattr(self, name) for name in self.__slots__ if name != "folder"}  # type: ignore[attr-defined]

    def log_tail(self, lines: int = 40) -> str:
        """The last lines of the job's output ('' before there is any)."""
        try:
            text = (self.folder / LOG_FILE).read_bytes().decode("utf-8", errors="replace")
        except FileNotFoundError:
            return ""
        return "\n".join(text.replace("\r", "\n").splitlines()[-lines:])


def jobs_dir(config_path: str | Path) -> Path:
    """Folder of the retrain jobs of a config: config.yaml -> config.retrain/ beside it."""
    config = Path(config_path)
    return config.with_name(config.stem + ".retrain")


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")


def read_status(folder: Path) -> RetrainStatus:
    """The status of one job folder (a job whose status cannot be read counts as failed)."""
    try:
        data = json.loads((folder / STATUS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return RetrainStatus(folder, state="failed")
    known = {name: value for name, value in data.items() if name in RetrainStatus.__slots__ and name != "folder"}  # type: ignore[attr-defined]
    return RetrainStatus(folder, **known)


def write_status(status: RetrainStatus) -> None:
    """Replace the job's status.json atomically."""
    temp = status.folder / f".{STATUS_FILE}.tmp"
    temp.write_text(json.dumps(status.as_dict(), ensure_ascii=False, indent=2), encoding="utf-8")
    temp.replace(status.folder / STATUS_FILE)


@contextlib.contextmanager
def _lock(folder: Path, blocking: bool) -> Iterator[bool]:
    """Hold the jobs folder's lock while inside; yields False when another process holds it (non-blocking)."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / LOCK_FILE).open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def _first_lock(folder: Path, attempts: int = 30) -> Iterator[bool]:
    """The jobs folder's lock for the child, retried briefly (a page may be testing it at this moment)."""
    for attempt in range(attempts):
        with _lock(folder, blocking=False) as owned:
            if owned or attempt == attempts - 1:
                yield owned
                return
        time.sleep(0.1)


def _child_holds_lock(config_path: str | Path) -> bool:
    """True when a retrain child holds the jobs folder's lock."""
    with _lock(jobs_dir(config_path), blocking=False) as free:
        return not free


def _seconds_since(stamp: str) -> float:
    try:
        started = datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        return float("inf")
    return (datetime.now(UTC) - started).total_seconds()


def latest(config_path: str | Path) -> RetrainStatus | None:
    """The newest retrain job of a config (None when there was none); a dead running job reads as interrupted."""
    folder = jobs_dir(config_path)
    jobs = sorted(path for path in folder.glob("job-*") if path.is_dir()) if folder.is_dir() else []
    if not jobs:
        return None
    status = read_status(jobs[-1])
    if status.running and not _child_holds_lock(config_path):
        waiting = status.state == "starting" and _seconds_since(status.started_at) < STARTING_GRACE_SECONDS
        if not waiting:
            status.state = "interrupted"
    return status


def is_running(config_path: str | Path) -> bool:
    """True while a retrain of this config runs."""
    status = latest(config_path)
    return status is not None and status.running


def models_dir() -> Path:
    """Where the stages keep the local predictor and run.json: env CONTACTGUARD_RETRAIN_MODELS_DIR or models/."""
    return Path(os.environ.get(MODELS_DIR_ENV) or PROJECT_ROOT / "models")


def start(config_path: str | Path, user: str) -> RetrainStatus:
    """Start the retrain of this config in a child process; RetrainBusyError when one is already running."""
    config = Path(config_path).resolve()
    folder = jobs_dir(config)
    with _lock(folder / "start", blocking=True):  # two admins pressing at once start one job
        if is_running(config):
            raise RetrainBusyError("a retrain is already running")
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        job = folder / f"job-{stamp}"
        job.mkdir(parents=True)
        status = RetrainStatus(job, user=user, config=str(config), models_dir=str(models_dir()), started_at=_now())
        write_status(status)
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_ROOT), env.get("PYTHONPATH", "")]))
        with (job / LOG_FILE).open("ab") as log:
            process = subprocess.Popen(  # our own module, no shell
                [sys.executable, "-m", "core.retrain", str(job)],
                cwd=PROJECT_ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # survives the page's rerun and a closed browser tab
            )
        threading.Thread(target=process.wait, name="retrain-reaper", daemon=True).start()
        status.pid = process.pid
        write_status(status)
        return status


def _run_stage(config: str, stage: str, user: str) -> int:
    """One stage through the command line's own entry point; its exit code."""
    from core import cli

    args = ["--config", config, *STAGE_ARGS[stage]]
    if stage == "train" and user:
        args += ["--run-name", f"retrain-by-{user}"]
    print(f"=== {stage}: python -m core {' '.join(args)}", flush=True)
    try:
        return int(cli.main(args) or 0)
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else 2
    except Exception:  # a stage's traceback goes to the log; the job fails cleanly
        traceback.print_exc()
        return 2


def _gate_result(status: RetrainStatus, exit_code: int) -> None:
    """Fill the candidate version, the gate's decision and reason, and the champion, from run.json and MLflow."""
    from core.config import load_settings
    from core.lifecycle import tracking

    run_file = Path(status.models_dir) / "run.json"
    with contextlib.suppress(OSError, ValueError):
        status.version = str(json.loads(run_file.read_text(encoding="utf-8")).get("version") or "")
    settings = load_settings(status.config)
    status.champion = tracking.get_alias_version(settings.tracking) or ""
    versions = tracking.list_versions(settings.tracking)
    tags: dict[str, Any] = {}
    if status.version and not versions.empty:
        rows = versions[versions["version"].astype(str) == status.version]
        if not rows.empty:
            tags = {key: value for key, value in rows.iloc[0].items() if str(key).startswith("tag.promotion.")}
    decision = str(tags.get("tag.promotion.decision") or "")
    status.decision = decision or ("refused" if exit_code == PROMOTION_REFUSED else "promoted")
    reason = tags.get("tag.promotion.reason")
    status.reason = str(reason) if isinstance(reason, str) and reason else ""
    if not status.reason and status.champion == status.version:
        status.reason = "it already is the champion"


def run(job: Path) -> int:
    """The child's work: every stage in order, the status written after each; the exit code of the job."""
    status = read_status(job)
    with _first_lock(job.parent) as owned:
        if not owned:
            status.state, status.finished_at = "busy", _now()
            write_status(status)
            return 4
        from core import cli

        models = Path(status.models_dir)
        models.mkdir(parents=True, exist_ok=True)
        cli.LOCAL_MODEL_DIR = str(models / "predictor")
        cli.LOCAL_RUN_FILE = str(models / "run.json")
        status.state, status.pid = "running", os.getpid()
        write_status(status)
        code = 0
        for stage in STAGES:
            status.stage = stage
            write_status(status)
            code = _run_stage(status.config, stage, status.user)
            if code != 0 and not (stage == "promote" and code == PROMOTION_REFUSED):
                status.state, status.failed_stage, status.exit_code = "failed", stage, code
                status.finished_at = _now()
                write_status(status)
                return code
            status.stages_done.append(stage)
        try:
            _gate_result(status, code)
        except Exception:  # the stages are done; a failed read of the result must not hide that
            traceback.print_exc()
        status.state, status.exit_code, status.stage, status.finished_at = "done", code, "", _now()
        write_status(status)
        print(f"=== done: version {status.version or '?'}, {status.decision or '?'}", flush=True)
        return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the child process: python -m core.retrain JOB_FOLDER."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m core.retrain JOB_FOLDER", file=sys.stderr)
        return 2
    return run(Path(args[0]))


if __name__ == "__main__":
    sys.exit(main())
