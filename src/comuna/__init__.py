"""Comuna: municipalist governance — cities and regions deciding together with their communities."""

__version__ = "0.1.0"
