"""Agency forms declared by plugins: storage with version history, sharing, pages and API."""
