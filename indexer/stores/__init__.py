"""Index stores other than the default FAISS files (`indexer.store.open_store` picks one)."""
