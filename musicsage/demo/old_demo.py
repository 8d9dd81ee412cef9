"""The demo recorded before leaves the library when another one replaces it (other settings,
another folder): moved out of :mod:`musicsage.usecases.demo`, which had no room left."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from musicsage.context import AppContext
    from musicsage.demo.state import DemoState


def forget_old_demo(ctx: "AppContext", old: "DemoState", music: Path) -> None:
    """Take the demo recorded in ``old`` out of the library before another one replaces it.

    Why: its files are deleted or left behind, so its tracks would stay as missing ones, its
    playlists would stay, and the graph model would train on them. Exactly the files it wrote
    leave (the library's tracks from other folders, and files a user put into the demo
    folder, stay); its folder too when it is not the new one and nothing else is left in it,
    so that a plain re-scan does not bring the old demo back. No file is touched."""
    if not ctx.db_path.is_file():
        return
    from musicsage.demo.library import PLAYLIST_DIR
    from musicsage.library.db import connect
    from musicsage.library.forget import forget_files

    old_music = Path(old.music_dir)
    files = old_demo_files(ctx, old)
    paths = {f: str(old_music.joinpath(*f.split("/"))) for f in files}
    playlists = [path for f, path in paths.items() if f.startswith(PLAYLIST_DIR + "/")]
    tracks = [path for path in paths.values() if path not in playlists]
    forget_files(connect(ctx), tracks, playlists,
                 root=str(old_music) if old_music != music else None)


def old_demo_files(ctx: "AppContext", old: "DemoState") -> list[str]:
    """The files (relative names) the demo recorded in ``old`` wrote: its manifest's list when
    the folder still holds this library's manifest, else its plan's, planned again (when the
    generator still plans those parameters alike)."""
    from musicsage.demo.library import plan_demo
    from musicsage.demo.manifest import check_owner, read_manifest
    from musicsage.errors import MusicsageError

    try:
        check_owner(old.music_dir, ctx.data_dir)
        manifest = read_manifest(old.music_dir)
    except MusicsageError:  # another library's demo, or a manifest not to trust
        manifest = None
    if manifest is not None:
        return list(manifest["files"])
    plan = plan_demo(old.n_tracks, seed=old.seed, seconds=old.seconds)
    if plan.fingerprint != old.fingerprint:
        return []
    return [t.relpath for t in plan.tracks] + [p.relpath for p in plan.playlists]
