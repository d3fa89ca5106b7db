"""Intake: what comes in from learners (submissions, LMS downloads, untrusted text)."""
