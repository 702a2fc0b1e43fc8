"""Text: the rows of an answer → Norwegian text in the report's own voice.

`compose` picks the wording for the kind of question: ranks, lists and explanations in `ranks`,
amounts and facts in `amounts`, the phrases they share in `phrases`, Norwegian number formats in
`formatting`; `suggestions` offers the follow-up questions.
"""
