"""The critique reads the question's variables against the graph's own names, whatever backend built the graph
(issue 19), not through the offline reader's background regexes."""

from __future__ import annotations

from agent.nodes import question_names, review_call

GRAPH = {"edges": [["weather", "sales"], ["weather", "mood"], ["mood", "sales"]]}
ARGS = {"query": {"kind": "ate", "treatment": "mood", "outcome": "sales"},
        "statements": [{"event": {"sales": 1}, "given": {"mood": 1}, "p": 0.6},
                       {"event": {"sales": 1}, "given": {"mood": 0}, "p": 0.3}]}


def test_a_variable_the_question_calls_unobserved_must_be_latent_in_any_backends_graph():
    """Free wording the offline reader has no background for: the old critique found no names and let an observed
    'weather' through, so the effect was computed by adjusting for a variable nobody measured."""
    q = "Sales tend to go up on good days while the mood lifts too; the weather is unobserved. Does mood raise sales?"
    codes = {f.code for f in review_call("estimate_effect", ARGS, GRAPH, q, None)}
    assert "unmarked_latent" in codes
    ok = review_call("estimate_effect", ARGS, {**GRAPH, "latent": ["weather"]}, q, None)
    assert "unmarked_latent" not in {f.code for f in ok}


def test_the_subject_of_unobserved_is_read_from_the_last_clause():
    names = ["weather", "sales", "mood"]
    assert question_names("Weather affects sales and mood, and weather is unobserved.", names)[1] == ["weather"]
    assert question_names("Mood and sales are not observed. Weather unobserved", names)[1] == ["mood", "sales", "weather"]
    assert question_names("Weather affects sales.", names) == (["weather", "sales"], [])
