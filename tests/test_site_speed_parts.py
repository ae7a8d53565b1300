"""The faster ways issue 21 gave the site build, held to the plain definitions they replace, and
bench/same_site.py, which the work checks byte-identical output with."""

from __future__ import annotations

import re

import jinja2
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import escape
from same_site import differences

from generator.site import chart, plugin
from generator.site import html as sitehtml
from generator.site.chart import Series, line_chart
from generator.site.format import points
from generator.site.poster import lines, sheets
from generator.site.qr import BORDER, _row_runs


def plain_sheets(rows: list[dict], room: int) -> list[list[dict]]:
    """As poster.sheets says, each sheet's lines recounted: a new sheet when the row would not
    fit, or when the sheet holds its even share of the lines already."""
    share = -(-lines(rows) // max(1, -(-lines(rows) // room)))
    found: list[list[dict]] = [[]]
    for row in rows:
        if found[-1] and (lines(found[-1] + [row]) > room or lines(found[-1]) >= share):
            found.append([])
        found[-1].append(row)
    return found


names = st.text(alphabet="东西南北上下村塘", min_size=1, max_size=7)


@given(st.lists(names, max_size=60), st.integers(1, 31))
def test_sheets_are_cut_where_recounting_each_sheet_cuts_them(village_names, room):
    rows = [{"village": {"name": name}} for name in village_names]
    assert sheets(rows, room) == plain_sheets(rows, room)


def plain_runs(y: int, row: bytearray) -> str:
    """As qr._row_runs was: a step per module."""
    out, x, width = [], 0, len(row)
    while x < width:
        if row[x]:
            start = x
            while x < width and row[x]:
                x += 1
            out.append(f"M{start + BORDER} {y}h{x - start}v1h-{x - start}z")
        else:
            x += 1
    return "".join(out)


@given(st.integers(0, 200), st.lists(st.sampled_from([0, 1]), max_size=80))
def test_a_qr_row_s_dark_runs_are_the_module_by_module_ones(y, modules):
    row = bytearray(modules)
    assert _row_runs(y, row) == plain_runs(y, row)


def test_a_row_of_dark_modules_is_one_run_and_a_light_one_none():
    assert _row_runs(0, bytearray([1, 1, 1])) == f"M{BORDER} 0h3v1h-3z"
    assert _row_runs(5, bytearray([0, 0])) == ""


def test_same_site_finds_files_missing_added_or_changed(tmp_path):
    before, after = tmp_path / "before", tmp_path / "after"
    for root in (before, after):
        (root / "a" / "b").mkdir(parents=True)
        (root / "a" / "b" / "index.html").write_bytes(b"<p>\xe6\x9d\x91</p>")
    assert differences(before, after) == ([], [], [], 1)
    (before / "gone.css").write_text("x")
    (after / "a" / "new.html").write_text("y")
    (after / "a" / "b" / "index.html").write_bytes(b"<p>\xe6\x9d\x91</p>\n")
    gone, added, changed, count = differences(before, after)
    assert (gone, added, changed, count) == (["gone.css"], ["a/new.html"], ["a/b/index.html"], 2)


# -- tables made in Python, held to the template loops they replace (autoescape, trim_blocks and
# lstrip_blocks as pelicanconf.py sets them) ---------------------------------------------------

JINJA = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
JINJA.filters.update(plugin.FILTERS)
# poster.html's table body before html.poster_rows
POSTER_LOOP = JINJA.from_string(
    """{% for g in groups %}
<tbody>
{% for r in g.rows %}
<tr>{% if loop.first and not grid %}<th scope="rowgroup" class="g" rowspan="{{ g.rows|length }}"><span>{{ g.grid.name }}</span></th>{% endif %}
<th scope="row" class="v">{{ r.village.name }}</th>
{% for c in categories %}{% set cell = r.cells.get(c.id) %}<td class="c{% if cell %} {{ cell.flag }}{% endif %}">{% if cell %}<b class="m">{{ cell.mark }}</b>{% if cell.note %}<i>{{ cell.note }}</i>{% endif %}{% endif %}</td>{% endfor %}
<td class="net">{{ r.net|signed_yuan }}</td>
<td class="act">{{ r.actions|join("、") }}</td></tr>
{% endfor %}
</tbody>
{% endfor %}
"""  # noqa: E501 - the template's own lines
)
# village.html's actions of a year by period before html.action_period_items
ACTIONS_LOOP = JINJA.from_string(
    """{% import "m" as m %}{% for p in periods %}<li>{{ m.link(p.period, SITEURL) }}：{{ p.actions|map(attribute="name")|join("、") }}。依据：{{ p.actions|map(attribute="reason")|join("；") }}</li>
{% endfor %}
"""  # noqa: E501
)
JINJA.loader = jinja2.DictLoader(
    {
        "m": '{% macro link(ref, root) -%}\n<a href="{{ root }}/{{ ref.url }}">'
        "{{ ref.label or ref.name }}</a>\n{%- endmacro %}"
    }
)

texts = st.text(alphabet="东村<>&\"'a ", max_size=6)
cells = st.none() | st.fixed_dictionaries(
    {"flag": st.sampled_from(["red", "yellow"]), "mark": st.sampled_from("★▼"), "note": texts}
)
poster_rows = st.fixed_dictionaries(
    {
        "village": st.fixed_dictionaries({"name": texts}),
        "cells": st.dictionaries(st.sampled_from("abc"), cells, max_size=3),
        "net": st.integers(-9000, 9000),
        "actions": st.lists(texts, max_size=3),
    }
)
poster_groups = st.lists(
    st.fixed_dictionaries(
        {
            "grid": st.fixed_dictionaries({"name": texts}),
            "rows": st.lists(poster_rows, max_size=4),
        }
    ),
    max_size=3,
)


@given(poster_groups, st.none() | st.just({"name": "网格"}))
def test_the_poster_s_table_is_what_its_template_loop_wrote(groups, grid):
    categories = [{"id": "a"}, {"id": "b"}, {"id": "c"}]
    expected = POSTER_LOOP.render(groups=groups, categories=categories, grid=grid)
    assert str(sitehtml.poster_rows(groups, categories, grid)) == expected


refs = st.fixed_dictionaries({"url": texts, "label": texts, "name": texts})
actions = st.fixed_dictionaries({"name": texts, "reason": st.none() | texts})


@given(st.lists(st.fixed_dictionaries({"period": refs, "actions": st.lists(actions, max_size=3)})))
def test_a_year_s_actions_by_period_are_what_the_template_loop_wrote(periods):
    expected = ACTIONS_LOOP.render(periods=periods, SITEURL="https://x.cn")
    assert str(sitehtml.action_period_items(periods, "https://x.cn")) == expected


def plain_board_cell(cell: dict | None) -> str:
    """As html._board_cell was before its cells were made once each."""
    if cell is None:
        return "<td>未参评</td>"
    flag, fix = cell["flag"], cell["fix"]
    notes = cell["notes"]
    rank = "" if cell["rank"] is None else f"第{cell['rank']}名"
    score = f"{sitehtml.FLAG_MARKS.get(flag, '')}{points(cell['score'])}"
    if fix:
        score = "△" + score
        notes = (*notes, f"原{fix['old']}")
    second = " ".join(w for w in (rank, *notes) if w)
    css = f' class="{flag}"' if flag else ""
    title = f' title="{sitehtml.escape(fix["title"])}"' if fix else ""
    return f"<td{css}{title}>{sitehtml.escape(score)}\n{sitehtml.escape(second)}</td>"


board_cells = st.none() | st.fixed_dictionaries(
    {
        "score": st.integers(0, 100) | st.sampled_from([90.5, 88.25, 100.0, 0.0]),
        "rank": st.none() | st.integers(1, 30),
        "flag": st.sampled_from([None, "red", "yellow"]),
        "notes": st.lists(texts, max_size=2).map(tuple),
        "fix": st.none() | st.fixed_dictionaries({"title": texts, "old": texts}),
    }
)


@given(st.lists(board_cells, max_size=8))
def test_a_board_cell_made_once_is_what_it_was_made_each_time(row):
    assert [sitehtml._board_cell(c) for c in row] == [plain_board_cell(c) for c in row]


class Named:
    name = "属性"


@given(
    st.dictionaries(
        st.sampled_from(["name", "items", "url", "values"]), st.text(max_size=3), max_size=4
    )
)
def test_dotted_names_find_what_jinja_finds_but_a_dict_s_own_key_first(row):
    """`a.b` in a template, as plugin.dict_first_getattr looks it up: a dict's key when it has
    one, else what Jinja's own lookup gives (a dict's method, an object's attribute)."""
    env = jinja2.Environment(autoescape=True)
    env.getattr = plugin.dict_first_getattr(env.getattr)
    shown = env.from_string("{{ r.name }}|{{ r.url }}|{{ o.name }}|{{ r.items is callable }}")
    text = shown.render(r=row, o=Named())
    items = "items" not in row
    assert text == f"{escape(row.get('name', ''))}|{escape(row.get('url', ''))}|属性|{items}"


scores = st.one_of(
    st.none(),
    st.integers(0, 100),
    st.floats(0, 100, allow_nan=False).map(lambda v: round(v * 4) / 4),
    st.floats(0, 100, allow_nan=False),
)


@given(st.lists(st.tuples(scores, scores, st.sampled_from([None, "red", "yellow"])), max_size=14))
def test_a_chart_s_coordinates_are_the_scale_s_worked_out_for_each_value(points_):
    """chart.py formats each value's y once per scale (_YTexts): the paths, dots and ticks
    hold what the scale's formula gives each value, worked out one by one."""
    mine = Series("mine", [a for a, _, _ in points_], [m for _, _, m in points_])
    average = Series("avg", [b for _, b, _ in points_])
    drawn = line_chart([f"{n}月" for n in range(len(points_))], [average, mine])
    values = [v for s in (average, mine) for v in s.values if v is not None]
    if not values:
        assert drawn == {}
        return
    low, high = float(drawn["y_ticks"][1]["label"]), float(drawn["y_ticks"][0]["label"])
    span, height = high - low, chart.HEIGHT - chart.TOP - chart.BOTTOM

    def y(value: float) -> str:
        return f"{chart.TOP + (high - value) / span * height:.1f}"

    assert [t["y"] for t in drawn["y_ticks"]] == [y(high), y(low)]
    xs = chart._x_positions(len(points_))
    for path, series in zip(drawn["paths"], (average, mine), strict=True):
        found = re.findall(r"[ML]([\d.]+) ([\d.]+)", path["d"])
        expected = [(xs[i], y(v)) for i, v in enumerate(series.values) if v is not None]
        assert found == expected
    dots = [(d["cx"], d["cy"]) for d in drawn["dots"]]
    assert dots == [(xs[i], y(v)) for i, (v, _, m) in enumerate(points_) if v is not None and m]
