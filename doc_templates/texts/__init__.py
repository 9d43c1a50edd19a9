"""Texts printed in documents word for word: the model regulation, the consent's items."""
