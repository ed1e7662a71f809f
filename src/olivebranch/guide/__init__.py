"""The guidance library: one Markdown page per topic, with front matter, rendered for the web."""
