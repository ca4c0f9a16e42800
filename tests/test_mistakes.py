"""The mistakes editors make, each reported once, where it stands, in the editor's language."""

from __future__ import annotations

import datetime

import pytest

from briefing import dates, mistakes

from .conftest import JAPANESE, MINIMAL, SECOND_TOPIC

REPORT, TOPICS, ANSWER = "report.yaml", "topics.yaml", "answers/digital.yaml"
# (file, the text as the fixture has it, the mistake written over it, the exact line printed
# under a Japanese locale, and under any other). Each line is the only one printed.
MISTAKES = [
    (REPORT, "  title: テスト ヒアリング", "  title：テスト ヒアリング",
     "content/report.yaml:2:8: 「title」の後のコロンが全角の「：」です。半角の「:」と空白にします（title: …）",
     "content/report.yaml:2:8: full-width colon '：' after 'title': write a half-width ':' and a space (title: …)"),
    (TOPICS, "  - id: portal", "  - id：portal",
     "content/topics.yaml:2:7: 「id」の後のコロンが全角の「：」です。半角の「:」と空白にします（id: …）",
     "content/topics.yaml:2:7: full-width colon '：' after 'id': write a half-width ':' and a space (id: …)"),
    (TOPICS, "質問の本文[^second]です", "質問の本文［＾second］です",
     "content/topics.yaml:10:16: topics[0].questions[0].text: 注の呼び出し「［＾second］」が全角で書かれています。"
     "半角で [^second] と書きます",
     "content/topics.yaml:10:16: topics[0].questions[0].text: note call '［＾second］' is written in full-width "
     "characters: write it in half-width, [^second]"),
    (TOPICS, "質問の本文[^second]です", "質問の本文[^second です",
     "content/topics.yaml:10:16: topics[0].questions[0].text: 注の呼び出し「[^second」が閉じていません。"
     "[^second] のように「]」で閉じます",
     "content/topics.yaml:10:16: topics[0].questions[0].text: note call '[^second' is not closed: write [^second]"),
    (TOPICS, "質問の本文[^second]です", "質問の本文[^second、です",  # the text after it is no part of the id
     "content/topics.yaml:10:16: topics[0].questions[0].text: 注の呼び出し「[^second」が閉じていません。"
     "[^second] のように「]」で閉じます",
     "content/topics.yaml:10:16: topics[0].questions[0].text: note call '[^second' is not closed: write [^second]"),
    (TOPICS, "質問の本文[^second]です。", "質問の本文です。[^second",
     "content/topics.yaml:10:19: topics[0].questions[0].text: 注の呼び出し「[^second」が閉じていません。"
     "[^second] のように「]」で閉じます",
     "content/topics.yaml:10:19: topics[0].questions[0].text: note call '[^second' is not closed: write [^second]"),
    (TOPICS, "質問の本文[^second]です", "質問の本文[second]です",  # printed as "[second]", the note never cited
     "content/topics.yaml:10:16: topics[0].questions[0].text: 「[second]」は注の呼び出しにならず、そのまま印刷されます。"
     "[^second] と書きます",
     "content/topics.yaml:10:16: topics[0].questions[0].text: '[second]' is not a note call and would print as it is: "
     "write [^second]"),
    (TOPICS, "質問の本文[^second]です", "質問の本文[^secnd]です",  # not also "note 'second' is never cited: remove it"
     "content/topics.yaml:10:16: topics[0].questions[0].text: 注「secnd」はありません（「second」の書き間違いでは"
     "ありませんか）。注「second」（content/report.yaml:26:5）はどこからも呼び出されていません。どちらかの書き間違い"
     "なら、同じ綴りにそろえます",
     "content/topics.yaml:10:16: topics[0].questions[0].text: unknown note 'secnd' (did you mean 'second'?): note "
     "'second', at content/report.yaml:26:5, is cited nowhere: if one of the two is miswritten, write them alike"),
    (TOPICS, "      - id: portal\n        to: [digital]", "      - id: portal\n        number: 1\n        to: [digital]\n"
     "        text: 一つ目の質問。\n      - id: again\n        number: 1\n        to: [digital]",  # two printed (1)
     "content/topics.yaml:12:17: topics[0].questions[1].number: 質問の番号 1 は、この論点の質問「portal」がすでに"
     "使っています（content/topics.yaml:7:9）",
     "content/topics.yaml:12:17: topics[0].questions[1].number: question number 1 is taken by question 'portal' of "
     "this topic (at content/topics.yaml:7:9)"),
    (TOPICS, "      - id: portal\n", "      - id: portal　\n",  # not also "unknown question 'portal'" at its answer
     "content/topics.yaml:7:13: topics[0].questions[0].id: 質問の id「portal　」の前か後ろに空白があります（見えなければ"
     "全角スペースです）。空白を削除してください",
     "content/topics.yaml:7:13: topics[0].questions[0].id: question id 'portal　' has a space before or after it (a "
     "full-width one, if you cannot see it): delete the space"),
    (ANSWER, "  - question: portal", "  - question: ｐｏｒｔａｌ",  # the id meant, not the one nearest in spelling
     "content/answers/digital.yaml:2:15: answers[0].question: 質問「ｐｏｒｔａｌ」はありません（「portal」の書き間違い"
     "ではありませんか）",
     "content/answers/digital.yaml:2:15: answers[0].question: unknown question 'ｐｏｒｔａｌ' (did you mean 'portal'?)"),
    (TOPICS, "to: [digital]", "to: [digital、digital]",
     "content/topics.yaml:8:14: topics[0].questions[0].to[0]: 機関「digital、digital」はありません。「digital、digital」は"
     " 2 つの id がつながっています。半角の「,」で区切って [digital, digital] と書きます",
     "content/topics.yaml:8:14: topics[0].questions[0].to[0]: unknown body 'digital、digital': 'digital、digital' is 2 ids "
     "run together: write them as [digital, digital], with half-width commas"),
    (ANSWER, "  - question: portal", "  - question: portal\u200b",  # the character named, not the id unknown too
     "content/answers/digital.yaml:2:21: answers[0].question: 目に見えない文字 U+200B（ZERO WIDTH SPACE）は何も印刷"
     "されません。削除してください",
     "content/answers/digital.yaml:2:21: answers[0].question: invisible character U+200B (ZERO WIDTH SPACE) would "
     "print as nothing: delete it"),
    (TOPICS, "    heading: マイナポータルについて", "    見出し: マイナポータルについて",  # not also "missing heading"
     "content/topics.yaml:4:5: topics[0].見出し: キーは英語で書きます。「見出し」は heading と書きます",
     "content/topics.yaml:4:5: topics[0].見出し: keys are written in English: write 'heading' for '見出し'"),
    (TOPICS, "      - id: portal\n", "      ー id: portal\n",  # the long vowel mark typed for '-'
     "content/topics.yaml:7:7: 「ー」はリストの項目の印になりません。半角の「-」を書きます",
     "content/topics.yaml:7:7: 'ー' does not mark an item of a list: write a half-width '-'"),
    (ANSWER, "    body: digital", "    body: digital\n    text: 一つ目の回答。\n    body: digital",  # '- question:' lost
     "content/answers/digital.yaml:5:5: answers[0].body: 1つの項目にキー「body」がもう一度あり（最初は 3 行目）、その後の"
     "キーも重なっています。ここから新しい項目が始まるなら、その最初のキーの前に「- 」を書きます",
     "content/answers/digital.yaml:5:5: answers[0].body: key 'body' again in one item (first at line 3), and more "
     "after it: if a new item starts here, write '- ' before its first key"),  # once, not for each key again
    (TOPICS, "    title: マイナポータル\n", "    title: マイナポータル\n    points:\n      - 結論: 不正な利用はない。\n",
     "content/topics.yaml:7:9: topics[0].points[0]: この文には「: 」が含まれていて、YAML はキーと値として読みます。"
     "文全体を半角の引用符で囲みます（\"…\"）",
     "content/topics.yaml:7:9: topics[0].points[0]: this text has ': ' in it, which YAML reads as a key and its value: "
     "put the whole text in quotes (\"…\")"),
    (TOPICS, "      - id: portal\n", "      - id: portal\u200b\n",  # the character named; the id is otherwise right
     "content/topics.yaml:7:19: topics[0].questions[0].id: 目に見えない文字 U+200B（ZERO WIDTH SPACE）は何も印刷されません。"
     "削除してください",
     "content/topics.yaml:7:19: topics[0].questions[0].id: invisible character U+200B (ZERO WIDTH SPACE) would print "
     "as nothing: delete it"),
    (REPORT, "  - id: second\n", "  - id: ｓｅｃｏｎｄ\n",  # not also "never cited: cite it as [^ｓｅｃｏｎｄ]"
     "content/report.yaml:26:9: notes[1].id: 注の id「ｓｅｃｏｎｄ」に使えるのは a-z、0-9 と、その間の - _ . だけです"
     "（id は出力ファイルの名前になります）",
     "content/report.yaml:26:9: notes[1].id: note id 'ｓｅｃｏｎｄ' may use only a-z, 0-9 and - _ . between them: ids "
     "name output files"),
    (TOPICS, "    heading: マイナポータルについて", "    heading マイナポータルについて",
     "content/topics.yaml:4:12: 「heading」の後に「:」がありません。「heading: …」のように書きます",
     "content/topics.yaml:4:12: ':' is missing after 'heading': write heading: …"),
    (ANSWER, "    text: |\n      回答の本文です。", "    text 回答の本文です。",  # the file's last line
     "content/answers/digital.yaml:4:9: 「text」の後に「:」がありません。「text: …」のように書きます",
     "content/answers/digital.yaml:4:9: ':' is missing after 'text': write text: …"),
    (ANSWER, "      回答の本文です。", "      回答の本文です。\n\n    二つ目の段落が字下げを失いました。\n      三つ目の段落です。",
     "content/answers/digital.yaml:7:5: この行は、属している文章（4行目の「text:」の文章、字下げ6文字）より字下げが"
     "少なくなっています。その文章のほかの行と同じだけ字下げしてください",  # PyYAML gives up on the line after, asking for ':'
     "content/answers/digital.yaml:7:5: this line is indented less than the text it belongs to ('text:' on line 4, "
     "6 spaces): indent it as the text's other lines"),
    (ANSWER, "      回答の本文です。", "        回答の本文です。\n\n      二つ目の段落です。",  # the first line too deep
     "content/answers/digital.yaml:5:9: この文章（4行目の「text:」の文章）は、最初の行（5行目）の字下げが8文字で、7行目は"
     "6文字です。文章の字下げは最初の行で決まり、それより字下げの少ない行で文章が終わってしまいます。すべての行を6文字の字下げ"
     "にそろえてください",  # PyYAML gave up on line 7, "the indentation is off"
     "content/answers/digital.yaml:5:9: this text ('text:' on line 4) is indented 8 spaces from its first line, line 5, "
     "and 6 at line 7: a text takes its indentation from its first line, and ends where a line has less: indent all its "
     "lines 6 spaces"),
    (TOPICS, "      - id: portal", "       - id: portal",  # PyYAML: on the line after, "the indentation is off"
     "content/topics.yaml:7:8: この項目の「-」の字下げが7文字ですが、下のキー（8行目の「to」）に合わせると6文字です。"
     "「id」が「to」とそろうように「-」の位置を直してください",
     "content/topics.yaml:7:8: this item's '-' is indented 7 spaces, and the keys under it put it at 6 ('to' on line "
     "8): move it so that 'id' lines up with 'to'"),
    (TOPICS, "      - id: portal", "      -  id: portal",  # PyYAML: on the line after, "the indentation is off"
     "content/topics.yaml:7:8: この項目の「-」の後に半角スペースが2つあります。1つにして、「id」が8行目の「to」とそろうように"
     "してください",
     "content/topics.yaml:7:8: 2 spaces after this item's '-': write one, so that 'id' lines up with 'to' on line 8"),
    (ANSWER, "      回答の本文です。", "          回答の本文です。\n        二つ目の行です。\n        三つ目の行です。",
     "content/answers/digital.yaml:5:11: この文章（4行目の「text:」の文章）は、最初の行（5行目）の字下げが10文字で、6行目は"
     "8文字です。文章の字下げは最初の行で決まり、それより字下げの少ない行で文章が終わってしまいます。すべての行を8文字の字下げ"
     "にそろえてください",  # the lines after it agree: the first is out of line, though they are not at key + 2
     "content/answers/digital.yaml:5:11: this text ('text:' on line 4) is indented 10 spaces from its first line, line "
     "5, and 8 at line 6: a text takes its indentation from its first line, and ends where a line has less: indent all "
     "its lines 8 spaces"),
    (ANSWER, "    text: |\n      回答の本文です。",  # |2: its first line deeper on purpose; the mistake is below
     "    text: |2\n        回答の本文です。\n      次の行。\n  - question: portal\n    body digital\n    text: 二つ目。",
     "content/answers/digital.yaml:8:9: 「body」の後に「:」がありません。「body: …」のように書きます",
     "content/answers/digital.yaml:8:9: ':' is missing after 'body': write body: …"),
    (TOPICS, "        to: [digital]", "         to: [digital]",  # PyYAML: "mapping values are not allowed here"
     "content/topics.yaml:8:10: 「to」が、7行目の項目の最初のキー「id」とそろっていません。「to」の字下げを8文字にしてください",
     "content/topics.yaml:8:10: 'to' does not line up with 'id', the first key of the item on line 7: indent 'to' 8 "
     "spaces"),
    (ANSWER, "    text: |", "      text: |",  # PyYAML: "mapping values are not allowed here"
     "content/answers/digital.yaml:4:7: 「text」が、すぐ上の行の「body」より深く字下げされています（「body」には値がもう"
     "書かれています）。「text」の字下げを「body」にそろえてください",
     "content/answers/digital.yaml:4:7: 'text' is indented more than 'body' on the line above, which has its value "
     "already: line 'text' up with 'body'"),
    (ANSWER, "      回答の本文です。", "      回答の本文です。\n\n\t二つ目の段落。",  # the tab's message alone
     "content/answers/digital.yaml:7:1: 字下げにタブが使われています。字下げは半角スペースだけで行います",
     "content/answers/digital.yaml:7:1: a tab in the indentation: indent with spaces only"),
    (ANSWER, "      回答の本文です。", "      回答の本文です。\n\n　　二つ目の段落。",  # 全角スペース for the indent
     "content/answers/digital.yaml:7:1: 字下げに全角スペースが使われています。字下げは半角スペースだけで行います",
     "content/answers/digital.yaml:7:1: a full-width space (全角スペース) in the indentation: indent with half-width "
     "spaces only"),
    (TOPICS, "    heading: マイナポータルについて", "    heading: マイナポータルについて\n      API: 続きの見出し",
     "content/topics.yaml:5:10: YAML の書き方に誤りがあります。上の行のキーの後に「:」がないか、「: 」を含む文を「|」の"
     "次の行から書く必要があります（YAML の読み取り: ここでは「キー: 値」の形は書けません）",  # not a key: a value's words
     "content/topics.yaml:5:10: YAML syntax: mapping values are not allowed here (the line above may lack the ':' "
     "after its key; or a text containing ': ' must be written after '|' on its own lines)"),
    (TOPICS, "    number: 1", "\tnumber: 1",
     "content/topics.yaml:3:1: 字下げにタブが使われています。字下げは半角スペースだけで行います",
     "content/topics.yaml:3:1: a tab in the indentation: indent with spaces only"),
    (TOPICS, "    title: マイナポータル", "　　title: マイナポータル",  # 全角スペース, as a Japanese keyboard types
     "content/topics.yaml:5:1: 字下げに全角スペースが使われています。字下げは半角スペースだけで行います",
     "content/topics.yaml:5:1: a full-width space (全角スペース) in the indentation: indent with half-width spaces only"),
    (TOPICS, "    title: マイナポータル", "    title:　マイナポータル",
     "content/topics.yaml:5:11: 「title:」の後が全角スペースです。半角スペースにします（title: …）",
     "content/topics.yaml:5:11: a full-width space (全角スペース) after 'title:': write a half-width space (title: …)"),
    (REPORT, "  held_through: テスト議員事務所", "  held_through: “テスト議員事務所”",
     "content/report.yaml:4:17: hearing.held_through: 全角の引用符 “…” は YAML の引用符になりません。"
     "引用符を外すか、半角の \"…\" で囲みます",
     "content/report.yaml:4:17: hearing.held_through: curly quotes “…” do not quote a value in YAML: write the "
     "value without them, or in straight quotes \"…\""),
    (REPORT, '  post: "#1"', "  post: “#1: 第1回”",  # a colon inside: the YAML itself fails
     "content/report.yaml:11:9: 全角の引用符 “…” は YAML の引用符になりません。引用符を外すか、半角の \"…\" で囲みます",
     "content/report.yaml:11:9: curly quotes “…” do not quote a value in YAML: write the value without them, "
     "or in straight quotes \"…\""),
    (TOPICS, "    title: マイナポータル", "    title: マイナポータル #3",  # YAML's comment: " #3" was dropped
     "content/topics.yaml:5:12: topics[0].title: この行の「 #」から後ろは、YAML ではコメントとして読まれ、印刷されません。"
     "印刷するなら値全体を半角の引用符で囲みます（\"…\"）。コメントなら別の行に書きます",
     "content/topics.yaml:5:12: topics[0].title: ' #' and what follows it on this line are read as a comment, not "
     "printed: to print them, put the whole value in quotes (\"…\"); for a comment, write it on a line of its own"),
    (REPORT, '  post: "#1"', "  post: #1",  # the whole value a comment: the post was dropped
     "content/report.yaml:11:8: report.post: 値が「#」で始まると、YAML ではコメントとして読まれ、何も印刷されません。"
     "値を半角の引用符で囲みます（\"#…\"）",
     "content/report.yaml:11:8: report.post: a value that starts with '#' is read as a comment, and nothing is "
     "printed: put the value in quotes (\"#…\")"),
    (ANSWER, "    text: |\n      回答の本文です。", "    text: >\n      回答の本文です。\n\n      二つ目の段落です。",
     "content/answers/digital.yaml:4:11: answers[0].text: この文章は「|」なしで複数の行に書かれています。YAML はその行を"
     "空白でつなぎ、段落も1つにまとめてしまいます。キーの「:」の後に「|」を書き、文章をその下の行に書きます",
     "content/answers/digital.yaml:4:11: answers[0].text: this text runs over several lines without '|': YAML joins "
     "its lines with spaces and its paragraphs into one: write '|' after the key's ':' and the text on the lines under "
     "it"),  # folded: its two paragraphs were printed as one
    (TOPICS, "    title: マイナポータル", "    title: マイナポータル\n      とその法的根拠",  # joined with a space
     "content/topics.yaml:5:12: topics[0].title: この値は複数の行に書かれています。YAML はその行を空白でつないでしまいます。"
     "1行に書きます",
     "content/topics.yaml:5:12: topics[0].title: this value runs over several lines: YAML joins them with a space: "
     "write it on one line"),
    (REPORT, "    text: 最初の注。", "    text: 最初の注。\n    url: https://www.example.go.jp/a/index.html）",
     "content/report.yaml:26:10: notes[0].url: 注「first」: url の最後に「）」があります。まわりの文章と一緒にコピー"
     "されたようです。削除してください",
     "content/report.yaml:26:10: notes[0].url: note 'first': url ends in '）', which came with the words around it, it "
     "seems: remove it"),
    (REPORT, "  date: 2024-01-15", "  date: 2023/9/28",
     "content/report.yaml:3:9: hearing.date: 日付は YYYY-MM-DD の形で書きます。「2023/9/28」は 2023-09-28 と書きます",
     "content/report.yaml:3:9: hearing.date: expected a date as YYYY-MM-DD, got '2023/9/28': write 2023-09-28"),
    (REPORT, "  date: 2024-01-15", "  date: 令和5年9月28日",
     "content/report.yaml:3:9: hearing.date: 日付は YYYY-MM-DD の形で書きます。「令和5年9月28日」は 2023-09-28 と書きます",
     "content/report.yaml:3:9: hearing.date: expected a date as YYYY-MM-DD, got '令和5年9月28日': write 2023-09-28"),
    (REPORT, "  date: 2024-01-15", "  date: 2023-02-30",
     "content/report.yaml:3:9: hearing.date: 「2023-02-30」という日付はありません。2023年2月は28日までです",
     "content/report.yaml:3:9: hearing.date: there is no such date as '2023-02-30': 2023-02 has 28 days"),
    (TOPICS, "    heading: マイナポータルについて", "    heading: @マイナポータル",  # PyYAML's own words too
     "content/topics.yaml:4:14: YAML の書き方に誤りがあります。値をこの文字で始めることはできません。値を半角の \"…\" で"
     "囲むか、「|」の次の行から書きます（YAML の読み取り: 次の項目を探しているところで、値の始めに置けない文字 '@' があります）",
     "content/topics.yaml:4:14: YAML syntax: while scanning for the next token found character '@' that cannot start "
     "any token (a value cannot start with this character: put the value in quotes \"…\", or write it after '|' on "
     "its own lines)"),
    (REPORT, "    name: デジタル庁", "    name: \"デジタル庁",  # what to write, not the parser's words
     "content/report.yaml:22:11: この値を始める引用符 \" が、この行で閉じていません。値の終わりに \" を書くか、"
     "引用符なしで書きます",
     "content/report.yaml:22:11: the quote \" that opens this value is not closed on its line: end the value with \", "
     "or write it without quotes"),
    (TOPICS, "to: [digital]", "to: [digital",  # reported where the list opens, not on the next line
     "content/topics.yaml:8:13: 「[」で始めたリストがその行で閉じていません。[digital, ppc] のように「]」で閉じます",
     "content/topics.yaml:8:13: '[' opens a list that is not closed on its line: close it with ']', as in "
     "[digital, ppc]"),
    (REPORT, "  - id: digital\n    name: デジタル庁", "  - id: digital\n    name: デジタル庁\n   - id: soumu",
     "content/report.yaml:23:4: YAML の書き方に誤りがあります。字下げがずれています。同じ階層の行と字下げをそろえます"
     "（YAML の読み取り: 21 行目から字下げしたリストを読んでいるところで、字下げした部分が終わるはずのところに 字下げした"
     "リストの始まり があります）",  # PyYAML's token names in words too
     "content/report.yaml:23:4: YAML syntax: while parsing a block collection (from line 21) expected <block end>, but "
     "found '<block sequence start>' (the indentation is off: line this up with the lines at its level)"),
    (TOPICS, "to: [digital]", "to: [デジタル庁]",
     "content/topics.yaml:8:14: topics[0].questions[0].to[0]: 機関「デジタル庁」はありません。名前ではなく id の「digital」を書きます",
     "content/topics.yaml:8:14: topics[0].questions[0].to[0]: unknown body 'デジタル庁': write its id, 'digital', "
     "not its name"),
    (TOPICS, "    title: マイナポータル", '    title: "マイナ"ポータル',  # quotes meant as part of the words
     "content/topics.yaml:5:17: 閉じた引用符の後に文字があります。引用符で囲んだ値は、閉じた引用符で終わります。"
     "値全体を半角の '…' で囲むか（'\"…\"…'）、引用符なしで書きます",
     "content/topics.yaml:5:17: words after the closing quote: a value in quotes ends at its quote; put the whole "
     "value in single quotes ('\"…\"…'), or write it without quotes"),
    (TOPICS, "        to: [digital]", "        to: [digital,",  # PyYAML gives up on the next line, at its '|'
     "content/topics.yaml:8:13: 「[」で始めたリストがその行で閉じていません。[digital, ppc] のように「]」で閉じます",
     "content/topics.yaml:8:13: '[' opens a list that is not closed on its line: close it with ']', as in "
     "[digital, ppc]"),
]


