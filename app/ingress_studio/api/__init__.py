"""The Ingress API seen from a client: facade, error messages, ingress.json model, validation."""
