"""Embedding servers as a second backend: Ollama's native API and OpenAI-compatible /v1/embeddings.

address    the server's URL, loopback or not (what the privacy notice says)
transport  JSON over HTTP with timeouts, retries and typed errors
apis       the two wire formats, and which one a server speaks
embedder   ServerEmbedder: batches in flight, every answer checked
secrets    the API key, from the environment or the OS keyring
"""

from __future__ import annotations

from .address import ServerAddress, parse_address
from .apis import APIS, Api
from .embedder import ServerEmbedder

__all__ = ["APIS", "Api", "ServerAddress", "ServerEmbedder", "parse_address"]
