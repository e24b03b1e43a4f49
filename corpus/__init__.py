"""Sources and the code that turns them into cited, aligned FR/EN passages.

The bottom layer: it imports nothing from `indexer`, `bot` or `api`.
"""
