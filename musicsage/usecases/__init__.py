"""The use cases both front ends call: the command line (``cli``) and the window (``gui``).

One module per area, in the order data flows:

- :mod:`.library` — scan folders and playlists, counts, browse, search, dataset dirs;
- :mod:`.embedding` — audio vectors of the library (embed), the audio model in use;
- :mod:`.training` — train and evaluate the graph model, the model in use and its vectors;
- :mod:`.spaces` — :class:`~.spaces.SearchSpaces`, the search indexes of one library, kept by
  whoever holds its AppContext;
- :mod:`.search` — resolve a QUERY, neighbours, the 2-D map, M3U export;
- :mod:`.tags` — MusiCNN tags of a file;
- :mod:`.snapshot` — what a window shows of a library, read at once;
- :mod:`.pipeline` — the library pipeline (scan → embed → audio map → train → map) that the
  demo build and the window's chaining both walk;
- :mod:`.demo` — the demo library (generate, then the pipeline);
- :mod:`.watch` — keep the library current: watch folders, apply each batch of changes;
- :mod:`.execution` — how each use case must run (a quick lookup, a thread, a child process,
  the helper process), declared with ``@runs`` beside it.

Conventions: the library's :class:`~musicsage.context.AppContext` comes first; long use cases
take ``progress=`` and ``cancel=`` (:mod:`musicsage.progress`); results are declared types
(dataclasses, named tuples), never a dict whose shape a caller has to guess — the JSON the CLI
prints comes from their ``to_dict()``/``as_dict()``. Importing a use case module is cheap
(heavy imports happen inside the functions), and a use case runs no SQL itself: the queries
are in :mod:`musicsage.library`.
"""
