"""Checks that the run is held by this repository's .cordon.

The policy sets WORDFREQ_SANDBOX=cordon; without it (python3 -m unittest
outside cordon) these tests are skipped.
"""
import os
import socket
import unittest

SANDBOXED = os.environ.get("WORDFREQ_SANDBOX") == "cordon"


@unittest.skipUnless(SANDBOXED, "not running under cordon")
class SandboxTest(unittest.TestCase):
    def test_home_is_out_of_reach(self):
        # nothing of home is granted: ~/.ssh cannot even be looked into
        with self.assertRaises((PermissionError, FileNotFoundError)):
            os.listdir(os.path.expanduser("~/.ssh"))

    def test_no_network(self):
        with self.assertRaises(PermissionError):
            socket.create_connection(("127.0.0.1", 9), timeout=1)

    def test_no_secrets_in_the_environment(self):
        leaked = [k for k in os.environ if k.endswith(("_KEY", "_TOKEN", "_SECRET"))]
        self.assertEqual(leaked, [])
