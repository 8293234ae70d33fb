"""Calendar feeds: turn meeting rows into iCalendar bytes, with no knowledge of Flask."""
