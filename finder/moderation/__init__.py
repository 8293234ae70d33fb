"""Moderation: the review queue, approving and rejecting submissions, moderator accounts."""
