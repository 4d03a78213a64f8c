"""The FM-CGM agent: a LangGraph state machine over the causal tools."""
