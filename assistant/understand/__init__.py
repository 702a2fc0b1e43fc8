"""Understand: a question → a `Frame`, what it asks in the contract's own terms.

Clean and fold the text (`normalize`), find the question words (`vocabulary`), the
municipalities (`names`), the numbers and years (`numbers`), read it into a frame (`read`),
then fill what a follow-up leaves out and the defaults (`complete`). `frame` holds the `Frame`
and `context` the frozen `Context` every step reads.
"""
