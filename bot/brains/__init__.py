"""The assistant's brains: offline (deterministic parsing + templates) and LLM (tool-calling agent)."""
