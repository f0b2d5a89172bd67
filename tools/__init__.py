"""Credit logic: everything the assistant, API, Slack and CLI can do, as plain typed functions."""
