"""wordfreq: count the words of a text, most frequent first.

A stand-in for a project an agent works on: examples/repo-with-policy has a
.cordon that says what its test command may do.
"""
import re
from collections import Counter

__all__ = ["words", "top"]

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")


def words(text):
    """The words of text, lower-cased, in order ("don't" is one word)."""
    return [w.lower() for w in _WORD.findall(text)]


def top(text, n=3):
    """The n most frequent words as (word, count), ties in first-seen order."""
    return Counter(words(text)).most_common(n)
