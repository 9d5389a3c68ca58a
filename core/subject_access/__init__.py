"""Subject access requests: everything the service holds about one person, with third
parties' information withheld (UK GDPR Article 15; issue 24, item 5)."""
