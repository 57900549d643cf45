"""Adversarial pages for replay safety: served on 127.0.0.1, with the state a test checks."""

from .server import VARIANTS, AdversarialSite

__all__ = ["VARIANTS", "AdversarialSite"]
