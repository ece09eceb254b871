"""Shared pieces of the server-rendered pages: forms and the admin."""
