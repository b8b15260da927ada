"""Setting up: the Rust binaries, one virtualenv per client, and what each package weighs.

Every virtualenv lives in ``bench/.work/venvs/NAME`` with a stamp (``bench-stamp.json``) that
records what it was built from; a venv whose stamp matches what is asked is reused as it is.
The stamp also records the wheel's size and the packages ``pip install`` added to the fresh
venv, so that a quick run can report them without the network.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
WORK = BENCH / ".work"
VENVS = WORK / "venvs"
WHEELS = WORK / "wheels"
LOGS = WORK / "logs"
STAMP = "bench-stamp.json"

#: The newest ``pinecone`` release that speaks API version 2025-10: the releases' own constant
#: (``pinecone/_internal/constants.py``: ``CONTROL_PLANE_API_VERSION``) is "2025-10" in 9.0.x
#: and 9.1.0 and "2026-07" from 10.0.0 on. The harness checks it again, from the installed
#: release, before measuring anything.
OFFICIAL_2025_10 = "9.1.0"
API_VERSION = "2025-10"


@dataclass(frozen=True)
class ClientVenv:
    """A client's venv, and how the harness and the report name and drive it."""

    name: str  # the venv, in ``bench/.work/venvs/``
    label: str  # the clients' label; ``{version}``: the version its driver reports
    driver: str  # in ``bench/drivers/``
    cold: str  # the cold-start driver, in ``bench/drivers/``
    package: str  # what workload 6 calls it
    own: frozenset[str]  # its own packages (not counted as dependencies)
    description: str  # its row in the report's versions table


#: The clients' venvs, in the report's order.
CLIENT_VENVS = (
    ClientVenv(
        "ours",
        "pinecone-backups",
        "ours.py",
        "cold_ours.py",
        "pinecone-backups",
        frozenset({"pinecone-backups"}),
        "pinecone-backups (this package)",
    ),
    ClientVenv(
        "official-latest",
        "official {version}, latest",
        "official.py",
        "cold_official.py",
        "pinecone",
        frozenset({"pinecone"}),
        "pinecone (official SDK, latest)",
    ),
    ClientVenv(
        "official-2025-10",
        "official {version}, API 2025-10",
        "official.py",
        "cold_official.py",
        "pinecone",
        frozenset({"pinecone"}),
        "pinecone (official SDK, newest speaking 2025-10)",
    ),
    ClientVenv(
        "httpx",
        "httpx + orjson",
        "httpx_orjson.py",
        "cold_httpx_orjson.py",
        "httpx + orjson",
        frozenset({"httpx", "orjson"}),
        "hand-written httpx + orjson client, backups as dicts",
    ),
)

#: The sources the package is built from: a change in any of them means a new "ours" venv.
SOURCES = ("src", "crates", "python", "Cargo.toml", "Cargo.lock", "pyproject.toml", "README.md")


class SetupError(RuntimeError):
    """Something the benchmark needs could not be set up."""


def say(message: str) -> None:
    print(f"==> {message}", file=sys.stderr, flush=True)


def run_logged(command: list[str], log: str, cwd: Path = REPO) -> str:
    """Runs a setup command, its output in ``bench/.work/logs/LOG``; returns its stdout."""
    LOGS.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    (LOGS / log).write_text(f"$ {' '.join(command)}\n{done.stdout}\n{done.stderr}")
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-15:])
        raise SetupError(f"{' '.join(command)} failed (log: {LOGS / log}):\n{tail}")
    return done.stdout


@dataclass(frozen=True)
class Binaries:
    server: Path
    floor: Path
    profile: str


def build_binaries(release: bool, server: str = "bench-server") -> Binaries:
    """``cargo build [--release] -p pinecone-backups-bench``; the paths cargo reports (``server``:
    ``bench-server``, or ``bench-net-server`` for ``--network``)."""
    profile = "release" if release else "debug"
    say(f"building bench-server and bench-floor ({profile})")
    command = ["cargo", "build", "--message-format=json", "-p", "pinecone-backups-bench"]
    if release:
        command.insert(2, "--release")
    out = run_logged(command, f"cargo-build-{profile}.log")
    executables: dict[str, Path] = {}
    for line in out.splitlines():
        message = json.loads(line) if line.startswith("{") else {}
        if message.get("reason") == "compiler-artifact" and message.get("executable"):
            path = Path(message["executable"])
            executables[path.name] = path
    try:
        return Binaries(executables[server], executables["bench-floor"], profile)
    except KeyError as missing:
        raise SetupError(f"cargo built no {missing} binary") from None


