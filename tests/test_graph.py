import pytest

from fmcgm.causal import graph as G
from fmcgm.errors import CycleError, GraphError, UnknownVariableError


def test_cycle_is_named():
    with pytest.raises(CycleError) as e:
        G.CausalGraph.build([("a", "b"), ("b", "c"), ("c", "a")])
    assert set(e.value.cycle) == {"a", "b", "c"}
    assert "a -> b -> c -> a" in str(e.value) or "->" in e.value.message


@pytest.mark.parametrize("edges,needle", [
    ([("a", "a")], "self-loop"),
    ([("a", "b"), ("a", "b")], "duplicate edge a -> b"),
    ([("", "b")], "invalid variable name"),
])
def test_invalid_graphs(edges, needle):
    with pytest.raises(GraphError) as e:
        G.CausalGraph.build(edges)
    assert needle in e.value.message


def test_unknown_latent_and_variable():
    with pytest.raises(UnknownVariableError) as e:
        G.CausalGraph.build([("a", "b")], latent=["z"])
    assert "'z'" in e.value.message and "a, b" in e.value.hint
    g = G.CausalGraph.build([("a", "b")])
    with pytest.raises(UnknownVariableError):
        G.parents(g, "q")


def test_d_separation_collider_and_chain():
    g = G.CausalGraph.build([("x", "c"), ("y", "c"), ("x", "m"), ("m", "z")])
    assert G.d_separated(g, {"x"}, {"y"})
    assert not G.d_separated(g, {"x"}, {"y"}, {"c"})
    assert not G.d_separated(g, {"x"}, {"z"})
    assert G.d_separated(g, {"x"}, {"z"}, {"m"})


def test_latent_confounding_via_bidirected_edge():
    g = G.CausalGraph.build([("x", "y")], bidirected=[("x", "y")])
    assert not G.d_separated(G.remove_outgoing(g, ["x"]), {"x"}, {"y"})


def test_do_removes_incoming_edges_only():
    g = G.CausalGraph.build([("z", "x"), ("x", "y"), ("z", "y")])
    h = G.do(g, ["x"])
    assert set(h.edges) == {("x", "y"), ("z", "y")}
    assert G.descendants(g, ["x"]) == {"x", "y"}
    assert G.ancestors(g, ["y"]) == {"x", "y", "z"}


def test_latent_projection():
    g = G.CausalGraph.build([("u", "x"), ("u", "y"), ("x", "y")], latent=["u"])
    order, directed, bidirected = G.latent_projection(g)
    assert order == ["x", "y"]
    assert directed == {("x", "y")}
    assert bidirected == {frozenset({"x", "y"})}
