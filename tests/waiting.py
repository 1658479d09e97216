"""How long a GUI test waits for a condition before it calls the wait a hang.

A wait returns as soon as its condition holds, so this is a hang guard, never a speed
limit: on a loaded machine (another process busy on every core) work that takes 1 s
idle has been seen to take over 10 s, so the guard is generous.
"""

HANG_MS = 60_000
