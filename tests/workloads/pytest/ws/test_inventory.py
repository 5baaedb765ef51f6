"""Tests of inventory.py; they use pytest's fixtures that touch the
sandbox: tmp_path (a directory under $TMPDIR), capsys and monkeypatch."""
import os
import subprocess
import sys

import pytest

from inventory import Inventory, OutOfStock


@pytest.fixture
def stock():
    return Inventory({"bolt": 10, "nut": 4})


def test_add(stock):
    stock.add("washer", 3)
    stock.add("nut")
    assert stock.items == {"bolt": 10, "nut": 5, "washer": 3}


@pytest.mark.parametrize("count", [0, -1])
def test_add_rejects_non_positive(stock, count):
    with pytest.raises(ValueError):
        stock.add("bolt", count)


def test_take(stock):
    stock.take("nut", 4)
    assert "nut" not in stock.items
    assert stock.total() == 10


def test_take_too_many(stock):
    with pytest.raises(OutOfStock, match="have 4, asked for 5"):
        stock.take("nut", 5)


def test_save_and_load(stock, tmp_path):
    path = tmp_path / "stock.json"
    stock.save(path)
    assert path.read_text() == '{"bolt": 10, "nut": 4}'
    assert Inventory.load(path).items == stock.items
    assert str(tmp_path).startswith(os.environ["TMPDIR"])


def test_output_is_captured(capsys, stock):
    print(f"total {stock.total()}")
    assert capsys.readouterr().out == "total 14\n"


def test_in_a_subprocess(monkeypatch):
    monkeypatch.setenv("STOCK", "bolt")
    out = subprocess.run([sys.executable, "-c", "import os; print(os.environ['STOCK'])"],
                         capture_output=True, text=True, check=True).stdout
    assert out == "bolt\n"
