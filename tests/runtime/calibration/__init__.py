"""Element pairs for calibrating the fingerprint score: the same element across releases, and its look-alikes."""
