"""Backups: one archive with the database, the uploads and the secret key (`flask backup create|restore`)."""
