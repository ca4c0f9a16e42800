"""Importing a report post: read verbatim, note calls restored, content planned, written, built."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from briefing import assemble, post
from briefing.build import build, validate
from briefing.cli import main
from briefing.errors import BriefingError, ContentError
from briefing.load import load
from briefing.models import Call
from briefing.project import Project

from .conftest import ROOT, read_pdf

SEED = Path(__file__).parent / "data" / "seed-report.txt"  # ../shared/seed/000_d5baf281a29ac4d4.txt
POSTS = Path(__file__).parent / "data" / "posts"
PART4 = POSTS / "part4-ppc.txt"  # 個人情報保護委員会's answers to the seed's hearing: another part of it
MULTI = POSTS / "multi-bodies-crlf-bom.txt"  # another hearing: five bodies, CRLF line ends and a BOM
SKELETON_EXAMPLE = ["report.yaml", "bodies.yaml", "notes.yaml", "topics.yaml", "answers/example-ministry.yaml"]


@pytest.fixture
def fresh(tmp_path, monkeypatch) -> Path:
    """A project made by `briefing init`, the example removed (its packs.yaml kept), as the working folder."""
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["init", "project"])
    assert result.exit_code == 0, result.output
    for name in SKELETON_EXAMPLE:
        (tmp_path / "project" / "content" / name).unlink()
    monkeypatch.chdir(tmp_path / "project")
    return tmp_path / "project"


def imported(source: Path, root: Path, replace: bool = False) -> post.Plan:
    """Import the post at `source` into the project at `root`, as `briefing import` does."""
    plan = post.plan(post.read_post(source), root / "content", replace=replace)
    post.write(plan)
    return plan


def written(plan: post.Plan, root: Path) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in plan.files)


def files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted((root / "content").rglob("*.yaml"))}


def shape(content) -> dict:
    """Everything a reader of the sheets and the pack gets from the content, ids replaced by what they name."""
    notes = {n.id: n.text for n in content.notes}
    names = {b.id: b.name for b in content.bodies}

    def text(t):
        return t and tuple((p.gap, tuple(("note", notes[s.note]) if isinstance(s, Call) else s for s in p.spans))
                           for p in t.paragraphs)

    answers: dict[str, list] = {}
    for answer in content.answers:
        answers.setdefault(answer.question, []).append((names[answer.body], text(answer.text)))
    hearing, report = content.hearing, content.report
    return {
        "hearing": (hearing.title, hearing.date, hearing.held_through, hearing.participants,
                    [names[b] for b in hearing.bodies]),
        "report": (report.site, report.author, report.posted, report.post, report.title, report.part, report.tags,
                   text(report.intro), report.series.heading, [names[b] for b in report.series.parts]),
        "bodies": [(b.name, b.short, b.reading) for b in content.bodies],
        "notes": [n.text for n in content.notes],
        "topics": [(t.number, t.heading,
                    [([names[b] for b in q.to], text(q.preamble), q.number, text(q.text), answers.get(q.id))
                     for q in t.questions],
                    [(d.heading, text(d.text)) for d in t.discussion]) for t in content.topics],
    }


# --- the seed: the shipped content, imported ------------------------------------------------

def test_the_seed_imports_as_the_shipped_content(fresh):
    plan = imported(SEED, fresh)
    assert plan.warnings == []  # every call of the seed is certain
    assert written(plan, fresh) == ["content/answers/digital.yaml", "content/bodies.yaml", "content/notes.yaml",
                                    "content/report.yaml", "content/topics.yaml"]
    ours, shipped = load(fresh / "content"), load(ROOT / "content")
    assert shape(ours) == shape(shipped)
    # The sheet titles are the report's headings without について; the third was an editor's choice.
    assert [t.title for t in ours.topics] == ["マイナンバー情報総点検", "マイナンバー記載の「義務化」", "マイナポータル"]
    _, warnings = validate(Project.at(fresh))
    assert warnings == []


def test_the_seed_calls_stand_where_its_reading_guide_says(fresh):
    placements, uncalled = post.place_calls(post.read_post(SEED))
    # NOTES.md: note → the line of its call, and the words the digits follow.
    assert [(p.para.line, p.note, p.para.text[p.start - 2:p.end + 1], p.doubt) for p in placements] == [
        (9, 1, "ング1 ", ""), (40, 2, "料22 ", ""), (45, 3, "ル」3 ", ""), (56, 4, "いる4。", ""),
        (72, 5, "版】5", ""), (84, 6, "言」6 ", ""), (89, 7, "るが7、", ""), (92, 8, "いる8", ""),
        (94, 9, "きる9。", ""),
    ]
    assert placements[1].start - placements[1].para.text.index("資料22") == 3  # 資料2 stays text
    assert uncalled == []


def test_the_seed_round_trip_builds_the_shipped_sheets(fresh, built):
    """The seed imported, with what an editor adds by hand, prints the shipped content's sheets
    (`built`: the shipped project's build), page for page: text, calls, notes."""
    imported(SEED, fresh)
    ours, shipped = load(fresh / "content"), built.content
    add_what_the_post_lost(fresh / "content", ours, shipped)
    build(Project.at(fresh), pack="questions")
    ours = load(fresh / "content")
    assert [t.number for t in ours.topics] == [t.number for t in shipped.topics]
    for mine, theirs in zip(assemble.sheets(ours), assemble.sheets(shipped)):
        pages, expected = read_pdf(fresh / "output" / mine.file), built.pages(theirs.file)
        assert len(pages) == len(expected)
        for page, wanted in zip(pages, expected):
            assert (page.body, page.calls, page.markers, page.notes) == \
                   (wanted.body, wanted.calls, wanted.markers, wanted.notes)


def add_what_the_post_lost(content: Path, ours, shipped) -> None:
    """An editor's review: the link targets the copied post lost, and a sheet title of their own choosing."""
    ids = {n.text: n.id for n in ours.notes}
    notes = (content / "notes.yaml").read_text(encoding="utf-8")
    for note in shipped.notes:
        if note.url:
            notes = notes.replace(f"- id: {ids[note.text]}\n", f"- id: {ids[note.text]}\n    url: {note.url}\n")
    (content / "notes.yaml").write_text(notes, encoding="utf-8")
    topics = (content / "topics.yaml").read_text(encoding="utf-8")
    for mine, theirs in zip(ours.topics, shipped.topics):
        topics = topics.replace(f"title: {mine.title}\n", f"title: {theirs.title}\n")
    (content / "topics.yaml").write_text(topics, encoding="utf-8")


def test_each_file_begins_with_the_schema_line_init_writes(fresh, tmp_path):
    CliRunner().invoke(main, ["init", str(tmp_path / "other")])
    init = tmp_path / "other" / "content"
    heads = {p.parent.relative_to(init): p.read_text(encoding="utf-8").split("\n")[0] for p in init.rglob("*.yaml")}
    assert heads == {Path("."): "# yaml-language-server: $schema=.schema.json",
                     Path("answers"): "# yaml-language-server: $schema=../.schema.json"}
    plan = imported(SEED, fresh)
    for path in plan.files:
        first, second = path.read_text(encoding="utf-8").split("\n")[:2]
        assert first == heads[path.parent.relative_to(fresh / "content")], path
        assert second.startswith("# briefing import: post #360, part 3; "), path
    assert len(imported(SEED, fresh, replace=True).replaced) == 5  # known again as the import's own
    (tmp_path / "bare" / "content").mkdir(parents=True)  # no schema to name: the stamp comes first
    bare = imported(SEED, tmp_path / "bare")
    assert all(data.startswith(b"# briefing import: post #360") for data in bare.files.values())


def test_crlf_and_a_bom_read_as_plain_lines(fresh, tmp_path):
    windows = tmp_path / "windows.txt"
    windows.write_bytes(b"\xef\xbb\xbf" + SEED.read_bytes().replace(b"\n", b"\r\n"))
    plain = post.plan(post.read_post(SEED), fresh / "content")
    crlf = post.plan(post.read_post(windows), fresh / "content")
    assert crlf.files == plain.files


# --- a second part of the same hearing ------------------------------------------------------

def test_a_second_part_adds_to_the_first(fresh):
    imported(SEED, fresh)
    first = files(fresh)
    plan = imported(PART4, fresh)
    assert written(plan, fresh) == ["content/answers/ppc.yaml", "content/notes-part4.yaml",
                                    "content/topics-part4.yaml"]
    assert {name: data for name, data in files(fresh).items() if name in first} == first  # untouched
    content, warnings = validate(Project.at(fresh))
    assert warnings == []
    assert [t.number for t in content.topics] == [1, 2, 3, 4, 5]
    assert [b.id for b in content.bodies] == ["mhlw", "soumu", "digital", "ppc"]  # not duplicated
    assert len(content.notes) == 9 + 6  # part 4's *1 and *2 are part 3's *1 and *8
    texts = {a.question: "".join(s if isinstance(s, str) else f"[^{s.note}]" for p in a.text.paragraphs
                                 for s in p.spans) for a in content.answers if a.body == "ppc"}
    assert "指導の内容は公表資料3[^part4-note4] のとおり。" in texts["ppc-1"]  # 資料34 = 資料3 + note 4
    assert "連携して監視を行っている。[^part4-note5]" in texts["ppc-2-2"]  # after 。
    assert "デジタル庁への指導[^part3-note8] と同様に" in texts["ppc-2-2"]  # a note cited twice, and shared
    question = content.topics[3].questions[0]
    assert "9月20日[^part3-note8] にデジタル庁" in "".join(
        s if isinstance(s, str) else f"[^{s.note}]" for s in question.text.paragraphs[0].spans)


def test_a_question_awaiting_its_answer_keeps_the_remark_on_the_sheet_only(fresh):
    imported(SEED, fresh)
    imported(PART4, fresh)
    content = load(fresh / "content")
    remark = "※この質問については後日回答するとのことだった。"
    sheet = next(s for s in assemble.sheets(content) if s.id == "ppc-2")
    waiting = sheet.questions[0]
    assert [b.id for b in waiting.awaiting] == ["ppc"] and waiting.answers == ()
    assert remark in [p.spans[0].text for d in sheet.discussion for p in d.paragraphs]
    asked = assemble.questions(content, next(p for p in content.packs if p.style == "questions"))
    sent = [p.spans[0].text for q in asked for _, blocks in q.topics for b in blocks
            for p in (*b.preamble, *b.paragraphs)]
    assert sent and remark not in sent
    assert all(remark not in p.plain for a in content.answers for p in a.text.paragraphs)


def test_every_warning_points_at_its_spot_in_the_written_file(fresh):
    imported(SEED, fresh)
    plan = imported(PART4, fresh)
    assert [(w.where.path, w.where.line, w.where.column) for w in plan.warnings] == [
        ("content/topics-part4.yaml", 25, 61),  # 資料57: 資料5 and note 7, which does not name 資料5
        ("content/topics-part4.yaml", 45, 18),  # the heading given to the remark on a question awaiting its answer
        ("content/answers/ppc.yaml", 18, 16)]  # 指導2: note 2 called a second time
    for warning in plan.warnings:
        lines = (fresh / warning.where.path).read_text(encoding="utf-8").splitlines()[:warning.where.line]
        assert f"# check: {warning.message}" in [line.strip() for line in lines]  # above it
    spot = plan.warnings[0]
    line = (fresh / "content" / "topics-part4.yaml").read_text(encoding="utf-8").splitlines()[spot.where.line - 1]
    assert line[spot.where.column - 1:].startswith("[^part4-note7] では")
    assert str(spot).startswith("content/topics-part4.yaml:25:61: warning: note call: 「年次報告の資料57 では」 (")
    assert PART4.read_text(encoding="utf-8").splitlines()[49][51] == "7"  # and the post's own place, 50:52


# --- another hearing, with more bodies ------------------------------------------------------

def test_more_bodies_and_a_question_put_to_two(fresh):
    plan = imported(MULTI, fresh)
    content, _ = validate(Project.at(fresh))
    assert [(b.id, b.name, b.short) for b in content.bodies] == [
        ("soumu", "総務省", None), ("digital", "デジタル庁", None), ("j-lis", "地方公共団体情報システム機構", "J-LIS"),
        ("cfa", "こども家庭庁", None), ("body-5", "○○市デジタル推進課", None)]
    assert [(t.id, t.number) for t in content.topics] == [("soumu-1", 1), ("j-lis-1", 2), ("cfa-1", 3)]
    assert [q.to for t in content.topics for q in t.questions] == [("soumu", "digital"), ("j-lis",),
                                                                   ("cfa", "body-5")]
    assert [(a.question, a.body) for a in content.answers] == [
        ("cfa-1", "cfa"), ("soumu-1", "digital"), ("j-lis-1", "j-lis"), ("soumu-1", "soumu")]  # files by name
    awaiting = assemble.sheets(content)[2].questions[0].awaiting
    assert [b.id for b in awaiting] == ["body-5"]
    # 「照会の記録とこどもの情報」 speaks of two topics: placed by its words, and flagged.
    assert [w.message for w in plan.warnings if "placed under" in w.message] == [
        "placed under this topic, but its words do not tell one topic from the others"]


def test_a_discussion_part_sharing_no_words_with_a_topic_is_flagged(fresh):
    source = fresh / "post.txt"
    source.write_text(seed_with({69: "天気について", 71: " 今日は晴れた。", 72: " 明日も晴れる。"}), encoding="utf-8")
    plan = post.plan(post.read_post(source), fresh / "content")
    assert [(w.where.path, w.where.line, w.message) for w in plan.warnings] == [
        ("content/notes.yaml", 14, "note *5 is never called in the post: cite it as [^part3-note5] where it belongs"),
        ("content/topics.yaml", 18, "placed under this topic, but its words do not tell one topic from the others")]


# --- note calls, one case at a time -----------------------------------------------------------

FIRST_NOTE = "ヒアリングの予告詳細は » こちら を参照。"


def a_post(answer: str, notes: list[str],
           intro: str = "1月15日、テスト議員事務所を通じて、デジタル庁にヒアリング1 を約10名の参加で行いました。") -> str:
    """A small post in the seed's form whose one answer is `answer`."""
    lines = ["テストの会", "", "post by tester at 2024.01.20 #5", "テスト ヒヤリング", "", "テストの回答",
             "テストに関する 省庁ヒアリング", "", f" {intro}", "", "●省庁ヒアリングの報告(2024.1.15)", "",
             " » デジタル庁", "", "【デジタル庁からの回答】", "", "1)テストについて", "", "(質問)", " 質問の本文。",
             "(デジタル庁の回答)", f" {answer}", "", "Note", ""]
    return "\n".join(lines + [f"*{number} {text}\n" for number, text in enumerate(notes, 1)])


CALLS = [  # (the answer as posted, the notes after the first, the answer as restored, what to check or "")
    ("提言」2 で示された。", ["B"], "提言」[^part1-note2] で示された。", ""),
    ("行っている。2 次に", ["B"], "行っている。[^part1-note2] 次に", ""),
    ("9月20日2", ["B"], "9月20日[^part1-note2]", ""),
    ("公表資料32 のとおり。", ["公表資料3 「概要」"], "公表資料3[^part1-note2] のとおり。", ""),
    ("公表資料32 のとおり。", ["「概要」"], "公表資料3[^part1-note2] のとおり。", "may be part of a name"),
    ("資料2 のとおり。", ["「概要」"], "資料[^part1-note2] のとおり。", "may be part of a name"),
    ("私たちは2情報で照会した。", ["B"], "私たちは[^part1-note2]情報で照会した。", "text follows the digits"),
    ("第2回で説明した。", ["B"], "第[^part1-note2]回で説明した。", "a count or a date"),
    ("前述のヒアリング1 のとおり。", [], "前述のヒアリング[^part1-note1] のとおり。", "a second call"),
    ("結果3 では、説明2 があり、検討3 する。", ["B", "C"],
     "結果3 では、説明[^part1-note2] があり、検討[^part1-note3] する。", "left as text"),
    ("9月28日に約30名で4情報を第1.0版と11月末に2.1版。", [], "9月28日に約30名で4情報を第1.0版と11月末に2.1版。", ""),
]


@pytest.mark.parametrize("answer, notes, restored, doubt", CALLS)
def test_calls_are_restored_or_flagged(tmp_path, monkeypatch, answer, notes, restored, doubt):
    monkeypatch.chdir(tmp_path)
    source = tmp_path / "post.txt"
    source.write_text(a_post(answer, [FIRST_NOTE, *notes]), encoding="utf-8")
    (tmp_path / "content").mkdir()
    plan = post.plan(post.read_post(source), tmp_path / "content")
    written = plan.files[tmp_path / "content" / "answers" / "digital.yaml"].decode("utf-8")
    assert f"      {restored}\n" in written
    assert [doubt in w.message for w in plan.warnings] == ([True] if doubt else [])


def test_a_note_never_called_is_kept_and_flagged(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    source = tmp_path / "post.txt"
    source.write_text(a_post("本文です。", [FIRST_NOTE, "誰も呼ばない注。"]), encoding="utf-8")
    (tmp_path / "content").mkdir()
    plan = post.plan(post.read_post(source), tmp_path / "content")
    (warning,) = plan.warnings
    assert str(warning) == ("content/notes.yaml:7:9: warning: note *2 is never called in the post: cite it as "
                            "[^part1-note2] where it belongs")


# --- what an import may not do ----------------------------------------------------------------

def test_an_import_again_needs_replace_and_never_overwrites_an_edit(fresh):
    imported(SEED, fresh)
    imported(PART4, fresh)
    before = files(fresh)
    with pytest.raises(BriefingError, match=r"post #360 is in the project already \(content/answers/digital.yaml, "):
        imported(SEED, fresh)
    plan = imported(SEED, fresh, replace=True)
    assert len(plan.replaced) == 5 and files(fresh) == before  # the same bytes again
    edited = fresh / "content" / "topics.yaml"
    edited.write_text(edited.read_text(encoding="utf-8").replace("title: マイナポータル\n", "title: ポータル\n"),
                      encoding="utf-8")
    before = files(fresh)
    with pytest.raises(BriefingError, match="nothing written: content/topics.yaml was edited after the import"):
        imported(SEED, fresh, replace=True)
    assert files(fresh) == before


def test_a_post_of_another_hearing_is_refused(fresh):
    imported(SEED, fresh)
    with pytest.raises(BriefingError, match="the project's hearing is 「マイナンバー制度・カードに関する 省庁ヒアリング」"):
        imported(MULTI, fresh)


def test_the_example_of_a_new_project_is_in_the_way(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    CliRunner().invoke(main, ["init", "project"])
    with pytest.raises(BriefingError, match="remove its content files but packs.yaml first"):
        imported(SEED, tmp_path / "project")


def seed_with(changes: dict[int, str | None]) -> str:
    """The seed with some lines replaced (None: removed)."""
    lines = SEED.read_text(encoding="utf-8").split("\n")
    return "\n".join(changes.get(n, line) for n, line in enumerate(lines, 1) if changes.get(n, line) is not None)


NOT_A_POST = [  # (the post, the one error naming the first line that does not fit)
    ("", "post.txt:1:1: not a report post as expected: the site's name on the first line; "
         "found the end of the post"),
    ((ROOT / "content" / "report.yaml").read_text(encoding="utf-8"),
     "post.txt:2:1: not a report post as expected: a line 'post by AUTHOR at YYYY.MM.DD #N' after the site "
     "name; found 'hearing:'"),
    (seed_with({3: "post by nonumber-tom on 2023.11.25"}), "post.txt:3:1: not a report post as expected: a line "
     "'post by AUTHOR at YYYY.MM.DD #N' after the site name; found 'post by nonumber-tom on 2023.11.25'"),
    (seed_with({13: "●省庁ヒアリングの報告"}), "post.txt:13:1: not a report post as expected: a series heading "
     "with the hearing's date, such as ●省庁ヒアリングの報告(2023.9.28); found '●省庁ヒアリングの報告'"),
    (seed_with({n: None for n in range(15, 22)}), "post.txt:18:1: not a report post as expected: links ' » BODY' "
     "to the parts of the series under the series heading; found '【デジタル庁からの回答】'"),
    (seed_with({29: "質問"}), "post.txt:29:1: not a report post as expected: (質問) under the topic; found '質問'"),
    (seed_with({32: "(総務庁の回答)"}), "post.txt:32:1: '総務庁' is not one of the bodies listed under "
     "●省庁ヒアリングの報告(2023.9.28) (line 13): 厚生労働省, 総務省, デジタル庁, 個人情報保護委員会"),
    (seed_with({50: "(デジタル庁の回答)", 51: " 二つ目の回答。"}), "post.txt:50:1: a second reply of デジタル庁 to the "
     "question of line 46: one reply per body, or a (質問) before each round"),
    (seed_with({67: "【その他】"}), "post.txt:67:1: not a report post as expected: a section 【…からの回答】 or "
     "【回答に対する質疑と会場意見など】, or the notes; found '【その他】'"),
    (seed_with({102: None}), "post.txt:103:1: not a report post as expected: note *3 as '*3 text', on one line; "
     "found '*4 デジタル庁 » 「自己情報取得API」 (Webサービスの利用者の同意・認…'"),
]


@pytest.mark.parametrize("text, error", NOT_A_POST)
def test_not_a_post_is_refused_at_its_first_misfit_and_nothing_is_written(fresh, text, error):
    (fresh / "post.txt").write_text(text, encoding="utf-8")
    before = files(fresh)
    with pytest.raises(ContentError) as raised:
        imported(Path("post.txt"), fresh)
    assert raised.value.format_message() == error
    assert files(fresh) == before


def test_text_that_would_read_as_a_call_is_refused(tmp_path):
    source = tmp_path / "post.txt"
    source.write_text(a_post("本文[^x]です。", [FIRST_NOTE]), encoding="utf-8")
    with pytest.raises(ContentError, match=r"post.txt:22:4: '\[\^' would read as a note call"):
        post.plan(post.read_post(source), tmp_path)


# --- mutated posts: imported cleanly, or refused at a line ------------------------------------

PIECES = ["1", "2", "9", "34", " ", "\u3000", "」", "。", "(質問)", "(デジタル庁の回答)", "(個人情報保護委員会の回答)",
          "【その他】", "Note", "*1 注。", "※この質問については後日回答するとのことだった。", "[^", "\t", "\u200b"]


def mutated(text: str, data) -> str:
    """A post with a few lines deleted, duplicated, swapped, or with something typed into them."""
    lines = text.split("\n")
    for _ in range(data.draw(st.integers(1, 3))):
        kind = data.draw(st.sampled_from(["delete", "duplicate", "swap", "type", "type"]))
        i, j = (data.draw(st.integers(0, len(lines) - 1)) for _ in range(2))
        if kind == "delete" and len(lines) > 1:
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[j])
        elif kind == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        else:
            at = data.draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + data.draw(st.sampled_from(PIECES)) + lines[i][at:]
    return "\n".join(lines)


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", 150)), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_a_mutated_post_is_imported_cleanly_or_refused_at_a_line(tmp_path_factory, data):
    root = tmp_path_factory.mktemp("import")
    (root / "content").mkdir()
    on_top = data.draw(st.booleans())  # part 4 into a project holding part 3, or the seed into an empty one
    if on_top:
        imported(SEED, root)
    source = root / "post.txt"
    source.write_text(mutated((PART4 if on_top else SEED).read_text(encoding="utf-8"), data), encoding="utf-8")
    before = files(root)
    try:
        plan = post.plan(post.read_post(source), root / "content")
    except BriefingError as error:
        event("refused")
        assert files(root) == before
        if isinstance(error, ContentError):
            assert [p.where.line >= 1 for p in error.problems] == [True]
        return
    event("imported")
    post.write(plan)
    written = {path.resolve() for path in plan.files}
    for warning in plan.warnings:  # in a written file, with its comment; or at the hearing's list of bodies
        place = Path(warning.where.path).resolve()
        if place in written:
            assert f"# check: {warning.message}" in place.read_text(encoding="utf-8")
        else:
            assert "not among the hearing's bodies" in warning.message
    try:
        validate(Project.at(root))
    except ContentError as error:  # only characters the post holds, each placed in the written file
        assert all("character" in p.message for p in error.problems if not p.warning), error.format_message()


def test_the_import_command_writes_the_content_and_strict_writes_nothing(fresh):
    part4 = Path(__file__).parent / "data" / "posts" / "part4-ppc.txt"
    result = CliRunner().invoke(main, ["import", str(SEED)])
    assert result.exit_code == 0, result.output
    assert "part 3, post #360: 3 topics, 4 answers, 9 new notes in content/report.yaml" in result.output
    before = sorted(p.name for p in (fresh / "content").rglob("*"))
    strict = CliRunner().invoke(main, ["import", str(part4), "--strict"])
    assert strict.exit_code == 1 and "placements to check, so nothing was written (--strict)" in strict.output
    assert "warning: note call:" in strict.output
    assert sorted(p.name for p in (fresh / "content").rglob("*")) == before
    assert CliRunner().invoke(main, ["import", str(part4)]).exit_code == 0
    assert CliRunner().invoke(main, ["check"]).exit_code == 0


def test_a_post_already_written_by_hand_is_not_imported_again(tmp_path):
    shutil.copytree(ROOT / "content", tmp_path / "content")
    before = sorted((tmp_path / "content").rglob("*"))
    with pytest.raises(BriefingError, match="post #360 is in the project already, written by hand"):
        post.plan(post.read_post(SEED), tmp_path / "content")
    assert sorted((tmp_path / "content").rglob("*")) == before


def test_a_project_whose_topics_leave_their_number_out_takes_an_import(fresh):
    """Numbers are derived only when the whole content loads; the import counts after the given ones."""
    (fresh / "content" / "mine.yaml").write_text(
        "topics:\n  - id: mine\n    heading: 自分で書いた論点\n    questions:\n      - to: [digital]\n"
        "        text: 自分で書いた質問です。\n", encoding="utf-8")
    plan = imported(SEED, fresh)
    assert plan.files


def test_a_question_whose_every_paragraph_is_a_remark_is_no_internal_error(fresh):
    """Found by the fuzz test: 「※…」 remarks alone under (質問), no reply, raised StopIteration."""
    (fresh / "post.txt").write_text(seed_with({30: " ※この質問については後日回答するとのことだった。",
                                               31: " ※後日回答。", 32: None, 33: None, 34: None, 35: None}),
                                    encoding="utf-8")
    try:
        imported(Path("post.txt"), fresh)
    except BriefingError:
        pass  # refused at a line is as good as imported; an internal error is not
