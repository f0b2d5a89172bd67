"""The offline brain: no model, no network — intents and entities parsed from how officers write."""
