"""The help centre's articles: Markdown files in `company/help_articles/`, one topic each.

An article is `<slug>.md`: a first line `# Title`, then `## Section` headings, each with
its paragraphs. The assistant searches its passages (one per section) when no intent fits
(bot/nlu/help_centre.py), and the gateway serves each article at `/help/<slug>`
(bot/gateway/routes/help.py); both read the files through this module, so they agree on
what an article and a passage are.
"""

from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

ARTICLES_DIR = Path(__file__).resolve().parent / "help_articles"
# the keys of a message's parse data that hold its help-centre matches (bot/nlu writes them,
# actions read them): the best passage; under it, the best passage of the next few articles;
# and, for a message asking the help centre two or more things, the matches of its clauses
# after the first
HELP_ARTICLE = "help_article"
OTHER_ARTICLES_KEY = "other_articles"
MORE_HELP_ARTICLES = "more_help_articles"
# lower-case words joined by single hyphens; nothing else can name a file
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_SLUG = 80


def is_slug(value: str) -> bool:
    return len(value) <= MAX_SLUG and SLUG.fullmatch(value) is not None


_WORD = re.compile(r"[a-z0-9]+")
STOP_WORDS = frozenset("""
a about after all also am an and any are as at be been before being but by can could did do
does doing don for from get got had has have how i if in into is it its just me my no not of
on or our please so than that the their them then there these they this to too up us was we
were what when where which who why will with would you your yours i'm it's can't don't want
need know tell help hi hello there thanks much many some way ok does
""".split())


def words(text: str) -> List[str]:
    """The words a question and a passage are compared by (bot/nlu/help_index.py's BM25):
    lower case, no stop words, a plural "s" cut."""
    found = []
    for word in _WORD.findall(text.lower().replace("'", "")):
        if word in STOP_WORDS:
            continue
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        found.append(word)
    return found


@dataclass(frozen=True)
class Passage:
    """One section of an article: what the assistant quotes as an answer."""

    slug: str
    title: str
    heading: str
    text: str  # the section's paragraphs, plain text, blank lines between them


@dataclass(frozen=True)
class Article:
    slug: str
    title: str
    markdown: str  # the whole file
    passages: Tuple[Passage, ...]

    @property
    def link(self) -> str:
        return article_link(self.slug)


def article_link(slug: str) -> str:
    """Where the gateway serves the article."""
    return f"/help/{slug}"


# an article link in a reply, where no address comes before it ("/help/gift-cards")
_LINK_IN_TEXT = re.compile(r"(?<![\w/.:-])/help/[a-z0-9]+(?:-[a-z0-9]+)*(?![\w/-])")


def absolute_article_links(text: str, base_url: str) -> str:
    """A reply with each article link made absolute, for channels that show plain text
    (Telegram): a bare path there is no link, and reads as a bot command."""
    return _LINK_IN_TEXT.sub(lambda found: base_url.rstrip("/") + found.group(0), text)


def parse_article(slug: str, markdown: str) -> Article:
    """An article from its Markdown; a file without a `# Title` first line is refused."""
    lines = markdown.strip().splitlines()
    if not lines or not lines[0].startswith("# "):
        raise ValueError(f"help article {slug!r} must start with a '# Title' line")
    title = lines[0][2:].strip()
    passages: List[Passage] = []
    heading: Optional[str] = None
    body: List[str] = []

    def close() -> None:
        text = "\n".join(body).strip()
        if text:
            passages.append(Passage(slug, title, heading or title, re.sub(r"\n{3,}", "\n\n", text)))

    for line in lines[1:]:
        if line.startswith("## "):
            close()
            heading, body = line[3:].strip(), []
        else:
            body.append(line.rstrip())
    close()
    return Article(slug, title, markdown, tuple(passages))


def load_articles(folder: Path = ARTICLES_DIR) -> List[Article]:
    """Every article in the folder, by slug; files whose name is not a slug are skipped."""
    return list(_articles_as_of(folder, _folder_state(folder)))


def _folder_state(folder: Path) -> Tuple[Tuple[str, int, int], ...]:
    """The articles' files as they are now (name, change time, size): a file edited, added or
    removed gives another state, and the articles are parsed again."""
    found = []
    for path in sorted(folder.glob("*.md")):
        if is_slug(path.stem):
            stat = path.stat()
            found.append((path.name, stat.st_mtime_ns, stat.st_size))
    return tuple(found)


@lru_cache(maxsize=4)
def _articles_as_of(folder: Path, state: Tuple[Tuple[str, int, int], ...]) -> Tuple[Article, ...]:
    return tuple(parse_article(name[:-len(".md")], (folder / name).read_text(encoding="utf-8"))
                 for name, _, _ in state)


def passage_headed(words: Sequence[str], folder: Path = ARTICLES_DIR) -> Optional[Tuple[Article, Passage]]:
    """The first section whose heading has every one of `words` (lower case, as parts of its
    words: "match" is in "Price matching"), or None: for a question the assistant knows the
    topic of, whichever passage its words happen to be closest to."""
    for article in load_articles(folder):
        for passage in article.passages:
            heading = passage.heading.lower()
            if all(word in heading for word in words):
                return article, passage
    return None


def find_article(slug: str, folder: Path = ARTICLES_DIR) -> Optional[Article]:
    """The article with this slug, or None (also for anything that is not a slug)."""
    if not is_slug(slug):
        return None
    # (the parsed articles, as of the folder's state: read from disk only when a file changed)
    return next((article for article in load_articles(folder) if article.slug == slug), None)


# a passage that says our team carries it out ("Ask our team and tell us the format you need",
# "a person from our team can order one for you")
_DONE_BY_OUR_TEAM = re.compile(
    r"\b(?:ask|tell|contact)\s+our\s+team\b|\b(?:a\s+person|someone)\s+from\s+our\s+team\s+(?:can|will)\b"
    r"|\bby\s+asking\s+our\s+team\b", re.IGNORECASE)


def done_by_our_team(passage: Passage) -> bool:
    """Whether the passage says that what it describes is done by a person from the team."""
    return _DONE_BY_OUR_TEAM.search(passage.text) is not None