@dataclass
class Venv:
    """A client's virtualenv and what its stamp says."""

    name: str
    python: Path
    stamp: dict[str, object] = field(default_factory=dict)

    @property
    def added(self) -> list[str]:
        """``name==version`` of the packages ``pip install`` added to the fresh venv."""
        added = self.stamp.get("added", [])
        return [str(p) for p in added] if isinstance(added, list) else []

    @property
    def wheel_bytes(self) -> int | None:
        size = self.stamp.get("wheel_bytes")
        return size if isinstance(size, int) else None


def pip_list(python: Path) -> list[str]:
    out = run_logged([str(python), "-m", "pip", "list", "--format", "json"], "pip-list.log")
    return sorted(f"{p['name'].lower()}=={p['version']}" for p in json.loads(out))


def existing(name: str) -> Venv | None:
    """The venv ``name`` if it was set up completely (quick mode uses nothing else)."""
    root = VENVS / name
    try:
        stamp = json.loads((root / STAMP).read_text())
    except (OSError, ValueError):
        return None
    python = root / "bin" / "python"
    return Venv(name, python, stamp) if python.exists() else None


def ensure_venv(
    name: str, key: dict[str, object], requirements: list[str], wheel: Path | None = None
) -> Venv:
    """The venv ``name`` with ``requirements`` installed, reused if its stamp's key is ``key``.

    ``wheel``: the package's own wheel, whose size is recorded.
    """
    found = existing(name)
    if found is not None and found.stamp.get("key") == key:
        say(f"reusing the venv {name} ({', '.join(requirements)})")
        return found
    root = VENVS / name
    say(f"creating the venv {name}: {' '.join(requirements)}")
    shutil.rmtree(root, ignore_errors=True)
    run_logged([sys.executable, "-m", "venv", str(root)], f"venv-{name}.log")
    python = root / "bin" / "python"
    before = set(pip_list(python))
    run_logged(
        [str(python), "-m", "pip", "install", "--disable-pip-version-check", *requirements],
        f"pip-install-{name}.log",
    )
    after = pip_list(python)
    stamp: dict[str, object] = {
        "key": key,
        "requirements": requirements,
        "installed": after,
        "added": [p for p in after if p not in before],
        "wheel": wheel.name if wheel else None,
        "wheel_bytes": wheel.stat().st_size if wheel else None,
    }
    (root / STAMP).write_text(json.dumps(stamp, indent=1))
    return Venv(name, python, stamp)


def sources_digest() -> str:
    """A digest of the package's sources (tracked and untracked, ignored files excluded)."""
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "--", *SOURCES],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    if listed.returncode == 0:
        files = sorted(set(listed.stdout.splitlines()))
    else:  # not a git checkout
        files = sorted(
            str(p.relative_to(REPO))
            for s in SOURCES
            for p in ([REPO / s] if (REPO / s).is_file() else (REPO / s).rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".so"
        )
    digest = hashlib.sha256()
    for name in files:
        path = REPO / name
        if path.is_file():
            digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def setup_ours() -> Venv:
    """This package, built in release mode by pip (a wheel), installed into a fresh venv."""
    key: dict[str, object] = {"sources": sources_digest(), "python": sys.version}
    found = existing("ours")
    if found is not None and found.stamp.get("key") == key:
        say("reusing the venv ours (sources unchanged)")
        return found
    out = WHEELS / "ours"
    shutil.rmtree(out, ignore_errors=True)
    say("building this package's wheel (release, by pip and maturin: about a minute)")
    run_logged(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--disable-pip-version-check",
            "--no-deps",
            "--wheel-dir",
            str(out),
            str(REPO),
        ],
        "pip-wheel-ours.log",
    )
    wheels = sorted(out.glob("pinecone_backups-*.whl"))
    if not wheels:
        raise SetupError(f"pip wheel left no pinecone_backups wheel in {out}")
    return ensure_venv("ours", key, [str(wheels[-1])], wheels[-1])


def download_official(spec: str, directory: str) -> Path:
    """The ``pinecone`` wheel of ``spec`` (e.g. ``pinecone`` or ``pinecone==9.1.0``)."""
    out = WHEELS / directory
    shutil.rmtree(out, ignore_errors=True)
    run_logged(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--disable-pip-version-check",
            "--no-deps",
            "--only-binary",
            ":all:",
            "--dest",
            str(out),
            spec,
        ],
        f"pip-download-{directory}.log",
    )
    wheels = sorted(out.glob("pinecone-*.whl"))
    if not wheels:
        raise SetupError(f"pip download {spec} left no wheel in {out}")
    return wheels[-1]


def wheel_version(wheel: Path) -> str:
    return wheel.name.split("-")[1]


