"""The screen's views, one module per page; `streamlit_app.py` is the entry point that picks one.

Each view only lays out widgets and renders what `assistant/` returns: `chat.py` (Spør),
`rapport.py` (Kommunerapport), `hva_om.py` (Hva om), `egen_sql.py` (Egen SQL), and `svar.py`
(one `Answer` on the screen, and `guarded`).
"""
