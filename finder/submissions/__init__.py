"""Submissions: secretaries' new meetings and corrections, their rules, form, API and rate limit."""
