"""Reporters: one class per output format, chosen by name from a registry per result type.

Adding a format is adding a class and one line in the registry of its result type.
"""
