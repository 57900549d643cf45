"""Small web applications built the way real ones are, served on 127.0.0.1 for the generalisation tests."""
