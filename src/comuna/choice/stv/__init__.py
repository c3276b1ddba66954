"""Single transferable vote: BLT ballots, the Scottish count (SSI 2007/42) and Meek's method, every stage as data.

    from comuna.choice.stv import count_meek, count_scottish, read_blt
    result = count_scottish(read_blt("ward.blt"))   # a CountResult; result.to_dict() is ready for json.dumps
    result.elected                                  # candidate numbers from 1, in order of election
    result.stages[0].votes                          # exact decimal strings, one per candidate

Candidates are numbered from 1 as in the BLT file. Bad files raise `BltFormatError` (line and reason); elections
built in code that no count can run on raise ValueError.
"""

from comuna.choice.stv.blt import Ballot, BltFormatError, Election, format_blt, parse_blt, read_blt, write_blt
from comuna.choice.stv.meek import count_meek
from comuna.choice.stv.scottish import count_scottish
from comuna.choice.stv.stages import CountResult, Event, Stage

__all__ = [
    "Ballot", "BltFormatError", "CountResult", "Election", "Event", "Stage", "count_meek", "count_scottish",
    "format_blt", "parse_blt", "read_blt", "write_blt",
]
