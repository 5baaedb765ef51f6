"""A small module under test: an inventory kept in a JSON file."""
import json


class OutOfStock(Exception):
    pass


class Inventory:
    def __init__(self, items=None):
        self.items = dict(items or {})

    def add(self, name, count=1):
        if count <= 0:
            raise ValueError("count must be positive")
        self.items[name] = self.items.get(name, 0) + count

    def take(self, name, count=1):
        have = self.items.get(name, 0)
        if count > have:
            raise OutOfStock(f"{name}: have {have}, asked for {count}")
        self.items[name] = have - count
        if self.items[name] == 0:
            del self.items[name]

    def total(self):
        return sum(self.items.values())

    def save(self, path):
        with open(path, "w", encoding="utf-8") as f:
            json.dump(self.items, f, sort_keys=True)

    @classmethod
    def load(cls, path):
        with open(path, encoding="utf-8") as f:
            return cls(json.load(f))