@pytest.mark.parametrize("file, written, mistake, japanese, english", MISTAKES,
                         ids=[f"{m[0]}:{m[2].strip()[:24]}" for m in MISTAKES])
def test_a_mistake_is_one_error_where_it_stands(project, run, file, written, mistake, japanese, english):
    text = (project.content / file).read_text(encoding="utf-8")
    assert written in text
    (project.content / file).write_text(text.replace(written, mistake, 1), encoding="utf-8")
    result = run("check", env=JAPANESE)
    assert result.exit_code == 1
    assert result.output.splitlines() == [japanese]
    result = run("check")
    assert result.exit_code == 1
    assert result.output.splitlines() == [english]


@pytest.mark.parametrize("written, meant", [
    ("2023/9/28", "2023-09-28"), ("2023.9.28", "2023-09-28"), ("2023-9-28", "2023-09-28"),
    ("2023年9月28日", "2023-09-28"), ("２０２３／９／２８", "2023-09-28"), ("令和元年5月1日", "2019-05-01"),
    ("平成31年4月30日", "2019-04-30"), ("昭和64年1月7日", "1989-01-07"),
])
def test_a_date_as_people_write_it_is_read_back_in_the_form_to_write(written, meant):
    assert dates.read(written) == (f"expected a date as YYYY-MM-DD, got '{written}': write {meant}")


