"""Tests of finder/web: edge checks, headers, log masking and translations."""
