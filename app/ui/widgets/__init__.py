"""Reusable painted widgets (avatars, bubbles, composer) shared by the views."""
