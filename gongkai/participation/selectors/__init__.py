"""Reads of public participation, scoped to the caller (one module per part)."""
