"""The kernel: errors, money, clock and the message catalogue.

Imported by every layer; imports nothing of ours outside `kernel`.
"""
