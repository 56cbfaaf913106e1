"""Issue 19, "o without a list": tui/host/files.py model_files, the model files `o` offers: regular,
readable .toml files of the folder (the working one, or --files and the shared one in serve), never
one a link takes outside, nor an unprintable name; at most LIST_LIMIT names and how many more, in a
bounded time and memory however large the folder."""

from __future__ import annotations

import os
import tracemalloc

from engine import config, presets
from tui.host import files


def model(path) -> None:
    config.save_model(presets.load("xor"), path)


def test_only_the_model_files_that_open_are_offered_sorted(tmp_path, monkeypatch):
    for name in ("b.toml", "a.toml", "C.TOML", "[b]markup.toml"):
        model(tmp_path / name)
    (tmp_path / "notes.txt").write_text("x")
    (tmp_path / ".hidden.toml").write_text("x")
    (tmp_path / "folder.toml").mkdir()
    (tmp_path / "dangling.toml").symlink_to(tmp_path / "nowhere.toml")
    outside = tmp_path.parent / f"{tmp_path.name}-outside.toml"
    model(outside)
    (tmp_path / "escape.toml").symlink_to(outside)  # a link out of the folder
    (tmp_path / "inside.toml").symlink_to(tmp_path / "a.toml")  # a link that stays in: it opens
    model(tmp_path / "locked.toml")
    model(tmp_path / "bad\x1bname.toml")
    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda p, mode, **kw: not str(p).endswith("locked.toml") and real_access(p, mode, **kw)
    )  # unreadable (the tests may run as root)
    listing = files.model_files(tmp_path)
    assert listing.names == ("C.TOML", "[b]markup.toml", "a.toml", "b.toml", "inside.toml")
    assert listing.more == 0 and not listing.capped
    outside.unlink()


def test_the_working_folder_when_no_folder_is_given(tmp_path, monkeypatch):
    model(tmp_path / "mine.toml")
    monkeypatch.chdir(tmp_path)
    assert files.model_files(None).names == ("mine.toml",)


def test_at_most_limit_names_and_how_many_more(tmp_path):
    for k in range(30):
        (tmp_path / f"m{k:02d}.toml").write_text("x")
    listing = files.model_files(tmp_path, limit=10)
    assert listing.names == tuple(f"m{k:02d}.toml" for k in range(10))
    assert listing.more == 20 and not listing.capped
    listing = files.model_files(tmp_path, limit=10, scan_limit=25)  # only 25 entries read
    assert len(listing.names) == 10 and listing.more == 15 and listing.capped


class FakeEntry:
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name


class FakeFolder:
    """os.scandir of a folder of `n` model files, made one entry at a time."""

    def __init__(self, n: int) -> None:
        self.n = n

    def __enter__(self):
        return (FakeEntry(f"model-{k:07d}.toml") for k in range(self.n))

    def __exit__(self, *exc) -> None:
        return None


def test_a_folder_of_a_million_files_costs_bounded_memory_and_is_read_only_so_far(tmp_path, monkeypatch):
    monkeypatch.setattr(files.os, "scandir", lambda root: FakeFolder(1_000_000))
    tracemalloc.start()
    try:
        listing = files.model_files(tmp_path, limit=100, scan_limit=200_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 2_000_000  # the names are streamed: ~300 kept, not 200 000
    assert listing.capped and listing.names == ()  # none exists on disk: none offered
    # of the 200 000 names read, the 216 looked at (and not offered: none is a file) are not counted
    assert listing.more == 200_000 - (2 * 100 + 16)


def test_served_the_tab_s_own_and_the_shared_files_never_another_tab_s(tmp_path):
    shared, own, other = tmp_path / "files", tmp_path / "files" / "tab-2", tmp_path / "files" / "tab-1"
    own.mkdir(parents=True)
    other.mkdir()
    model(shared / "lecture-xor.toml")
    model(own / "mine.toml")
    model(own / "lecture-xor.toml")  # the tab's own copy: one name
    model(other / "theirs.toml")
    (shared / "peek.toml").symlink_to(other / "theirs.toml")
    (own / "up.toml").symlink_to(shared / "lecture-xor.toml")  # out of the tab's folder
    listing = files.model_files(own, shared)
    assert listing.names == ("lecture-xor.toml", "mine.toml")
    assert listing.more == 0
    for name in listing.names:  # each opens through the same rule as a typed name
        assert config.load_model(files.user_file(own, name, shared)).name == name.removesuffix(".toml")
