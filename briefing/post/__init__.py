"""Turn a published report post into content files: read the post, restore its note calls, plan and write YAML.

A post is the group's web page copied out as text (the seed: ../shared/seed/). Its structure
is recovered line by line, every sentence kept as it stands (`read`). On the copy each
footnote call became plain digits glued to the word before it; calls are restored as `[^id]`
where the text leaves no doubt (`calls`), and every other placement is written with a YAML
comment and returned as a warning that points into the written file (`yaml_files`, `writer`).
Nothing is written until the whole post is read and every file is planned (`importer`).
"""

from .calls import place_calls
from .importer import Plan, plan, write
from .read import read_post

__all__ = ["Plan", "place_calls", "plan", "read_post", "write"]
