"""Engine for treaty packs: loading, validation and border queries (no UI code)."""
