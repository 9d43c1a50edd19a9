"""Electronic signatures of documents.

``simple``: the simple electronic signature (простая электронная подпись, 63-ФЗ ст. 9) —
the signer re-enters their password at the moment of signing, and the signature id binds
the signer, the time and the SHA-256 of the document's content.
"""
