"""Widgets: one question, the section list, the live recommendation, help, validators."""
