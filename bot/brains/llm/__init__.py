"""The LLM brain: a LangChain tool-calling agent over any OpenAI-compatible endpoint."""
