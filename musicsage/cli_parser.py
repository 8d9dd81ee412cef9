"""The ``musicsage`` command line's arguments (argparse only: ``--help`` imports nothing heavy).

The commands, their options and exit codes are documented in docs/cli.md.
"""

from __future__ import annotations

import argparse

from musicsage import __version__

AUDIO_DEVICE_HELP = ("where the audio network runs: auto (a CUDA GPU when torch sees one, "
                     "else the CPU; the default), cpu, cuda or cuda:N (refused when absent)")
GRAPH_DEVICE_HELP = ("where the graph model computes: auto (a CUDA GPU when torch sees one, "
                     "else the CPU; the default), cpu, cuda or cuda:N (refused when absent); "
                     "neighbour sampling stays on the CPU")

WINDOW_HELP = ("With no COMMAND, musicsage opens the desktop window, which takes --data-dir DIR, "
               "--demo (the demo library), --select QUERY (select the first matching track), "
               "--screenshot PNG (render the window to PNG, then exit) and --size WxH|auto "
               "(the window's size); docs/cli.md, \"The window\".")
"""The end of ``musicsage --help``: the window's options, which ``musicsage`` alone takes
(:func:`musicsage.gui.app.parse_args`) but the commands' help did not name."""


def build_parser() -> argparse.ArgumentParser:
    # --data-dir is accepted before or after the subcommand. The subcommands' copy has no
    # default (SUPPRESS) so it cannot overwrite a value given before the subcommand.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS,
                        help="library location (default: the per-user data dir)")

    parser = argparse.ArgumentParser(
        prog="musicsage",
        description="Explore your music library: audio embeddings, a graph model of your "
                    "playlists, nearest neighbours and a map.",
        epilog=WINDOW_HELP)
    parser.add_argument("--data-dir", metavar="DIR", default=None,
                        help="library location (default: the per-user data dir)")
    parser.add_argument("--version", action="version", version=f"musicsage {__version__}",
                        help="print musicsage's version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for add in (_scan, _forget, _embed, _train, _eval, _models, _similar, _suggest, _radio,
                _map, _dataset_dirs, _demo, _stats, _playlists, _tags):
        add(sub, common)
    return parser


def _scan(sub, common) -> None:
    p = sub.add_parser("scan", parents=[common], help="add/refresh music folders and playlists")
    p.add_argument("paths", nargs="*", metavar="PATH", help="music folders (or files)")
    p.add_argument("--playlists", nargs="+", default=[], metavar="PATH",
                   help="playlist files or folders of playlists")
    p.add_argument("--json", action="store_true", help="print a JSON summary")
    p.add_argument("--watch", action="store_true",
                   help="then keep watching for changes until Ctrl-C")


def _forget(sub, common) -> None:
    p = sub.add_parser("forget", parents=[common], help="remove a music folder from the library",
                       description="Remove FOLDER (one of the folders scanned before; stats "
                                   "lists them) from the library: its tracks leave the library "
                                   "with their audio vectors; playlists keep their entries, "
                                   "unresolved; no file is touched. Scanning the folder again "
                                   "brings its tracks back. With --missing: only the tracks "
                                   "whose files are gone (under each FOLDER if given).")
    p.add_argument("folder", metavar="FOLDER", nargs="*",
                   help="a music folder (one; with --missing, any number, or none: all)")
    p.add_argument("--missing", action="store_true",
                   help="remove only tracks whose files are gone; those of a folder that is "
                        "itself gone (a drive unplugged) stay unless it is named")
    p.add_argument("--json", action="store_true", help="print a JSON summary")


def _embed(sub, common) -> None:
    p = sub.add_parser("embed", parents=[common], help="audio embeddings for tracks lacking them")
    p.add_argument("--model", default=None,
                   help="openl3 | musicnn | spectral, or a model id (default: the library's "
                        "own audio model (with no vectors left, the one it was last embedded "
                        "with), else the first of openl3, musicnn, spectral whose weights are "
                        "on disk)")
    p.add_argument("--hop", type=float, default=None, metavar="S",
                   help="seconds between analysis frames (MusiCNN: rounded to its 16 ms "
                        "frames, at least one; OpenL3: at least 0.1; spectral: fixed, "
                        "refused)")
    p.add_argument("--max-seconds", type=float, default=None, metavar="S",
                   help="seconds of audio analysed per track (spread over the track)")
    p.add_argument("--openl3-weights", default=None, metavar="PATH",
                   help="a local OpenL3 .h5 or .h5.gz weights file")
    p.add_argument("--openl3-variant", default=None, metavar="V",
                   help="embed with this OpenL3 model, as --model openl3-V does "
                        "(input_repr_content_size, e.g. mel256_music_512)")
    p.add_argument("--limit", type=int, default=None, metavar="N", help="embed at most N tracks")
    p.add_argument("--device", default="auto", metavar="DEVICE", help=AUDIO_DEVICE_HELP)
    p.add_argument("--threads", type=int, default=None, metavar="N",
                   help="CPU cores the analysis keeps busy (default: all available)")
    p.add_argument("--json", action="store_true")


