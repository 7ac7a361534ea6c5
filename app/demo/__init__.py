"""The demo (FEATURES U8): sample users and history seeded into a service, and a bot that
answers, so a newcomer sees a living messenger with one command (`tidings --demo`).

`python -m app.demo` seeds a running service and then runs the bot until it is terminated; the
desktop app starts it next to its embedded demo service and signs in as `DEMO_USER`.
"""

READY_PREFIX = "tidings-demo ready "
"""Printed with a JSON object once the history is seeded and the bot is online."""
