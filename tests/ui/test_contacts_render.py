"""People's text renders as plain text (checked on painted pixels), and each state renders.

A name like ``<b>Bold</b> <img src=x>`` drawn literally is as wide as those characters; read
as markup it would be the word "Bold" and a broken image, far narrower. So the tests paint
the widget, measure the ink, and compare it with the plain text's advance.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from contacts_helpers import MARKUP, contacts, fill_plan, group
from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QFontMetrics, QImage
from PySide6.QtWidgets import QMessageBox, QWidget

from rapport.core import people
from rapport.ui.contacts.dialogs import MergeDialog


@pytest.fixture
def plan(journal):
    ids = fill_plan()
    ids["japanese"] = people.create_person(
        "山田 太郎",
        given_name="太郎",
        family_name="山田",
        organization="東京ラボ",
        city="Tokyo",
        country="JP",
        notes="日本語のメモ。",
    )[0]
    return ids


@pytest.fixture
def view(plan, window, qtbot):
    return contacts(window, qtbot)


def ink_span(image: QImage, rect: QRect) -> int:
    """Columns from the left of ``rect`` to the last one holding a pixel unlike its background."""
    background = QColor(image.pixel(rect.right() - 1, rect.center().y()))
    last = rect.left()
    for x in range(rect.left(), min(rect.right(), image.width())):
        for y in range(rect.top(), min(rect.bottom(), image.height())):
            c = QColor(image.pixel(x, y))
            if (
                abs(c.red() - background.red())
                + abs(c.green() - background.green())
                + abs(c.blue() - background.blue())
                > 90
            ):
                last = x
                break
    return last - rect.left()


def test_the_tree_paints_markup_names_literally(view, plan, qtbot) -> None:
    index = view.model.person_index(plan["markup"])
    view.view.expand(index.parent())
    view.view.scrollTo(index)
    qtbot.wait(1)  # let the expansion lay out before painting
    rect = view.view.visualRect(index)
    image = view.view.viewport().grab().toImage()
    plain = QFontMetrics(view.view.font()).horizontalAdvance(MARKUP)
    assert ink_span(image, rect) >= plain  # icon + the whole string, not "Bold" + an image


def test_the_pane_paints_markup_names_literally(view, plan, window, qtbot) -> None:
    window.resize(1600, 800)
    view.splitter.setSizes([700, 800])  # room for the name on one line
    assert view.select_person(plan["markup"])
    pane = view.pane
    qtbot.waitUntil(lambda: pane.record is not None and pane.record.id == plan["markup"])
    heading = pane.heading
    assert heading.text() == MARKUP
    image = heading.grab().toImage()
    plain = QFontMetrics(heading.font()).horizontalAdvance(MARKUP)
    assert ink_span(image, QRect(0, 0, image.width(), image.height())) >= plain * 0.95
    assert pane.subtitle.text() == "Markup & Co"
    assert pane.edit("name").text() == MARKUP


def test_dialogs_paint_markup_names_literally(view, plan, qtbot) -> None:
    view.merge([plan["markup"], plan["ben"]])
    dialog = view.dialog
    assert isinstance(dialog, MergeDialog)
    item = dialog.list.item(0)
    assert item.text() == f"{MARKUP} — Markup & Co"
    rect = dialog.list.visualItemRect(item)
    image = dialog.list.viewport().grab().toImage()
    assert ink_span(image, rect) >= QFontMetrics(dialog.list.font()).horizontalAdvance(MARKUP)
    dialog.reject()
    view.delete_selected()  # nothing selected: nothing asked
    assert view.view.selectionModel().hasSelection() is False
    view.select_person(plan["markup"])
    view.delete_selected()
    box = view.dialog
    assert isinstance(box, QMessageBox)
    assert box.textFormat().name == "PlainText"
    assert MARKUP in box.text()
    box.reject()


RENDERS = ["empty", "goals", "circles", "cities", "filtered", "japanese"]


def test_each_state_renders(journal, plan, qtbot, tmp_path: Path) -> None:
    """Every state paints something; the PNGs land in a temporary folder to look at."""
    from rapport.ui.main_window import MainWindow

    window = MainWindow(journal)
    qtbot.addWidget(window)
    window.resize(1200, 760)
    window.show()
    view = contacts(window, qtbot)

    def save(name: str, widget: QWidget) -> None:
        path = tmp_path / f"contacts-{name}.png"
        image = widget.grab().toImage()
        assert image.save(str(path))
        colours = {
            image.pixel(x, y)
            for x in range(0, image.width(), 17)
            for y in range(0, image.height(), 17)
        }
        assert len(colours) > 8, name  # not a blank canvas

    save("goals", window)
    view.set_grouping("circle")
    view.view.expand(group(view, "Investors"))
    save("circles", window)
    view.set_grouping("city")
    save("cities", window)
    view.set_grouping("goal")
    view.filter.setText("acme")
    save("filtered", window)
    view.filter.clear()
    view.select_person(plan["japanese"])
    qtbot.waitUntil(
        lambda: view.pane.record is not None and view.pane.record.id == plan["japanese"]
    )
    assert view.pane.heading.text() == "山田 太郎"
    save("japanese", window)
    assert sorted(p.stem for p in tmp_path.glob("*.png")) == sorted(
        f"contacts-{n}" for n in RENDERS if n != "empty"
    )


def test_the_empty_state_renders(window, qtbot, tmp_path: Path) -> None:
    view = contacts(window, qtbot)
    image = window.grab().toImage()
    assert view.pages.currentWidget() is view.empty
    assert image.save(str(tmp_path / "contacts-empty.png"))
