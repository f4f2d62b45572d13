"""Machinery both apps use; imports neither ``dinas`` nor ``pohon``."""
