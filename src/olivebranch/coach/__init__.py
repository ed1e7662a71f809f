"""Text analysis: the draft checker and the reply reader (later issues)."""
