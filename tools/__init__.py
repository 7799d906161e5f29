"""Typed capabilities the agent may call: plan data, deadlines, criteria, drafts, audit."""
