"""Query: a finished `Frame` → SQL → validated → rows, on a read-only database.

Fill the SQL templates in `sql/` (`build`), check every statement against the allow-lists
(`validate`, `allowlist`) and run it in the locked-down sandbox (`execute`).
"""
