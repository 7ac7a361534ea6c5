"""Persistence: the schema, the database handle, and query functions grouped by domain.

Query functions take an open connection so a service can compose several into one transaction;
nothing here knows about sessions, frames or policies.
"""
