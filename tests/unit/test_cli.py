"""The command line: every subcommand has help; errors exit with a clear message."""

from __future__ import annotations

import pytest

from walltrack.cli import build_parser, main

SUBCOMMANDS = ("bench", "config", "control", "demo", "tree")


def test_every_subcommand_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    parser = build_parser()
    names = set(parser._subparsers._group_actions[0].choices)  # type: ignore[union-attr]
    assert set(SUBCOMMANDS) <= names
    for name in sorted(names):
        with pytest.raises(SystemExit) as exited:
            main([name, "--help"])
        assert exited.value.code == 0
        assert "usage: walltrack" in capsys.readouterr().out


def test_a_configuration_error_exits_2_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("WALLTRACK_MODE", "nonsense")
    assert main(["config", "show"]) == 2
    assert "WALLTRACK_MODE" in capsys.readouterr().err


def test_config_show_redacts(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("WALLTRACK_JUPITER_API_KEY", "jup-secret-999")
    assert main(["config", "show", "--json"]) == 0
    out = capsys.readouterr().out
    assert "jup-secret-999" not in out
    assert '"jupiter_api_key": "**********"' in out