def _train(sub, common) -> None:
    p = sub.add_parser("train", parents=[common], help="train the graph model")
    p.add_argument("--dataset", default=None, metavar="DIR",
                   help="a dataset dir instead of the library")
    p.add_argument("--out", default=None, metavar="DIR", help="output dir (with --dataset)")
    p.add_argument("out_dir", nargs="?", default=None, metavar="OUT",
                   help="the output dir, as --out gives it: train --dataset DIR OUT")
    p.add_argument("--objective", default=None, metavar="OBJ", help="infonce | hinge | dgi")
    p.add_argument("--pretrain", default=None, help="self-supervised pre-training (dgi)")
    p.add_argument("--contexts", default=None, help="comma list of playlist,album,artist")
    p.add_argument("--audio-model", default=None, metavar="ID",
                   help="which audio embeddings to use (library)")
    p.add_argument("--holdout", type=float, default=None, metavar="F",
                   help="fraction of memberships held out for evaluation")
    p.add_argument("--seed", type=int, default=0, metavar="N",
                   help="seed of the split and the run")
    p.add_argument("--max-steps", type=int, default=None, metavar="N")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help="any training option, e.g. --set dim=128 --set num_walks=60 "
                        "(repeatable; docs/model.md lists them)")
    p.add_argument("--device", default="auto", metavar="DEVICE", help=GRAPH_DEVICE_HELP)
    p.add_argument("--json", action="store_true")


def _eval(sub, common) -> None:
    p = sub.add_parser("eval", parents=[common], help="graph model vs audio-only (JSON)")
    p.add_argument("--dataset", default=None, metavar="DIR")
    p.add_argument("--seeds", type=int, default=None, metavar="N",
                   help="number of seeds (mean ± std)")
    p.add_argument("--objective", default=None, metavar="OBJ", help="infonce | hinge | dgi")
    p.add_argument("--pretrain", default=None, help="self-supervised pre-training (dgi)")
    p.add_argument("--contexts", default=None)
    p.add_argument("--audio-model", default=None, metavar="ID",
                   help="which audio embeddings to use (library)")
    p.add_argument("--holdout", type=float, default=None, metavar="F")
    p.add_argument("--max-steps", type=int, default=None, metavar="N")
    p.add_argument("--seed", type=int, default=0, metavar="S",
                   help="first seed (seeds S..S+N-1)")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help="any training option (repeatable), as for train")
    p.add_argument("--device", default="auto", metavar="DEVICE", help=GRAPH_DEVICE_HELP)
    p.add_argument("--json", action="store_true",
                   help="the JSON alone: no progress bars on stderr (the JSON is always printed)")


def _models(sub, common) -> None:
    p = sub.add_parser("models", parents=[common], help="list, choose or remove graph models",
                       description="The library's graph models (every Retrain makes one), the "
                                   "current one marked. --use makes an earlier one current "
                                   "again; --remove deletes one that is not current (its row "
                                   "and the folder musicsage made for it).")
    action = p.add_mutually_exclusive_group()
    action.add_argument("--use", type=int, default=None, metavar="ID",
                        help="make graph model ID the current one")
    action.add_argument("--remove", type=int, default=None, metavar="ID",
                        help="delete graph model ID (never the current one)")
    p.add_argument("--json", action="store_true")


def _similar(sub, common) -> None:
    p = sub.add_parser("similar", parents=[common], help="nearest tracks to a query")
    p.add_argument("query", metavar="QUERY", help="track id, path, or text match")
    _list_options(p)
    p.add_argument("--m3u", default=None, metavar="FILE", help="write the neighbours as M3U8 (- for stdout)")
    p.add_argument("--json", action="store_true")


def _list_options(p) -> None:
    """List length, spaces and variety: what ``similar`` and ``suggest`` share."""
    # None, not the defaults: ``suggest --add`` refuses a list option typed as its default
    # too (commands/explore.py fills them in, LIST_DEFAULTS).
    p.add_argument("-k", type=int, default=None, metavar="N", help="list length (default 10)")
    p.add_argument("--space", choices=["graph", "audio", "both"], default=None,
                   help="which lists (default both)")
    p.add_argument("--variety", action="store_true",
                   help="at most one track per artist in each list")


def _suggest(sub, common) -> None:
    p = sub.add_parser("suggest", parents=[common], help="tracks to add to a playlist",
                       description="Tracks of the whole library to add to PLAYLIST, graph model "
                                   "and audio alone side by side (members never listed). "
                                   "--add writes chosen tracks into the playlist's own file, "
                                   "--remove takes them out of it (backup kept; refused if the "
                                   "file changed on disk).")
    p.add_argument("playlist", metavar="PLAYLIST", help="playlist id, file path or name")
    _list_options(p)
    p.add_argument("--method", choices=["centroid", "nearest"], default=None,
                   help="how members score a track: their mean vector, or the nearest member")
    p.add_argument("--m3u", default=None, metavar="FILE",
                   help="write the suggestions (graph list, else audio) as M3U8 (- for stdout)")
    p.add_argument("--add", nargs="+", default=None, metavar="TRACK",
                   help="write these tracks (ids, paths or text) into the playlist's file")
    p.add_argument("--remove", nargs="+", default=None, metavar="TRACK",
                   help="take every entry of these tracks out of the playlist's file")
    p.add_argument("--json", action="store_true")


