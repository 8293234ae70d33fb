"""Tests of finder/api: the assembled OpenAPI document."""
