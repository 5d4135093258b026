"""Checking a draw ledger the finance team keeps in a workbook of their own against the terms."""
