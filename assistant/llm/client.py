"""The client of an OpenAI-compatible chat API (OpenAI, Azure OpenAI, Ollama, vLLM, llama.cpp's
server): the model set up in the environment, one call, and the reply text."""

import json
import logging
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import httpx
import openai
from openai.types.chat import ChatCompletion

from assistant.llm.reply import ModelReplyError
from assistant.llm.transport import CappedTransport, before_deadline
from assistant.settings import LlmSettings

log = logging.getLogger(__name__)

ENV_BASE_URL = "KOMMUNEINDEKS_LLM_BASE_URL"
ENV_MODEL = "KOMMUNEINDEKS_LLM_MODEL"
ENV_API_KEYS = ("KOMMUNEINDEKS_LLM_API_KEY", "OPENAI_API_KEY")  # the first one set wins
ENV_TIMEOUT = "KOMMUNEINDEKS_LLM_TIMEOUT"
DEFAULT_TIMEOUT = 15.0
DEADLINE_GRACE = 0.5  # the HTTP client's own timeout normally fires first
NO_KEY = "ingen-nokkel"  # a local server needs no key, but the client wants one


def _timeout(text: str | None) -> float:
    """The timeout in seconds from the environment, or the default for a missing or bad value.

    >>> _timeout("2.5"), _timeout(None), _timeout("lenge"), _timeout("-1")
    (2.5, 15.0, 15.0, 15.0)
    """
    try:
        seconds = float(text) if text else DEFAULT_TIMEOUT
    except ValueError:
        log.warning("%s=%r er ikke et tall; bruker %s s.", ENV_TIMEOUT, text, DEFAULT_TIMEOUT)
        return DEFAULT_TIMEOUT
    return seconds if seconds > 0 else DEFAULT_TIMEOUT


@dataclass(frozen=True)
class Modell:
    """A chat model behind an OpenAI-compatible API, and how long to wait for it."""

    base_url: str
    model: str
    api_key: str = field(default=NO_KEY, repr=False)
    timeout: float = DEFAULT_TIMEOUT
    max_retries: int = 0
    max_reply_bytes: int = LlmSettings.max_reply_bytes

    @classmethod
    def from_env(
        cls,
        environ: Mapping[str, str] | None = None,
        max_reply_bytes: int = LlmSettings.max_reply_bytes,
    ) -> "Modell | None":
        """The model set up in the environment, or None (offline) without a base URL and model.

        >>> Modell.from_env({}) is None
        True
        >>> Modell.from_env({ENV_BASE_URL: "http://localhost:11434/v1", ENV_MODEL: "qwen2.5"})
        Modell(base_url='http://localhost:11434/v1', model='qwen2.5', timeout=15.0, max_retries=0, max_reply_bytes=200000)
        """
        env = os.environ if environ is None else environ
        base_url, model = env.get(ENV_BASE_URL, "").strip(), env.get(ENV_MODEL, "").strip()
        if not base_url or not model:
            return None
        api_key = next((env[k] for k in ENV_API_KEYS if env.get(k, "").strip()), NO_KEY)
        timeout = _timeout(env.get(ENV_TIMEOUT))
        return cls(base_url, model, api_key.strip(), timeout, max_reply_bytes=max_reply_bytes)

    def complete(self, messages: list[dict[str, str]]) -> str:
        """The model's reply text, all of it within `timeout` seconds and `max_reply_bytes`
        (assistant/llm/transport.py). Asks for JSON mode, and once more without it when the
        server rejects the request (400/422). Raises `openai.OpenAIError` or `ModelReplyError`."""
        deadline = time.monotonic() + self.timeout
        given_up = partial(openai.APITimeoutError, request=httpx.Request("POST", self.base_url))
        call = partial(self._complete, messages, deadline)
        return before_deadline(self.timeout + DEADLINE_GRACE, call, given_up)

    def _complete(self, messages: list[dict[str, str]], deadline: float) -> str:
        transport = CappedTransport(deadline, self.max_reply_bytes)
        with httpx.Client(transport=transport) as http, openai.OpenAI(
            base_url=self.base_url, api_key=self.api_key, timeout=self.timeout,
            max_retries=self.max_retries, http_client=http,
            default_headers={"Accept-Encoding": "identity"},  # a compressed reply is refused
        ) as client:  # fmt: skip
            try:
                return self._create(client, messages, self.timeout, json_mode=True)
            except (openai.BadRequestError, openai.UnprocessableEntityError) as err:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise
                log.info("Språkmodellen avviste JSON-modus (%s); prøver uten.", err.status_code)
                return self._create(client, messages, remaining, json_mode=False)

    def _create(
        self, client: openai.OpenAI, messages: list[dict[str, str]], timeout: float, json_mode: bool
    ) -> str:
        extra: dict[str, Any] = (
            {"response_format": {"type": "json_object"}, "temperature": 0} if json_mode else {}
        )
        try:
            response = client.chat.completions.create(
                model=self.model, messages=messages, timeout=timeout, **extra
            )
        except json.JSONDecodeError as err:  # a 200 whose JSON body is broken
            raise ModelReplyError(f"svaret fra tjeneren var ikke gyldig JSON: {err}") from err
        return reply_text(response)


def reply_text(response: object) -> str:
    """The text of the first choice of a chat completion, or `ModelReplyError`."""
    if not isinstance(response, ChatCompletion):
        raise ModelReplyError(f"ikke et chat-svar: {str(response)[:200]!r}")
    choices = getattr(response, "choices", None)
    message = getattr(choices[0], "message", None) if choices else None
    content = getattr(message, "content", None)
    if not isinstance(content, str) or not content.strip():
        raise ModelReplyError("tomt svar")
    return content
