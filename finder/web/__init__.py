"""What every page shares: headers, languages, templating, log masking and response helpers."""
