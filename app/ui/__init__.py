"""The PySide6 desktop app: settings, theme, translations, widgets and desktop integration."""