def test_dates_that_are_not_there():
    assert dates.read("2023-09-28") == datetime.date(2023, 9, 28)
    assert dates.read("2024-02-29") == datetime.date(2024, 2, 29)
    assert dates.read("2023-02-29") == "there is no such date as '2023-02-29': 2023-02 has 28 days"
    assert dates.read("2023-13-01") == "there is no such date as '2023-13-01': months run from 1 to 12"
    assert dates.read("2023/4/31") == "there is no such date as '2023/4/31': 2023-04 has 30 days"
    assert dates.read("来週") == "expected a date as YYYY-MM-DD, got '来週'"


def test_a_full_width_colon_inside_a_text_is_no_mistake(project, run):
    project.write(ANSWER, """
        answers:
          - question: portal
            body: digital
            text: |
              title：これは本文の一部です。
              url：https://example.jp/ も本文です。
        """)
    assert run("check").exit_code == 0


def test_a_missing_colon_is_found_above_where_the_parser_gave_up(project, run):
    text = MINIMAL["report.yaml"].replace("  held_through: テスト議員事務所", "  held_through テスト議員事務所")
    project.write(REPORT, text)
    result = run("check")
    assert result.output.splitlines() == [
        "content/report.yaml:4:15: ':' is missing after 'held_through': write held_through: …"]


