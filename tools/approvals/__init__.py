"""Limit requests, the authority matrix, maker-checker decisions."""
