"""Real embedding servers that tests start on 127.0.0.1 and stop afterwards (Ollama stand-in, infinity-emb)."""
