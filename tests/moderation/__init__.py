"""Tests of finder/moderation: moderator accounts, login, and decisions on submissions."""
