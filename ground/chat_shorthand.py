"""Chat shorthand and the words it stands for ("wat r u", "pls", "dont", "b4").

Customers on a phone write this way. Two readers spell it out: the NLU's spelling step
(bot/nlu/spelling.py), because the sentence encoder was trained on written English and reads
"u" as a letter, and the risk reader (handoff/emotion.py), whose patterns are written in
whole words. The list is general chat English, not the evaluation's noise lists
(bot/evaluation/register_noise.py), though the common ones are bound to meet. Left out on
purpose: shorthand that is also a word or an answer in a shop's chat ("y" and "n" for yes
and no, "ya", "yr" for a warranty's year, "2day" for two-day delivery, "atm", "its").
"""

from __future__ import annotations

import re
from typing import Dict, List, Optional

CHAT_WORDS: Dict[str, str] = {
    # pronouns and verbs
    "u": "you", "yu": "you", "yall": "you all", "ur": "your", "r": "are", "k": "okay",
    "kk": "okay", "hv": "have", "cud": "could", "cld": "could", "shud": "should", "shld": "should", "wud": "would",
    "wld": "would", "kno": "know", "knw": "know", "dunno": "don't know", "idk": "I don't know",
    "gonna": "going to", "wanna": "want to", "gotta": "got to", "lemme": "let me",
    "gimme": "give me",
    # question words
    "wat": "what", "wot": "what", "wht": "what", "wen": "when", "whr": "where",
    # courtesy
    "pls": "please", "plz": "please", "plse": "please", "thx": "thanks", "thnx": "thanks",
    "thanx": "thanks", "tnx": "thanks", "thks": "thanks", "ty": "thank you",
    "tyvm": "thank you very much", "np": "no problem", "nvm": "never mind",
    # little words
    "abt": "about", "bc": "because", "cuz": "because", "coz": "because", "cos": "because",
    "bcoz": "because", "bcos": "because", "tho": "though", "thru": "through", "b4": "before",
    "rly": "really", "rlly": "really",
    "btw": "by the way", "fyi": "for your information", "ppl": "people", "sth": "something",
    "smth": "something", "some1": "someone", "sum1": "someone", "any1": "anyone", "no1": "no one",
    "every1": "everyone", "evry1": "everyone", "neva": "never", "nevr": "never",
    "gr8": "great", "l8": "late", "l8r": "later", "m8": "mate",
    # time
    "tmrw": "tomorrow", "tmr": "tomorrow", "tmw": "tomorrow", "2moro": "tomorrow",
    "2morrow": "tomorrow", "tonite": "tonight", "2nite": "tonight", "yday": "yesterday",
    "wk": "week", "wks": "weeks",
    # a shop's nouns
    "msg": "message", "msgs": "messages", "msgd": "messaged", "txt": "text", "pic": "picture",
    "pics": "pictures", "foto": "photo", "fotos": "photos", "acc": "account", "acct": "account",
    "addy": "address", "pwd": "password", "pw": "password", "deets": "details",
    "pkg": "package", "amt": "amount", "recd": "received", "rcvd": "received",
}
# contractions typed without the apostrophe, as they are spelled with it
CONTRACTIONS: Dict[str, str] = {
    "im": "I'm", "ive": "I've", "dont": "don't", "cant": "can't", "wont": "won't",
    "didnt": "didn't", "doesnt": "doesn't", "isnt": "isn't", "wasnt": "wasn't",
    "arent": "aren't", "werent": "weren't", "havent": "haven't", "hasnt": "hasn't",
    "hadnt": "hadn't", "couldnt": "couldn't", "shouldnt": "shouldn't", "wouldnt": "wouldn't",
    "thats": "that's", "whats": "what's", "wheres": "where's", "hows": "how's",
    "theres": "there's", "youre": "you're", "theyre": "they're", "whos": "who's",
    "youve": "you've", "theyve": "they've", "weve": "we've", "aint": "ain't",
}

_SHORTHAND = {**CHAT_WORDS, **CONTRACTIONS}
_WORD_PIECE = re.compile(r"[^\W_]+")


def spelled_out(word: str) -> Optional[str]:
    """The words a lower-case token of chat shorthand stands for, or None."""
    return _SHORTHAND.get(word)


def tokens_of(phrase: str) -> List[str]:
    """A spelled-out phrase cut where the whitespace tokenizer cuts ("don't": "don", "t")."""
    return _WORD_PIECE.findall(phrase)
