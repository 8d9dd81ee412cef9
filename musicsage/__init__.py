"""musicsage: explore your own music library.

Data flows one way: files -> library DB -> audio embeddings -> graph model -> index/map -> GUI.
Each sub-package imports only the ones to its left; ``cli`` and ``gui`` sit on top of
``services``. Only ``musicsage.gui`` imports Qt.
"""

__version__ = "0.1.0"
