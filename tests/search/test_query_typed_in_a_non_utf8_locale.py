"""A QUERY typed with accents in a session whose filesystem encoding is not UTF-8 (ASCII under
``PYTHONUTF8=0 LC_ALL=C``, or a legacy locale; a plain ``LC_ALL=C`` turns on Python's UTF-8
mode): the ``é`` of a UTF-8 terminal reaches ``argv`` as ``\\udcc3\\udca9``, and ``similar
Montréal`` said "no track matches 'Montr\\xe9al'" though the library holds that title. The
text is matched as its bytes read as UTF-8 (as a stored path is); a path still names its file.

The look-ups run in a child process, since a process's filesystem encoding is fixed at its
start; the query goes to it through ``argv``, as a user's does."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from search_helpers import add_track

ROOT = Path(__file__).resolve().parents[2]
ASCII_LOCALE = {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}
CHILD = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    from musicsage.context import AppContext
    from musicsage.errors import MusicsageError
    from musicsage.search.query import AmbiguousQuery
    from musicsage.usecases.search import resolve_query
    assert sys.getfilesystemencoding() == "ascii", sys.getfilesystemencoding()
    ctx, out = AppContext.create(Path(sys.argv[1])), []
    for query in sys.argv[2:]:
        try:
            out.append(resolve_query(ctx, query))
        except AmbiguousQuery as exc:
            out.append(sorted(c.track_id for c in exc.candidates))
        except MusicsageError as exc:
            out.append(str(exc).encode("ascii", "backslashreplace").decode())
    print(json.dumps(out))
""")


def _resolved_in_an_ascii_session(ctx, queries: list[str]) -> list:
    env = {**os.environ, **ASCII_LOCALE, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", CHILD, str(ctx.data_dir), *queries],
                          env=env, capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    return json.loads(done.stdout)


def _tracks(library) -> dict[str, int]:
    root = library.root / "Café"
    root.mkdir(parents=True)
    ids = {}
    for key, name, title, artist in [
        ("montreal", "Montréal.wav", "Montréal", "Beau Dommage"),
        ("night", "night.wav", "Night Drive", "Énergie"),
        ("untagged", "Ça plane pour moi.wav", None, None),
    ]:
        (root / name).write_bytes(b"")
        ids[key] = add_track(library.conn, str(root / name), title=title, artist=artist)
    library.conn.commit()
    return ids


def test_accented_titles_artists_and_file_names_are_found(ctx, library):
    ids = _tracks(library)
    path = str(library.root / "Café" / "Montréal.wav")
    found = _resolved_in_an_ascii_session(ctx, [
        "Montréal", "montreal", "Beau Dommage - Montréal", "énergie", "ça plane pour moi", path,
        "Montréal × 2"])
    assert found[:6] == [ids["montreal"], ids["montreal"], ids["montreal"], ids["night"],
                         ids["untagged"], ids["montreal"]]
    assert found[6].startswith("no track matches 'Montr\\xe9al \\xd7 2'")  # as before


def test_accented_text_naming_two_tracks_lists_both(ctx, library):
    ids = _tracks(library)
    other = library.root / "Café" / "live.wav"
    other.write_bytes(b"")
    live = add_track(library.conn, str(other), title="Montréal (live)", artist="Beau Dommage")
    library.conn.commit()
    assert _resolved_in_an_ascii_session(ctx, ["Dommage - Montréal"]) == [[ids["montreal"], live]]
