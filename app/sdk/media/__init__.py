"""Media for messages: files turned into what an element states about them (``images``,
``video``), the user's store of media bytes on disk (``cache``), and the HTTP transfers to and
from the service (``transfer``). These know nothing of clients or logins, so each is tested on
real files and real HTTP by itself; ``manager`` ties them to the signed-in user.
"""
