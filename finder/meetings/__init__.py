"""Meetings: the meeting page, its calendar file, how a meeting is shown, the Meeting Guide export."""
