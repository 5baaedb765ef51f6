import unittest

from invoice import total


class TotalTest(unittest.TestCase):
    def test_net(self):
        self.assertEqual(total([(2, 150), (1, 99)]), 399)

    def test_tax_rounds_half_up(self):
        self.assertEqual(total([(1, 150)], tax_percent=19), 179)  # 178.5

    def test_empty(self):
        self.assertEqual(total([]), 0)

