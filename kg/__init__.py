"""Knowledge graphs of geopolitical actors and events."""
