"""musicsage: explore your own music library.

Data flows one way: files -> library DB -> audio embeddings -> graph model -> index/map -> GUI.
Each sub-package imports only the ones to its left; ``cli`` and ``gui`` (through the Qt-free
``controllers``) sit on top of ``usecases``. Only ``musicsage.gui`` imports Qt. The map of the
packages is docs/architecture.md.
"""

__version__ = "0.1.0"
