"""Social choice for Comuna: pure Python/NumPy, no Django.

Participatory-budgeting rules, committee rules, STV counts and sortition live here so they can be tested against
peer implementations and reused on their own.
"""
