"""The command registry: what ``claimgraph --help`` lists without importing the commands."""

from __future__ import annotations

import click
import pytest

from claimgraph.cli import COMMANDS, cli, main


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_registry_line_is_the_commands_own_help(name: str) -> None:
    command = cli.get_command(click.Context(cli), name)
    assert isinstance(command, click.Command)
    assert command.name == name
    assert command.help is not None
    first_paragraph = " ".join(command.help.split("\n\n")[0].split())
    assert first_paragraph == COMMANDS[name]


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    section = out.split("Commands:")[1].split("\n\n")[0]  # the environment comes after
    listed = [line.split()[0] for line in section.strip().splitlines()]
    assert listed == sorted(COMMANDS)


def test_unknown_command_is_bad_usage(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.get_command(click.Context(cli), "nope") is None
    assert main(["nope"]) == 2
    assert "No such command" in capsys.readouterr().err
