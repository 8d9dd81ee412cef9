"""What ``radio`` and ``suggest`` say of a seed track, or of a playlist's members, whose audio
vectors are of another analysis version than the one the audio space searches (a re-analysis
under way or cut short): what ``similar`` says of such a query — the vector is there but left
out, and ``musicsage embed`` finishes the re-analysis — not "has no audio embedding", which
sends the user to compute what was computed already."""

from __future__ import annotations

from pathlib import Path

from library_audio import write_audio

from musicsage import cli
from musicsage.library import queries as q
from musicsage.library.db import connect

FREQS = (220.0, 330.0, 440.0, 550.0, 660.0, 880.0)
OTHER_SETTINGS = "made with other analysis settings (or model version) than most tracks'"
FINISH = "`musicsage --data-dir {} embed` finishes the re-analysis"


def run(ctx, *args) -> int:
    return cli.main([*map(str, args), "--data-dir", str(ctx.data_dir)])


def library(ctx, music: Path) -> dict[int, str]:
    """Six tracks scanned, ``{track id: path}``."""
    for i, freq in enumerate(FREQS):
        write_audio(music / f"t{i}.wav", seconds=1.0, freq=freq)
    assert run(ctx, "scan", music) == 0
    return {int(t["id"]): t["path"] for t in q.all_tracks(connect(ctx))}


def two_versions(ctx, music: Path) -> tuple[dict[int, str], set[int]]:
    """The library, every track embedded, two again with other settings (an ``embed`` cut
    short after the settings changed): the tracks, and those two (left out of searches)."""
    paths = library(ctx, music)
    assert run(ctx, "embed", "--model", "spectral") == 0
    assert run(ctx, "embed", "--max-seconds", "0.5", "--limit", "2") == 0
    versions = q.embedding_versions(connect(ctx), "spectral")
    shown = q.shown_version(connect(ctx), "spectral")
    other = {t for t, version in versions.items() if version != shown}
    assert len(other) == 2
    return paths, other


def playlist(ctx, folder: Path, name: str, paths: list[str]) -> None:
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.m3u").write_text("".join(f"{p}\n" for p in paths), encoding="utf-8")
    assert run(ctx, "scan", "--playlists", folder / f"{name}.m3u") == 0


def suggest_note(ctx, capsys, name: str) -> str:
    """Why ``suggest NAME --space audio`` has no list: the audio note, in the one line of its
    refusal (exit 1, nothing on stdout)."""
    capsys.readouterr()
    assert run(ctx, "suggest", name, "--space", "audio", "--json") == 1
    out, err = capsys.readouterr()
    prefix = "musicsage suggest: no suggestions: audio: "
    assert out == "" and err.count("\n") == 1 and err.startswith(prefix)
    return err[len(prefix):].rstrip("\n")


def test_a_radio_from_a_seed_of_the_other_version_says_why(ctx, tmp_path, capsys):
    _, other = two_versions(ctx, tmp_path / "music")
    capsys.readouterr()

    assert run(ctx, "radio", min(other)) == 1  # no graph model: the radio follows audio

    out, err = capsys.readouterr()
    assert out == "" and len(err.strip().splitlines()) == 1
    assert err.startswith("musicsage radio: no radio: the seed track's audio vector was "
                          f"{OTHER_SETTINGS} and is left out, as 1 other track is: "
                          f"{FINISH.format(ctx.data_dir)}")
    assert "no audio embedding" not in err


def test_suggestions_for_members_of_the_other_version_say_why(ctx, tmp_path, capsys):
    paths, other = two_versions(ctx, tmp_path / "music")
    playlist(ctx, tmp_path / "lists", "Both", [paths[t] for t in sorted(other)])
    playlist(ctx, tmp_path / "lists", "One", [paths[min(other)]])

    both, one = suggest_note(ctx, capsys, "Both"), suggest_note(ctx, capsys, "One")

    assert both == ("the audio vectors of the playlist's 2 members were "
                    f"{OTHER_SETTINGS} and are left out: {FINISH.format(ctx.data_dir)}")
    assert one == (f"the playlist's only member's audio vector was {OTHER_SETTINGS} and is "
                   f"left out, as 1 other track is: {FINISH.format(ctx.data_dir)}")


def test_suggestions_for_members_without_vectors_say_so_without_a_double_negative(
        ctx, tmp_path, capsys):
    paths = library(ctx, tmp_path / "music")
    assert run(ctx, "embed", "--model", "spectral", "--limit", "4") == 0
    embedded = set(q.embedding_versions(connect(ctx), "spectral"))
    playlist(ctx, tmp_path / "lists", "Unheard", [p for t, p in paths.items()
                                                   if t not in embedded])

    assert suggest_note(ctx, capsys, "Unheard").startswith(
        "no member of the playlist has an audio embedding (")
