"""Reporters: turn a ScanResult into text for people or JSON for machines.

Submodules are imported by the command that needs them, so importing this package costs nothing.
"""
