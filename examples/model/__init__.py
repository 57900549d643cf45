"""A scripted OpenAI-compatible model server on 127.0.0.1, for tests and the offline demo."""

from .answers import act, locate_answer, login_answers
from .server import ScriptedModel, find, raw, reply, user_text

__all__ = ["ScriptedModel", "act", "find", "locate_answer", "login_answers", "raw", "reply", "user_text"]
