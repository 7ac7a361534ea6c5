"""The relationship chain on the client (R1–R7): ``manager`` is the public
``FriendshipManager``; ``state`` the lists it shows and how they differ, ``events`` what a
``friend.event`` push does to them, ``overlay`` what a queued change does before the service
answers, ``announce`` the listener calls a difference makes. Nothing is imported here, so the
cache can use ``state`` without pulling in the manager."""
