"""Desktop notifications for new messages (N1–N4): the local form of offline push.

`decision` says whether a message raises one, `texts` what it says, `icons` the sender's face
as a file, `notifier` shows and replaces them through desktop-notifier (the tray balloon where
the OS has no backend), `summary` the one notification after a restart, `badge` the count on
the tray and dock, and `center` wires them to a session.
"""
