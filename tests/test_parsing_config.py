import json

import pytest
from langchain_core.messages import AIMessage

from agent.configuration import load_settings
from agent.parsing import normalize_reply, tool_calls_in_text
from fmcgm.errors import FMCGMError

KNOWN = {"propose_edges", "estimate_effect"}


@pytest.mark.parametrize("text", [
    '{"name": "propose_edges", "arguments": {"edges": [["a", "b"]]}}',
    'Sure.\n```json\n{"tool": "propose_edges", "args": {"edges": [["a", "b"]]}}\n```',
    '[{"function": {"name": "propose_edges", "arguments": "{\\"edges\\": [[\\"a\\", \\"b\\"]]}"}}]',
])
def test_json_tool_calls_in_text(text):
    calls = tool_calls_in_text(text, KNOWN)
    assert len(calls) == 1 and calls[0]["name"] == "propose_edges" and calls[0]["args"] == {"edges": [["a", "b"]]}


def test_plain_text_and_unknown_names_are_left_alone():
    assert tool_calls_in_text("The answer is {not json} 42.", KNOWN) == []
    assert tool_calls_in_text('{"name": "rm_rf", "arguments": {}}', KNOWN) == []
    msg = AIMessage(content="Yes, the effect is positive.")
    assert normalize_reply(msg, KNOWN) is msg


def test_config_file_env_and_overrides(tmp_path, monkeypatch):
    cfg = tmp_path / "c.toml"
    cfg.write_text('backend = "ollama"\nmodel = "qwen"\ntimeout = 12\n')
    s = load_settings(str(cfg))
    assert (s.backend, s.model, s.timeout) == ("ollama", "qwen", 12)
    monkeypatch.setenv("FMCGM_MODEL", "llama")
    assert load_settings(str(cfg)).model == "llama"  # the environment beats the file
    assert load_settings(str(cfg), model="mistral").model == "mistral"  # flags beat both
    (tmp_path / "c.json").write_text(json.dumps({"recursion_limit": 9}))
    assert load_settings(str(tmp_path / "c.json")).recursion_limit == 9
    with pytest.raises(FMCGMError):
        load_settings(str(tmp_path / "missing.toml"))
