"""Tests that run a command (viensum.cli.main or a subprocess) and check its output, files and exit status."""
