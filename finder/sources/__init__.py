"""Sources: importing and refreshing feeds into the database, duplicates across sources, their CLI."""
