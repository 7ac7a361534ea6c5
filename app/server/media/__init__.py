"""Media: the bytes behind image, sound, video, file and merger elements (PROTOCOL.md §8).

Content is addressed by its SHA-256, so the same bytes are kept once whoever sends them. Bytes
travel over HTTP (resumable chunked uploads, range downloads); messages carry only the digest.
``storage`` keeps the bytes, ``uploads`` the upload sessions, ``access`` decides who may read
what, ``routes`` is the HTTP face, ``tim`` the Tencent REST shapes.
"""
