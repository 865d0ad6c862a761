"""The HTTP service (thin routers over kg)."""
