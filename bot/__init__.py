"""The assistant (offline brain and LangChain agent) and the Slack app."""
