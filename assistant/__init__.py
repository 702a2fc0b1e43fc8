"""Kommuneindeks-assistenten: Norwegian questions → validated SQL → answers.

>>> from assistant import Assistant, Answer
"""

from assistant.assistant import Answer, Assistant, default_db_path

__all__ = ["Assistant", "Answer", "default_db_path"]
