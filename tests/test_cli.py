"""The command line: exit codes, and one exact `path:line:col: message` per problem."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from .conftest import JAPANESE, MINIMAL


def test_check_passes_on_valid_content(run):
    result = run("check")
    assert result.exit_code == 0, result.output
    assert "content: 1 topics, 1 answers, 2 notes: ok" in result.output


ANSWER = "answers/digital.yaml"
BAD = [
    # (file, its new text, the exact first error line)
    (ANSWER, """
        answers:
          - question: portal
            body: digital
            txet: |
              回答
        """, "content/answers/digital.yaml:4:5: answers[0].txet: unknown key 'txet' (did you mean 'text'?)"),
    (ANSWER, """
        answers:
          - question: portal
            body: digital
            body: digital
            text: 回答
        """, "content/answers/digital.yaml:4:5: answers[0].body: duplicate key 'body' (first at line 3): "
             "the second would silently replace the first"),
    (ANSWER, """
        answers:
          - question: portal
            body: digitl
            text: 回答
        """, "content/answers/digital.yaml:3:11: answers[0].body: unknown body 'digitl' (did you mean 'digital'?)"),
    (ANSWER, """
        answers:
          - question: portal
            body: digital
            text: |
              回答の本文[^secnd]です。
        """, "content/answers/digital.yaml:5:12: answers[0].text: unknown note 'secnd' (did you mean 'second'?)"),
    (ANSWER, """
        answers:
          - question: portal
            body: digital
        """, "content/answers/digital.yaml:2:5: answers[0]: missing required key 'text'"),
    (ANSWER, """
        answers:
          - question: portal
            body: digital
            text: "回答
        """, "content/answers/digital.yaml:4:11: the quote \" that opens this value is not closed on its line: "
             "end the value with \", or write it without quotes"),
    (ANSWER, """
        answers:
          - question: portal
            body: digital
            text: |
              回答😀です。
        """, "content/answers/digital.yaml:5:9: answers[0].text: character '😀' (U+1F600 GRINNING FACE) "
             "is not in the bundled fonts and would print as a blank box: replace it"),
    # a name's variant form the fonts lack (邊 has U+E0100 in BIZ UD, not U+E0110): its standard form printed
    (ANSWER, """
        answers:
          - question: portal
            body: digital
            text: |
              渡邊\U000E0100さんと渡邊\U000E0110さんの回答です。
        """, "content/answers/digital.yaml:5:15: answers[0].text: the variation selector U+E0110 after '邊' asks for "
             "a form of it that the bundled fonts lack, and the standard form would be printed instead: delete the "
             "selector, or write the name as the fonts can print it"),
    (ANSWER, """
        answers:
          - question: portal
            body: digital
            text: |
              回答\u200bです。
        """, "content/answers/digital.yaml:5:9: answers[0].text: invisible character U+200B "
             "(ZERO WIDTH SPACE) would print as nothing: delete it"),
    ("topics.yaml", """
        topics:
          - id: ../portal
            number: 1
            heading: 見出し
            title: 題
            questions: []
        """, "content/topics.yaml:2:9: topics[0].id: topic id '../portal' may use only a-z, 0-9 and - _ . between them: "
             "ids name output files"),
    ("topics.yaml", """
        topics:
          - id: portal
            number: 1
            heading: マイナポータル[^second]について
            title: マイナポータル
            questions:
              - id: portal
                to: [digital]
                text: 質問[^second]
        """, "content/topics.yaml:4:14: topics[0].heading: a note call belongs in running text (intro, "
             "preamble, text), not in a heading or title: it would print as [^...] and go into the PDF's bookmarks; "
             "call the note from the text below it"),
    (ANSWER, """
        answers:
          - question: portal
            body: [digital]
            text: 回答
        """, "content/answers/digital.yaml:3:11: answers[0].body: expected a single value, not a list or a mapping"),
]


BAD += [
    (ANSWER, "answers:\n  - question: portal\n    body: digital\n    text: 回\x1f答\n",
     "content/answers/digital.yaml:4:12: character U+001F (a control character) is not allowed in YAML "
     "and would print as nothing: delete it"),
    (ANSWER, "answers: " + "[" * 5000 + "]" * 5000 + "\n",
     "content/answers/digital.yaml:1:1: nesting is too deep: the content needs only a few levels; "
     "check the brackets and indentation"),
    (ANSWER, "answers: []\n# " + "あ" * 400_000 + "\n",
     "content/answers/digital.yaml:1:1: file is 1,200,015 bytes; the limit is 1,000,000: split it into "
     "several files"),
    (ANSWER, 'answers:\n  - question: portal\n    body: digital\n    text: 回答\n    "te\\rxt": 回答\n',
     "content/answers/digital.yaml:5:5: answers[0].te\\u000dxt: unknown key 'te\\u000dxt' (did you mean 'text'?)"),
]


TOPIC = """
        topics:
          - id: {id}
            number: {number}
            heading: 見出し
            title: 題
            questions:
              - id: portal
                to: [digital]
                text: 質問[^second]
        """
BAD += [
    (ANSWER, "answers:\n  - question: portal\n    body: digital\n    text: !!binary 5Zue562U\n",
     "content/answers/digital.yaml:4:11: answers[0].text: YAML tag !!binary is not supported: write the value "
     "as plain text"),
    (ANSWER, "answers:\n  - question: portal\n    body: digital\n    text: |\n      回答[^sec\n      ond]です。\n",
     "content/answers/digital.yaml:5:9: answers[0].text: a note call is split over two lines: write [^note-id] "
     "on one line"),
    ("topics.yaml", TOPIC.format(id="portal", number="9" * 5000),
     "content/topics.yaml:3:13: topics[0].number: expected a whole number from 1 to 9999, got "
     "'99999999999999999999…'"),
    ("topics.yaml", TOPIC.format(id="a" * 65, number=1),
     "content/topics.yaml:2:9: topics[0].id: topic id is 65 characters long; the limit is 64: ids name output files"),
    ("topics.yaml", TOPIC.format(id="portal", number=1) + "  - {id: other, number: 1, heading: 別, title: 別, "
     "questions: [{id: other, to: [digital], text: 別の質問}]}\n",
     "content/topics.yaml:10:25: topics[1].number: topic number 1 is taken by topic 'portal' "
     "(at content/topics.yaml:2:5)"),
    (ANSWER, "answers:\n  - question: portal\n    body: digital\n    text: 回答\u2028です\n",
     "content/answers/digital.yaml:4:13: character U+2028 (LINE SEPARATOR) breaks the line invisibly: delete it"),
    ("answers/digital.yaml.txt", "answers: []\n",  # saved by an editor that adds .txt, beside the file it meant
     "content/answers/digital.yaml.txt:1:1: not read: the name ends in '.txt'; digital.yaml is there already: keep "
     "the one you mean, named digital.yaml"),
    ("answers/ppc.yaml.txt", "answers: []\n",
     "content/answers/ppc.yaml.txt:1:1: not read: the name ends in '.txt'; rename it to end in '.yaml' (ppc.yaml)"),
]


@pytest.mark.parametrize("file, text, expected", BAD, ids=[b[2].split(": ", 1)[1][:40] for b in BAD])
def test_bad_content_gives_its_line_and_exit_1(project, run, file, text, expected):
    project.write(file, text)
    for command in ("check", "build"):
        result = run(command)
        assert result.exit_code == 1, result.output
        assert expected in result.output.splitlines(), result.output
        assert "Traceback" not in result.output


def test_shift_jis_file_is_named_with_a_fix(project, run):
    project.write("topics.yaml", (project.content / "topics.yaml").read_text(encoding="utf-8"), encoding="cp932")
    result = run("check")
    assert result.exit_code == 1
    assert result.output.startswith("content/topics.yaml:")
    assert "not UTF-8. It looks like Shift_JIS (CP932)" in result.output


def test_bom_and_crlf_are_fine(project, run):
    path = project.content / "topics.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    assert run("check").exit_code == 0


def test_uncited_note_is_a_warning_and_fails_under_strict(project, run):
    project.write("more-notes.yaml", """
        notes:
          - id: spare
            text: 使われない注。
        """)
    expected = ("content/more-notes.yaml:2:5: warning: notes[0]: note 'spare' is never cited: "
                "cite it as [^spare] or remove it")
    result = run("check")
    assert result.exit_code == 0 and expected in result.output.splitlines()
    result = run("check", "--strict")
    assert result.exit_code == 1 and expected in result.output.splitlines()


def test_every_problem_is_reported_in_one_run(project, run):
    project.write(ANSWER, """
        answers:
          - question: portl
            body: digitl
            text: 回答[^nope]
        """)
    result = run("check")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "content/answers/digital.yaml:2:15: answers[0].question: unknown question 'portl' (did you mean 'portal'?)",
        "content/answers/digital.yaml:3:11: answers[0].body: unknown body 'digitl' (did you mean 'digital'?)",
        "content/answers/digital.yaml:4:13: answers[0].text: unknown note 'nope'",
    ]


def test_usage_errors_exit_2(run, project):
    assert run("build", "--content", "no-such-folder").exit_code == 2
    (project.content / "answers" / "digital.yaml").unlink()
    (project.content / "answers").rmdir()
    for path in project.content.iterdir():
        path.unlink()
    project.content.rmdir()
    result = run("check")
    assert result.exit_code == 2 and "folder 'content' does not exist" in result.output
    assert run("build", "--no-such-flag").exit_code == 2
    assert run("frobnicate").exit_code == 2


def test_every_command_has_help(run):
    from briefing.cli import main

    assert len(main.commands) == 8
    for command in ([], *([name] for name in main.commands)):
        result = run(*command, "--help")
        assert result.exit_code == 0 and "Usage:" in result.output and "Example:" in result.output or not command, \
            command
        japanese = run(*command, "--help", env=JAPANESE).output  # Click's own words too
        assert "使い方:" in japanese and "[オプション]" in japanese and "OPTIONS" not in japanese, command


def test_failed_build_leaves_previous_outputs(project, run, minimal_built):
    project.take(minimal_built)  # built
    output = project.root / "output"
    before = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    project.write(ANSWER, """
        answers:
          - question: portal
            body: digital
            text: 回答[^nope]
        """)
    assert run("build").exit_code == 1
    assert {p: p.read_bytes() for p in output.rglob("*") if p.is_file()} == before


def test_an_empty_file_is_a_warning_not_a_silence(project, run):
    project.write("empty.yaml", "# nothing yet\n")
    result = run("check")
    assert result.exit_code == 0
    assert "content/empty.yaml:1:1: warning: file is empty" in result.output.splitlines()
    assert run("check", "--strict").exit_code == 1


def test_an_invalid_section_is_not_also_reported_missing(project, run):
    path = project.content / "report.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("date: 2024-01-15", "date: 2024-1-15"), encoding="utf-8")
    result = run("check")
    assert result.output.splitlines() == [
        "content/report.yaml:3:9: hearing.date: expected a date as YYYY-MM-DD, got '2024-1-15': write 2024-01-15"]


def test_a_link_to_a_file_outside_the_content_is_refused(project, run, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside") / "secret.yaml"
    outside.write_text("notes:\n  - id: leak\n    text: SECRET\n", encoding="utf-8")
    (project.content / "x.yaml").symlink_to(outside)
    result = run("build")
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (f"content/x.yaml:1:1: is a link (to {outside.resolve()}): links are not "
                                             "read; copy the file into the content folder instead")


def test_other_files_in_content_are_named_not_ignored(project, run):
    project.write("README.md", "# notes for editors\n")
    result = run("check")
    assert result.exit_code == 0
    assert "content/README.md:1:1: warning: not read: only files ending in .yaml hold content" in result.output


def test_a_backup_beside_its_file_is_named_not_read_and_not_to_be_renamed_over_it(project, run):
    """digital.yaml.bak beside digital.yaml: renaming it as '.yaml' would replace the file it copies."""
    project.write("answers/digital.yaml.bak", "answers: []\n")
    result = run("check")
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == ("content/answers/digital.yaml.bak:1:1: warning: not read: the name ends "
                                             "in '.bak', beside digital.yaml: a copy of it, it seems; if it is, move "
                                             "it out of the content folder")


def test_a_full_width_space_line_still_parts_paragraphs(project):
    from briefing.load import split_paragraphs

    assert split_paragraphs("一つ目。\n\u3000\n二つ目。") == [("一つ目。", False), ("二つ目。", False)]
    assert split_paragraphs("\u3000字下げの段落。") == [("\u3000字下げの段落。", False)]


def test_a_variation_sequence_the_fonts_have_is_fine(project, run):
    project.write(ANSWER, "answers:\n  - question: portal\n    body: digital\n    text: 葛\U000E0100飾区\n")
    result = run("check")
    assert result.exit_code == 0, result.output


def test_a_damaged_font_is_named(project, run):
    fonts = project.root / "fonts"
    fonts.mkdir()
    (fonts / "BIZUDMincho-Regular.ttf").write_bytes(b"garbage")
    result = run("check")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "cannot be read" in result.output and "restore the font files" in result.output


def test_an_output_path_taken_by_a_file_is_a_clear_error(project, run, minimal_built):
    import shutil

    project.take(minimal_built)  # built
    shutil.rmtree(project.root / "output" / "sheets")
    (project.root / "output" / "sheets").write_text("in the way")
    project.write("answers/digital.yaml", MINIMAL["answers/digital.yaml"].replace("本文", "新しい本文"))
    result = run("build")
    assert result.exit_code == 1 and "internal error" not in result.output
    assert "nothing was changed in the output folder" in result.output
    assert (project.root / "output" / "sheets").read_text() == "in the way"


# --- the language: Japanese for a Japanese locale, English otherwise ------------------------

JAPANESE_LOCALES = [{"LANG": "ja_JP.UTF-8"}, {"LC_ALL": "ja_JP.UTF-8"}, {"LC_MESSAGES": "ja_JP.UTF-8"},
                    {"LANG": "C.UTF-8", "LC_MESSAGES": "ja_JP.eucJP"}]
OTHER_LOCALES = [{"LANG": "C.UTF-8"}, {"LANG": "en_GB.UTF-8"}, {"LANG": "fr_FR.UTF-8"},
                 {"LANG": "ja_JP.UTF-8", "LC_ALL": "C.UTF-8"}]


@pytest.mark.parametrize("env", JAPANESE_LOCALES, ids=lambda env: " ".join(f"{k}={v}" for k, v in env.items()))
def test_a_japanese_locale_gets_japanese(project, run, env):
    result = run("--help", env=env)
    assert result.exit_code == 0
    assert result.output.startswith("使い方: briefing [オプション] コマンド [引数]\n")
    assert "  --help     このヘルプを表示して終了します。" in result.output.splitlines()
    assert "  check    組版せずに内容を確かめます。問題はすべて「ファイル:行:列: 内容」の形で表示します。" \
        in result.output.splitlines()
    result = run("check", env=env)
    assert result.output.splitlines() == ["content: 論点 1、回答 1、注 2。問題はありません"]
    project.write("answers/digital.yaml", MINIMAL["answers/digital.yaml"].replace("body: digital", "body: digitl"))
    assert run("check", env=env).output.splitlines() == [
        "content/answers/digital.yaml:3:11: answers[0].body: 機関「digitl」はありません"
        "（「digital」の書き間違いではありませんか）"]


@pytest.mark.parametrize("env", OTHER_LOCALES, ids=lambda env: " ".join(f"{k}={v}" for k, v in env.items()))
def test_any_other_locale_gets_english(run, env):
    result = run("--help", env=env)
    assert result.output.startswith("Usage: briefing [OPTIONS] COMMAND [ARGS]...\n")
    assert "  --help     Show this message and exit." in result.output.splitlines()
    assert run("check", env=env).output.splitlines() == ["content: 1 topics, 1 answers, 2 notes: ok"]


def test_click_s_own_messages_are_japanese_too(run):
    result = run("build", "--no-such-flag", env=JAPANESE)
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        "使い方: briefing build [オプション]", "「briefing build --help」でヘルプを表示できます。", "",
        "エラー: '--no-such-flag' というオプションはありません。"]
    result = run("init", env=JAPANESE)
    assert result.exit_code == 2 and result.output.splitlines()[-1] == "エラー: 次の引数がありません: 'FOLDER'."
    result = run("frobnicate", env=JAPANESE)
    assert result.exit_code == 2 and result.output.splitlines()[-1] == "エラー: 'frobnicate' というコマンドはありません。"
    assert run("--version", env=JAPANESE).output == "briefing バージョン 0.1.0\n"
    assert run("--version").output == "briefing, version 0.1.0\n"


@pytest.mark.parametrize("env", [None, JAPANESE], ids=["English", "Japanese"])
def test_the_list_of_commands_gives_each_summary_whole(run, env):
    from briefing.cli import main

    listing = " ".join(run("--help", env=env).output.split())
    assert "..." not in listing.replace("[ARGS]...", "")
    with CliRunner(env=env).isolation():
        for command in main.commands.values():
            summary = command.help.split("\n\n")[0]
            assert " ".join(summary.split()) in listing, summary
            assert "Example" not in summary and "例:" not in summary


def test_debug_is_taken_before_or_after_the_command(run, monkeypatch):
    import briefing.build

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(briefing.build, "validate", broken)
    result = run("check")
    assert result.exit_code == 1
    assert result.output.splitlines() == ["internal error: RuntimeError: boom (run with --debug for the traceback)"]
    for args in (["--debug", "check"], ["check", "--debug"]):
        with pytest.raises(RuntimeError, match="boom"):
            run(*args)


def test_a_folder_without_content_says_how_to_start(run, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("not-a-project")
    result = run("build", folder=elsewhere)
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == (
        "Error: folder 'content' does not exist, so this is not a report project: start one with `briefing init "
        "FOLDER` and run briefing inside FOLDER, or name the content folder with --content DIR")
    result = run("build", folder=elsewhere, env=JAPANESE)
    assert result.output.splitlines()[-1] == (
        "エラー: フォルダー「content」がないため、ここは報告のプロジェクトではありません。`briefing init フォルダー名` で"
        "新しく作り、そのフォルダーの中で実行するか、--content で content のフォルダーを指定してください")
    result = run("build", "--content", "elsewhere", folder=elsewhere)
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == "Error: Invalid value for --content: folder 'elsewhere' does not exist"


def test_progress_moves_on_one_line_on_a_terminal_and_is_plain_elsewhere(project, run):
    """On a terminal the rendering count rewrites one line; in a log each step is a line."""
    import os
    import pty
    import subprocess
    import sys

    def build(stderr) -> None:
        subprocess.run([sys.executable, "-m", "briefing", "build", "--workers", "1"], cwd=project.root,
                       stderr=stderr, stdout=subprocess.DEVNULL, check=True, timeout=120,
                       env={**os.environ, "LANG": "C.UTF-8"})

    leader, follower = pty.openpty()
    build(follower)
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    os.close(leader)
    terminal = seen.decode()
    assert "\r\x1b[Krendered 1/" in terminal and "built " in terminal.split("\r\x1b[K")[-1]
    import shutil

    shutil.rmtree(project.root / "output")
    plain = run("build", "--workers", "1")  # its stderr not a terminal
    assert "\x1b" not in plain.stderr and any(line.startswith("rendered 1/") for line in plain.stderr.splitlines())


def test_an_edit_no_reader_sees_is_up_to_date(project, run):
    """A comment or a blank line added to the content rebuilds nothing and says so."""
    assert run("build", "--workers", "1").exit_code == 0
    path = project.content / "topics.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n# 後で質問を足す\n", encoding="utf-8")
    result = run("build", "--workers", "1")
    assert result.exit_code == 0, result.output
    assert "up to date" in result.output and "writing" not in result.output
    path.write_text(path.read_text(encoding="utf-8").replace("質問の本文", "質問の本文を改めた"), encoding="utf-8")
    result = run("build", "--workers", "1")
    assert "up to date" not in result.output and "built 3 PDFs" in result.output, result.output


def test_check_with_warnings_says_no_errors_not_ok(project, run):
    """A warning above, then 「問題はありません」 below, read as a contradiction to an editor."""
    project.write("extra.yaml", "notes:\n  - id: unused\n    text: 使われない注。\n")
    result = run("check", env=JAPANESE)
    assert result.exit_code == 0
    assert "使われない注" not in result.output and "警告" in result.output.splitlines()[0]
    assert result.output.splitlines()[-1].endswith("誤りはありません（警告 1 件）")
    assert run("check").output.splitlines()[-1].endswith("no errors; warnings: 1")
