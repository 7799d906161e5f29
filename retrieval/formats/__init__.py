"""One reader per file format; each turns raw bytes into Markdown text plus metadata hints."""