def _radio(sub, common) -> None:
    p = sub.add_parser("radio", parents=[common], help="a queue of graph neighbours of a track",
                       description="A radio queue seeded by QUERY: graph neighbours (audio "
                                   "ones while there is no graph model), no repeats, no "
                                   "missing files.")
    p.add_argument("query", metavar="QUERY", help="track id, path, or text match")
    p.add_argument("--length", type=int, default=20, metavar="N",
                   help="tracks after the seed (default 20)")
    p.add_argument("--mode", choices=["close", "drift"], default="close",
                   help="close: neighbours of the seed; drift: of the track before")
    p.add_argument("--variety", action="store_true",
                   help="at most one track per artist in the queue")
    p.add_argument("--m3u", default=None, metavar="FILE", help="write the queue as M3U8 (- for stdout)")
    p.add_argument("--json", action="store_true")


def _map(sub, common) -> None:
    p = sub.add_parser("map", parents=[common], help="compute/refresh the 2-D map")
    p.add_argument("--space", choices=["graph", "audio", "both"], default="both")
    p.add_argument("--relayout", action="store_true",
                   help="lay the map out afresh (otherwise tracks added, removed or re-embedded "
                        "since are placed on the saved map, keeping every other point)")
    p.add_argument("--json", action="store_true")


def _dataset_dirs(sub, common) -> None:
    p = sub.add_parser("import", parents=[common], help="import a dataset dir")
    p.add_argument("dir", metavar="DIR")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("export", parents=[common], help="export the library as a dataset dir")
    p.add_argument("dir", metavar="DIR")
    p.add_argument("--audio-model", default=None, metavar="ID",
                   help="which audio model's vectors to export (default: the library's)")
    p.add_argument("--json", action="store_true")


def _demo(sub, common) -> None:
    p = sub.add_parser("demo", parents=[common], help="build the demo library",
                       description="Generate synthesized music and playlists into DIR (default: "
                                   "the library's demo-music folder), then scan, embed, train and "
                                   "map them into the library at --data-dir (default: the demo's "
                                   "own library, the one main.py --demo opens; not yours, unless "
                                   "an earlier version built the demo there). "
                                   "Resumable; a finished demo is reused.")
    p.add_argument("dir", nargs="?", default=None, metavar="DIR")
    p.add_argument("--tracks", type=int, default=None, metavar="N",
                   help="number of tracks (default: as already built here, else 240)")
    p.add_argument("--seed", type=int, default=None, metavar="K",
                   help="(default: as already built, else 0)")
    p.add_argument("--seconds", type=float, default=None, metavar="S",
                   help="mean track length in seconds (default: as already built, else 20)")
    p.add_argument("--until", default=None, metavar="STAGE",
                   choices=("generate", "scan", "embed", "audio_map", "train", "map"),
                   help="stop after this stage: generate | scan | embed | audio_map | train | map")
    p.add_argument("--json", action="store_true")


def _stats(sub, common) -> None:
    p = sub.add_parser("stats", parents=[common], help="library counts")
    p.add_argument("--json", action="store_true")


def _playlists(sub, common) -> None:
    p = sub.add_parser("playlists", parents=[common], help="list the playlists, or one's tracks",
                       description="The library's playlists in name order, as the window "
                                   "lists them: id (what suggest takes), number of tracks "
                                   "in the library, name, and where each comes from (its "
                                   "file, a player's library file, a dataset dir). With "
                                   "PLAYLIST: its tracks in order.")
    p.add_argument("playlist", nargs="?", default=None, metavar="PLAYLIST",
                   help="playlist id, file path or name (as for suggest): list its tracks")
    p.add_argument("--json", action="store_true")


def _tags(sub, common) -> None:
    p = sub.add_parser("tags", parents=[common], help="music tags of a file (MusiCNN)",
                       description="The most probable MusiCNN tags of FILE; or, with "
                                   "--library, tag every library track not tagged yet (kept "
                                   "in the cache: 'why this neighbour' compares them). Only "
                                   "the first 20 minutes of a longer file are read.")
    p.add_argument("file", metavar="FILE", nargs="?", default=None)
    p.add_argument("--library", action="store_true",
                   help="tag the library's tracks (resumable) instead of one FILE")
    p.add_argument("--limit", type=int, default=None, metavar="N",
                   help="with --library: at most N tracks")
    p.add_argument("--top", type=int, default=None, metavar="N",
                   help="with FILE: the N most probable tags (default 10)")
    p.add_argument("--model", default=None, help="with FILE: MSD_musicnn (default) | "
                   "MTT_musicnn")
    p.add_argument("--json", action="store_true")