# Valid content that a check for a mistake must not refuse: (file, text as the fixture has it, text written over it).
VALID = [
    (TOPICS, "    heading: マイナポータルについて", "    heading: マイナポータルについて  # 見出しは短く"),  # a remark
    (REPORT, "    text: 最初の注。", "    text: 最初の注。\n    url: ~  # まだ分からない"),
    (REPORT, "    text: 最初の注。", "    text: 最初の注。\n    url: https://www.example.go.jp/【第2.1版】マニュアル.pdf"),
    (REPORT, '  post: "#1"', "  post: 第1回#1"),  # no space before '#': YAML's words, not a comment
    (ANSWER, "    text: |\n      回答の本文です。", "    text: >\n      回答の本文です。"),  # folded, and nothing to fold
    (TOPICS, "      - id: portal\n        to: [digital]", "      - id: portal\n        number: 1\n        to: [digital]"),
    (TOPICS, "    title: マイナポータル", '    title: "My\\\n      Number"'),  # an escaped line break: no space made
    (TOPICS, "    title: マイナポータル", "    title: !!str 'My\n      Number'"),  # English words: the space is theirs
    (REPORT, "    text: 最初の注。", "    text: 最初の注。\n    url: https://www.example.go.jp/a.html # 確認済み"),
    (ANSWER, "      回答の本文です。", "      << と *印 の付いた本文です。"),  # in a text: no merge key, no alias
]

