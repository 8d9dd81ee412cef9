"""Keep the cyclic garbage collector from freezing the window.

With Qt, pyqtgraph, numpy, hnswlib and the search stack loaded the heap holds hundreds of
thousands of objects, and a full (generation 2) collection — triggered by whichever thread
allocates, and run holding the GIL — paused every thread, the GUI thread included, for
120–720 ms (measured with gc.callbacks in ``bench/gui_responsiveness.py``). :func:`freeze_heap`
moves everything alive at start-up (modules, classes, functions: objects that live as long as
the process) out of the collector's reach with :func:`gc.freeze`, so later full collections
only walk what was allocated since, and makes full collections rarer. Reference counting still
frees everything as usual; only cyclic garbage waits longer.

(The heaviest libraries — torch, dgl, umap/numba — are never imported by the window's process
at all: embedding, training, map layout and tags run in child processes, see
:mod:`musicsage.gui.workers`.)
"""

from __future__ import annotations

import gc

GEN2_THRESHOLD = 100  # CPython's default is 10: full collections 10x rarer


def freeze_heap() -> None:
    """Exempt every object alive now from future collections (no collection first: that
    would be the very pause this avoids; a little garbage frozen with them is harmless)."""
    gc.freeze()
    t0, t1, _t2 = gc.get_threshold()
    gc.set_threshold(t0, t1, GEN2_THRESHOLD)
