"""The `creditdesk` command line (Typer + Rich). One module per command group."""
