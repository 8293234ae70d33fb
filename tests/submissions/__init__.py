"""Tests of finder/submissions: the form, the API, validation rules and rate limits."""
