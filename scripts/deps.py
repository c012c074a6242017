"""Dependency groups: write constraints.txt from the installed venv (`lock`) and check the groups (`check`).

    .venv/bin/python scripts/deps.py lock    # make lock: pin every package requirements-dev.txt pulls in
    .venv/bin/python scripts/deps.py check   # make lint: the lock matches .venv, every import is declared

`check` fails when a pinned requirement is not installed at its pin, when constraints.txt differs from what
`lock` would write, or when code imports a package that its group does not declare directly (runtime code:
requirements.txt or requirements-spark.txt; tests, benchmarks and scripts: requirements-dev.txt).
"""

from __future__ import annotations

import argparse
import ast
import os
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
RUNTIME_FILES = ("requirements.txt", "requirements-spark.txt")
DEV_FILE = "requirements-dev.txt"
CONSTRAINTS_FILE = "constraints.txt"
# What runs in the image or on a user's machine, and what only a developer or CI runs.
RUNTIME_CODE = ("core", "ui", "app_pages", "app.py", "desktop.py")
DEV_CODE = ("tests", "bench", "scripts")
# Imported inside try/except ImportError and documented as optional.
OPTIONAL_IMPORTS = {"webview": "pywebview: desktop.py opens its own window when installed"}
SKIPPED_DIRS = {".venv", ".git", "data", "mlartifacts", "models", "node_modules", "__pycache__"}
NOT_PINNED = {"pip"}  # pip installs the others; `make setup` upgrades it on its own
HEADER = f"""\
# Every package that {DEV_FILE} pulls in (runtime, Spark job, development tools and all their
# dependencies), pinned at the version installed in .venv. Written by `make lock`
# (= .venv/bin/python scripts/deps.py lock); `make lint` checks it (scripts/deps.py check).
#   make setup:  pip install -r {DEV_FILE} -c {CONSTRAINTS_FILE}
#   Dockerfile:  pip install -r requirements.txt -c {CONSTRAINTS_FILE}   (runtime only)
"""


@dataclass(frozen=True, slots=True)
class Pin:
    """One requirement line and the file it came from."""

    requirement: Requirement
    source: str


def read_requirements(path: Path) -> list[Pin]:
    """The requirements of a pip requirements file, following `-r` includes (constraints and options skipped)."""
    pins: list[Pin] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith(("-r ", "--requirement ")):
            pins += read_requirements(path.parent / line.split(maxsplit=1)[1])
        elif not line.startswith("-"):
            pins.append(Pin(Requirement(line), path.name))
    return pins


def _wanted(requirement: Requirement, extras: set[str]) -> bool:
    """Whether a dependency applies here, for the extras asked of the package that declares it."""
    if requirement.marker is None:
        return True
    return any(requirement.marker.evaluate({"extra": extra}) for extra in extras | {""})


def installed_closure(pins: list[Pin]) -> tuple[dict[str, metadata.Distribution], list[str]]:
    """Every installed distribution the pins pull in (by canonical name), and the problems found on the way."""
    found: dict[str, metadata.Distribution] = {}
    extras_seen: dict[str, set[str]] = {}
    problems: list[str] = []
    queue: list[tuple[Requirement, str]] = [(pin.requirement, pin.source) for pin in pins]
    while queue:
        requirement, wanted_by = queue.pop()
        name = canonicalize_name(requirement.name)
        extras = set(requirement.extras)
        if name in found and extras <= extras_seen[name]:
            continue
        try:
            distribution = found.get(name) or metadata.distribution(requirement.name)
        except metadata.PackageNotFoundError:
            problems.append(f"{requirement.name} (wanted by {wanted_by}) is not installed")
            continue
        found[name] = distribution
        extras_seen[name] = extras_seen.get(name, set()) | extras
        for line in distribution.requires or []:
            dependency = Requirement(line)
            if _wanted(dependency, extras_seen[name]):
                queue.append((dependency, distribution.metadata["Name"]))
    return found, problems


