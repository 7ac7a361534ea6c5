"""Integration with the desktop around the window: tray icon, unread badge, single instance."""
