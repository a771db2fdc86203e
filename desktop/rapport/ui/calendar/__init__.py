"""The Calendar view: trips, meetings and birthdays on a month grid, and whom to meet."""
