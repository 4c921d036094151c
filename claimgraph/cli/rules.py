"""``claimgraph rules [RULE]``: the rules, or the help of one."""

import click

from claimgraph import cli
from claimgraph.errors import InputError


@click.command("rules", context_settings=cli.CONTEXT)
@click.argument("rule_id", required=False)
def command(rule_id: str | None) -> int:
    """List the rules (id, default severity, what to do), or explain one."""
    from claimgraph.rules import RULES

    if rule_id is None:
        width = max(len(r) for r in RULES)
        for rule in RULES.values():
            click.echo(f"{rule.id:<{width}}  {rule.default_severity.value:<7}  {rule.summary}")
        return 0
    if rule_id not in RULES:
        raise InputError(f"unknown rule {rule_id!r}", hint="run `claimgraph rules` for the list")
    rule = RULES[rule_id]
    click.echo(f"{rule.id} ({rule.default_severity.value})\n\n{rule.help}")
    return 0
