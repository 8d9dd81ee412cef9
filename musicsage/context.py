"""Where a library lives on disk.

An :class:`AppContext` names the per-user data dir (library DB, trained graph models) and cache
dir (audio-model weights, search indexes, map coordinates). ``--data-dir DIR`` puts both under
DIR (cache in ``DIR/cache``), which is what tests and the demo library use. Nothing here opens
files; the library package opens the DB from ``ctx.db_path``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "musicsage"
DB_FILENAME = "library.sqlite3"


def repo_root() -> Path | None:
    """The source checkout this package runs from, or None when installed elsewhere."""
    root = Path(__file__).resolve().parent.parent
    return root if (root / "pyproject.toml").is_file() and (root / "musicsage").is_dir() else None


def user_cache_root() -> Path:
    """The per-user cache dir, whatever ``--data-dir`` says.

    For caches of *code*, not of a library: numba's compiled UMAP functions are the same for
    every library on the machine, so the demo library and the user's own one share them.
    """
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


@dataclass(frozen=True)
class AppContext:
    data_dir: Path
    cache_dir: Path

    @classmethod
    def create(cls, data_dir: str | os.PathLike[str] | None = None) -> "AppContext":
        """Context for ``--data-dir`` (or the platform's per-user dirs when None)."""
        if data_dir is not None:
            root = Path(data_dir).expanduser().resolve()
            ctx = cls(data_dir=root, cache_dir=root / "cache")
        else:
            import platformdirs

            ctx = cls(
                data_dir=Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
                cache_dir=user_cache_root(),
            )
        ctx.data_dir.mkdir(parents=True, exist_ok=True)
        ctx.cache_dir.mkdir(parents=True, exist_ok=True)
        return ctx

    @property
    def db_path(self) -> Path:
        return self.data_dir / DB_FILENAME

    @property
    def graph_models_dir(self) -> Path:
        """Trained graph-model checkpoints and their track embeddings."""
        return self.data_dir / "graph_models"

    @property
    def search_dir(self) -> Path:
        """hnswlib indexes and UMAP coordinates (derived data, safe to delete)."""
        return self.cache_dir / "search"

    @property
    def numba_cache_dir(self) -> Path:
        """numba's compile cache (see :func:`user_cache_root`: shared by all libraries)."""
        return user_cache_root() / "numba"

    @property
    def weights_dir(self) -> Path:
        """Downloaded/converted audio-model weights.

        ``models/`` of the source checkout when running from one (README's setup fills it),
        otherwise the user cache.
        """
        root = repo_root()
        if root is not None and os.access(root / "models", os.W_OK):
            return root / "models"
        return self.cache_dir / "models"
