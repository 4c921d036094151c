from pathlib import Path

import pytest

from claimgraph.config import load_config
from claimgraph.errors import ConfigError
from claimgraph.levels import Severity


def test_defaults_and_environment(tmp_path: Path) -> None:
    config = load_config(
        start=tmp_path,
        environ={
            "CLAIMGRAPH_EMAIL": "me@example.org",
            "NCBI_API_KEY": "secret-key",
            "CLAIMGRAPH_PUBMED_URL": "http://127.0.0.1:1/",
            "CLAIMGRAPH_CACHE_DIR": str(tmp_path),
        },
    )
    assert config.fail_on == "error"
    assert config.email == "me@example.org"
    assert config.pubmed_url == "http://127.0.0.1:1/"
    assert config.cache_dir == tmp_path
    assert "secret-key" not in repr(config)


def test_claimgraph_toml(tmp_path: Path) -> None:
    (tmp_path / "claimgraph.toml").write_text(
        'fail-on = "warning"\ncache-max-age-days = 7\n[severity]\ncitation-mismatch = "error"\n'
        '[disable]\norphan-source = "we keep a reading list"\n'
    )
    config = load_config(start=tmp_path, environ={})
    assert config.fail_on == "warning"
    assert config.cache_max_age_days == 7
    assert config.severities == {"citation-mismatch": Severity.ERROR}
    assert config.disabled == {"orphan-source": "we keep a reading list"}


def test_pyproject_table_found_from_a_subfolder(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.claimgraph]\nfail-on = "never"\n')
    (tmp_path / "articles").mkdir()
    assert load_config(start=tmp_path / "articles", environ={}).fail_on == "never"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('colour = "red"\n', "unknown setting: colour"),
        ('fail-on = "sometimes"\n', "fail-on must be one of"),
        ('[severity]\nno-such-rule = "error"\n', "unknown rule 'no-such-rule'"),
        ('[severity]\nunsourced-claim = "fatal"\n', "severity must be"),
        ('[disable]\norphan-source = ""\n', "with a reason"),
        ("fail-on = \n", "invalid TOML"),
    ],
)
def test_bad_config_names_the_problem(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "claimgraph.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message) as info:
        load_config(start=tmp_path, environ={})
    assert info.value.file == str(path)
