"""What every benchmark shares: timing, medians, child processes, the mirror."""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
LSARCHIVE = [PYTHON, "-m", "lsarchive.cli"]


def median(values) -> float:
    return statistics.median(values) if values else float("nan")


def percentile(values, q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, timeout: float = 120.0, process: subprocess.Popen | None = None,
             log: Path | None = None) -> None:
    """Until `url` answers; a server `process` that exits first ends the wait
    with its `log`. (The tests use this one too, through tests/helpers.py.)"""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            output = log.read_text(errors="replace")[-3000:] if log else ""
            raise RuntimeError(f"server exited with {process.returncode}: {output}")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


def stop_process(process: subprocess.Popen, timeout: float = 10) -> None:
    """Terminate, then kill what does not stop within `timeout`."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def mirror_process(articles: int, seed: int = 1, **options):
    """`lsarchive mirror` in its own process, as an archivist would run it."""
    port = free_port()
    args = [*LSARCHIVE, "mirror", "--articles", str(articles), "--seed", str(seed), "--port", str(port)]
    for name, value in options.items():
        args += [f"--{name}", str(value)]
    base_url = f"http://127.0.0.1:{port}/tpls/"
    with running(args, base_url + "home", cwd=REPO):
        yield base_url


@contextmanager
def running(args: list[str], ready_url: str, cwd: Path | None = None):
    """A server command in its own process (output discarded) from the moment
    `ready_url` answers until the block ends."""
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd)
    try:
        wait_for(ready_url)
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)


@dataclass
class ChildRun:
    seconds: float
    peak_rss_mb: float
    returncode: int
    stdout: str


def run_child(args: list[str], cwd: Path = REPO) -> ChildRun:
    """Run a command; its wall time and its own peak RSS (from wait4's rusage)."""
    started = time.monotonic()
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=cwd, text=True)
    stdout = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.monotonic() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    return ChildRun(seconds, usage.ru_maxrss / 1024, process.returncode, stdout)


def machine_description() -> str:
    import platform

    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({cpu}), "
            f"{memory:.0f} GiB RAM, Python {platform.python_version()}")
