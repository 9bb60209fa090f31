"""Shared benchmark helpers: the machine report and running a command with its peak memory."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import Any


def machine() -> dict[str, Any]:
    """CPU model, cores, Python/torch versions and GPU (if any) of this machine."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    info: dict[str, Any] = {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version()}
    try:
        import torch

        info["torch"] = torch.__version__
        info["threads"] = torch.get_num_threads()
        # The vector unit decides which CPU precision is fastest (native bf16 or emulated).
        info["cpu_capability"] = torch.backends.cpu.get_cpu_capability()
        from ocrkit.precision import cpu_has_native_bf16

        info["native_bf16"] = cpu_has_native_bf16()
        if torch.cuda.is_available():
            info["gpu"] = torch.cuda.get_device_name(0)
    except ImportError:
        pass
    return info


@dataclass
class Run:
    output: str
    seconds: float
    peak_rss_mib: float
    returncode: int


def run_measured(argv: list[str]) -> Run:
    """Run ``argv``; return stdout, wall time and the child's own peak resident memory."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=sys.stderr, text=True)
    out = proc.stdout.read() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Run(out, time.perf_counter() - start, usage.ru_maxrss / 1024.0, proc.returncode)


def last_json(text: str) -> dict[str, Any]:
    for line in reversed(text.strip().splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    raise ValueError(f"no JSON in output: {text[-300:]!r}")
