"""Fakes for offline tests: an OpenAI-shaped chat server that answers from recorded drafts."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from summarizer.config import Settings, resolve_settings
from summarizer.providers import Provider, ProviderInfo
from summarizer.providers.transport import InProcessTransport

SEED = Path(__file__).resolve().parent.parent / "seeds" / "busra-al-sham-2018.txt"

#: Answers recorded in the shape the embedded model gives for the seed report.
SEED_ARTICLES = {
    "terms": [
        {"quote": "handing over heavy weapons as of Sunday"},
        {"quote": "civilians return to the towns where there is no army"},
        {"quote": "hoisting the Syrian flag"},
        {"quote": "Russia is the guarantor of this agreement"},
    ]
}
SEED_CONDITIONS = {
    "conditions": [
        {"quote": "surrendering medium and heavy arsenal", "by": "Russia", "outcome": "accepted"},
        {
            "quote": "a quote the report does not contain at all",
            "by": "Russia",
            "outcome": "pending",
        },
    ],
    "name": None,
    "date": "2018-07-07",
    "location": "Busra al-Sham",
    "status": "signed",
    "stage": "partial",
    "agreement_type": "local",
}
SEED_ACTORS = {
    "parties": [
        {
            "name": "Syrian government",
            "aliases": ["Damascus", "Syrian troops"],
            "role": "signatory",
            "actor_type": "state",
        },
        {
            "name": "Russian army",
            "aliases": ["Moscow"],
            "role": "guarantor",
            "actor_type": "external",
        },
        {
            "name": "Bashar al-Zoubi",
            "aliases": ["Zoubi"],
            "role": "opponent",
            "actor_type": "rebel",
        },
        {"name": "Damascus", "aliases": ["the regime"], "role": "signatory", "actor_type": "state"},
        {"name": "Atlantis Navy", "aliases": [], "role": "other", "actor_type": "other"},
    ]
}


def constrained(request: dict[str, Any], stance: str) -> str:
    """``stance``, or the first stance the request's schema allows when it rules that one out,
    as a runtime with grammar-constrained decoding would answer."""
    allowed = request["response_format"]["json_schema"]["schema"]["properties"]["stance"]["enum"]
    return stance if stance in allowed else allowed[0]


def SEED_STANCE(request: dict[str, Any]) -> dict[str, Any]:
    """Sentence 1 and "accepts" (or what the schema allows instead)."""
    return {"sentence": 1, "stance": constrained(request, "accepts")}


NO_DISSENT = {"actor": None, "actor_type": "other"}
NO_DEMAND = {"demand": None, "by": "", "outcome": "unclear"}


def completion(
    content: str, *, prompt_tokens: int = 100, completion_tokens: int = 20
) -> dict[str, Any]:
    """An OpenAI chat.completion body with the given message content."""
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 0,
        "model": "fake-model",
        "choices": [
            {
                "index": 0,
                "finish_reason": "stop",
                "message": {"role": "assistant", "content": content},
            }
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


def verification(
    request: dict[str, Any], yes: float = 0.8, *, logprobs: bool = True
) -> dict[str, Any]:
    """A completion answering every statement of a verification request "yes" (or "no" when
    ``yes`` < 0.5), with token log-probs as llama.cpp reports them: the model's probability
    ``yes`` of "yes" at each answer's token, and an unconstrained alternative beside it."""
    keys = list(request["response_format"]["json_schema"]["schema"]["properties"])
    word = "yes" if yes >= 0.5 else "no"
    tokens: list[dict[str, Any]] = []

    def token(text: str, top: list[tuple[str, float]] | None = None) -> None:
        top = top or [(text, 0.0)]
        tokens.append(
            {
                "token": text,
                "logprob": top[0][1],
                "top_logprobs": [{"token": t, "logprob": lp} for t, lp in top],
            }
        )

    token("{\n")
    for n, key in enumerate(keys):
        token(' "')
        token(key)
        token('":')
        token(' "')
        other = 1.0 - yes - 0.01
        token(
            word,
            sorted(
                [("yes", math.log(yes)), ("no", math.log(other)), ("Yes", math.log(0.01))],
                key=lambda t: -t[1],
            ),
        )
        token('",\n' if n < len(keys) - 1 else '"\n')
    token("}")
    body = completion(json.dumps({key: word for key in keys}))
    if logprobs and request.get("logprobs"):
        body["choices"][0]["logprobs"] = {"content": tokens}
    return body


def translation(request: dict[str, Any]) -> dict[str, str]:
    """A fake translator: each numbered passage of the request, marked "EN:" (so a test can
    tell a rendering from the original)."""
    user = request["messages"][-1]["content"]
    passages = re.findall(r"^(\d+)\. (.*)$", user, flags=re.MULTILINE)
    return {number: f"EN: {passage}" for number, passage in passages}


def schema_name(request: dict[str, Any]) -> str:
    """The response model's name in a JSON-schema request."""
    fmt = request.get("response_format") or {}
    return str(fmt.get("json_schema", {}).get("name", ""))


class FakeChatServer:
    """Answers chat requests by response-model name; records every request it saw."""

    def __init__(
        self,
        answers: dict[str, Any] | None = None,
        answer_fn: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
        *,
        verify_yes: float = 0.8,
        logprobs: bool = True,
    ) -> None:
        self.answers = (
            answers
            if answers is not None
            else {
                "ArticlesDraft": SEED_ARTICLES,
                "ConditionsDraft": SEED_CONDITIONS,
                "ActorsDraft": SEED_ACTORS,
                "DissentDraft": NO_DISSENT,
                "DemandDraft": NO_DEMAND,
                "StanceDraft": SEED_STANCE,
            }
        )
        self.answer_fn = answer_fn
        #: The model's probability of "yes" for every verification statement.
        self.verify_yes = verify_yes
        #: Whether answers carry token log-probs (a server that returns none: False).
        self.logprobs = logprobs
        self.requests: list[dict[str, Any]] = []

    def handle_chat_completions(self, request: dict[str, Any]) -> dict[str, Any]:
        """Answer one request."""
        self.requests.append(request)
        if self.answer_fn is not None:
            return self.answer_fn(request)
        name = schema_name(request)
        if name.startswith("Verification") and name not in self.answers:
            return verification(request, self.verify_yes, logprobs=self.logprobs)
        if name.startswith("Translation") and name not in self.answers:
            return completion(json.dumps(translation(request)))
        answer = self.answers[name]
        if callable(answer):
            answer = answer(request)
        return completion(answer if isinstance(answer, str) else json.dumps(answer))


def fake_provider(
    server: FakeChatServer | None = None,
    *,
    settings: Settings | None = None,
    context_tokens: int | None = 8192,
) -> Provider:
    """A Provider whose transport is the fake server, in-process."""
    resolved = resolve_settings(settings or Settings(provider="embedded"))
    info = ProviderInfo(name="fake", model="fake-model", context_tokens=context_tokens)
    return Provider(
        info,
        InProcessTransport(server or FakeChatServer()),
        resolved,
        base_url="http://fake.invalid/v1",
        api_key="fake",
    )


def mock_remote(
    handler: Callable[[httpx.Request], httpx.Response],
    *,
    settings: Settings | None = None,
    retries: int = 2,
) -> Provider:
    """An openai-compatible Provider whose HTTP traffic goes to ``handler``."""
    from summarizer.providers.client import open_remote

    base = settings or Settings(
        provider="openai-compatible",
        base_url="http://mock.invalid/v1",
        transport_retries=retries,
        timeout=30.0,
    )
    return open_remote(resolve_settings(base), transport=httpx.MockTransport(handler))
