"""invoice: totals of an invoice, in cents (project-a of examples/team)."""

__all__ = ["total"]


def total(lines, tax_percent=0):
    """lines: (quantity, unit price in cents); returns the total in cents,
    tax included, rounded half up."""
    net = sum(q * price for q, price in lines)
    return net + (net * tax_percent + 50) // 100
