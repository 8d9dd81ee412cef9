"""DB -> audio embeddings: decoding, the audio models (OpenL3, MusiCNN, spectral), the embed job."""