def asyncio_extra(wheel: Path) -> str:
    """``[asyncio]`` if the release declares that extra (8.x and earlier need it for asyncio;
    9.x and 10.x are built on httpx and have none)."""
    with zipfile.ZipFile(wheel) as archive:
        metadata = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        text = archive.read(metadata).decode()
    return "[asyncio]" if re.search(r"^Provides-Extra: asyncio$", text, re.M) else ""


def setup_official(name: str, spec: str) -> Venv:
    """``pinecone`` (``spec``) and whatever it needs for asyncio, in the venv ``name``."""
    try:
        wheel = download_official(spec, name)
    except SetupError:
        found = existing(name)
        if found is None:
            raise
        say(f"could not reach PyPI for {spec}: reusing the venv {name} as it is")
        return found
    version = wheel_version(wheel)
    requirement = f"pinecone{asyncio_extra(wheel)}=={version}"
    key: dict[str, object] = {"requirement": requirement, "python": sys.version}
    return ensure_venv(name, key, [requirement], wheel)


def setup_all() -> dict[str, Venv]:
    """Every venv of a full run (network: PyPI)."""
    return {
        "ours": setup_ours(),
        "official-latest": setup_official("official-latest", "pinecone"),
        "official-2025-10": setup_official("official-2025-10", f"pinecone=={OFFICIAL_2025_10}"),
        "httpx": ensure_venv(
            "httpx",
            {"requirements": ["httpx", "orjson"], "python": sys.version},
            ["httpx", "orjson"],
        ),
        "report": ensure_venv(
            "report", {"requirements": ["matplotlib"], "python": sys.version}, ["matplotlib"]
        ),
    }


def setup_quick() -> dict[str, Venv]:
    """Quick mode: "ours" is the harness's own Python; the other venvs only if they exist."""
    check = subprocess.run(
        [sys.executable, "-c", "import pinecone_backups"], capture_output=True, text=True
    )
    if check.returncode != 0:
        raise SetupError(
            f"quick mode runs this package from {sys.executable}, which cannot import "
            f"pinecone_backups:\n{check.stderr.strip()}"
        )
    venvs = {"ours": Venv("ours", Path(sys.executable), {"quick": True})}
    for name in (c.name for c in CLIENT_VENVS if c.name != "ours"):
        found = existing(name)
        if found is None:
            say(f"quick mode: no venv {name} yet (a full run creates it): skipping that client")
        else:
            venvs[name] = found
    return venvs


def declared_dependencies() -> list[str]:
    """Quick mode: the runtime ``Requires-Dist`` of the installed package that this Python
    would install (extras excluded, environment markers evaluated: ``tomli`` is for 3.10)."""
    from importlib.metadata import requires

    return [r for r in requires("pinecone-backups") or [] if _marker_applies(r)]


_PYTHON_VERSION = re.compile(
    r"""^python_(?:full_)?version\s*(<=|>=|==|!=|<|>)\s*["']([0-9.]+)["']$"""
)


def _marker_applies(requirement: str) -> bool:
    """Whether a ``Requires-Dist`` line applies here: no marker, or ``python_version``
    comparisons joined by ``and`` that hold for this Python. An extra never applies; any
    other marker is counted (it may apply)."""
    _, _, marker = requirement.partition(";")
    if "extra ==" in marker:
        return False
    here = sys.version_info[:3]
    for clause in filter(None, (c.strip() for c in marker.split(" and "))):
        found = _PYTHON_VERSION.match(clause)
        if found is None:
            return True
        op, text = found.groups()
        wanted = tuple(int(part) for part in text.split("."))
        have = here[: len(wanted)]
        holds = {
            "<": have < wanted,
            "<=": have <= wanted,
            ">": have > wanted,
            ">=": have >= wanted,
            "==": have == wanted,
            "!=": have != wanted,
        }[op]
        if not holds:
            return False
    return True


def tool_version(command: list[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError:
        return "not found"
    text = (done.stdout or done.stderr).strip().splitlines()
    return text[0] if text else "unknown"


def ensure_wrk(may_install: bool) -> str | None:
    """The path of ``wrk``, installed with apt-get if missing and allowed; None if unavailable."""
    found = shutil.which("wrk")
    if found or not may_install or not shutil.which("apt-get") or os.geteuid() != 0:
        return found
    say("installing wrk (apt-get)")
    try:
        run_logged(["apt-get", "update", "-qq"], "apt-get-update.log")
        run_logged(["apt-get", "install", "-y", "-qq", "wrk"], "apt-get-wrk.log")
    except SetupError as failure:
        say(f"could not install wrk: {failure}")
    return shutil.which("wrk")
