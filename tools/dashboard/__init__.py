"""The officer dashboard: computed once per data version, patched after a client-scoped write
(`cache.dashboard`; what is kept and how a write patches it: `scope`)."""
