"""Dependency analysis: manifests and lockfiles per function, OSV vulnerability data, matching
and reachability. Importing this package loads nothing heavy; the modules are imported by the
rules (`faasguard.rules.dependencies`) and the `faasguard db` commands that need them.
"""
