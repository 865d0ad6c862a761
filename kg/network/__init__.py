"""The actor network: projection of the store, metrics, exports and plots."""
