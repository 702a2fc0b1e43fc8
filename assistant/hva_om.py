"""What-if questions (issue 8): placeholder until built."""

from assistant.errors import NotUnderstood


def answer_what_if(assistant, frame):
    raise NotUnderstood("Hva om-spørsmål kommer snart.")
