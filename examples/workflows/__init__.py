"""Example workflows on the example shop, and the scripted answers for their first runs."""
