"""The Contacts view: the people plan as a tree, a filter, and a pane to read and edit a person."""
