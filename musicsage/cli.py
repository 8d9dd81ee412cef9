"""The ``musicsage`` command line: one thin subcommand per service function.

Every command takes ``--data-dir``. Expected failures (:class:`MusicsageError`) print one line
on stderr and exit 1; ``--json`` output goes to stdout alone so a machine can read it. Heavy
modules are imported inside the handlers so ``musicsage --help`` stays fast.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, Callable, Sequence

from musicsage.context import AppContext
from musicsage.errors import MusicsageError

Handler = Callable[[argparse.Namespace, AppContext], int]


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write("\n")


def tqdm_progress():
    """A progress callback that drives one tqdm bar per stage on stderr."""
    from tqdm import tqdm

    bars: dict[str, Any] = {}

    def on_progress(p) -> None:
        bar = bars.get(p.stage)
        if bar is None:
            for other in bars.values():
                other.close()
            bars.clear()
            bar = bars[p.stage] = tqdm(total=p.total, desc=p.stage, file=sys.stderr,
                                       leave=False, dynamic_ncols=True)
        if p.total is not None and bar.total != p.total:
            bar.total = p.total
        bar.n = p.done
        if p.message:
            bar.set_postfix_str(p.message, refresh=False)
        bar.refresh()

    def close() -> None:
        for bar in bars.values():
            bar.close()
        bars.clear()

    on_progress.close = close  # type: ignore[attr-defined]
    return on_progress


# --- handlers -------------------------------------------------------------------------------
# Each handler is filled in by the issue that owns the service; keep them thin.


def _not_yet(name: str) -> Handler:
    def handler(args: argparse.Namespace, ctx: AppContext) -> int:
        raise MusicsageError(f"'{name}' is not available in this version yet")

    return handler


HANDLERS: dict[str, Handler] = {}


def handler(name: str) -> Callable[[Handler], Handler]:
    """Register the function that runs subcommand ``name``."""

    def register(fn: Handler) -> Handler:
        HANDLERS[name] = fn
        return fn

    return register


# --- argument parsing -----------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", metavar="DIR", default=None,
                        help="library location (default: the per-user data dir)")

    parser = argparse.ArgumentParser(
        prog="musicsage",
        description="Explore your music library: audio embeddings, a graph model of your "
                    "playlists, nearest neighbours and a map.",
        parents=[common])
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("scan", parents=[common], help="add/refresh music folders and playlists")
    p.add_argument("paths", nargs="*", metavar="PATH", help="music folders (or files)")
    p.add_argument("--playlists", nargs="+", default=[], metavar="PATH",
                   help="playlist files or folders of playlists")
    p.add_argument("--json", action="store_true", help="print a JSON summary")

    p = sub.add_parser("embed", parents=[common], help="audio embeddings for tracks lacking them")
    p.add_argument("--model", default=None,
                   help="openl3 | musicnn | spectral (default: the best available)")
    p.add_argument("--hop", type=float, default=None, help="seconds between analysis frames")
    p.add_argument("--max-seconds", type=float, default=None,
                   help="seconds of audio analysed per track (spread over the track)")
    p.add_argument("--openl3-weights", default=None, metavar="PATH",
                   help="a local OpenL3 .h5 or .h5.gz weights file")
    p.add_argument("--openl3-variant", default=None,
                   help="input_repr_content_embedding, e.g. mel256_music_512")
    p.add_argument("--limit", type=int, default=None, help="embed at most N tracks")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("train", parents=[common], help="train the graph model")
    p.add_argument("--dataset", default=None, metavar="DIR", help="a dataset dir instead of the library")
    p.add_argument("--out", default=None, metavar="DIR", help="output dir (with --dataset)")
    p.add_argument("--objective", default=None, help="infonce | hinge | dgi")
    p.add_argument("--pretrain", default=None, help="self-supervised pre-training (dgi)")
    p.add_argument("--contexts", default=None, help="comma list of playlist,album,artist")
    p.add_argument("--audio-model", default=None, help="which audio embeddings to use (library)")
    p.add_argument("--holdout", type=float, default=None,
                   help="fraction of memberships held out for evaluation")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--max-steps", type=int, default=None)
    p.add_argument("--device", default=None, help="cpu | cuda (default: cuda when available)")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("eval", parents=[common], help="graph model vs audio-only (JSON)")
    p.add_argument("--dataset", default=None, metavar="DIR")
    p.add_argument("--seeds", type=int, default=None, help="number of seeds (mean ± std)")
    p.add_argument("--objective", default=None)
    p.add_argument("--contexts", default=None)
    p.add_argument("--holdout", type=float, default=None)
    p.add_argument("--max-steps", type=int, default=None)
    p.add_argument("--json", action="store_true", help="(JSON is the default output)")

    p = sub.add_parser("similar", parents=[common], help="nearest tracks to a query")
    p.add_argument("query", metavar="QUERY", help="track id, path, or text match")
    p.add_argument("-k", type=int, default=10)
    p.add_argument("--space", choices=["graph", "audio", "both"], default="both")
    p.add_argument("--m3u", default=None, metavar="FILE", help="write the neighbours as M3U8")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("map", parents=[common], help="compute/refresh the 2-D map")
    p.add_argument("--space", choices=["graph", "audio", "both"], default="both")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("import", parents=[common], help="import a dataset dir")
    p.add_argument("dir", metavar="DIR")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("export", parents=[common], help="export the library as a dataset dir")
    p.add_argument("dir", metavar="DIR")
    p.add_argument("--audio-model", default=None)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("demo", parents=[common], help="build the demo library")
    p.add_argument("dir", nargs="?", default=None, metavar="DIR")
    p.add_argument("--tracks", type=int, default=None)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("stats", parents=[common], help="library counts")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("tags", parents=[common], help="music tags of a file (MusiCNN)")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--top", type=int, default=10)
    p.add_argument("--model", default="MSD_musicnn", help="MSD_musicnn | MTT_musicnn")
    p.add_argument("--json", action="store_true")

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    fn = HANDLERS.get(args.command, _not_yet(args.command))
    try:
        ctx = AppContext.create(args.data_dir)
        return fn(args, ctx)
    except MusicsageError as exc:
        print(f"musicsage {args.command}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"musicsage {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
