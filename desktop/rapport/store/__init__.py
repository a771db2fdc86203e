"""The journal on disk: models, opening, migrations, backups, secrets. Imports nothing of ours."""
