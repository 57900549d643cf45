"""Agent: decides browser actions with an LLM and records them through the tracer (not built yet)."""

__all__: list[str] = []
