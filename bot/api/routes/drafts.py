"""Drafts of case notes and denial letters (wired to tools.drafts when it lands)."""

from fastapi import APIRouter

router = APIRouter(prefix="/v1", tags=["drafts"])
