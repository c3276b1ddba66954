"""Single transferable vote: BLT ballots, the Scottish count (SSI 2007/42) and Meek's method, every stage as data.

    from comuna.choice.stv import read_blt, count_scottish, count_meek
    result = count_scottish(read_blt("ward.blt"))      # CountResult; result.to_dict() is JSON-ready
"""

from comuna.choice.stv.blt import Ballot, BltFormatError, Election, format_blt, parse_blt, read_blt, write_blt
from comuna.choice.stv.scottish import count_scottish
from comuna.choice.stv.stages import CountResult, Event, Stage

__all__ = [
    "Ballot", "BltFormatError", "CountResult", "Election", "Event", "Stage", "count_scottish", "format_blt",
    "parse_blt", "read_blt", "write_blt",
]
