"""The real-application suite: flows recorded on real web applications, replayed with new data and across releases."""
