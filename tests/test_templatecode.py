"""Compiled templates shared between Jinja environments (generator/site/templatecode.py):
an environment set up as another one compiles nothing the other compiled; one set up
otherwise, or a template whose source has changed, is compiled anew and renders its own way."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from generator.site.templatecode import shared_cache

TEMPLATE = "{% for x in items %}\n<{{ x }}>\n{% endfor %}\n"


def environment(folder: Path, **options) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(folder), autoescape=True, **options)
    env.bytecode_cache = shared_cache(env)
    return env


def no_compiling(env: jinja2.Environment, monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("compiled again")

    monkeypatch.setattr(env, "compile", refuse)


def test_an_environment_set_up_alike_uses_the_code_another_compiled(tmp_path, monkeypatch):
    (tmp_path / "t.html").write_text(TEMPLATE, encoding="utf-8")
    first = environment(tmp_path, trim_blocks=True)
    assert first.get_template("t.html").render(items=["a&"]) == "<a&amp;>\n"
    second = environment(tmp_path, trim_blocks=True)
    no_compiling(second, monkeypatch)
    assert second.get_template("t.html").render(items=["b"]) == "<b>\n"


@pytest.mark.parametrize(
    ("options", "expected"),
    [({"trim_blocks": False}, "\n<a&amp;>\n"), ({"autoescape": False}, "<a&>\n")],
)
def test_an_environment_set_up_otherwise_compiles_its_own(tmp_path, options, expected):
    (tmp_path / "t.html").write_text(TEMPLATE, encoding="utf-8")
    environment(tmp_path, trim_blocks=True).get_template("t.html")
    setup = {"trim_blocks": True} | options
    other = jinja2.Environment(
        loader=jinja2.FileSystemLoader(tmp_path), **({"autoescape": True} | setup)
    )
    other.bytecode_cache = shared_cache(other)
    assert other.get_template("t.html").render(items=["a&"]) == expected


def test_a_changed_template_is_compiled_anew(tmp_path):
    path = tmp_path / "t.html"
    path.write_text(TEMPLATE, encoding="utf-8")
    assert (
        environment(tmp_path, trim_blocks=True).get_template("t.html").render(items=[1]) == "<1>\n"
    )
    path.write_text("[{{ items|length }}]", encoding="utf-8")
    assert environment(tmp_path, trim_blocks=True).get_template("t.html").render(items=[1]) == "[1]"
