"""A Python script run in a private mount namespace (`unshare -m`, as root), where it may mount a
small tmpfs and fill it: a real full disk for a test, gone with the script."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from _site_helpers import ROOT

PRIVATE_MOUNT = pytest.mark.skipif(
    not sys.platform.startswith("linux") or os.geteuid() != 0,
    reason="needs a private mount (root, unshare)",
)


def run_in_private_mount(
    script: str, folder: Path, *args: object, timeout: float
) -> subprocess.CompletedProcess:
    """`script` saved in `folder` and run with `args` from the repository root; the test is
    skipped where no mount namespace can be made."""
    if subprocess.run(["unshare", "-m", "true"], capture_output=True).returncode:
        pytest.skip("no private mount namespace here")
    path = folder / "in_private_mount.py"
    path.write_text(script, encoding="utf-8")
    return subprocess.run(
        ["unshare", "-m", sys.executable, str(path), *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