# Mistakes each said in one line, where the fragment is: (file, as the fixture has it, written over it, fragment).
ONE_LINE = [
    (TOPICS, "    title: マイナポータル", '    title: "マイナ\n      ポータル\\u3000"', "several lines"),  # quoted, escapes
    (TOPICS, "    title: マイナポータル", "    title: 'マイナ''s\n      ポータル'", "several lines"),
    (REPORT, '  post: "#1"', "  post: 第3回 ##360", "read as a comment"),
    (REPORT, "    text: 最初の注。", "    text: 最初の注。\n    url: https://www.example.go.jp/a.html #top", "read as a comment"),
    (REPORT, "\nbodies:\n", "\nbodys:\n", "unknown key 'bodys'"),  # not also "no bodies are listed"
    # an id miswritten where it is defined: said there, not at each use (the hearing, the question, the answer)
    (REPORT, "  - id: digital\n    name: デジタル庁", "  - id: digtal\n    name: デジタル庁",
     "report.yaml:21:9: bodies[0].id: body id 'digtal' is used nowhere, and 'digital', defined nowhere, is used 4 "
     "time(s) (first at content/answers/digital.yaml:3:11): write this id as 'digital'"),
    (TOPICS, "        to: [digital]", "        to: [digital, digital]",  # printed 「デジタル庁・デジタル庁へ」
     "topics.yaml:8:23: topics[0].questions[0].to[1]: 'digital' is listed twice here: list it once"),
    # a copy of another part of the file: said where it is written, once (a merge gave three errors, none saying so;
    # an alias was said at its anchor's line)
    (ANSWER, "    text: |\n      回答の本文です。", "    text: &t 回答の本文です。\n  - question: portal\n    body: digital\n"
     "    text: *t", "digital.yaml:7:11: YAML aliases (*t) are not supported"),
    (ANSWER, "  - question: portal\n", "  - &a\n    question: portal\n    body: digital\n    text: 回答。\n  - <<: *a\n",
     "digital.yaml:6:5: YAML merge keys (<<) are not supported"),
    (ANSWER, "    text: |\n      回答の本文です。", "    text: &t 回答の本文です。\n" + "  - question: portal\n    body: digital\n"
     "    text: *t\n" * 3, "digital.yaml:7:11: YAML aliases (*t) are not supported: write the value out here (2 more in this file)"),
    (ANSWER, "  - question: portal\n", "  - &a\n    question: portal\n    body: digital\n    text: 回答。\n"
     "  - <<: [*a, *a]\n", "digital.yaml:6:5: YAML merge keys (<<) are not supported"),  # its aliases are the merge
    (ANSWER, "    text: |\n      回答の本文です。", "    text: <<", "put it in quotes (\"<<\")"),  # a value: no copy
    (REPORT, "    text: 最初の注。", "    text: 最初の注。\n    url: 'https://www.example.go.jp/x\"><img src=file:///etc/passwd>'",
     "url must be one web address"),  # escaped, it printed and went into the QR code as it is
    # a call where none is taken, said for what it is written in (a note's text was told of bookmarks)
    (REPORT, "    text: 最初の注。", "    text: 最初の注[^second]。", "a note cannot call a note"),
    (TOPICS, "    heading: マイナポータルについて", "    heading: マイナポータル[^second]について",
     "not in a heading or title: it would print as [^...] and go into the PDF's bookmarks"),
    # a quote its line does not close: said there, not as the indentation of a line it ran over
    (TOPICS, "    title: マイナポータル", '    title: "マイナポータル',
     "topics.yaml:5:12: the quote \" that opens this value is not closed on its line"),
    (TOPICS, "    title: マイナポータル", "    title: 'マイナポータル",
     "topics.yaml:5:12: the quote ' that opens this value is not closed on its line"),
    # quotes inside the words, in single quotes: double quotes are what can hold them (single ones were offered)
    (TOPICS, "    title: マイナポータル", "    title: 'マイナ'ポータル", "put the whole value in double quotes (\"'…'…\")"),
    # a reference with a space the editor may not see: said as that, not as a misspelling
    (ANSWER, "    body: digital", "    body: digital\u3000",
     "unknown body 'digital\u3000': 'digital' with a space before or after it (a full-width one"),
    # ': ' inside a key's words: said for what it is, not as a ':' missing on the line above
    (TOPICS, "    heading: マイナポータルについて", "    heading: 論点1: マイナポータルについて",
     "topics.yaml:4:17: this text has ': ' in it, which YAML reads as a key and its value: put the whole text in quotes"),
    # an answer left empty: what to do while the body has not answered
    (ANSWER, "    text: |\n      回答の本文です。", "    text:", "if the body has not answered yet, delete this answer"),
    # words that start with YAML's own signs: a text that starts with a note call, a bracketed remark, *…*
    (ANSWER, "    text: |\n      回答の本文です。", "    text:\n      - [^second]によると回答です。",
     "digital.yaml:5:9: a value cannot start with '[' in YAML"),
    (ANSWER, "    text: |\n      回答の本文です。", "    text: {補足} 回答です。",
     "digital.yaml:4:11: a value cannot start with '{' in YAML"),
    (ANSWER, "    text: |\n      回答の本文です。", "    text:\n      - *注意* 回答です。",
     "digital.yaml:5:9: a value cannot start with '*' in YAML"),
    # an empty call: not also "unknown note ''" and the note it was, "never cited"
    (TOPICS, "質問の本文[^second]です。", "質問の本文[^]です。", "[^] has no note id: write the id of the note it calls "
     "between ^ and ] (note 'second' is cited nowhere: that one?)"),
]


