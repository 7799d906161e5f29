"""The agent and its faces: CLI, API and Slack. Imports tools and retrieval."""
