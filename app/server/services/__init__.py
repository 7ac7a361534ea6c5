"""Domain logic over the store and the bus: accounts, devices, messaging, conversations.

Services never touch sockets; they take plain values, return protocol structs and publish
encoded frames on the bus.
"""