@pytest.mark.parametrize("file, written, mistake, fragment", ONE_LINE, ids=[m[2].strip()[:30] for m in ONE_LINE])
def test_a_mistake_is_said_once(project, run, file, written, mistake, fragment):
    text = (project.content / file).read_text(encoding="utf-8")
    assert written in text
    (project.content / file).write_text(text.replace(written, mistake, 1), encoding="utf-8")
    result = run("check")
    assert result.exit_code == 1 and len(result.output.splitlines()) == 1 and fragment in result.output, result.output


def test_questions_put_to_one_body_are_numbered_apart_whatever_their_lists(project, run):
    """[digital] and [digital, other]: both printed in digital's questions, so (1) twice is refused."""
    report = (project.content / REPORT).read_text(encoding="utf-8")
    project.write(REPORT, report.replace("  bodies: [digital]", "  bodies: [digital, other]").replace(
        "    name: デジタル庁\n", "    name: デジタル庁\n  - id: other\n    name: 他省\n"))
    topics = (project.content / TOPICS).read_text(encoding="utf-8")
    project.write(TOPICS, topics.replace("      - id: portal\n", "      - id: portal\n        number: 1\n", 1)
                  + "      - id: both\n        number: 1\n        to: [other, digital]\n        text: 両方への質問。\n")
    result = run("check")
    assert result.exit_code == 1 and "question number 1 is taken by question 'portal'" in result.output, result.output


