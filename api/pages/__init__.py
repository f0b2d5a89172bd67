"""Server-rendered pages: the CRM sidebar and the officer dashboard (Jinja2, one CSS and one JS file)."""
