"""Search: criteria, the SQL, time windows, the cursor, and the page and API that use them."""