@pytest.mark.parametrize("file, written, valid", VALID, ids=[v[2].strip()[:30] for v in VALID])
def test_valid_content_is_not_taken_for_a_mistake(project, run, file, written, valid):
    text = (project.content / file).read_text(encoding="utf-8")
    assert written in text
    (project.content / file).write_text(text.replace(written, valid, 1), encoding="utf-8")
    result = run("check")
    assert result.exit_code == 0 and result.output.splitlines()[-1].endswith(": ok"), result.output


def test_a_follow_up_is_numbered_apart_from_the_topic_s_questions(project, run):
    """再質問(1) beside 質問(1): not the same number twice."""
    topics = (project.content / TOPICS).read_text(encoding="utf-8")
    project.write(TOPICS, topics.replace("      - id: portal\n", "      - id: portal\n        number: 1\n", 1))
    project.write("answers/again.yaml", """
        questions:
          - topic: portal
            id: portal-again
            number: 1
            to: [digital]
            text: 再質問です。
        """)
    result = run("check")
    assert result.exit_code == 0, result.output


def test_a_backup_of_a_dotted_name_is_named_beside_its_file(project, run):
    project.write("notes.v2.yaml", "notes: []\n")
    project.write("notes.v2.yaml.bak", "notes: []\n")
    result = run("check")
    assert result.exit_code == 0
    assert "content/notes.v2.yaml.bak:1:1: warning: not read: the name ends in '.bak', beside notes.v2.yaml" \
        in result.output


def test_no_bodies_at_all_is_one_error_not_one_per_reference(project, run):
    """An emptied bodies list: every question and answer names a body it lacks; said once."""
    report = (project.content / REPORT).read_text(encoding="utf-8")
    project.write(REPORT, report.replace("bodies:\n  - id: digital\n    name: デジタル庁\n", "bodies: []\n"))
    project.write("more.yaml", SECOND_TOPIC)
    result = run("check")
    assert result.exit_code == 1
    assert [line for line in result.output.splitlines() if "bodies" in line] == [
        "content/report.yaml:6:12: hearing.bodies[0]: no bodies are listed: write the bodies: list, each body's id and "
        "name, in a file of the content (bodies.yaml)"], result.output


def test_a_body_new_to_the_report_is_told_where_it_is_listed(project, run):
    answers = (project.content / ANSWER).read_text(encoding="utf-8")
    project.write(ANSWER, answers.replace("body: digital", "body: kojin"))
    result = run("check")
    assert result.output.splitlines() == [
        "content/answers/digital.yaml:3:11: answers[0].body: unknown body 'kojin': a body new to the report is "
        "listed under bodies: with its id and name, and in hearing.bodies if the hearing heard it"]


def test_an_id_in_brackets_of_a_note_cited_elsewhere_is_a_warning(project, run):
    """'[second]' may be words ('資料[second]'), the note being cited with '^' elsewhere, or a second
    call that lost its '^': said, not refused."""
    answers = (project.content / ANSWER).read_text(encoding="utf-8")
    project.write(ANSWER, answers.replace("      回答の本文です。", "      回答の本文です。資料[second]を見ること。"))
    result = run("check")
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == ("content/answers/digital.yaml:5:17: warning: answers[0].text: "
                                             "'[second]' is not a note call and would print as it is: write [^second]")


def test_an_id_given_twice_is_not_offered_for_the_one_it_replaced(project, run):
    """duty-2 renamed duty-1 by mistake: its answer is not told to name duty-1 (the other fix)."""
    topics = (project.content / TOPICS).read_text(encoding="utf-8")
    project.write(TOPICS, topics + "      - id: portal\n        to: [digital]\n        text: 二つ目の質問。\n")
    answers = (project.content / ANSWER).read_text(encoding="utf-8")
    project.write(ANSWER, answers + "  - question: portal-two\n    body: digital\n    text: 二つ目への回答。\n")
    result = run("check")
    assert result.exit_code == 1
    assert "duplicate question id 'portal'" in result.output and "did you mean 'portal'" not in result.output, \
        result.output


def test_an_id_of_a_series_is_not_blamed_for_another_s_uses(project, run):
    """Note manual-2 defined, cited nowhere yet, and [^manual-3] cited twice but defined nowhere: each
    use is unknown (did you mean manual-2?), not manual-2 told to be renamed manual-3, which would
    print manual-2's words at those calls without a word said (a reviewer's case)."""
    report = (project.content / REPORT).read_text(encoding="utf-8")
    project.write(REPORT, report.replace("  - id: second\n", "  - id: manual-2\n    text: 二版の注。\n  - id: second\n"))
    topics = (project.content / TOPICS).read_text(encoding="utf-8")
    project.write(TOPICS, topics.replace("質問の本文[^second]です。", "質問の本文[^second]です[^manual-3]。ふたたび[^manual-3]。"))
    result = run("check")
    lines = result.output.splitlines()
    assert result.exit_code == 1 and len(lines) == 2, result.output  # not also manual-2 "never cited"
    assert all("unknown note 'manual-3' (did you mean 'manual-2'?)" in line for line in lines)


