""""Test connection": try the configured backend and say plainly what is wrong."""

from __future__ import annotations

from pathlib import Path

import httpx

from agent.configuration import Settings


def backend_choices() -> list[str]:
    """The backends this build's settings accept (read from the settings model, so a new one appears by itself)."""
    from typing import get_args

    return list(get_args(Settings.model_fields["backend"].annotation))


def check_connection(settings: Settings, timeout: float = 5.0) -> tuple[bool, str]:
    """(ok, a sentence for a person)."""
    if settings.backend == "offline":
        return True, "The offline reasoner runs inside this app: nothing to connect to, ready."
    if settings.backend == "llamacpp":
        path = Path(getattr(settings, "model_path", "") or "")
        if not str(path) or str(path) == ".":
            return False, "The llama.cpp backend needs the path of a GGUF model file."
        if not path.is_file():
            return False, f"No model file at {path}: give the path of a .gguf file on this machine."
        return True, f"Model file {path} found ({path.stat().st_size / 1e6:.0f} MB); it is loaded on the first question."
    if not settings.model:
        return False, f"The {settings.backend} backend needs a model name."
    url = settings.server_url().rstrip("/")
    probe = f"{url}/api/tags" if settings.backend == "ollama" else f"{url}/models"
    headers = {"Authorization": f"Bearer {settings.api_key}"} if settings.api_key else {}
    try:
        r = httpx.get(probe, headers=headers, timeout=timeout)
    except httpx.ConnectError:
        hint = "is `ollama serve` running?" if settings.backend == "ollama" else "is the server running, and is the URL right?"
        return False, f"Nothing answers at {url}: {hint}"
    except httpx.TimeoutException:
        return False, f"{url} did not answer within {timeout:.0f} s: the server is busy or unreachable."
    except httpx.HTTPError as e:
        return False, f"Cannot reach {url}: {type(e).__name__}: {e}"
    if r.status_code in (401, 403):
        return False, f"{url} refused the API key (HTTP {r.status_code}): check the key."
    if r.status_code == 404:
        hint = "" if settings.backend == "ollama" else " (an OpenAI-compatible base URL usually ends in /v1)"
        return False, f"{url} answered but has no {probe[len(url):]} endpoint{hint}: is this the right URL?"
    if r.status_code >= 400:
        return False, f"{url} answered HTTP {r.status_code}: {r.text[:200]}"
    try:
        body = r.json()
    except ValueError:
        return False, f"{url} answered, but not with JSON: is this an {settings.backend} server?"
    names = [m.get("name") or m.get("model") for m in body.get("models", [])] if settings.backend == "ollama" \
        else [m.get("id") for m in body.get("data", [])]
    names = [n for n in names if n]
    if names and not any(n == settings.model or n.split(":")[0] == settings.model for n in names):
        fix = f" Pull it with `ollama pull {settings.model}`." if settings.backend == "ollama" else ""
        return False, f"{url} is up, but has no model {settings.model!r} (it has: {', '.join(names[:10])}).{fix}"
    return True, f"{url} is up and serves {settings.model!r}."
