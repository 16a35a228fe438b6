"""Talking to a model server over the OpenAI Chat Completions API."""
