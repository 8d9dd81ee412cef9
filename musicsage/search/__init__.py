"""Vectors -> nearest neighbours (hnswlib) and the 2-D library map (UMAP)."""
