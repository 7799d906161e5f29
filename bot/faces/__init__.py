"""What the faces (CLI, HTTP API, Slack) share: tokens, Slack links, the staff listing, answer
feedback, error bodies and log set-up. Imports neither FastAPI nor slack_bolt, so a face never
needs another face to run."""