def lock_text(root: Path = ROOT) -> tuple[str, list[str]]:
    """The constraints file for the installed environment, and the problems that make it untrustworthy."""
    pins = read_requirements(root / DEV_FILE)
    closure, problems = installed_closure(pins)
    for pin in pins:
        distribution = closure.get(canonicalize_name(pin.requirement.name))
        if distribution is not None and not pin.requirement.specifier.contains(distribution.version, prereleases=True):
            problems.append(f"{pin.source}: {pin.requirement} but {distribution.version} is installed")
    lines = sorted(
        (f"{dist.metadata['Name']}=={dist.version}" for name, dist in closure.items() if name not in NOT_PINNED),
        key=str.lower,
    )
    return HEADER + "\n".join(lines) + "\n", problems


def _walk_python(folder: Path) -> list[Path]:
    """The .py files under a folder, sorted, without descending into SKIPPED_DIRS or hidden folders."""
    files: list[Path] = []
    for current, folders, names in os.walk(folder):
        folders[:] = [name for name in folders if name not in SKIPPED_DIRS and not name.startswith(".")]
        files += [Path(current, name) for name in names if name.endswith(".py")]
    return sorted(files)


def _python_files(paths: tuple[str, ...], root: Path) -> list[Path]:
    files: list[Path] = []
    for entry in paths:
        path = root / entry
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            files += _walk_python(path)
    return files


def _local_modules(root: Path) -> set[str]:
    """Names the project's own files answer to (top-level packages and modules, helper modules in tests/)."""
    names = {path.name for path in root.iterdir() if path.is_dir() and path.name not in SKIPPED_DIRS}
    return names | {path.stem for path in _walk_python(root)}


def imported_modules(files: list[Path], root: Path = ROOT) -> dict[str, str]:
    """Top-level module name -> first file (relative) that imports it, for absolute imports."""
    modules: dict[str, str] = {}
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                modules.setdefault(name.split(".")[0], str(path.relative_to(root)))
    return modules


def undeclared_imports(root: Path = ROOT) -> list[str]:
    """Imports of third-party packages that the importing code's group does not list directly."""
    runtime = {canonicalize_name(pin.requirement.name) for f in RUNTIME_FILES for pin in read_requirements(root / f)}
    development = {canonicalize_name(pin.requirement.name) for pin in read_requirements(root / DEV_FILE)}
    providers = metadata.packages_distributions()
    local = _local_modules(root)
    problems: list[str] = []
    for paths, declared, group in (
        (RUNTIME_CODE, runtime, " or ".join(RUNTIME_FILES)),
        (DEV_CODE, development, f"{DEV_FILE} (or a file it includes)"),
    ):
        for module, where in sorted(imported_modules(_python_files(paths, root), root).items()):
            if module in sys.stdlib_module_names or module in local or module in OPTIONAL_IMPORTS:
                continue
            names = {canonicalize_name(name) for name in providers.get(module, [])}
            if not names:
                problems.append(f"{where}: imports {module}, which no installed package provides")
            elif not names & declared:
                problems.append(f"{where}: imports {module} ({', '.join(sorted(names))}), not declared in {group}")
    return problems


def main(argv: list[str] | None = None) -> int:
    """`lock` writes constraints.txt; `check` verifies it and the declared imports (exit 1 on a problem)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("lock", "check"))
    args = parser.parse_args(argv)
    text, problems = lock_text()
    target = ROOT / CONSTRAINTS_FILE
    if args.command == "lock":
        if problems:
            print("\n".join(["cannot lock:", *problems, "install the requirements first (make setup)"]))
            return 1
        target.write_text(text, encoding="utf-8")
        print(f"{CONSTRAINTS_FILE}: {len(text.splitlines()) - HEADER.count(chr(10))} pins")
        return 0
    current = target.read_text(encoding="utf-8") if target.exists() else ""
    if current != text:
        old, new = set(current.splitlines()), set(text.splitlines())
        changes = [f"  - {line}" for line in sorted(old - new)] + [f"  + {line}" for line in sorted(new - old)]
        problems.append(f"{CONSTRAINTS_FILE} does not match .venv; `make lock` would change:\n" + "\n".join(changes))
    problems += undeclared_imports()
    if problems:
        print("\n".join(["dependency check failed:", *problems]))
        return 1
    print(f"dependencies ok: {CONSTRAINTS_FILE} matches .venv, every import is declared")
    return 0


if __name__ == "__main__":
    sys.exit(main())
