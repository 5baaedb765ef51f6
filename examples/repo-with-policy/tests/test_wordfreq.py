import tempfile
import unittest

import wordfreq


class WordsTest(unittest.TestCase):
    def test_words(self):
        self.assertEqual(wordfreq.words("Don't panic, DON'T panic!"),
                         ["don't", "panic", "don't", "panic"])

    def test_no_digits_or_underscores(self):
        self.assertEqual(wordfreq.words("a_b 42 c"), ["a", "b", "c"])


class TopTest(unittest.TestCase):
    def test_top(self):
        text = "the cat and the hat and the bat"
        self.assertEqual(wordfreq.top(text, 2), [("the", 3), ("and", 2)])

    def test_file_in_tmpdir(self):
        # The policy gives the run a private, writable $TMPDIR.
        with tempfile.NamedTemporaryFile("w+", suffix=".txt") as f:
            f.write("b a b")
            f.flush()
            f.seek(0)
            self.assertEqual(wordfreq.top(f.read(), 1), [("b", 2)])


if __name__ == "__main__":
    unittest.main()
