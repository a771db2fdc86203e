"""The domain: people, the plan, generosity, calendar, trips, places. No Qt here."""
