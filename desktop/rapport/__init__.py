"""Rapport: a desktop relationship journal."""

__version__ = "0.1.0"
APP_NAME = "Rapport"
