"""Browser tests: the demo app on a live 127.0.0.1 server, driven by Chromium through Playwright."""
