"""The settings object: defaults, validation, and the README documenting every setting."""

from pathlib import Path

import pytest
from pydantic import ValidationError

from core.config import DEFAULT_STORE, Settings

README = Path(__file__).resolve().parents[2] / "README.md"


def test_every_setting_is_documented_in_the_readme():
    text = README.read_text(encoding="utf-8")
    missing = [f"YUQING_{name.upper()}" for name in Settings.model_fields if f"YUQING_{name.upper()}" not in text]
    assert not missing, f"README.md does not document: {missing}"


def test_every_setting_has_a_help_text():
    assert all(f.description for f in Settings.model_fields.values())


def test_defaults_work_with_nothing_set(monkeypatch):
    for key in list(__import__("os").environ):
        if key.startswith("YUQING_"):
            monkeypatch.delenv(key)
    s = Settings(_env_file=None)
    assert s.store == DEFAULT_STORE
    assert s.sentiment_negative < s.sentiment_positive


def test_environment_overrides(monkeypatch):
    monkeypatch.setenv("YUQING_STORE", "sqlite:///elsewhere.db")
    monkeypatch.setenv("YUQING_PORT", "9001")
    s = Settings(_env_file=None)
    assert (s.store, s.port) == ("sqlite:///elsewhere.db", 9001)


def test_thresholds_must_be_ordered():
    with pytest.raises(ValidationError, match="SENTIMENT_NEGATIVE"):
        Settings(_env_file=None, sentiment_negative=0.7, sentiment_positive=0.6)


def test_each_installation_generates_its_own_owner_only_salt(tmp_path):
    import stat

    first = Settings(_env_file=None, author_salt_file=tmp_path / "a" / ".author_salt")
    key = first.author_key()
    mode = stat.S_IMODE((tmp_path / "a" / ".author_salt").stat().st_mode)
    assert mode == 0o600 and len(key) == 64
    assert first.author_key() == key  # kept: pseudonyms stay stable across crawls
    other = Settings(_env_file=None, author_salt_file=tmp_path / "b" / ".author_salt").author_key()
    assert other != key


def test_given_salt_overrides_the_file_and_a_placeholder_is_refused(tmp_path):
    given = Settings(_env_file=None, author_salt="a-real-secret-of-some-length", author_salt_file=tmp_path / "s")
    assert given.author_key() == "a-real-secret-of-some-length" and not (tmp_path / "s").exists()
    with pytest.raises(ValueError, match="YUQING_AUTHOR_SALT"):
        Settings(_env_file=None, author_salt="short").author_key()
    (tmp_path / "damaged").write_text("x\n")
    with pytest.raises(ValueError, match="delete the file"):
        Settings(_env_file=None, author_salt_file=tmp_path / "damaged").author_key()


def test_secrets_do_not_appear_in_repr():
    s = Settings(_env_file=None, author_salt="topsecret-salt", weibo_cookie="SUB=abc123")
    assert "topsecret-salt" not in repr(s) and "abc123" not in repr(s)


def test_command_line_options_override_only_when_given():
    base = Settings(_env_file=None, store="sqlite:///a.db", port=8000)
    assert base.with_options(store=None, port=None) is base
    changed = base.with_options(store="sqlite:///b.db", port=None)
    assert (changed.store, changed.port, base.store) == ("sqlite:///b.db", 8000, "sqlite:///a.db")
