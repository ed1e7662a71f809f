"""Hosted mode: accounts, sign-in, tokens, limits and the settings that govern them."""
