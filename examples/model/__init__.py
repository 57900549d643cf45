"""A scripted OpenAI-compatible model server on 127.0.0.1, for tests and the offline demo."""

from .server import ScriptedModel, find, raw, reply

__all__ = ["ScriptedModel", "find", "raw", "reply"]
