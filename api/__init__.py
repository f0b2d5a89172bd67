"""REST API (/api/v1), the CRM sidebar card and the officer dashboard (FastAPI)."""
