"""Test support: loopback servers, browser set-up and the Taguette launcher (never imported by hmbook)."""
