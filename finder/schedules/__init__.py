"""Schedules: a member's weekly plan, its pages, its API and its calendar feed."""
