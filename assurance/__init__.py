"""Assurance harness (issue 8): malformed-upload corpus, fault scripts, load scripts. See docs/assurance.md."""
