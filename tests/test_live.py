"""A served assistant follows the corpus: an edit is re-indexed and answered from; a broken edit keeps the old text and says so."""

from __future__ import annotations

from planqa.catalog import Catalog
from planqa.live import LiveAssistant
from planqa.settings import Settings

from .stubs import stub_assistant


def make_live(corpus_copy, tmp_path):
    settings = Settings.load(corpus_dir=str(corpus_copy), index_dir=str(tmp_path / "index"), cache_dir=str(tmp_path / "cache"))
    first = stub_assistant(Catalog.load(corpus_copy), tmp_path, settings)
    return LiveAssistant(first, loader=lambda: stub_assistant(Catalog.load(corpus_copy), tmp_path, settings))


def edit(corpus_copy, old, new):
    path = corpus_copy / "bj-2024.md"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


def test_an_edited_document_is_reloaded(corpus_copy, tmp_path):
    live = make_live(corpus_copy, tmp_path)
    first = live.current
    assert live.check() is False and live.banner_html() == ""
    edit(corpus_copy, "加快推动形", "加速推动形")  # the preamble: no clause tag quotes it (tags are checked on load)
    assert live.changed()
    assert live.check() is True and live.current is not first
    assert "加速推动形" in live.current.catalog.chunk("bj-2024#preamble").text
    assert "answers now use the new text" in live.banner_html()
    assert live.check() is False  # nothing changed since


def test_a_broken_edit_keeps_the_previous_text_and_says_why(corpus_copy, tmp_path):
    live = make_live(corpus_copy, tmp_path)
    first = live.current
    edit(corpus_copy, "lang: zh", "lang: [zh")
    assert live.check() is False and live.current is first
    banner = live.banner_html()
    assert "could not be reloaded" in banner and "bj-2024.md" in banner and "broken YAML" in banner
    assert live.check() is False  # the same broken files are not retried at every poll
    edit(corpus_copy, "lang: [zh", "lang: zh")
    assert live.check() is False and live.current is first  # back to the indexed text: nothing to reload
    assert live.banner_html() == ""


def test_the_app_shows_the_banner(corpus_copy, tmp_path):
    from planqa import ui

    live = make_live(corpus_copy, tmp_path)
    app = ui.create_app(live.current, reports_dir=tmp_path, live=live)
    assert any(c.get("props", {}).get("elem_id") == "pq-banner" for c in app.config["components"])
