"""tests/require.py: a missing optional part skips outside CI and fails under CI=true."""
import pytest
from require import require, require_module


def test_missing_part_skips_outside_ci_and_fails_under_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no such part \\(install it\\)"):
        require(False, "no such part", "install it")
    with pytest.raises(pytest.skip.Exception, match="no_such_module_here is not installed"):
        require_module("no_such_module_here")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true but no such part"):
        require(False, "no such part")
    with pytest.raises(pytest.fail.Exception, match="CI=true but no_such_module_here is not installed"):
        require_module("no_such_module_here")
    require(True, "never said")
    assert require_module("json").dumps([]) == "[]"
