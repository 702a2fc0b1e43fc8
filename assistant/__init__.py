"""Kommuneindeks-assistenten: Norwegian questions → validated SQL → answers.

>>> from assistant import Assistant, Answer
"""

from assistant.assistant import Answer, Assistant

__all__ = ["Assistant", "Answer"]
