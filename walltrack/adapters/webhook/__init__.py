"""The aiohttp edge of the process: Helius webhooks in, health and operator control."""
