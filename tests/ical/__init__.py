"""Helpers of the calendar tests: sample feeds, zoneinfo ground truth, two expanders and a linter."""
