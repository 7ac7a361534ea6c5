"""Profiles and the relationship chain (R1–R7, M12): friends as one-directional records,
applications, friend groups, the blacklist and what it does to messages."""
