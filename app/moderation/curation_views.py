"""Curation routes of the moderators' area (threads: pin, lock, feature, move, merge, split)."""
