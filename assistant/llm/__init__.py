"""The optional language model: questions the offline parser cannot read go to a model behind
an OpenAI-compatible API (OpenAI, Azure OpenAI, Ollama, vLLM, llama.cpp's server).

The model never answers the user. It returns one JSON object:
- `{"frame": {...}}`: a reading in the `Frame`'s own terms, checked field by field against the
  contract and the live database, then run through `finish`, `queries`, the sandbox, `compose`
  and `chart_for` exactly like a question the parser read;
- `{"sql": "SELECT ..."}`: one query, run only through the validator and the read-only sandbox,
  with a fixed template text;
- `{"avslag": "..."}`: a refusal.

Every number in an answer comes from rows; the model's own prose is never shown. The prompts are
templates in prompts/ (see docs/llm.md); the schema and value lists in them are rendered from
`scoring.contract` and the database, so they cannot drift. A model that is unreachable, slow or
failing gives `None` (the offline refusal stands); a reply we cannot use gives a polite refusal.
"""
