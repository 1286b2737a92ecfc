"""Helpers the tests share: a real sandbox process on free ports, tokens, raw Twirp calls."""
