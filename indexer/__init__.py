"""Chunks, embedding backends and the FAISS + BM25 indexes on disk (imports only `corpus`)."""
