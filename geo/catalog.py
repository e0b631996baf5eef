"""Find, load and index every pack under a treaties folder; bad packs are skipped, not fatal."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from geo import timeline
from geo.pack import Pack, read_pack
from geo.problems import PackError, Problem

TREATIES = Path(__file__).resolve().parent.parent / "treaties"
DEFAULT_PACK = "russia-iran"


@dataclass
class Catalog:
    """The packs that loaded, and the problems of those that did not."""

    packs: dict[str, Pack] = field(default_factory=dict)
    skipped: dict[str, list[Problem]] = field(default_factory=dict)

    def pack(self, pack_id: str | None = None) -> Pack:
        """The pack with this id; without an id the default pack (or the only one)."""
        if pack_id is None:
            if not self.packs:
                skipped = ", ".join(sorted(self.skipped)) or "none found"
                raise PackError(
                    f"no valid pack to answer from (skipped: {skipped}); run "
                    "'python -m geo validate' to see why"
                )
            if DEFAULT_PACK in self.packs:
                return self.packs[DEFAULT_PACK]
            if len(self.packs) == 1:
                return next(iter(self.packs.values()))
            raise PackError(
                "several packs are loaded; choose one with --pack "
                f"({', '.join(sorted(self.packs))})"
            )
        if pack_id in self.packs:
            return self.packs[pack_id]
        if pack_id in self.skipped:
            first = self.skipped[pack_id][0]
            raise PackError(
                f"pack {pack_id!r} failed validation ({first}); run "
                f"'python -m geo validate treaties/{pack_id}'"
            )
        known = ", ".join(sorted(self.packs)) or "none"
        raise PackError(f"unknown pack {pack_id!r} (available: {known})")


def pack_dirs(root: Path = TREATIES) -> list[Path]:
    """Pack folders under ``root``; names starting with '_' or '.' (templates) are skipped."""
    if not root.is_dir():
        return []
    return sorted(
        p
        for p in root.iterdir()
        if p.is_dir() and not p.is_symlink() and not p.name.startswith(("_", "."))
    )


# (path relative to the pack folder, size, mtime_ns) of each file, in path order.
Signature = tuple[tuple[str, int, int], ...]


def folder_signature(folder: Path) -> Signature:
    """A cheap stand-in for a folder's content: it changes when a file under it is written,
    added, removed or renamed, and costs one stat per file (no file is read)."""
    found: list[tuple[str, int, int]] = []

    def walk(path: str, prefix: str) -> None:
        with os.scandir(path) as entries:
            for entry in entries:
                name = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    walk(entry.path, name + "/")
                    continue
                try:
                    stat = entry.stat()
                except OSError:  # removed meanwhile, or a link to nothing
                    found.append((name, -1, -1))
                else:
                    found.append((name, stat.st_size, stat.st_mtime_ns))

    try:
        walk(str(folder), "")
    except OSError:  # the folder itself went away while it was read
        return ()
    return tuple(sorted(found))


def pack_signatures(root: Path = TREATIES) -> dict[str, Signature]:
    """The signature of every pack folder under ``root``, by folder name (the pack's id)."""
    return {pack_dir.name: folder_signature(pack_dir) for pack_dir in pack_dirs(root)}


def load_pack(pack_dir: Path) -> tuple[Pack | None, list[Problem]]:
    """Read, check and index one pack; a loaded pack has its ``timeline``."""
    pack, problems = read_pack(Path(pack_dir))
    if pack is None:
        return None, problems
    built, problems = timeline.build(pack)
    if built is None:
        return None, problems
    return pack.with_timeline(built), []


def load_catalog(root: Path = TREATIES) -> Catalog:
    """Load every pack under ``root``."""
    catalog = Catalog()
    for pack_dir in pack_dirs(root):
        pack, problems = load_pack(pack_dir)
        if pack is None:
            catalog.skipped[pack_dir.name] = problems
        else:
            catalog.packs[pack.id] = pack
    return catalog
