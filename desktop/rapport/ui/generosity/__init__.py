"""The Generosity view: the log of acts given and received, whom to serve next, who is due."""
