"""Reserved for a later part of the program."""
