"""The window: PySide6 only. Reads through core and store models, writes only through core."""
