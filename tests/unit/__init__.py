"""Tests of one module each (fast; the fake backend from tests/fakes.py where a model is needed)."""
