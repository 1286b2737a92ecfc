"""What the window shows, as plain values (no Qt): an ingress's row and badge, encoder settings, times,
validation messages said for a person. The CLI's tables and the window's widgets render these."""
