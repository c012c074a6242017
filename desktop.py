"""Desktop launcher: the dashboard on a free local port, in its own window (pywebview) or the default browser."""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import webbrowser
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parent
HOST = "127.0.0.1"
TITLE = "ContactGuard"


def say(message: str) -> None:
    """Print a status line for the person who started the launcher."""
    print(f"desktop: {message}", flush=True)


def free_port(host: str = HOST) -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def start_server(app: Path, port: int, host: str = HOST) -> subprocess.Popen:
    """Start `streamlit run app` headless on host:port in its own process group."""
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app),
        "--server.port",
        str(port),
        "--server.address",
        host,
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    return subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)


def wait_healthy(url: str, server: subprocess.Popen, timeout: float) -> bool:
    """Poll <url>/_stcore/health until it answers ok; False if the server exits or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return True
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    return False


def stop_server(server: subprocess.Popen, grace: float = 10.0) -> None:
    """Stop the server's process group: SIGTERM, then SIGKILL after the grace period."""
    if server.poll() is not None:
        return
    try:
        os.killpg(server.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        server.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=grace)


def open_window(url: str, server: subprocess.Popen) -> str:
    """Show url in a pywebview window (blocks until closed) or the default browser (until Ctrl+C)."""
    try:
        import webview  # optional: pip install pywebview (needs GTK or Qt on Linux)
    except ImportError:
        webview = None
    if webview is not None:
        try:
            webview.create_window(TITLE, url, width=1280, height=860)
            webview.start()
            return "window"
        except Exception as error:  # no GUI backend (GTK or Qt): fall back to the browser
            say(f"no desktop window ({error}); using the browser")
    webbrowser.open(url)
    say("opened in the browser; press Ctrl+C here to stop the dashboard")
    while server.poll() is None:
        time.sleep(0.5)
    return "browser"


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    """Turn SIGTERM/SIGHUP into KeyboardInterrupt so the server gets stopped."""
    raise KeyboardInterrupt


def build_parser() -> argparse.ArgumentParser:
    """Command-line options of the launcher."""
    parser = argparse.ArgumentParser(description="Open the ContactGuard dashboard as a desktop app")
    parser.add_argument("--app", default=str(ROOT / "app.py"), help="Streamlit script (default: app.py)")
    parser.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds to wait for the server")
    parser.add_argument("--no-window", action="store_true", help="start, wait for health, stop (a smoke test)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the launcher; returns the exit code."""
    args = build_parser().parse_args(argv)
    app = Path(args.app).resolve()
    if not app.exists():
        say(f"error: no Streamlit script at {app}")
        return 2
    port = args.port or free_port()
    url = f"http://{HOST}:{port}"
    signal.signal(signal.SIGTERM, _raise_interrupt)
    signal.signal(signal.SIGHUP, _raise_interrupt)
    server = start_server(app, port)
    say(f"server pid {server.pid} starting on {url}")
    try:
        if not wait_healthy(url, server, args.timeout):
            say(f"error: the dashboard did not start within {args.timeout:.0f} s (exit code {server.poll()})")
            return 1
        say(f"ready: {url}")
        if args.no_window:
            return 0
        shown = open_window(url, server)
        say(f"{shown} closed")
        return 0
    except KeyboardInterrupt:
        say("interrupted")
        return 130
    finally:
        stop_server(server)
        say("server stopped")


if __name__ == "__main__":
    sys.exit(main())
