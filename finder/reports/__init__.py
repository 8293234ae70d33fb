"""Attendees report problems with a listing; three independent reports mark it for a moderator."""
