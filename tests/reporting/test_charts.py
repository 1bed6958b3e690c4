"""Server-side SVG charts: well-formed XML (xml.etree), data values present, text escaped, and a
data table for every chart."""

import xml.etree.ElementTree as ET
from decimal import Decimal

from apps.reporting import charts

NS = "{http://www.w3.org/2000/svg}"


def parse(chart):
    root = ET.fromstring(str(chart.svg))  # noqa: S314 - our own SVG
    assert root.tag == f"{NS}svg"
    assert root.find(f"{NS}title").text == chart.title
    return root


def texts(root):
    return [el.text or "" for el in root.iter() if el.tag in (f"{NS}text", f"{NS}title")]


def test_line_chart():
    chart = charts.line_chart(
        title="Người có hồ sơ",
        labels=["Q1/26", "Q2/26", "Q3/26"],
        series=[("Có hồ sơ", [10, 1234, 7]), ("Mới", [1, 2, None])],
    )
    root = parse(chart)
    assert len(root.findall(f".//{NS}polyline")) == 2
    joined = " ".join(texts(root))
    assert "1.234" in joined and "Q2/26" in joined and "Có hồ sơ – Q2/26: 1.234" in joined
    assert chart.headers == ["Kỳ", "Có hồ sơ", "Mới"]
    assert chart.rows[1] == ["Q2/26", "1.234", "2"] and chart.rows[2][2] == "—"


def test_bar_chart_and_decimals():
    chart = charts.bar_chart(title="Vụ án", labels=["a", "b"], values=[3, Decimal("12.500")])
    root = parse(chart)
    assert len(root.findall(f".//{NS}rect")) == 2
    assert "12,5" in " ".join(texts(root))
    assert chart.rows == [["a", "3"], ["b", "12,5"]]


def test_hbar_chart_with_shares():
    chart = charts.hbar_chart(title="Theo giới tính", items=[("Nam", 30), ("Nữ", 10)], total=40)
    root = parse(chart)
    joined = " ".join(texts(root))
    assert "30 (75%)" in joined and "10 (25%)" in joined
    assert chart.rows == [["Nam", "30", "75"], ["Nữ", "10", "25"]]


def test_text_is_escaped():
    evil = '<script>alert("x")</script> & Đồng'
    chart = charts.hbar_chart(title=evil, items=[(evil, 1)])
    svg = str(chart.svg)
    assert "<script>" not in svg
    root = parse(chart)
    assert evil in " ".join(texts(root))
    grid = charts.tile_grid(
        title="Lưới",
        groups=[(evil, [charts.Tile(1, "1", evil, "type_1", "Loại I", href='/x?a=1&b="2"')])],
        legend=[charts.LegendItem("type_1", "Loại I", "#7f1d1d", "I")],
    )
    root = ET.fromstring(str(grid.html))  # noqa: S314 - our own markup
    link = root.find(".//a")
    assert link.get("href") == '/x?a=1&b="2"'
    assert link.get("aria-label") == f"{evil} – Loại I"
    assert "<script>" not in str(grid.html)


def test_tile_grid_layout_and_letters():
    tiles = [charts.Tile(i, str(i), f"Xã {i}", "type_2" if i % 2 else "drug_free", "") for i in range(20)]
    legend = [
        charts.LegendItem("type_2", "Loại II", "#c2410c", "II"),
        charts.LegendItem("drug_free", "Không ma túy", "#15803d", "K"),
        charts.LegendItem("", "Chưa có", "#e2e8f0", "–", dark=False),
    ]
    chart = charts.tile_grid(
        title="Phân loại", groups=[("Huyện Yên Sơn", tiles[:18]), ("Khác", tiles[18:])], legend=legend
    )
    # drawn once, in HTML that CSS lays out for a wide screen and a phone alike (no SVG twice)
    assert not chart.svg and not chart.svg_narrow
    root = ET.fromstring(str(chart.html))  # noqa: S314 - our own markup
    groups = root.findall("./div[@class='tile-group']")
    assert [g.find("span").text for g in groups] == ["Huyện Yên Sơn", "Khác"]
    tiles = root.findall(".//*[@class='tile']")
    assert len(tiles) == 20
    assert [len(g.findall(".//*[@class='tile']")) for g in groups] == [18, 2]
    assert {t.get("data-level") for t in tiles} == {"type_2", "drug_free"}
    by_label = {t.get("aria-label"): t for t in tiles}
    assert by_label["Xã 3 – Loại II"].text == "II" and by_label["Xã 0 – Không ma túy"].text == "K"
    assert by_label["Xã 3 – Loại II"].get("role") == "img"  # no link: an image with its name
    assert len(chart.rows) == 20 and chart.rows[0] == ["Huyện Yên Sơn", "Xã 0", "Không ma túy"]


def test_vietnamese_number_format():
    assert charts.fmt(1234567) == "1.234.567"
    assert charts.fmt(Decimal("1234.500")) == "1.234,5"
    assert charts.fmt(Decimal("0.000")) == "0"
    assert charts.fmt(None) == "—"