QUESTION = "      - id: portal\n        to: [digital]\n        text: |\n          質問の本文[^second]です。\n"
TOPIC = "topics:\n  - id: portal\n    number: 1\n    heading: マイナポータルについて\n    title: マイナポータル\n"
# One slip and the only line it gives, which names it; the errors that only followed from it are not said too:
# (files written over the scratch project's, the line's fragment)
SLIPS = [
    # a follow-up to a topic miswritten: not also its answer's question unknown (and another offered for it)
    ({"round2.yaml": "questions:\n  - topic: portl\n    id: again\n    to: [digital]\n    text: 再質問です。\n"
                     "answers:\n  - question: again\n    body: digital\n    text: 再回答です。\n"},
     "round2.yaml:2:12: questions[0].topic: unknown topic 'portl' (did you mean 'portal'?)"),
    # a call written as the note's printed number, a note's id renamed or miswritten: not also "never cited"
    ({TOPICS: TOPIC + "    questions:\n" + QUESTION.replace("[^second]", "[^2]")},
     "unknown note '2' (note 'second', at content/report.yaml:26:5, is cited nowhere: that one?)"),
    ({REPORT: MINIMAL[REPORT].replace("- id: second", "- id: zweite")},
     "unknown note 'second' (note 'zweite', at content/report.yaml:26:5, is cited nowhere: that one?)"),
    ({REPORT: MINIMAL[REPORT].replace("- id: second", "- id: secnod")},
     "unknown note 'second' (did you mean 'secnod'?): note 'secnod', at content/report.yaml:26:5, is cited nowhere"),
    # a next item without its '- ': the note only its lost text calls is not "never cited" too
    ({ANSWER: "answers:\n  - question: portal\n    body: digital\n    text: 回答です。\n    question: portal\n"
              "    body: digital\n    text: 二つ目の回答[^third]です。\n",
      "third.yaml": "notes:\n  - id: third\n    text: 三番目の注。\n"},
     "digital.yaml:5:5: answers[0].question: key 'question' again in one item (first at line 2)"),
    # no notes left: one error, not one per call
    ({REPORT: MINIMAL[REPORT].split("        notes:")[0]},
     "report.yaml:16:9: report.intro: no notes are listed, and the text calls 2 note(s), the first here"),
    # a list's line deleted: its items said once, where they start, as the other list's
    ({TOPICS: TOPIC + "    points:\n      - 要点です。\n" + QUESTION},
     "topics.yaml:8:9: topics[0].points[1]: this item is written as an item of 'questions' (id, to, text), not of "
     "'points': is the line 'questions:' missing above it?"),
    ({TOPICS: TOPIC + "    questions:\n" + QUESTION + "      - heading: 議論\n        text: 議論の本文です。\n"},
     "topics.yaml:11:9: topics[0].questions[1]: this item is written as an item of 'discussion' (heading, text), "
     "not of 'questions'"),
    # one discussion part among the questions: the questions after it are kept (an answer to one was 'unknown')
    ({TOPICS: TOPIC + "    questions:\n" + QUESTION + "      - heading: 議論\n        text: 議論の本文です。\n"
              + QUESTION.replace("id: portal", "id: again").replace("[^second]", ""),
      "answers/more.yaml": "answers:\n  - question: again\n    body: digital\n    text: 二つ目の回答。\n"},
     "topics.yaml:11:9: topics[0].questions[1]: this item is written as an item of 'discussion' (heading, text)"),
    # a hearing's body miswritten: not also each answer's body "not one of the hearing's"
    ({REPORT: MINIMAL[REPORT].replace("bodies: [digital]", "bodies: [digitl]", 1)},
     "report.yaml:6:12: hearing.bodies[0]: unknown body 'digitl' (did you mean 'digital'?)"),
]


@pytest.mark.parametrize("files, line", SLIPS, ids=[s[1][:40] for s in SLIPS])
def test_one_slip_is_one_line(project, run, files, line):
    for name, text in files.items():
        project.write(name, text)
    result = run("check")
    assert result.exit_code == 1 and len(result.output.splitlines()) == 1 and line in result.output, result.output


def test_a_questions_pack_for_a_body_asked_nothing_says_so(project, run):
    """It made no questions-q-ppc.pdf, and said nothing."""
    project.write("ppc.yaml", "bodies:\n  - id: ppc\n    name: 個人情報保護委員会\n")
    project.write("packs.yaml", "packs:\n  - id: q\n    title: 質問事項\n    style: questions\n    bodies: [digital, ppc]\n")
    result = run("check")
    assert result.exit_code == 0 and result.output.splitlines()[0] == (
        "content/packs.yaml:5:13: warning: packs[0].bodies: no question is put to 'ppc', so pack 'q' makes no "
        "questions for it: put a question to it (to: [ppc]), or take it out of this list"), result.output



def test_a_key_that_is_a_list_is_said_not_an_internal_error(project, run):
    """A key written as a list (? [a]) in an item of the wrong list raised TypeError: unhashable."""
    project.write(TOPICS, TOPIC + "    questions:\n" + QUESTION + "      - heading: 議論\n        text: 本文。\n"
                  "        ? [a]\n        : x\n")
    result = run("check")
    assert result.exit_code == 1 and "a key must be a plain name" in result.output and "internal" not in result.output


def test_a_questions_pack_of_some_topics_says_a_body_asked_nothing_there(project, run):
    """The warning looked at every topic's questions, not the pack's: a body asked only elsewhere got
    no file and no word."""
    project.write("ppc.yaml", "bodies:\n  - id: ppc\n    name: 個人情報保護委員会\n")
    project.write(REPORT, MINIMAL[REPORT].replace("bodies: [digital]", "bodies: [digital, ppc]", 1))
    project.write("second.yaml", SECOND_TOPIC.replace("to: [digital]", "to: [digital, ppc]"))
    project.write("packs.yaml", "packs:\n  - id: q\n    title: 質問事項\n    style: questions\n    topics: [portal]\n"
                                "    bodies: [digital, ppc]\n")
    result = run("check")
    assert result.exit_code == 0 and "no question is put to 'ppc', so pack 'q' makes no questions" in result.output
