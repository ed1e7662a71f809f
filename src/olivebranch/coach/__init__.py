"""Text analysis: the draft checker (and, later, the reply reader).

Pure: no I/O beyond reading this package's own phrase files once, no clock.
"""
